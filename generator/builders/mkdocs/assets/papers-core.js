// The all-papers page's pure part: filter state <-> URL, filtering, sorting, names and URLs
// (unit-tested under Node, tests/js/). papers.js, loaded after it, draws the page with it.
(function () {
  var DEFAULTS = { topic: "", from: "", to: "", status: "", venue: "", author: "", code: false, sort: "year" };
  var SORTS = ["year", "title", "added"];

  // The filter state a query string describes; unknown or malformed values are ignored.
  function parseState(search) {
    var params = new URLSearchParams(search);
    var state = Object.assign({}, DEFAULTS);
    ["topic", "status", "venue", "author"].forEach(function (key) {
      state[key] = (params.get(key) || "").trim();
    });
    ["from", "to"].forEach(function (key) {
      var value = params.get(key) || "";
      state[key] = /^\d{4}$/.test(value) ? value : "";
    });
    state.code = params.get("code") === "1";
    var sort = params.get("sort");
    state.sort = SORTS.indexOf(sort) >= 0 ? sort : "year";
    return state;
  }

  // The query string of a state: only what differs from the defaults, in a fixed order.
  function stateQuery(state) {
    var params = new URLSearchParams();
    ["topic", "from", "to", "status", "venue", "author"].forEach(function (key) {
      if (state[key]) params.set(key, state[key]);
    });
    if (state.code) params.set("code", "1");
    if (state.sort !== "year") params.set("sort", state.sort);
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // Row positions (into the index's columns) that pass every filter of `state`, sorted.
  // `authorsOf(i)` gives row i's authors; it is called only when an author is asked for.
  function filterRows(index, state, authorsOf) {
    var topic = state.topic ? index.topics.findIndex(function (t) { return t[0] === state.topic; }) : -1;
    if (state.topic && topic < 0) return [];
    var status = state.status ? index.statuses.indexOf(state.status) : -1;
    if (state.status && status < 0) return [];
    var venues = null;
    if (state.venue) {
      var wanted = fold(state.venue);
      venues = new Uint8Array(index.venues.length);
      index.venues.forEach(function (v, i) { if (fold(v).indexOf(wanted) >= 0) venues[i] = 1; });
    }
    var from = state.from ? Number(state.from) : 0;
    var to = state.to ? Number(state.to) : 0;
    var author = state.author ? fold(state.author) : "";
    var found = [];
    for (var i = 0; i < index.count; i++) {
      var year = index.year[i];
      if (from && (!year || year < from)) continue;
      if (to && (!year || year > to)) continue;
      if (status >= 0 && index.status[i] !== status) continue;
      if (state.code && !index.code[i]) continue;
      if (venues && (index.venue[i] < 0 || !venues[index.venue[i]])) continue;
      if (topic >= 0 && index.topic[i].indexOf(topic) < 0) continue;
      if (author && !authorsOf(i).some(function (a) { return fold(a).indexOf(author) >= 0; })) continue;
      found.push(i);
    }
    return sortRows(index, found, state.sort);
  }

  // Rows are stored newest year first, then by title: "year" is their own order.
  function sortRows(index, rows, sort) {
    if (sort === "title") {
      return rows.sort(function (a, b) { return index.title_rank[a] - index.title_rank[b]; });
    }
    if (sort === "added") {
      // Newest added first; the same day keeps the stored order (newest year, then title).
      return rows.sort(function (a, b) { return index.added[b] - index.added[a] || a - b; });
    }
    return rows;
  }

  // A name as the pipeline compares it (generator/render/entries.py, name_key): case,
  // accents, dots, hyphens and spacing ignored.
  function nameKey(name) {
    return fold(name).replace(/[.\u2010-\u2015-]/g, " ").split(/\s+/).filter(Boolean).join(" ");
  }

  // The authors a row shows, as the lists do: the first three, then the owner if further
  // down, then "et al."; each as [name, is the owner].
  function shortAuthors(authors, owner) {
    var mark = function (a) { return [a, owner.indexOf(nameKey(a)) >= 0]; };
    if (authors.length <= 4) return { names: authors.map(mark), etAl: false };
    var names = authors.slice(0, 3).map(mark);
    var later = authors.slice(3).filter(function (a) { return owner.indexOf(nameKey(a)) >= 0; });
    if (later.length) names.push(mark(later[0]));
    return { names: names, etAl: true, gap: later.length > 0 };
  }

  // A paper's page, relative to the index: the index's pattern with the id in it.
  function paperUrl(index, id) {
    return index.paper_url.split("{id}").join(encodeURIComponent(id));
  }

  var api = {
    DEFAULTS: DEFAULTS, parseState: parseState, stateQuery: stateQuery, filterRows: filterRows,
    sortRows: sortRows, nameKey: nameKey, shortAuthors: shortAuthors, paperUrl: paperUrl,
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else window.readinglistPapers = api;

})();
