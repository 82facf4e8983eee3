// The one place the tests name where the site's JavaScript lives.
"use strict";
const path = require("node:path");

const ASSETS = path.resolve(__dirname, "..", "..", "generator", "builders", "mkdocs", "assets");

module.exports = { ASSETS };
