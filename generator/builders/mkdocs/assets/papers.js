// The all-papers page's filters and the lists' BibTeX copy buttons. Theme-neutral: plain
// DOM, its own rl- classes. The page's data is an index (one column per fact) and display
// rows in shards, written by generator/render/catalog.py. The script knows no path: the page
// names the index (data-index), and the index gives every other URL, relative to itself.
(function () {
  var PAGE = 100; // rows drawn at once: drawing, not filtering, is what costs at 10,000

  var core = window.readinglistPapers; // papers-core.js, loaded just before
  var DEFAULTS = core.DEFAULTS, parseState = core.parseState, stateQuery = core.stateQuery;
  var filterRows = core.filterRows, shortAuthors = core.shortAuthors, paperUrl = core.paperUrl;

  // ---- The page ----

  var indexUrl = null, indexPromise = null;
  var shards = {};

  function fetchJson(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  // Once per visit: instant navigation keeps the script (and what it fetched) alive.
  function loadIndex(root) {
    if (!indexPromise) {
      indexUrl = new URL(root.dataset.index, location.href).href;
      indexPromise = fetchJson(indexUrl);
    }
    return indexPromise;
  }

  function loadShard(index, n) {
    if (!shards[n]) shards[n] = fetchJson(new URL(index.shards[n], indexUrl).href);
    return shards[n];
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A control with its own <label for>: its name is the label alone, not the options too.
  function labelled(label, control) {
    var wrap = el("div", { class: "rl-field" });
    control.id = "rl-filter-" + control.name;
    wrap.appendChild(el("label", { for: control.id }, label));
    wrap.appendChild(control);
    return wrap;
  }

  function select(name, options) {
    var node = el("select", { name: name });
    options.forEach(function (o) { node.appendChild(el("option", { value: o[0] }, o[1])); });
    return node;
  }

  var STATUS_LABELS = { "to-read": "To read", reading: "Reading", read: "Read" };
  var LINK_LABELS = { arxiv: "arXiv", pdf: "PDF", code: "Code", slides: "Slides" };

  function buildForm(index) {
    var form = el("form", { class: "rl-filters", role: "search", "aria-label": "Filter papers" });
    form.appendChild(labelled("Topic", select("topic", [["", "Any topic"]].concat(index.topics))));
    var years = index.year.filter(Boolean);
    var low = Math.min.apply(null, years.length ? years : [2000]);
    var high = Math.max.apply(null, years.length ? years : [2000]);
    ["from", "to"].forEach(function (name) {
      form.appendChild(labelled(name === "from" ? "From year" : "To year",
        el("input", { name: name, type: "number", min: low, max: high, inputmode: "numeric", placeholder: name === "from" ? low : high })));
    });
    form.appendChild(labelled("Status", select("status", [["", "Any status"]].concat(
      index.statuses.map(function (s) { return [s, STATUS_LABELS[s] || s]; })))));
    var venues = el("datalist", { id: "rl-venues" });
    index.venues.forEach(function (v) { venues.appendChild(el("option", { value: v })); });
    form.appendChild(venues);
    form.appendChild(labelled("Venue", el("input", { name: "venue", type: "search", list: "rl-venues" })));
    form.appendChild(labelled("Author", el("input", { name: "author", type: "search" })));
    var code = labelled("Has code", el("input", { name: "code", type: "checkbox" }));
    code.classList.add("rl-check");
    form.appendChild(code);
    form.appendChild(labelled("Sort by", select("sort", [["year", "Year"], ["title", "Title"], ["added", "Date added"]])));
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    return form;
  }

  function readForm(form) {
    var state = {};
    Object.keys(DEFAULTS).forEach(function (key) {
      var field = form.elements[key];
      state[key] = field.type === "checkbox" ? field.checked : field.value.trim();
    });
    if (!/^\d{4}$/.test(state.from)) state.from = "";
    if (!/^\d{4}$/.test(state.to)) state.to = "";
    return state;
  }

  function fillForm(form, state) {
    Object.keys(DEFAULTS).forEach(function (key) {
      var field = form.elements[key];
      if (field.type === "checkbox") field.checked = state[key];
      else field.value = state[key];
    });
  }

  function drawRow(index, row, i) {
    var item = el("li", { class: "rl-paper" });
    var title = el("a", { class: "rl-paper-title", href: new URL(paperUrl(index, row.id), indexUrl).href }, row.title);
    item.appendChild(title);
    var byline = el("div", { class: "rl-byline" });
    var parts = [];
    if (row.authors.length) {
      var shown = shortAuthors(row.authors, index.owner || []);
      var names = document.createDocumentFragment();
      shown.names.forEach(function (name, k) {
        if (k) names.appendChild(document.createTextNode(k === 3 && shown.gap ? ", \u2026 " : ", "));
        names.appendChild(name[1] ? el("mark", { class: "rl-owner" }, name[0]) : document.createTextNode(name[0]));
      });
      if (shown.etAl) names.appendChild(document.createTextNode(" et al."));
      parts.push(names);
    }
    if (index.year[i]) parts.push(document.createTextNode(String(index.year[i])));
    if (row.venue) parts.push(el("em", {}, row.venue));
    parts.forEach(function (part, k) {
      if (k) byline.appendChild(document.createTextNode(" \u00b7 "));
      byline.appendChild(part);
    });
    if (parts.length) item.appendChild(byline);
    if (row.links.length) {
      var links = el("div", { class: "rl-links" });
      row.links.forEach(function (link) {
        if (!/^https?:\/\//i.test(link[1])) return;
        links.appendChild(el("a", { class: "rl-button", href: link[1] }, LINK_LABELS[link[0]] || link[0]));
      });
      item.appendChild(links);
    }
    return item;
  }

  function mount(root) {
    if (root.dataset.mounted) return;
    root.dataset.mounted = "1";
    root.textContent = "Loading the list\u2026";
    loadIndex(root).then(function (index) {
      var rowsOf = {};  // shard number -> rows, once loaded
      var form = buildForm(index);
      var count = el("p", { class: "rl-count", role: "status", "aria-live": "polite" });
      var list = el("ol", { class: "rl-results" });
      var more = el("button", { type: "button", class: "rl-button rl-more" }, "Show more");
      root.textContent = "";
      [form, count, list, more].forEach(function (n) { root.appendChild(n); });
      var state = parseState(location.search), shown = PAGE, rows = [], drawn = 0;
      fillForm(form, state);

      function rowOf(i) { return rowsOf[Math.floor(i / index.shard)][i % index.shard]; }
      function need(positions) {
        var wanted = {};
        positions.forEach(function (i) { wanted[Math.floor(i / index.shard)] = 1; });
        var missing = Object.keys(wanted).filter(function (n) { return !rowsOf[n]; });
        return Promise.all(missing.map(function (n) {
          return loadShard(index, n).then(function (data) { rowsOf[n] = data; });
        }));
      }
      function allShards() {
        var every = [];
        for (var n = 0; n * index.shard < index.count; n++) every.push(n * index.shard);
        return need(every);
      }

      var pending = 0;
      function redraw() {
        var ticket = ++pending;
        var ready = state.author ? allShards() : Promise.resolve();
        ready.then(function () {
          if (ticket !== pending) return;
          rows = filterRows(index, state, function (i) { return rowOf(i).authors; });
          shown = PAGE;
          drawn = 0;
          list.textContent = "";
          return drawMore(ticket);
        });
      }
      function drawMore(ticket) {
        var slice = rows.slice(drawn, shown);
        return need(slice).then(function () {
          if (ticket !== pending) return;
          var batch = document.createDocumentFragment();
          slice.forEach(function (i) { batch.appendChild(drawRow(index, rowOf(i), i)); });
          list.appendChild(batch);
          drawn = Math.min(shown, rows.length);
          count.textContent = rows.length + (rows.length === 1 ? " paper" : " papers") +
            (rows.length > drawn ? ", " + drawn + " shown" : "");
          more.hidden = drawn >= rows.length;
          root.dataset.drawn = String(ticket);  // for tests: which redraw finished
          root.dataset.settled = "1";  // the list's place may shrink to its rows (papers.css)
          if (ticket === 1) {
            root.dataset.firstDraw = String(performance.now());
            // The first screen needed the index and one shard; the others follow while
            // the reader looks, so that a filter change draws without waiting on the network.
            setTimeout(allShards, 0);
          }
        });
      }
      form.addEventListener("input", function () {
        state = readForm(form);
        history.replaceState(null, "", location.pathname + stateQuery(state) + location.hash);
        redraw();
      });
      more.addEventListener("click", function () { shown += PAGE; drawMore(pending); });
      redraw();
    }).catch(function (error) {
      root.dataset.settled = "1";
      root.textContent = "The list could not be loaded (" + error.message + "); the pages below list every paper.";
    });
  }

  // One listener for every BibTeX button of any list, present now or drawn later.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.rl-copy[data-copy]");
    if (!button) return;
    navigator.clipboard.writeText(button.dataset.copy).then(function () {
      button.dataset.copied = "1";
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "BibTeX"; delete button.dataset.copied; }, 1500);
    });
  });

  function enhance() {
    var root = document.querySelector("div.rl-papers");
    if (root) mount(root);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(enhance);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
