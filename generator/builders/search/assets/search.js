// Material for MkDocs' search box, answered by Pagefind.
//
// Material runs its search in a web worker and lets a site provide its own worker, as long
// as it speaks Material's protocol: SETUP (0) -> READY (1), QUERY (2) -> RESULT (3), where a
// result is { items: [[{ location, title, text, score, terms }], ...] }. Material inserts
// `title` and `text` as HTML, so everything from the index is escaped here and the only
// markup added is <mark> around matched words and the result's metadata line.
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
// Not Material's: sent by the page (overrides/main.html) when it opens with a query in its
// address (?q=), before Material's bundle has even loaded, so the search is under way by the
// time Material asks for it.
var PREPARE = 100;
var MAX_RESULTS = 12;
var TOPIC_PAGE_FACTOR = 0.3;  // topic pages may answer a query, but below the papers
var EXCERPT_WORDS = 28;
var pagefind = null;

function escapeHtml(text) {
  return String(text)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

// An excerpt built from the record's plain text and the word positions Pagefind matched:
// around the first match after the title (which is shown already), or the text's opening.
function excerpt(data) {
  var words = data.content.split(/\s+/);
  var locations = data.locations || [];
  var hits = {};
  locations.forEach(function (i) { hits[i] = true; });
  var abstract = String((data.meta || {}).title || "").split(/\s+/).filter(Boolean).length;
  var inAbstract = locations.filter(function (i) { return i >= abstract; });
  var first = inAbstract.length ? inAbstract[0] : abstract || (locations[0] || 0);
  var start = Math.max(abstract, first - Math.floor(EXCERPT_WORDS / 3));
  var out = [];
  for (var i = start; i < Math.min(words.length, start + EXCERPT_WORDS); i++) {
    var word = escapeHtml(words[i]);
    out.push(hits[i] ? "<mark>" + word + "</mark>" : word);
  }
  return (start > 0 ? "… " : "") + out.join(" ") + (start + EXCERPT_WORDS < words.length ? " …" : "");
}

function highlightTitle(title, terms) {
  return escapeHtml(title).split(/(\s+)/).map(function (word) {
    var bare = word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
    var match = bare && terms.some(function (t) { return bare.indexOf(t) === 0; });
    return match ? "<mark>" + word + "</mark>" : word;
  }).join("");
}

async function setup() {
  var bundle = new URL("../pagefind/", self.location.href);
  pagefind = await import(new URL("pagefind.js", bundle).href);
  await pagefind.options({ baseUrl: "/", excerptLength: EXCERPT_WORDS });
  await pagefind.init();
}

// Typo tolerance, which Pagefind does not have: when a query finds nothing, each word that
// is not in the titles' vocabulary is replaced by the nearest one (at most two edits), and
// the query runs again. The vocabulary is fetched only then.
var vocabulary = null;

function editDistance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  var previous = [], current = [], before = [];
  for (var j = 0; j <= b.length; j++) previous[j] = j;
  for (var i = 1; i <= a.length; i++) {
    current = [i];
    var best = i;
    for (var k = 1; k <= b.length; k++) {
      var cost = a[i - 1] === b[k - 1] ? 0 : 1;
      current[k] = Math.min(previous[k] + 1, current[k - 1] + 1, previous[k - 1] + cost);
      if (i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1])
        current[k] = Math.min(current[k], before[k - 2] + 1);  // transposition
      best = Math.min(best, current[k]);
    }
    if (best > limit) return limit + 1;
    before = previous; previous = current;
  }
  return previous[b.length];
}

async function corrected(words) {
  if (vocabulary === null) {
    var response = await fetch(new URL("search-vocabulary.json", self.location.href));
    vocabulary = response.ok ? await response.json() : [];
  }
  return correctWords(words, vocabulary);
}

function correctWords(words, vocabulary) {
  var known = new Set(vocabulary);
  return words.map(function (word) {
    if (word.length < 4 || known.has(word)) return word;
    var limit = word.length >= 7 ? 2 : 1, best = word, bestDistance = limit + 1;
    vocabulary.forEach(function (candidate) {
      var distance = editDistance(word, candidate, limit);
      if (distance < bestDistance) { best = candidate; bestDistance = distance; }
    });
    return best;
  });
}

function words(text) {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

// The first answer carries the best FIRST_RESULTS results, so something shows after a few
// small downloads; the full list follows when the rest of the fragments have arrived.
var FIRST_RESULTS = 4;

// Pagefind's answers for the last few queries, as promises, so a query asked again (typed
// back, or prepared before Material asked) is not searched twice; and which have arrived.
var searches = new Map();
var answered = new Set();
var REMEMBERED = 20;

function pagefindSearch(text) {
  if (!searches.has(text)) {
    if (searches.size >= REMEMBERED) {
      var oldest = searches.keys().next().value;
      searches.delete(oldest);
      answered.delete(oldest);
    }
    searches.set(text, pagefind.search(text).then(function (response) {
      answered.add(text);
      return response;
    }));
  }
  return searches.get(text);
}

// Pagefind's search time grows with the pages each word matches, and a word in many papers
// ("learning", "the") costs the most while it says little about which papers are best. A
// query with such words is first searched without them (or, if every word is common, with
// its rarest alone, unless even that is in half the papers): that first answer shows the best
// of those pages that contain every word of the query, and Pagefind's answer to the whole
// query follows. The common words, with the share of papers each is in, are listed at build
// time from the related papers' term counts.
var commonWords = null;  // a promise of Map(word -> share), fetched when the worker starts
var QUICK_CANDIDATES = 8;

// The share of papers a query word matches, as far as known: Pagefind matches words by their
// beginning, so a word being typed ("lea") costs what the common words it begins do, and one
// or two letters match nearly everything. 0 for a word in few papers.
function shareOf(term, shares) {
  if (shares.has(term)) return shares.get(term);
  if (term.length < 3) return 1;
  var share = 0;
  shares.forEach(function (s, word) { if (word.indexOf(term) === 0) share = Math.max(share, s); });
  return share;
}

async function rarerQuery(text) {
  return rarerTerms(text, await commonWords);
}

function rarerTerms(text, shares) {
  var terms = words(text);
  if (terms.length < 2) return null;
  var known = terms.map(function (t) { return { term: t, share: shareOf(t, shares) }; });
  var rare = known.filter(function (k) { return k.share === 0; });
  if (!rare.length) {
    var rarest = known.sort(function (a, b) { return a.share - b.share; })[0];
    if (rarest.share >= 0.5) return null;  // little to save: search the whole query at once
    rare = [rarest];
  }
  return rare.length < terms.length ? rare.map(function (k) { return k.term; }).join(" ") : null;
}

function containsAll(page, terms) {
  var found = words(page.content);
  return terms.every(function (t) {
    return found.some(function (w) { return w.indexOf(t) === 0; });
  });
}

// The first answer from the rarer words, or null; it fetches the whole query's index chunks
// meanwhile, so the exact search that follows starts at once.
async function quickAnswer(text) {
  var rarer = await rarerQuery(text);
  if (rarer === null || answered.has(text)) return null;
  pagefind.preload(text);
  var response = await pagefindSearch(rarer);
  var terms = words(text);
  var pages = await Promise.all((response.results || []).slice(0, QUICK_CANDIDATES)
    .map(function (r) { return r.data().then(function (page) { return scored(page, r.score); }); }));
  var kept = pages.filter(function (p) { return containsAll(p.page, terms); });
  return kept.length ? render(kept.slice(0, FIRST_RESULTS), terms) : null;
}

function scored(page, score) {
  return { page: page, score: score * (page.url.indexOf("/topics/") === 0 ? TOPIC_PAGE_FACTOR : 1) };
}

// Search ahead of Material's QUERY and fetch the fragments of the first results.
async function prepare(query) {
  var text = String(query || "").trim();
  if (await quickAnswer(text)) return;  // the whole query waits for Material to ask
  var response = await pagefindSearch(text);
  (response && response.results ? response.results : []).slice(0, FIRST_RESULTS)
    .forEach(function (r) { r.data(); });
}

async function search(query, post) {
  var text = String(query || "").trim();
  if (!text) return { items: [] };
  var quick = await quickAnswer(text);
  if (quick) {
    quick.partial = true;
    post(quick);
  }
  var response = await pagefindSearch(text);
  if (response && response.results && response.results.length === 0) {
    var fixed = (await corrected(words(text))).join(" ");
    if (fixed !== words(text).join(" ")) {
      text = fixed;
      response = await pagefindSearch(text);
    }
  }
  if (!response || !response.results) return { items: [] };
  var terms = words(text);
  var top = response.results.slice(0, MAX_RESULTS);
  var loading = top.map(function (r) {
    return r.data().then(function (page) { return scored(page, r.score); });
  });
  if (top.length > FIRST_RESULTS) {
    var first = render(await Promise.all(loading.slice(0, FIRST_RESULTS)), terms);
    first.partial = true;  // Material ignores it; tests wait for the answer without it
    post(first);
  }
  return render(await Promise.all(loading), terms);
}

// A record is one flat file (search/papers/<id>.html: a folder per paper would cost the
// build a directory each); its page is the folder URL MkDocs gives it (papers/<id>/).
function pageLocation(url) {
  return url.replace(/^\//, "").replace(/\.html$/, "/");
}

function render(pages, terms) {
  var found = {};
  terms.forEach(function (t) { found[t] = true; });
  pages = pages.slice().sort(function (a, b) { return b.score - a.score; });
  return {
    items: pages.map(function (ranked) {
      var page = ranked.page;
      var meta = page.meta || {};
      var details = [meta.year, meta.topics].filter(Boolean).map(escapeHtml).join(" · ");
      return [{
        location: pageLocation(page.url),
        title: highlightTitle(meta.title || page.url, terms),
        text: (details ? '<p class="readinglist-result-meta">' + details + "</p>" : "") +
          "<p>" + excerpt(page) + "</p>",
        score: ranked.score,
        terms: found
      }];
    })
  };
}

// Queries arrive on every keystroke. Only the newest one that is waiting is worth
// answering: one query runs at a time and the ones typed over meanwhile are dropped, so the
// last answer Material shows is always for what is in the box now, and typing fast never
// queues up work.
var running = false, waiting = null;

async function answer() {
  while (waiting !== null) {
    var query = waiting;
    waiting = null;
    try {
      var post = function (data) { self.postMessage({ type: RESULT, data: data }); };
      post(await search(query, post));
    } catch (error) {
      console.warn("search failed", error);
      self.postMessage({ type: RESULT, data: { items: [] } });
    }
  }
  running = false;
}

var ready = null;

function start() {
  commonWords = fetch(new URL("search-common.json", self.location.href))
    .then(function (response) { return response.ok ? response.json() : []; })
    .then(function (pairs) { return new Map(pairs); }, function () { return new Map(); });
  // Pagefind starts loading as soon as the worker does, while Material is still fetching
  // its own (empty) index to send with SETUP.
  ready = setup();
  self.addEventListener("message", onMessage);
}

function onMessage(event) {
  var message = event.data;
  if (message.type === SETUP) {
    ready.then(function () { self.postMessage({ type: READY }); });
  } else if (message.type === PREPARE) {
    ready.then(function () { return prepare(message.data); }).catch(function () {});
  } else if (message.type === QUERY) {
    waiting = message.data;
    // Fetch the index chunks for what is being typed even while an older query runs.
    ready.then(function () { if (waiting) pagefind.preload(String(waiting).trim()); });
    // Marked running when scheduled, not when answer() starts: else each query typed before
    // Pagefind is ready schedules one, the extra ones reset `running` at once, and the next
    // query runs beside the first, whose late answer then replaces the newer one.
    if (!running) {
      running = true;
      ready.then(answer);
    }
  }
}

// Under Node (the unit tests in tests/js/) the file is a module of its pure functions; in
// the browser it is the worker and starts at once.
if (typeof module !== "undefined" && module.exports) {
  module.exports = {
    escapeHtml: escapeHtml, excerpt: excerpt, highlightTitle: highlightTitle,
    editDistance: editDistance, correctWords: correctWords, words: words, shareOf: shareOf,
    rarerTerms: rarerTerms, containsAll: containsAll, scored: scored,
    pageLocation: pageLocation, render: render
  };
} else {
  start();
}
