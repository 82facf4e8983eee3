// The site script's pure part: which TeX an arithmatex element holds, and in which mode.
"use strict";
const assert = require("node:assert/strict");
const path = require("node:path");
const { test } = require("node:test");
const { ASSETS } = require("./assets.js");

const { mathSource } = require(path.join(ASSETS, "readinglist.js"));

test("inline math loses its \\( \\) delimiters and is not display math", () => {
  assert.deepEqual(mathSource("  \\(R_T = O(\\sqrt{T})\\)\n"), {
    tex: "R_T = O(\\sqrt{T})",
    display: false,
  });
});

test("display math loses its \\[ \\] delimiters and is display math", () => {
  assert.deepEqual(mathSource("\\[\\sum_{t=1}^T r_t\\]"), {
    tex: "\\sum_{t=1}^T r_t",
    display: true,
  });
});

test("only the outer delimiters go: brackets inside the formula stay", () => {
  assert.deepEqual(mathSource("\\(\\left[a\\right] \\in \\[0, 1\\)\\)"), {
    tex: "\\left[a\\right] \\in \\[0, 1\\)",
    display: false,
  });
});
