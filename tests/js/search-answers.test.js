// The engine as the header search asks it (ask(query, reply): partial answers, then the full
// one), over a fake Pagefind: the quick answer from the rarer words, typo correction, and
// the rule that the last answer is always for the newest query.
"use strict";
const assert = require("node:assert/strict");
const path = require("node:path");
const { test } = require("node:test");
const { SEARCH } = require("./assets.js");

const { createEngine, words } = require(path.join(SEARCH, "search-engine.js"));

function paper(id, title, abstract = "", meta = {}) {
  return { url: `/papers/${id}.html`, content: `${title} ${abstract}`, meta: { title, ...meta } };
}

const PAPERS = [
  paper("il", "Imitation Learning at Scale", "behaviour cloning from demonstrations", {
    year: "2021",
    topics: "Agents",
  }),
  paper("il-loss", "An Imitation Loss", "a loss for imitating"),
  paper("rl-1", "Learning to Act", "reinforcement learning"),
  paper("rl-2", "Learning Rates", "learning, again"),
  paper("rl-3", "Learning Everything", "more learning"),
  paper("grok", "Grokking Modular Arithmetic", "a transformer groks late"),
];

// A Pagefind over `pages`: a page matches when each query word begins one of its words,
// scored by its position in the list. `delays` maps a query to how long its search takes.
function fakePagefind(pages, delays = {}) {
  const searched = [];
  return {
    searched,
    loaded: 0,
    options: async () => {},
    init: async () => {},
    preload: () => {},
    search: async (text) => {
      searched.push(text);
      await new Promise((resolve) => setTimeout(resolve, delays[text] || 0));
      const terms = words(text);
      const results = pages
        .filter((page) => terms.every((t) => words(page.content).some((w) => w.startsWith(t))))
        // Pagefind's result ids are its pages' hashes: here the page's own, or its URL.
        .map((page, i) => ({ id: page.id || page.url, score: 100 - i, data: async () => page }));
      return { results };
    },
  };
}

function start({ pages = PAPERS, common = [], vocabulary = [], delays = {} } = {}) {
  const pagefind = fakePagefind(pages, delays);
  const files = { common, vocabulary };
  const engine = createEngine(
    async () => { pagefind.loaded += 1; return pagefind; },
    async (name) => (name in files ? files[name] : null),
  );
  const answers = [];
  const ask = (query) => engine.ask(query, (answer, asked) => answers.push({ asked, ...answer }));
  return { engine, pagefind, answers, ask };
}

async function until(answers, count) {
  for (let waited = 0; answers.length < count; waited += 5) {
    if (waited > 5000) throw new Error(`${answers.length} answers, not ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return answers.slice(0, count);
}

const locations = (answer) => answer.items.map((item) => item.location);

test("Pagefind is loaded on first use, once", async () => {
  const { engine, pagefind, answers, ask } = start();
  assert.equal(pagefind.loaded, 0);
  await engine.start();
  ask("grokking");
  await until(answers, 1);
  ask("imitation");
  await until(answers, 2);
  assert.equal(pagefind.loaded, 1);
});

test("a query with a common word answers first from the rarer ones, then exactly", async () => {
  const { pagefind, answers, ask } = start({ common: [["learning", 0.6]] });
  ask("imitation learning");
  const [quick, exact] = await until(answers, 2);
  assert.deepEqual(pagefind.searched, ["imitation", "imitation learning"]);
  assert.equal(quick.partial, true);
  // From "imitation" alone, but only the pages that have every word of the query.
  assert.deepEqual(locations(quick), ["papers/il/"]);
  assert.equal(exact.partial, undefined);
  assert.deepEqual(locations(exact), ["papers/il/"]);
  const [item] = exact.items;
  assert.equal(item.title, "<mark>Imitation</mark> <mark>Learning</mark> at Scale");
  assert.equal(item.details, "2021 · Agents");
});

test("a query Pagefind finds nothing for is searched again with its typos corrected", async () => {
  const { pagefind, answers, ask } = start({ vocabulary: ["grokking", "modular"] });
  ask("grokkng modualr");
  const [answer] = await until(answers, 1);
  assert.deepEqual(pagefind.searched, ["grokkng modualr", "grokking modular"]);
  assert.deepEqual(locations(answer), ["papers/grok/"]);
  assert.equal(answer.items[0].title, "<mark>Grokking</mark> <mark>Modular</mark> Arithmetic");
});

test("an empty query is answered with no results and searches nothing", async () => {
  const { pagefind, answers, ask } = start();
  ask("   ");
  const [answer] = await until(answers, 1);
  assert.deepEqual(answer.items, []);
  assert.deepEqual(pagefind.searched, []);
});

test("queries typed over are dropped, and the last answer is for the newest query", async () => {
  // "imitation l" is slow to search; "imitation lo" is typed while it runs and is quick.
  const { answers, ask } = start({ delays: { "imitation l": 60 } });
  ask("imitation");
  ask("imitation l");  // typed before Pagefind was ready: "imitation" is dropped
  await new Promise((resolve) => setTimeout(resolve, 20));
  ask("imitation lo");
  await until(answers, 2);
  await new Promise((resolve) => setTimeout(resolve, 100));  // nothing else follows
  const finals = answers.filter((a) => !a.partial);
  assert.deepEqual(finals.map((a) => a.asked), ["imitation l", "imitation lo"]);
  assert.deepEqual(finals.map(locations), [["papers/il/", "papers/il-loss/"], ["papers/il-loss/"]]);
});

test("a Pagefind that cannot load is answered as a failure, not left hanging", async () => {
  const engine = createEngine(async () => { throw new Error("404"); }, async () => null);
  const answers = [];
  engine.ask("grokking", (answer) => answers.push(answer));
  const [answer] = await until(answers, 1);
  assert.equal(answer.failed, true);
  assert.deepEqual(answer.items, []);
});

test("the shards listed are merged, with the first bundle's options, before any search", async () => {
  const pagefind = fakePagefind(PAPERS);
  const calls = [];
  pagefind.init = async () => { calls.push("init"); };
  pagefind.options = async (options) => { calls.push(["options", options]); };
  pagefind.mergeIndex = async (url, options) => { calls.push(["merge", url, options]); };
  const engine = createEngine(
    async () => pagefind,
    async () => null,
    async () => ["/pagefind/shard-01/", "/pagefind/shard-02/"],
  );
  const answers = [];
  engine.ask("grokking", (answer) => answers.push(answer));
  await until(answers, 1);
  const merges = calls.filter((c) => c[0] === "merge");
  assert.deepEqual(merges.map((c) => c[1]), ["/pagefind/shard-01/", "/pagefind/shard-02/"]);
  const { noWorker, ...shared } = calls[0][1];
  assert.equal(noWorker, true); // Pagefind searches in the page: no worker script to fetch
  assert.deepEqual(merges[0][2], shared); // the same baseUrl and excerpt length
  assert.ok(calls.indexOf("init") < calls.indexOf(merges[0]));
  assert.deepEqual(pagefind.searched, ["grokking"]);
});

test("a shard list that fails to load leaves the first bundle searchable", async () => {
  const pagefind = fakePagefind(PAPERS);
  let merged = 0;
  pagefind.mergeIndex = async () => { merged += 1; };
  const engine = createEngine(async () => pagefind, async () => null,
    async () => { throw new Error("404"); });
  const answers = [];
  engine.ask("grokking", (answer) => answers.push(answer));
  const [answer] = await until(answers, 1);
  assert.equal(merged, 0);
  assert.notEqual(answer.failed, true);
});

test("under serve the live bundle is merged and supersedes the shards' old versions", async () => {
  const old = { ...paper("a", "Grokking Old Title"), id: "en_old" };
  const fresh = { ...paper("a", "Grokking New Title"), id: "en_new" };
  const other = { ...paper("b", "Grokking Elsewhere"), id: "en_b" };
  const gone = { ...paper("gone", "Grokking Deleted"), id: "en_gone" };
  const pagefind = fakePagefind([old, other, gone, fresh]);
  const merged = [];
  pagefind.mergeIndex = async (url) => { merged.push(url); };
  const live = { url: "/pagefind-live/3/", pages: new Set(["en_new"]),
    urls: new Set(["/papers/a.html", "/papers/gone.html"]) };
  const engine = createEngine(async () => pagefind, async () => null,
    async () => ({ shards: ["/pagefind/shard-01/"], live }));
  const answers = [];
  engine.ask("grokking", (answer) => { if (!answer.partial) answers.push(answer); });
  const [answer] = await until(answers, 1);
  assert.deepEqual(merged, ["/pagefind/shard-01/", "/pagefind-live/3/"]);
  assert.deepEqual(answer.items.map((item) => item.title.replace(/<\/?mark>/g, "")),
    ["Grokking Elsewhere", "Grokking New Title"]);
});
