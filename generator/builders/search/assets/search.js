// The header search: a button the builder's page gets, and a dialog with a field that
// answers while typing (search-engine.js, on Pagefind's JS API). It knows no theme: each
// builder's own script calls readinglistSearch.mount(header) with the place for the button
// and styles nothing but what search.css gives. Pagefind (pagefind.js and its index) is
// loaded on first use: when the button is pointed at or the shortcut pressed, not up front.
(function () {
  "use strict";

  var engineApi = window.readinglistSearchEngine;
  // Where the index and the data files are, relative to this script: the pipeline writes
  // them (urls.search_paths, into search-paths.js, loaded before this file).
  var script = document.currentScript.src;
  var paths = window.readinglistSearchPaths || {};
  function at(key) { return new URL(paths[key], script); }
  var root = at("root");
  var engine = engineApi.createEngine(
    function () { return import(at("pagefind").href); },
    function (key) {
      return fetch(at(key)).then(function (r) { return r.ok ? r.json() : null; });
    },
    function () {
      // Revalidated: under serve, the shards change with the records.
      return fetch(at("shards"), { cache: "no-cache" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (manifest) {
          var shards = engineApi.shardUrls(manifest, at("bundle").href);
          var folder = engineApi.liveFolder(manifest, root.href);
          if (!folder) return { shards: shards, live: null };
          // Under serve: the bundle of the edited records, which supersede the shards'.
          return fetch(folder + "live.json", { cache: "no-cache" })
            .then(function (r) { return r.ok ? r.json() : null; })
            .then(function (live) { return { shards: shards, live: engineApi.liveBundle(live, folder) }; },
              function () { return { shards: shards, live: null }; });
        });
    }
  );
  var dialog = null, field = null, list = null, status = null;

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text) node.textContent = text;
    return node;
  }

  function build() {
    dialog = element("dialog", { id: "readinglist-search", "aria-label": "Search papers" });
    var form = element("form", { role: "search", method: "dialog" });
    field = element("input", {
      type: "search", name: "q", autocomplete: "off", spellcheck: "false",
      placeholder: "Search papers", "aria-label": "Search papers",
      "aria-controls": "readinglist-search-results", class: "readinglist-search-field"
    });
    var close = element("button", { type: "button", class: "readinglist-search-close",
      "aria-label": "Close search" }, "Esc");
    status = element("p", { class: "readinglist-search-status", "aria-live": "polite" });
    list = element("ol", { id: "readinglist-search-results", class: "readinglist-search-results" });
    form.append(field, close);
    dialog.append(form, status, list);
    document.body.appendChild(dialog);
    field.addEventListener("input", function () { ask(field.value); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = list.querySelector("a");
      if (first) first.click();
    });
    close.addEventListener("click", function () { dialog.close(); });
    // A click on the backdrop (outside the dialog's box) closes it.
    dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
    field.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { var a = list.querySelector("a"); if (a) { event.preventDefault(); a.focus(); } }
    });
    list.addEventListener("keydown", moveFocus);
  }

  // Arrow keys move between results; up from the first goes back to the field.
  function moveFocus(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (at < 0) return;
    event.preventDefault();
    var next = at + (event.key === "ArrowDown" ? 1 : -1);
    (next < 0 ? field : links[Math.min(next, links.length - 1)]).focus();
  }

  function ask(query) {
    if (!query.trim()) { show({ items: [] }, query); return; }
    engine.ask(query, show);
  }

  function show(answer, query) {
    if (field.value !== query) return;  // typed over meanwhile: a newer answer follows
    list.replaceChildren.apply(list, answer.items.map(result));
    list.dataset.state = answer.partial ? "partial" : "done";
    status.textContent = !query.trim() ? "" : answer.failed ? "Search is unavailable here."
      : answer.items.length ? "" : answer.partial ? "Searching…" : "No papers match.";
  }

  function result(item) {
    var li = element("li", { class: "readinglist-search-result" });
    var link = element("a", { href: new URL(item.location, root).href });
    var title = element("span", { class: "readinglist-result-title" });
    title.innerHTML = item.title;  // escaped by the engine; only <mark> added
    link.appendChild(title);
    if (item.details) {
      var meta = element("span", { class: "readinglist-result-meta" });
      meta.innerHTML = item.details;
      link.appendChild(meta);
    }
    if (item.excerpt) {
      var text = element("span", { class: "readinglist-result-text" });
      text.innerHTML = item.excerpt;
      link.appendChild(text);
    }
    li.appendChild(link);
    return li;
  }

  // Pagefind starts loading; a failure shows when a query is asked.
  function warm() {
    engine.start().catch(function () {});
  }

  function open(query) {
    if (dialog === null) build();
    warm();
    if (!dialog.open) dialog.showModal();
    if (typeof query === "string") { field.value = query; ask(query); }
    field.focus();
    field.select();
  }

  function typingSomewhere(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  // "/" or Ctrl/Cmd-K opens the search from anywhere on the page.
  // Listened for first (window, capture phase) and kept from the theme's own shortcuts,
  // which would open a search box of its own.
  window.addEventListener("keydown", function (event) {
    var slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey;
    var k = event.key === "k" && (event.ctrlKey || event.metaKey);
    if ((slash && !typingSomewhere(event.target)) || k) {
      event.preventDefault();
      event.stopImmediatePropagation();
      open();
    }
  }, true);

  // The button goes into `place` (the builder's header); once per page.
  function mount(place) {
    if (!place || place.querySelector(".readinglist-search-button")) return;
    var button = element("button", { type: "button", class: "readinglist-search-button",
      "aria-label": "Search papers", "aria-keyshortcuts": "/ Control+K", title: "Search (/)" });
    // A magnifier drawn in currentColor: the one thing left on a phone-sized header.
    var icon = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    icon.setAttribute("viewBox", "0 0 24 24");
    icon.setAttribute("aria-hidden", "true");
    icon.setAttribute("class", "readinglist-search-icon");
    icon.innerHTML = '<circle cx="10" cy="10" r="6.5" fill="none" stroke="currentColor" stroke-width="2.2"/>' +
      '<path d="M15 15l6 6" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"/>';
    button.append(icon, element("span", { class: "readinglist-search-label" }, "Search"),
      element("kbd", {}, "/"));
    button.addEventListener("click", function () { open(); });
    // Pagefind starts loading when the reader heads for the button.
    button.addEventListener("pointerenter", warm, { once: true });
    button.addEventListener("focus", warm, { once: true });
    place.appendChild(button);
    var query = new URLSearchParams(location.search).get("q");
    if (query && (dialog === null || !dialog.open)) open(query);
  }

  window.readinglistSearch = { mount: mount, open: open, engine: engine };
})();
