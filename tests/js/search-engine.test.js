// The search engine's pure functions: query words, typo correction, the common-word
// shortcut, highlighting and the results the header search inserts (as HTML).
"use strict";
const assert = require("node:assert/strict");
const path = require("node:path");
const { test } = require("node:test");
const { SEARCH } = require("./assets.js");

const worker = require(path.join(SEARCH, "search-engine.js"));

test("escapeHtml escapes every character that could open markup or end an attribute", () => {
  assert.equal(worker.escapeHtml(`<a href="x" title='y'>&amp;</a>`),
    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
  assert.equal(worker.escapeHtml(2024), "2024");
});

test("words are lower-cased letters and digits in any script, split on the rest", () => {
  assert.deepEqual(worker.words("  Many-Shot In-Context: GPT-4, Café   naïve! "),
    ["many", "shot", "in", "context", "gpt", "4", "café", "naïve"]);
  assert.deepEqual(worker.words(" -- "), []);
});

test("editDistance counts edits, a swap of neighbours as one, and stops past its limit", () => {
  assert.equal(worker.editDistance("kitten", "sitting", 3), 3);
  assert.equal(worker.editDistance("form", "from", 2), 1);
  assert.equal(worker.editDistance("same", "same", 1), 0);
  assert.equal(worker.editDistance("kitten", "sitting", 1), 2);  // limit + 1: too far
  assert.equal(worker.editDistance("ab", "abcdef", 2), 3);  // lengths alone are too far
});

test("correctWords takes the nearest known word, within the budget of the word's length", () => {
  const vocabulary = ["grokking", "transformer", "regret", "bandit", "bandits"];
  // Seven letters or more may be two edits away; four to six letters, one; shorter, none.
  assert.deepEqual(worker.correctWords(["grokkng", "transfromer", "regert", "bandt"], vocabulary),
    ["grokking", "transformer", "regret", "bandit"]);
  assert.deepEqual(worker.correctWords(["rgret", "gpt", "zzzzzz", "bandits"], vocabulary),
    ["regret", "gpt", "zzzzzz", "bandits"]);
  assert.deepEqual(worker.correctWords(["rgert"], vocabulary), ["rgert"]);  // two edits: too far
});

test("shareOf: known words their share, a word being typed its commonest completion", () => {
  const shares = new Map([["learning", 0.6], ["language", 0.3], ["models", 0.5]]);
  assert.equal(worker.shareOf("models", shares), 0.5);
  assert.equal(worker.shareOf("la", shares), 1);  // one or two letters match nearly everything
  assert.equal(worker.shareOf("lan", shares), 0.3);
  assert.equal(worker.shareOf("l", shares), 1);
  assert.equal(worker.shareOf("le", shares), 1);
  assert.equal(worker.shareOf("lea", shares), 0.6);
  assert.equal(worker.shareOf("imitation", shares), 0);
});

test("rarerTerms drops the common words, or keeps the rarest, or gives up", () => {
  const shares = new Map([["learning", 0.6], ["models", 0.5], ["deep", 0.2], ["the", 0.9]]);
  assert.equal(worker.rarerTerms("Imitation learning", shares), "imitation");
  // "of" has two letters, so it is as common as can be; "deep" is rare-ish but not rare.
  assert.equal(worker.rarerTerms("the imitation of deep learning", shares), "imitation");
  assert.equal(worker.rarerTerms("imitation l", shares), "imitation");  // "l" is being typed
  assert.equal(worker.rarerTerms("deep learning models", shares), "deep");  // the rarest
  assert.equal(worker.rarerTerms("learning models", shares), null);  // even the rarest: half
  assert.equal(worker.rarerTerms("grokking transformers", shares), null);  // nothing to drop
  assert.equal(worker.rarerTerms("learning", shares), null);  // one word
});

test("containsAll matches query words by their beginning, as Pagefind does", () => {
  const page = { content: "Imitation Learning from Observation" };
  assert.ok(worker.containsAll(page, ["imitation", "learn", "obs"]));
  assert.ok(!worker.containsAll(page, ["imitation", "reinforcement"]));
  assert.ok(!worker.containsAll(page, ["earning"]));
});

test("topic pages score below papers; records are shown at their page's folder URL", () => {
  const topic = { url: "/topics/agents.html", meta: { topics: "Topic page" } };
  const paper = { url: "/papers/x.html", meta: { topics: "Agents" } };
  assert.equal(worker.scored(topic, 2).score, 2 * 0.3);
  assert.equal(worker.scored(paper, 2).score, 2);
  assert.equal(worker.scored(paper, 2).page, paper);
  assert.equal(worker.pageLocation("/papers/a-paper.html"), "papers/a-paper/");
  assert.equal(worker.pageLocation("/topics/rl-theory.html"), "topics/rl-theory/");
});

test("highlightTitle marks the words a query word begins, and escapes the rest", () => {
  assert.equal(worker.highlightTitle("Many-Shot In-Context Learning", ["many", "learn"]),
    "<mark>Many-Shot</mark> In-Context <mark>Learning</mark>");
  assert.equal(worker.highlightTitle("<b onclick=x>Bold</b> bounds", ["bound", "onclick"]),
    "&lt;b <mark>onclick=x&gt;Bold&lt;/b&gt;</mark> <mark>bounds</mark>");
  assert.equal(worker.highlightTitle("  ", ["a"]), "  ");
});

function numbered(count, from = 0) {
  return Array.from({ length: count }, (_, i) => `w${from + i}`);
}

test("an excerpt starts after the title, near the first match in the abstract", () => {
  // The record's text is the title (3 words here) then the abstract.
  const title = "Regret Bounds Everywhere";
  const content = [...title.split(" "), ...numbered(60, 3)].join(" ");
  const opening = worker.excerpt({ content, meta: { title }, locations: [0] });
  assert.ok(opening.startsWith("… w3 w4 "), opening);  // a title match: the abstract's opening
  assert.ok(opening.endsWith(" w30 …"), opening);  // 28 words, more follow
  assert.ok(!opening.includes("<mark>"));

  const near = worker.excerpt({ content, meta: { title }, locations: [1, 40, 41] });
  const shown = near.replace(/^… | …$/g, "").split(" ");
  assert.equal(shown.length, 28);
  assert.equal(shown[0], "w31");  // a third of the excerpt before the first match
  assert.deepEqual(shown.filter((w) => w.startsWith("<mark>")),
    ["<mark>w40</mark>", "<mark>w41</mark>"]);

  const short = worker.excerpt({ content: "<b>a</b> & b", meta: {}, locations: [] });
  assert.equal(short, "&lt;b&gt;a&lt;/b&gt; &amp; b");  // the whole text, escaped, no ellipsis

  // A record of its title alone (no abstract, no notes): no excerpt, not a bare "… ".
  assert.equal(worker.excerpt({ content: title, meta: { title }, locations: [1] }), "");
});

test("render ranks by score and gives the box escaped, highlighted items", () => {
  const low = { score: 1, page: { url: "/papers/low.html", content: "Low one",
    meta: { title: "Low one", year: "2020" }, locations: [] } };
  const high = { score: 3, page: { url: "/papers/hi.html", content: "Hi <script> two",
    meta: { title: "Hi <script>", topics: "Agents & tools" }, locations: [] } };
  const { items } = worker.render([low, high], ["hi"]);
  assert.deepEqual(items.map((item) => item.location), ["papers/hi/", "papers/low/"]);
  const [first, second] = items;
  assert.equal(first.title, "<mark>Hi</mark> &lt;script&gt;");
  assert.equal(first.details, "Agents &amp; tools");
  assert.ok(!first.excerpt.includes("<script>"));
  assert.equal(first.score, 3);
  assert.equal(second.details, "2020");
  assert.deepEqual(worker.render([], ["x"]), { items: [] });
});

test("shard folders become URLs below the bundle; anything else in the list is dropped", () => {
  const base = "http://127.0.0.1:8000/site/pagefind/";
  assert.deepEqual(worker.shardUrls({ shards: ["shard-01/", "shard-02/"] }, base), [
    `${base}shard-01/`,
    `${base}shard-02/`,
  ]);
  assert.deepEqual(worker.shardUrls({ shards: ["../x/", "//evil.example/", "a", 3] }, base), []);
  assert.deepEqual(worker.shardUrls(null, base), []);
  assert.deepEqual(worker.shardUrls({ shards: ["s/"] }, "/pagefind"), ["/pagefind/s/"]);
});

test("the live folder is named by the shards file under serve only, as a plain folder", () => {
  const root = "http://127.0.0.1:8000/site/";
  assert.equal(worker.liveFolder({ shards: [], live: "pagefind-live/" }, root),
    `${root}pagefind-live/`);
  assert.equal(worker.liveFolder({ shards: [] }, root), null); // a built site
  assert.equal(worker.liveFolder({ live: "../x/" }, root), null);
  assert.equal(worker.liveFolder({ live: "//evil.example/" }, root), null);
  assert.equal(worker.liveFolder(null, root), null);
});

test("the live manifest gives its bundle's URL, its page ids and the URLs it supersedes", () => {
  const folder = "http://127.0.0.1:8000/pagefind-live/";
  const live = worker.liveBundle({ bundle: "7/", pages: ["en_1", 2], supersedes: ["/papers/a.html"] },
    folder);
  assert.equal(live.url, `${folder}7/`);
  assert.deepEqual([...live.pages], ["en_1"]);
  assert.deepEqual([...live.urls], ["/papers/a.html"]);
  // Every live record deleted: nothing to merge, the URLs still superseded.
  const gone = worker.liveBundle({ bundle: null, pages: [], supersedes: ["/papers/b.html"] }, folder);
  assert.equal(gone.url, null);
  assert.deepEqual([...gone.urls], ["/papers/b.html"]);
  assert.equal(worker.liveBundle({ bundle: "../../x/" }, folder).url, null);
  assert.equal(worker.liveBundle(null, folder), null);
});

test("keepResults drops the shards' old versions of live records and repeated pages", () => {
  const page = (url) => ({ url, meta: {} });
  const live = worker.liveBundle(
    { bundle: "1/", pages: ["en_new"], supersedes: ["/papers/a.html", "/papers/gone.html"] }, "/l/");
  const loaded = [
    { id: "en_old", page: page("/papers/a.html"), score: 9 }, // a's old title, in a shard
    { id: "en_b", page: page("/papers/b.html"), score: 8 },
    { id: "en_new", page: page("/papers/a.html"), score: 7 }, // a's new title, live
    { id: "en_gone", page: page("/papers/gone.html"), score: 6 }, // deleted since
    { id: "en_b", page: page("/papers/b.html"), score: 5 }, // the same page twice
  ];
  assert.deepEqual(worker.keepResults(loaded, live).map((r) => r.id), ["en_b", "en_new"]);
  // Without a live bundle (a built site) only repeats go.
  assert.deepEqual(worker.keepResults(loaded, null).map((r) => r.id),
    ["en_old", "en_b", "en_new", "en_gone"]);
});
