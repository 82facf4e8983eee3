// Typeset the math pymdownx.arithmatex marked up (generic mode: \( \) inline, \[ \] display).
// Only those elements are touched, so a dollar sign in ordinary text never becomes math.
// Material's document$ fires on the first load and after every instant navigation.
(function () {
  function typeset(root) {
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      if (el.dataset.typeset) return;
      var tex = el.textContent.trim();
      var display = tex.startsWith("\\[");
      tex = tex.replace(/^\\[\(\[]/, "").replace(/\\[\)\]]$/, "");
      // trust: false (KaTeX's default) keeps \href and \html* commands from making links.
      katex.render(tex, el, { displayMode: display, throwOnError: false, trust: false });
      el.dataset.typeset = "1";
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { typeset(document); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { typeset(document); });
  }
})();
