"""Untrusted text can never form markup: each injection class rendered, parsed and checked
against the allow-list, in the sanitized HTML and in the pages as MkDocs would render them."""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser

import markdown
import pytest
import yaml

from generator.builders import get_builder
from generator.model import Link, Paper, ReadingList, Site, Topic
from generator.relate.listing import relate
from generator.render import sanitize
from generator.render import text as mdtext
from generator.render.nav import site_navigation
from generator.render.pages import render_pages

from .conftest import ROOT


class _Elements(HTMLParser):
    """Every element with its attributes, and the text, of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(fragment: str) -> _Elements:
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    return parser


def assert_allowed(fragment: str) -> None:
    """Only allow-listed elements and attributes, only http(s), mailto or relative URLs."""
    for tag, attrs in parse(fragment).elements:
        assert tag in sanitize.TAGS, tag
        for name, value in attrs.items():
            if name == "class":
                assert value in sanitize.CLASSES.get(tag, ()), (tag, value)
            elif tag == "a" and name == "rel":
                assert value == sanitize.LINK_REL
            else:
                assert name in sanitize.ATTRIBUTES.get(tag, ()), (tag, name)
            if name == "href" and value is not None:
                scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", value)
                assert scheme is None or scheme.group(1).lower() in sanitize.URL_SCHEMES, value


HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "svg onload": "<svg onload=alert(1)><circle/></svg>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "style": "<style>body{display:none}</style><p style='x'>a</p>",
    "comment": "<!-- <script>alert(1)</script> -->",
    "inline js link": "[x](javascript:alert(1))",
    "entity js link": "[x](jav&#x61;script:alert(1))",
    "tab js link": "[x](java\tscript:alert(1))",
    "upper js link": "[x](JAVASCRIPT:alert(1))",
    "data link": "[x](data:text/html,<script>alert(1)</script>)",
    "vbscript link": "[x](vbscript:msgbox(1))",
    "ref in list": "- [x][r]\n\n  [r]: javascript:alert(1)\n",
    "ref in quote": "> [x][r]\n>\n> [r]: javascript:alert(1)\n",
    "ref nested quote list": "> - [x]\n>\n>   [x]: javascript:alert(1)\n",
    "short ref": "[r]\n\n[r]: javascript:alert(1)",
    "nested brackets": "[[x](javascript:alert(1))](https://ok.example)",
    "image in link": "[![a](javascript:alert(1))](javascript:alert(2))",
    "image": "![x](https://tracker.example/pixel.png)",
    "autolink": "<javascript:alert(1)>",
    "autolink quote": '<http://a.example/" onmouseover="alert(1)>',
    "code span desync": "`a`<img src=x onerror=alert(1)>`",
    "double tick desync": "``a`<img src=x onerror=alert(1)>``<b onclick=x>",
    "open fence": "~~~\n<script>alert(1)</script>\n",
    "tilde fence in text": "a ~~~ <img src=x onerror=alert(1)>\n~~~\n</code><script>x</script>",
    "fence info": "```{#main .md-header onclick=alert(1)}\ncode\n```",
    "fence lang": '```html" onmouseover="alert(1)\ncode\n```',
    "display math desync": "$$\n<img src=x onerror=alert(1)>\n$$",
    "inline math html": "$<img src=x onerror=alert(1)>$",
    "math close": "$a$</span><script>alert(1)</script>",
    "attr list": '{: onclick="alert(1)" #id .class }\n\nText {: style="x" }',
    "markdown attr": '<div markdown="1">*x*</div>',
    "snippet": '--8<-- "/etc/passwd"',
    "jinja": "{{ 7*7 }} {% raw %} {# c #}",
    "heading": "# Big\n\n## Smaller\n\n###### small",
    "setext": "Title\n=====",
    "entities": "&lt;script&gt;alert(1)&lt;/script&gt; &#60;b&#62;",
    "control": "a\x00b\x01c\x0bd\x7f\ufffe\uffff\ud800",
    "line separators": "a\u2028b\u0085c\u2029d",
    "bidi zero width": "\u202eevil\u202c \u200b\u200d\ufeff",
    "table pipes": "| a | b |\n|---|---|\n| <img onerror=x> | c |",
    "html in link text": "[<img src=x onerror=alert(1)>](https://ok.example)",
    "link title": '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    "placeholder": "\x02wzxhzdk:0\x03 <b>",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_markdown_leaves_only_allowed_html(text: str) -> None:
    block = sanitize.markdown_block(text)
    assert block.startswith("<div>") and block.endswith("</div>")
    assert "\n" not in block and "\r" not in block  # no Markdown preprocessor sees a line
    assert_allowed(block)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", block)


def test_raw_html_is_shown_as_text() -> None:
    shown = "".join(parse(sanitize.markdown_block("a <b>bold</b> & <script>x</script>")).text)
    assert shown == "a <b>bold</b> & <script>x</script>"


@pytest.mark.parametrize(
    ("source", "kept"),
    [
        ("[a](https://a.example/x?y=1)", ("a", {"href": "https://a.example/x?y=1"})),
        ("[a](http://a.example)", ("a", {"href": "http://a.example"})),
        ("[a](mailto:me@a.example)", ("a", {"href": "mailto:me@a.example"})),
        ("see https://a.example/p", ("a", {"href": "https://a.example/p"})),
        ("[a](../topics/rl-theory/)", ("a", {"href": "../topics/rl-theory/"})),
        ("*em* and **strong**", ("em", {})),
        ("`code`", ("code", {})),
        ("- one\n- two", ("li", {})),
        ("> quoted", ("blockquote", {})),
        ("```\ncode\n```", ("pre", {})),
        ("$x^2$", ("span", {"class": "arithmatex"})),
        ("$$\\sum_i x_i$$", ("div", {"class": "arithmatex"})),
    ],
)
def test_markdown_that_is_safe_keeps_working(source: str, kept: tuple[str, dict[str, str]]) -> None:
    tag, attrs = kept
    found = [(t, a) for t, a in parse(sanitize.render_markdown(source)).elements if t == tag]
    assert found, sanitize.render_markdown(source)
    assert all(found[0][1].get(k) == v for k, v in attrs.items()), found


def test_math_is_marked_as_the_katex_loader_expects() -> None:
    rendered = sanitize.render_markdown("costs $5 and $6; $a<b$\n\n$$x > y$$")
    assert r'<span class="arithmatex">\(a&lt;b\)</span>' in rendered
    assert r'<div class="arithmatex">\[x &gt; y\]</div>' in rendered
    assert "costs $5 and $6" in html.unescape(rendered)


def test_headings_from_content_sit_below_the_pages_own() -> None:
    tags = [t for t, _ in parse(sanitize.render_markdown("# a\n\n## b\n\n##### c")).elements]
    assert tags == ["h4", "h4", "h5"]


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "*a* _b_ **c** [d](javascript:x) ![e](f) `g` $h$ \\(i\\) | j {: k } # l",
        "1. not a list",
        "- not a list",
        "# not a heading",
        "&amp; &lt;b&gt; & <",
        "{{ 7*7 }} {% raw %}",
        "a\nb\r\nc\u2028d",
    ],
)
def test_plain_text_shows_literally_in_markdown(text: str) -> None:
    rendered = markdown.markdown("- x " + mdtext.escape_text(text), extensions=["tables"])
    (item,) = [e for e in parse(rendered).elements if e[0] != "ul"]
    assert item == ("li", {})  # no element came from the text
    assert "".join(parse(rendered).text).strip() == "x " + " ".join(text.split())


def test_code_spans_in_titles_stay_code_and_nothing_else_forms() -> None:
    title = "A `t5x` study of `<b>` and ``a`b`` *x*"
    rendered = markdown.markdown("# " + mdtext.escape_title(title))
    elements = parse(rendered).elements
    assert [t for t, _ in elements] == ["h1", "code", "code", "code"]
    assert "".join(parse(rendered).text) == "A t5x study of <b> and a`b *x*"
    assert mdtext.plain_title(title) == "A t5x study of <b> and a`b *x*"


@pytest.mark.parametrize(
    "title",
    ["Emoji \U0001f600 in a title", "Line\u2028separator", "Next\x85line", "Quotes \" ' and \\"],
)
def test_page_titles_load_back_from_yaml_as_the_escaped_text(title: str) -> None:
    scalar = mdtext.page_title(title)
    assert "\n" not in scalar
    loaded = yaml.safe_load(f"title: {scalar}\n")["title"]
    assert loaded == html.escape(" ".join(title.split()))
    loaded.encode("utf-8")  # no lone surrogates


def _hostile_list(text: str) -> ReadingList:
    """One topic and two papers with `text` in every text field."""
    topic = Topic(id="t", title=f"Topic {text}", description=f"About {text}")
    papers = tuple(
        Paper(
            id=f"p{i}",
            title=f"Paper {i} {text}",
            path=f"content/papers/p{i}.yaml",
            abstract=f"Abstract {text}. More.",
            authors=(f"Author {text}", "Plain Name"),
            year=2024,
            venue=f"Venue {text}",
            links=(Link(kind="url", value="https://a.example/x", url="https://a.example/x"),),
            topics=("t",),
            added=dt.date(2026, 1, i + 1),
            notes=f"Notes {text}",
            sources=(f"source {text}.txt",),
            sort_title=f"paper {i}",
            excerpt=mdtext.excerpt(f"Abstract {text}. More."),
        )
        for i in range(2)
    )
    site = Site(title=f"Site {text}", description=f"Described {text}")
    return ReadingList(site=site, topics=(topic,), papers=papers)


# Python-Markdown as the MkDocs builder's configuration sets it up for the site.
_SITE_EXTENSIONS = ["tables", "toc", "pymdownx.arithmatex", "pymdownx.magiclink"]
_SITE_EXTENSIONS += ["pymdownx.highlight", "pymdownx.superfences"]


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_every_page_shows_hostile_text_as_text(text: str) -> None:
    pages = render_pages(relate(_hostile_list(text)), ROOT / "templates")
    for path, page in pages.items():
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]", page), path
        if not path.endswith(".md"):
            continue
        front, body = page.split("\n---\n", 1)
        meta = yaml.safe_load(front.removeprefix("---\n")) or {}
        assert "<" not in str(meta.get("title", "")), path  # MkDocs prints it unescaped
        rendered = markdown.markdown(
            body, extensions=_SITE_EXTENSIONS, extension_configs={"pymdownx.arithmatex": {}}
        )
        for tag, attrs in parse(rendered).elements:
            assert tag not in ("script", "iframe", "img", "style", "object"), path
            assert tag != "svg" or path == "docs/stats.md", path  # the templates' own charts
            for name, value in attrs.items():
                assert not name.startswith("on"), (path, tag, name)
                # The templates' own tables align their number columns.
                assert name != "style" or value == "text-align: right;", (path, tag, value)
                assert name != "id" or tag.startswith("h"), (path, tag)  # toc's heading ids
                if name == "href" and value:
                    assert not value.lower().lstrip().startswith(("javascript", "data")), value


def test_feeds_and_exports_stay_valid_whatever_the_text() -> None:
    import json
    import xml.etree.ElementTree as ET

    import bibtexparser

    text = "<b>&amp;</b> \x01\x0b\x1f \ufffe \u2028 \u0085 \U0001f600 { } % \\ \" '"
    pages = render_pages(relate(_hostile_list(text)), ROOT / "templates")
    feeds = [p for p in pages if p.endswith(".xml")]
    assert len(feeds) == 2
    for path in feeds:
        root = ET.fromstring(pages[path].encode("utf-8"))
        titles = [e.text or "" for e in root.iter("{http://www.w3.org/2005/Atom}title")]
        assert any("<b>&amp;</b>" in t for t in titles)
    items = json.loads(pages["docs/exports/reading-list.json"])
    venue = items[0]["container-title"]
    assert venue.startswith("Venue <b>&amp;</b>") and "\u2028" in venue and "\U0001f600" in venue
    assert "\\u0001" in pages["docs/exports/reading-list.json"]  # escaped, as JSON wants
    library = bibtexparser.parse_string(pages["docs/exports/reading-list.bib"])
    assert len(library.entries) == 2 and not library.failed_blocks
    for path in ("search/papers/p0.html", "search/topics/t.html"):
        assert all(tag in ("html", "body", "h1", "p") for tag, _ in parse(pages[path]).elements)


def test_site_and_topic_titles_with_emoji_write_as_utf8() -> None:
    related = relate(_hostile_list("\U0001f600 \u2028"))
    pages = render_pages(related, ROOT / "templates")
    for page in pages.values():
        page.encode("utf-8")
    files = get_builder().config_files(related.reading_list.site, site_navigation(related), ())
    config = yaml.safe_load(files["mkdocs.yml"].replace("!!python/name:", ""))
    assert config["site_name"] == "Site \U0001f600"


def _pathological(size: int) -> dict[str, str]:
    """Inputs that make a naive Markdown parser (or escaper) quadratic, `size` characters."""
    runs = {
        "open brackets": "[",
        "nested brackets": "[[]]",
        "bracket backtick": "[`",
        "link openers": "[a](",
        "image openers": "![",
        "paren links": "[x](http://a.b/(",
        "less than": "<",
        "tags": "<a ",
        "backticks": "`a",
        "backtick runs": "`a``a```a",
        "dollars": "$a",
        "display dollars": "$$\n",
        "emphasis": "*_",
        "strong": "**a",
        "backslashes": "\\",
        "entities": "&#1",
        "quotes": "> ",
        "fences": "```a\n",
        "tilde fences": "~~~\n",
        "rules": "---\n",
        "setext": "a\n===\n",
        "nested lists": "  - a\n",
        "references": "[a]: http://x\n[a][a]",
        "autolinks": "<http://a",
        "bare urls": "www.a.b http://a ",
    }
    return {name: (run * (size // len(run) + 1))[:size] for name, run in runs.items()}


def _seconds(function: object, text: str) -> float:
    import time

    assert callable(function)
    # CPU time, not wall time: the test machine's cores are shared, and a starved process
    # says nothing about the renderer.
    start = time.process_time()
    function(text)
    return time.process_time() - start


# 100 KB, and just under the sizes at which the renderer stops parsing Markdown: there its
# bounds, not the size cap, must keep it fast.
_SIZES = (100_000, sanitize.MAX_MARKDOWN - 1, sanitize.MAX_BLOCK - 1)


@pytest.mark.parametrize("size", _SIZES)
@pytest.mark.parametrize("name", sorted(_pathological(10)))
def test_any_abstract_renders_in_linear_time(name: str, size: int) -> None:
    text = _pathological(size)[name]
    sanitize.render_markdown("warm up")
    # What an abstract goes through: its page, its excerpt (load), its search record.
    as_abstract = _seconds(sanitize.markdown_block, text) + _seconds(mdtext.excerpt, text + " ")
    assert as_abstract < 2.0
    # What a title goes through: its heading, and plain for <title>, BibTeX and search.
    assert _seconds(mdtext.escape_title, text) + _seconds(mdtext.plain_title, text) < 2.0


def test_an_over_long_text_is_shown_as_plain_paragraphs() -> None:
    text = "*a* <b>\n\n" + "x " * sanitize.MAX_MARKDOWN
    rendered = sanitize.render_markdown(text)
    assert [t for t, _ in parse(rendered).elements] == ["p", "p"]
    assert "".join(parse(rendered).text).startswith("*a* <b>")
