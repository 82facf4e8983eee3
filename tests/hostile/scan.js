// hostile-scan: the hooks ignore this script's own evaluation.
// Scans the open page for elements and attributes that content injected. Called with the
// markers (case ids) whose text the page shows; every finding names the markers nearest to
// it: in the element itself, else in its closest ancestor that shows one, else none (the
// test then blames every case shown on the page). With a scope (a selector), only what is
// inside it is scanned: the header search's results, the serve banner.
([markers, scope]) => {
  const patterns = markers.map((m) => [m, new RegExp(`(?<![\\w-])${m}(?![\\w-])`)]);
  const markersIn = (text) => patterns.filter(([, re]) => re.test(text)).map(([m]) => m);
  const attributesText = (el) => Array.from(el.attributes, (a) => `${a.name}=${a.value}`).join(" ");
  const nearest = (el) => {
    const own = markersIn(`${attributesText(el)} ${el.textContent || ""}`);
    if (own.length) return own;
    for (let up = el.parentElement; up; up = up.parentElement) {
      const shown = markersIn(up.textContent || "");
      if (shown.length) return shown;
    }
    return [];
  };
  const findings = [];
  const inScope = (el) => !scope || el.closest(scope) !== null;
  const flag = (el, why) => {
    if (inScope(el)) findings.push({ markers: nearest(el), why, html: el.outerHTML.slice(0, 300) });
  };

  // Python-Markdown's toc gives headings ids made from their text: a slug, never markup.
  const tocSlug = (text) =>
    text
      .normalize("NFKD")
      .replace(/[^\x00-\x7f]/g, "")
      .replace(/[^\w\s-]/g, "")
      .trim()
      .toLowerCase()
      .replace(/[-\s]+/g, "-");
  const isTocId = (el, id) => {
    if (!/^H[1-6]$/.test(el.tagName)) return false;
    const slug = tocSlug(el.textContent || "");
    return id === slug || new RegExp(`^${slug.replace(/[-]/g, "\\-")}_\\d+$`).test(id);
  };

  const sameSite = (href) => {
    try {
      const url = new URL(href, location.href);
      return url.origin === location.origin && /^https?:$/.test(url.protocol);
    } catch (error) {
      return false;
    }
  };

  const URL_ATTRIBUTES = new Set([
    "href", "src", "action", "formaction", "xlink:href", "poster", "data", "background",
    "srcset", "ping", "cite", "srcdoc",
  ]);
  for (const el of document.querySelectorAll("*")) {
    for (const attribute of Array.from(el.attributes)) {
      const name = attribute.name.toLowerCase();
      // Browsers drop ASCII whitespace and controls inside a scheme: "java\tscript:".
      const value = attribute.value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
      if (name.startsWith("on")) flag(el, `event attribute ${name}`);
      if (URL_ATTRIBUTES.has(name) && /(^|,)(javascript|data|vbscript):/.test(value)) {
        flag(el, `${name} with a ${value.split(":")[0]}: URL`);
      }
      if (name === "srcdoc") flag(el, "srcdoc attribute");
      if (["id", "class", "style", "name", "for", "form"].includes(name)) {
        if (name === "id" && isTocId(el, attribute.value)) continue;
        if (markersIn(attribute.value).length) flag(el, `${name} attribute set by content`);
      }
    }
    const tag = el.tagName.toLowerCase();
    if (tag === "base") flag(el, "base element");
    if (tag === "meta" && el.hasAttribute("http-equiv")) flag(el, "meta http-equiv");
    if (["script", "style", "iframe", "object", "embed", "link"].includes(tag)) {
      // The site's own <link rel=prev/next> to a page named after a case is not content.
      const ownLink = tag === "link" && sameSite(el.getAttribute("href"))
        && !markersIn(attributesText(el).replace(/href=\S*/, "")).length;
      if (!ownLink && markersIn(el.outerHTML).length) flag(el, `${tag} element showing a case's text`);
    }
  }

  // Where content text is shown: no active or foreign element at all there, except the
  // product's own (KaTeX's MathML and SVG, the statistics charts, Material's icons).
  // The header search's results list (search.js) and the all-papers rows (papers.js) are
  // drawn from the index's JSON, so they are areas of content text too.
  const AREAS = ".md-content, .md-nav, .md-tabs, .readinglist-search-results, "
    + ".readinglist-errors";
  const ACTIVE = "script, style, iframe, object, embed, form, svg, math, base, meta, link, "
    + "frame, frameset, applet, template, input, textarea, select, video, audio, img, "
    + "picture, source, area, map, marquee, portal";
  const OWN = ".katex, .readinglist-chart, .md-nav__button, .md-nav__icon, .md-icon, "
    + ".md-logo, .md-clipboard, .md-source, .md-content__button, input.md-toggle, "
    + "form.rl-filters";
  const seen = new Set();
  for (const area of document.querySelectorAll(AREAS)) {
    for (const el of area.querySelectorAll(ACTIVE)) {
      if (seen.has(el) || el.closest(OWN)) continue;
      seen.add(el);
      flag(el, `${el.tagName.toLowerCase()} element inside ${area.className.split(" ")[0]}`);
    }
  }
  return findings;
}
