// The site's search, on Pagefind's own JS API: ranking, typo tolerance, the common-word
// shortcut, highlighting. No theme is known here: search.js draws the box and the results.
// Results carry HTML (titles and excerpts with <mark>): everything from the index is escaped
// here, and the only markup added is <mark> around matched words.
(function () {
  "use strict";

  var MAX_RESULTS = 12;
  var TOPIC_PAGE_FACTOR = 0.3;  // topic pages may answer a query, but below the papers
  var EXCERPT_WORDS = 28;
  // The first answer carries the best FIRST_RESULTS results, so something shows after a few
  // small downloads; the full list follows when the rest of the fragments have arrived.
  var FIRST_RESULTS = 4;
  var QUICK_CANDIDATES = 8;
  var REMEMBERED = 20;

  function escapeHtml(text) {
    return String(text)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function words(text) {
    return String(text).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  // An excerpt built from the record's plain text and the word positions Pagefind matched:
  // around the first match after the title (which is shown already), or the text's opening.
  function excerpt(data) {
    var all = data.content.split(/\s+/);
    var locations = data.locations || [];
    var hits = {};
    locations.forEach(function (i) { hits[i] = true; });
    var title = String((data.meta || {}).title || "").split(/\s+/).filter(Boolean).length;
    var inText = locations.filter(function (i) { return i >= title; });
    var first = inText.length ? inText[0] : title || (locations[0] || 0);
    var start = Math.max(title, first - Math.floor(EXCERPT_WORDS / 3));
    if (start >= all.length) return "";  // a record of its title alone: nothing to add
    var out = [];
    for (var i = start; i < Math.min(all.length, start + EXCERPT_WORDS); i++) {
      var word = escapeHtml(all[i]);
      out.push(hits[i] ? "<mark>" + word + "</mark>" : word);
    }
    return (start > 0 ? "… " : "") + out.join(" ") + (start + EXCERPT_WORDS < all.length ? " …" : "");
  }

  function highlightTitle(title, terms) {
    return escapeHtml(title).split(/(\s+)/).map(function (word) {
      var bare = word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
      var match = bare && terms.some(function (t) { return bare.indexOf(t) === 0; });
      return match ? "<mark>" + word + "</mark>" : word;
    }).join("");
  }

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

  // Typo tolerance, which Pagefind does not have: each word not in the titles' vocabulary is
  // replaced by the nearest one (at most two edits for long words, one for shorter).
  function correctWords(terms, vocabulary) {
    var known = new Set(vocabulary);
    return terms.map(function (word) {
      if (word.length < 4 || known.has(word)) return word;
      var limit = word.length >= 7 ? 2 : 1, best = word, bestDistance = limit + 1;
      vocabulary.forEach(function (candidate) {
        var distance = editDistance(word, candidate, limit);
        if (distance < bestDistance) { best = candidate; bestDistance = distance; }
      });
      return best;
    });
  }

  // The share of papers a query word matches, as far as known: Pagefind matches words by
  // their beginning, so a word being typed ("lea") costs what the common words it begins do,
  // and one or two letters match nearly everything. 0 for a word in few papers.
  function shareOf(term, shares) {
    if (shares.has(term)) return shares.get(term);
    if (term.length < 3) return 1;
    var share = 0;
    shares.forEach(function (s, word) { if (word.indexOf(term) === 0) share = Math.max(share, s); });
    return share;
  }

  // Pagefind's search time grows with the pages each word matches, and a word in many papers
  // ("learning") costs the most while it says little. A query with such words is first
  // searched without them (or with its rarest alone, unless even that is in half the papers).
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

  // A record is one flat file (papers/<id>.html in Pagefind's URLs); its page is the folder
  // URL beside it (papers/<id>/), relative to the site's root.
  function pageLocation(url) {
    return url.replace(/^\//, "").replace(/\.html$/, "/");
  }

  function isTopic(record) {
    return ((record.meta || {}).topics || "") === "Topic page";
  }

  function scored(page, score) {
    return { page: page, score: score * (isTopic(page) ? TOPIC_PAGE_FACTOR : 1) };
  }

  // Results for the box: { location, title (HTML), details (HTML), excerpt (HTML), score }.
  function render(pages, terms) {
    pages = pages.slice().sort(function (a, b) { return b.score - a.score; });
    return {
      items: pages.map(function (ranked) {
        var record = ranked.page, meta = record.meta || {};
        return {
          // The record names its page (generator/render/urls.py); older records did not.
          location: meta.page || pageLocation(record.url),
          title: highlightTitle(meta.title || record.url, terms),
          details: [meta.year, meta.topics].filter(Boolean).map(escapeHtml).join(" · "),
          excerpt: excerpt(record),
          score: ranked.score
        };
      })
    };
  }

  // The bundles to merge into the first one: the index is split into shards (see
  // generator/builders/search/index.py), listed by folder in the bundle's
  // readinglist-shards.json; `base` is the bundle's URL. None for a missing list.
  function shardUrls(manifest, base) {
    var folders = (manifest && Array.isArray(manifest.shards)) ? manifest.shards : [];
    return folders.filter(function (f) { return typeof f === "string" && /^[\w-]+\/$/.test(f); })
      .map(function (f) { return String(base).replace(/\/?$/, "/") + f; });
  }

  // Under `readinglist serve`, the shards file also names the folder of the live bundle
  // (generator/builders/search/live.py): its URL from the site's `root`, or null.
  function liveFolder(manifest, root) {
    var folder = manifest && manifest.live;
    if (typeof folder !== "string" || !/^[\w-]+\/$/.test(folder)) return null;
    return String(root).replace(/\/?$/, "/") + folder;
  }

  // The live manifest (live.json in that folder): { url of the bundle to merge or null,
  // pages: the ids of its results, urls: the record URLs it supersedes }; null if malformed.
  function liveBundle(manifest, folder) {
    if (!manifest || typeof manifest !== "object") return null;
    var strings = function (list) {
      return new Set((Array.isArray(list) ? list : []).filter(function (x) { return typeof x === "string"; }));
    };
    var bundle = manifest.bundle;
    var url = typeof bundle === "string" && /^[\w-]+\/$/.test(bundle) ?
      String(folder).replace(/\/?$/, "/") + bundle : null;
    return { url: url, pages: strings(manifest.pages), urls: strings(manifest.supersedes) };
  }

  // The results to show, in order, from `loaded` ({ id, page, score }, best first): a shard's
  // result for a record the live bundle supersedes is its old version (or a deleted paper)
  // and goes, and so does a second result for the same page (live and shard alike).
  function keepResults(loaded, live) {
    var seen = new Set();
    return loaded.filter(function (result) {
      if (seen.has(result.id)) return false;
      seen.add(result.id);
      return !(live && !live.pages.has(result.id) && live.urls.has(result.page.url));
    });
  }

  // One search engine over `pagefind()` (a promise of Pagefind's module, loaded on first
  // use), `fetchJson(key)` (a promise of the search data file `key`, "common" or
  // "vocabulary", or null) and `loadShards()` (a promise of the URLs of the shards to
  // merge, or of { shards: those URLs, live: liveBundle(...) }; optional).
  function createEngine(loadPagefind, fetchJson, loadShards) {
    var pagefind = null, ready = null, vocabulary = null, commonWords = null, live = null;
    var searches = new Map(), answered = new Set();
    var running = false, waiting = null, onAnswer = null;

    function start() {
      if (ready === null) {
        commonWords = fetchJson("common")
          .then(function (pairs) { return new Map(pairs || []); }, function () { return new Map(); });
        var shards = loadShards ? loadShards().catch(function () { return []; }) : Promise.resolve([]);
        ready = Promise.all([loadPagefind(), shards]).then(function (loaded) {
          pagefind = loaded[0];
          var found = Array.isArray(loaded[1]) ? { shards: loaded[1] } : loaded[1] || {};
          live = found.live || null;
          var bundles = (found.shards || []).concat(live && live.url ? [live.url] : []);
          var options = { baseUrl: "/", excerptLength: EXCERPT_WORDS };
          // No web worker: it is one more script (40 KB) to fetch and start before the
          // first answer, and the engine already keeps to one search at a time.
          return pagefind.options(Object.assign({ noWorker: true }, options))
            .then(function () { return pagefind.init(); })
            .then(function () {
              // Every shard answers every query; Pagefind sorts their results by score.
              return Promise.all(bundles.map(function (url) {
                return pagefind.mergeIndex(url, options);
              }));
            });
        });
        // A load that failed (offline, a file:// page) is tried again by the next query.
        ready.catch(function () { ready = null; });
      }
      return ready;
    }

    // Pagefind's answers for the last few queries, as promises, so a query asked again
    // (typed back) is not searched twice; and which have arrived.
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

    function corrected(terms) {
      if (vocabulary === null) {
        vocabulary = fetchJson("vocabulary").then(function (v) { return v || []; });
      }
      return vocabulary.then(function (known) { return correctWords(terms, known); });
    }

    // The first `count` results kept (keepResults), with their pages: each URL the live
    // bundle supersedes drops at most one result, so that many more are loaded.
    function details(results, count) {
      var extra = live ? live.urls.size : 0;
      return Promise.all(results.slice(0, count + extra).map(function (r) {
        return r.data().then(function (page) { return { id: r.id, page: page, score: r.score }; });
      })).then(function (loaded) {
        return keepResults(loaded, live).slice(0, count).map(function (r) {
          return scored(r.page, r.score);
        });
      });
    }

    // The first answer from the rarer words, or null; the whole query's index chunks are
    // fetched meanwhile, so the exact search that follows starts at once.
    async function quickAnswer(text) {
      var rarer = rarerTerms(text, await commonWords);
      if (rarer === null || answered.has(text)) return null;
      pagefind.preload(text);
      var response = await pagefindSearch(rarer);
      var terms = words(text);
      var pages = await details(response.results || [], QUICK_CANDIDATES);
      var kept = pages.filter(function (p) { return containsAll(p.page, terms); });
      return kept.length ? render(kept.slice(0, FIRST_RESULTS), terms) : null;
    }

    async function search(query, post) {
      var text = String(query || "").trim();
      if (!text) return { items: [] };
      var quick = await quickAnswer(text);
      if (quick) post(Object.assign(quick, { partial: true }));
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
      var top = response.results;
      var loading = details(top, MAX_RESULTS);
      if (top.length > FIRST_RESULTS) {
        post(Object.assign(render(await details(top, FIRST_RESULTS), terms), { partial: true }));
      }
      return Object.assign(render(await loading, terms), { query: text });
    }

    // Queries arrive on every keystroke. Only the newest one waiting is worth answering: one
    // runs at a time and those typed over meanwhile are dropped, so the last answer shown is
    // always for what is in the box now, and typing fast never queues up work.
    async function answer() {
      while (waiting !== null) {
        var query = waiting, reply = onAnswer;
        waiting = null;
        var post = function (data) { if (waiting === null) reply(data, query); };
        try {
          var result = await search(query, post);
          reply(result, query);
        } catch (error) {
          console.warn("search failed", error);
          reply({ items: [], failed: true }, query);
        }
      }
      running = false;
    }

    // Answers `query` through `reply(answer, query)`: partial answers first (marked
    // `partial`), the full one last.
    function ask(query, reply) {
      waiting = query;
      onAnswer = reply;
      start().then(function () {
        if (waiting) pagefind.preload(String(waiting).trim());
      }, function () {});  // the failure is answered below
      // Marked running when scheduled, not when answer() starts: else each query typed
      // before Pagefind is ready schedules one, and the next runs beside the first.
      if (!running) {
        running = true;
        start().then(answer, function (error) {
          running = false;
          waiting = null;
          reply({ items: [], failed: true, error: String(error) }, query);
        });
      }
    }

    return { start: start, ask: ask };
  }

  var api = {
    escapeHtml: escapeHtml, excerpt: excerpt, highlightTitle: highlightTitle,
    editDistance: editDistance, correctWords: correctWords, words: words, shareOf: shareOf,
    rarerTerms: rarerTerms, containsAll: containsAll, scored: scored,
    pageLocation: pageLocation, render: render, shardUrls: shardUrls, liveFolder: liveFolder,
    liveBundle: liveBundle, keepResults: keepResults, createEngine: createEngine
  };
  // Under Node (the unit tests in tests/js/) the file is a module; in a page, a global that
  // search.js uses.
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else window.readinglistSearchEngine = api;
})();
