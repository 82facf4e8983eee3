// Runs the real search worker file as a browser would start it, in a fresh V8 context where
// `self`, `fetch` and Pagefind's module are fakes the test controls. Node's vm cannot serve
// `import()` without an experimental flag, so the worker's one dynamic import (of
// pagefind.js) is pointed at the fake; the rest of the file runs as it is.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const { ASSETS } = require("./assets.js");

const SOURCE = fs.readFileSync(path.join(ASSETS, "search-worker.js"), "utf8");
const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;

function words(text) {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

// A Pagefind over `pages` ({ url, content, meta }): a page matches when each query word
// begins one of its words, scored by its position in the list. `delays` maps a query to
// how long its search takes (ms), for tests of queries that overlap.
function fakePagefind(pages, delays = {}) {
  const searched = [];
  return {
    searched,
    options: async () => {},
    init: async () => {},
    preload: () => {},
    search: async (text) => {
      searched.push(text);
      await new Promise((resolve) => setTimeout(resolve, delays[text] || 0));
      const terms = words(text);
      const results = pages
        .filter((page) => terms.every((t) => words(page.content).some((w) => w.startsWith(t))))
        .map((page, i) => ({ score: 100 - i, data: async () => page }));
      return { results };
    },
  };
}

// Starts the worker; returns its fakes and a way to post messages and collect answers.
function startWorker({ pages = [], common = [], vocabulary = [], delays = {} } = {}) {
  const pagefind = fakePagefind(pages, delays);
  const posted = [];
  let listener = null;
  const files = { "search-common.json": common, "search-vocabulary.json": vocabulary };
  const context = vm.createContext({
    URL,
    setTimeout,
    console: { warn: () => {}, log: () => {}, error: () => {} },
    fetch: async (url) => {
      const name = new URL(url).pathname.split("/").pop();
      return name in files
        ? { ok: true, json: async () => files[name] }
        : { ok: false, json: async () => null };
    },
    importPagefind: async () => pagefind,
    self: {
      location: { href: "http://127.0.0.1/assets/search-worker.js" },
      addEventListener: (type, fn) => { if (type === "message") listener = fn; },
      // As a real worker's messages are: cloned (into this realm's objects).
      postMessage: (message) => posted.push(structuredClone(message)),
    },
  });
  const pieces = SOURCE.split("await import(");
  if (pieces.length !== 2) throw new Error("the worker no longer imports Pagefind once");
  vm.runInContext(pieces.join("await importPagefind("), context, { filename: "search-worker.js" });
  if (listener === null) throw new Error("the worker did not start listening");
  const post = (type, data) => listener({ data: { type, data } });
  return { pagefind, posted, post };
}

// Resolves once the worker has posted `count` messages (or fails after five seconds: the
// machine may be busy), with those messages.
async function until(posted, count) {
  for (let waited = 0; posted.length < count; waited += 5) {
    if (waited > 5000) throw new Error(`${posted.length} messages, not ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return posted.slice(0, count);
}

module.exports = { startWorker, until, SETUP, READY, QUERY, RESULT };
