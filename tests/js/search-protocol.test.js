// The worker as Material talks to it (SETUP -> READY, QUERY -> RESULT...), over a fake
// Pagefind: the quick answer from the rarer words, typo correction, and the rule that the
// last answer is always for the newest query.
"use strict";
const assert = require("node:assert/strict");
const { test } = require("node:test");
const { startWorker, until, SETUP, READY, QUERY, RESULT } = require("./worker-harness.js");

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

function locations(message) {
  return message.data.items.map((item) => item[0].location);
}

test("SETUP is answered with READY once Pagefind is loaded", async () => {
  const worker = startWorker();
  worker.post(SETUP, { config: {}, docs: [], options: {} });
  const [ready] = await until(worker.posted, 1);
  assert.deepEqual(ready, { type: READY });
});

test("a query with a common word answers first from the rarer ones, then exactly", async () => {
  const worker = startWorker({ pages: PAPERS, common: [["learning", 0.6]] });
  worker.post(SETUP, {});
  worker.post(QUERY, "imitation learning");
  const [, quick, exact] = await until(worker.posted, 3);
  assert.deepEqual(worker.pagefind.searched, ["imitation", "imitation learning"]);
  assert.equal(quick.type, RESULT);
  assert.equal(quick.data.partial, true);
  // From "imitation" alone, but only the pages that have every word of the query.
  assert.deepEqual(locations(quick), ["papers/il/"]);
  assert.equal(exact.data.partial, undefined);
  assert.deepEqual(locations(exact), ["papers/il/"]);
  const [item] = exact.data.items[0];
  assert.equal(item.title, "<mark>Imitation</mark> <mark>Learning</mark> at Scale");
  assert.ok(item.text.startsWith('<p class="readinglist-result-meta">2021 · Agents</p>'));
});

test("a query Pagefind finds nothing for is searched again with its typos corrected", async () => {
  const worker = startWorker({ pages: PAPERS, vocabulary: ["grokking", "modular"] });
  worker.post(SETUP, {});
  worker.post(QUERY, "grokkng modualr");
  const [, answer] = await until(worker.posted, 2);
  assert.deepEqual(worker.pagefind.searched, ["grokkng modualr", "grokking modular"]);
  assert.deepEqual(locations(answer), ["papers/grok/"]);
  const [item] = answer.data.items[0];
  assert.equal(item.title, "<mark>Grokking</mark> <mark>Modular</mark> Arithmetic");
});

test("an empty query is answered with no results and searches nothing", async () => {
  const worker = startWorker({ pages: PAPERS });
  worker.post(SETUP, {});
  worker.post(QUERY, "   ");
  const [, answer] = await until(worker.posted, 2);
  assert.deepEqual(answer, { type: RESULT, data: { items: [] } });
  assert.deepEqual(worker.pagefind.searched, []);
});

test("queries typed over are dropped, and the last answer is for the newest query", async () => {
  // "imitation l" is slow to search; "imitation lo" is typed while it runs and is quick.
  const worker = startWorker({ pages: PAPERS, delays: { "imitation l": 60 } });
  worker.post(SETUP, {});
  worker.post(QUERY, "imitation");
  worker.post(QUERY, "imitation l");  // typed before Pagefind was ready: "imitation" is dropped
  await new Promise((resolve) => setTimeout(resolve, 20));
  worker.post(QUERY, "imitation lo");
  // READY, then for each of the two queries run: a quick answer and the exact one.
  await until(worker.posted, 5);
  await new Promise((resolve) => setTimeout(resolve, 100));  // nothing else follows
  assert.equal(worker.posted.length, 5);
  const finals = worker.posted.filter((m) => m.type === RESULT && !m.data.partial);
  // One answer for "imitation l", then one for "imitation lo": in that order.
  assert.deepEqual(finals.map(locations), [["papers/il/", "papers/il-loss/"], ["papers/il-loss/"]]);
});
