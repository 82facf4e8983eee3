// The one place the tests name where the site's JavaScript lives.
"use strict";
const path = require("node:path");

const BUILDERS = path.resolve(__dirname, "..", "..", "generator", "builders");
// The MkDocs (Material) builder's own script.
const ASSETS = path.join(BUILDERS, "mkdocs", "assets");
// The theme-neutral header search every builder's pages carry.
const SEARCH = path.join(BUILDERS, "search", "assets");

module.exports = { ASSETS, SEARCH };
