// The site's own script in Material's pages (MkDocs, ProperDocs and Zensical's theme alike):
// typesets math with the bundled KaTeX and puts the header search (search.js) in the header.
// Material's document$ fires on the first load and after every instant navigation.
(function () {
  // The TeX inside an element pymdownx.arithmatex marked up (generic mode: \( \) inline,
  // \[ \] display), without its delimiters, and whether it is display math.
  function mathSource(text) {
    var tex = text.trim();
    var display = tex.startsWith("\\[");
    return { tex: tex.replace(/^\\[\(\[]/, "").replace(/\\[\)\]]$/, ""), display: display };
  }

  // Under Node (the unit tests in tests/js/) the file is a module of its pure functions.
  if (typeof module !== "undefined" && module.exports) {
    module.exports = { mathSource: mathSource };
    return;
  }

  // KaTeX (270 KB of script) is fetched only by a page that has math, once. Its script is
  // beside the stylesheet that such a page links (its front matter says `math: true`; the
  // builder's configuration has the URL from generator/render/urls.py), as KaTeX ships them.
  var katexLoaded = null;

  function loadKatex() {
    if (typeof katex !== "undefined") return Promise.resolve();
    var sheet = document.querySelector('link[rel="stylesheet"][href$="/katex.min.css"]');
    if (!sheet) return Promise.reject(new Error("KaTeX's stylesheet is not linked"));
    var katexUrl = sheet.href.replace(/katex\.min\.css$/, "katex.min.js");
    if (katexLoaded === null) {
      katexLoaded = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = katexUrl;
        script.onload = resolve;
        script.onerror = function () { katexLoaded = null; reject(new Error("KaTeX failed to load")); };
        document.head.appendChild(script);
      });
    }
    return katexLoaded;
  }

  // Only the elements pymdownx.arithmatex marked up (generic mode: \( \) inline, \[ \]
  // display) are typeset, so a dollar sign in ordinary text never becomes math.
  function typeset(root) {
    if (!root.querySelector(".arithmatex:not([data-typeset])")) return;
    loadKatex().then(function () { typesetNow(root); });
  }

  function typesetNow(root) {
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      if (el.dataset.typeset) return;
      var math = mathSource(el.textContent), tex = math.tex, display = math.display;
      // trust: false (KaTeX's default) keeps \href and \html* commands from making links.
      katex.render(tex, el, { displayMode: display, throwOnError: false, trust: false, maxExpand: 1000 });
      el.dataset.typeset = "1";
    });
  }

  // The search button sits in the header bar, before the repository link if there is one.
  function placeSearch() {
    var inner = document.querySelector(".md-header__inner");
    if (!inner || !window.readinglistSearch) return;
    var slot = inner.querySelector(".readinglist-search-slot");
    if (!slot) {
      slot = document.createElement("div");
      slot.className = "readinglist-search-slot";
      inner.insertBefore(slot, inner.querySelector(".md-header__source"));
    }
    window.readinglistSearch.mount(slot);
  }

  function enhance() {
    typeset(document);
    placeSearch();
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(enhance);
  } else {
    document.addEventListener("DOMContentLoaded", enhance);
  }
})();
