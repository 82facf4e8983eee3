// The all-papers page's pure part: the state a URL holds, and the rows a state selects,
// in the order asked for.
"use strict";
const assert = require("node:assert/strict");
const path = require("node:path");
const { test } = require("node:test");
const { ASSETS } = require("./assets.js");

const { parseState, stateQuery, filterRows, paperUrl } = require(path.join(ASSETS, "papers-core.js"));

// Stored as the pipeline writes it: newest year first, then by title.
const INDEX = {
  count: 5,
  shard: 2,
  topics: [["rl", "RL"], ["agents", "Agents"]],
  statuses: ["to-read", "reading", "read"],
  venues: ["ICML 2024", "NeurIPS 2023", "Nature"],
  year: [2024, 2024, 2023, 2020, 0],
  topic: [[0], [0, 1], [1], [0], [1]],
  status: [0, 2, 1, 0, 0],
  venue: [0, -1, 1, 2, -1],
  code: [1, 0, 0, 1, 0],
  added: [3, 5, 5, -1, 0],
  title_rank: [2, 0, 4, 1, 3],
};
const AUTHORS = [["Ada Lovelace"], ["Alan Turing", "Ada Lovelace"], ["Grace Hopper"], ["José Müller"], []];
const authorsOf = (i) => AUTHORS[i];
const rows = (query) => filterRows(INDEX, parseState(query), authorsOf);

test("no filter lists every paper in the stored order, newest year first", () => {
  assert.deepEqual(rows(""), [0, 1, 2, 3, 4]);
});

test("each filter narrows the rows, and filters combine", () => {
  assert.deepEqual(rows("?topic=agents"), [1, 2, 4]);
  assert.deepEqual(rows("?from=2021"), [0, 1, 2]);  // an unknown year is outside any range
  assert.deepEqual(rows("?from=2021&to=2023"), [2]);
  assert.deepEqual(rows("?status=read"), [1]);
  assert.deepEqual(rows("?venue=neur"), [2]);  // part of a venue's name, any case
  assert.deepEqual(rows("?venue=nature"), [3]);
  assert.deepEqual(rows("?code=1"), [0, 3]);
  assert.deepEqual(rows("?author=lovelace"), [0, 1]);
  assert.deepEqual(rows("?author=muller"), [3]);  // accents ignored
  assert.deepEqual(rows("?topic=rl&code=1&from=2024"), [0]);
});

test("an unknown topic or status selects nothing; malformed years are ignored", () => {
  assert.deepEqual(rows("?topic=nope"), []);
  assert.deepEqual(rows("?status=done"), []);
  assert.deepEqual(rows("?from=20x4"), [0, 1, 2, 3, 4]);
});

test("sorting by title follows the title ranks, by date added the newest first", () => {
  assert.deepEqual(rows("?sort=title"), [1, 3, 0, 4, 2]);
  // Added the same day (5): the stored order breaks the tie; unknown (-1) comes last.
  assert.deepEqual(rows("?sort=added"), [1, 2, 0, 4, 3]);
  assert.deepEqual(rows("?sort=bogus"), [0, 1, 2, 3, 4]);
});

test("the author filter asks for authors only when it is used", () => {
  let asked = 0;
  filterRows(INDEX, parseState("?topic=rl"), () => { asked++; return []; });
  assert.equal(asked, 0);
});

test("the URL keeps only what differs from the defaults, and reads back the same", () => {
  assert.equal(stateQuery(parseState("")), "");
  const query = "?topic=rl&from=2020&to=2024&status=read&venue=ICML&author=Ada+Lovelace&code=1&sort=title";
  assert.equal(stateQuery(parseState(query)), query);
  assert.deepEqual(parseState(stateQuery(parseState(query))), parseState(query));
});

const { nameKey, shortAuthors } = require(path.join(ASSETS, "papers-core.js"));

test("the owner is marked however a paper writes the name, and named beyond the first three", () => {
  const owner = [nameKey("Ada Lovelace"), nameKey("A. Lovelace")];
  assert.equal(nameKey("  ADÁ   lovelace "), "ada lovelace");
  assert.deepEqual(shortAuthors(["A Lovelace", "Alan Turing"], owner), {
    names: [["A Lovelace", true], ["Alan Turing", false]],
    etAl: false,
  });
  const many = ["B", "C", "D", "E", "Ada Lovelace", "F"];
  assert.deepEqual(shortAuthors(many, owner), {
    names: [["B", false], ["C", false], ["D", false], ["Ada Lovelace", true]],
    etAl: true,
    gap: true,
  });
  assert.deepEqual(shortAuthors(many, []).names.length, 3);
});

test("a paper's URL is the index's pattern with the id, relative to the index", () => {
  const index = { paper_url: "../papers/{id}/" };
  assert.equal(paperUrl(index, "a-paper-2"), "../papers/a-paper-2/");
  assert.equal(paperUrl({ paper_url: "p/{id}.html" }, "x"), "p/x.html");
  const at = new URL(paperUrl(index, "a-paper"), "https://example.org/list/assets/papers-index.json");
  assert.equal(at.href, "https://example.org/list/papers/a-paper/");
});
