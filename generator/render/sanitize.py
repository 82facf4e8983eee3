"""Untrusted Markdown rendered to HTML, then cleaned against an allow-list.

Abstracts, notes and descriptions come from people, copied web pages and imported files.
Rather than guess how Markdown will parse them, we parse them ourselves (Python-Markdown,
math by pymdownx.arithmatex as the site's KaTeX loader expects) and hand the HTML to nh3
(ammonia), which keeps only the elements, attributes and URL schemes listed here. Raw HTML in
the source is shown as text, not passed through: that is what readers of a reading list
expect, and the sanitizer is the guarantee either way.

Python-Markdown is not linear on every input, so the work is bounded: link brackets are
matched within a few dozen brackets, and a block longer than MAX_BLOCK characters or a text
longer than MAX_MARKDOWN is shown as plain paragraphs.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown import inlinepatterns
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from generator.render.chars import xml_safe

TAGS = frozenset(
    {"p", "br", "em", "strong", "code", "pre", "a", "ul", "ol", "li", "blockquote", "hr"}
    | {"h4", "h5", "h6", "span", "div"}
)
"""Text elements only; headings from content are demoted below the page's own."""
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
CLASSES = {"span": {"arithmatex"}, "div": {"arithmatex"}}
"""The only classes content may carry: the markers arithmatex sets for KaTeX."""
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer ugc"

MAX_MARKDOWN = 10_000
"""Characters of Markdown rendered as Markdown; a longer text is shown as plain paragraphs.
No abstract comes near it (arXiv caps abstracts at 1,920); Python-Markdown spends time per
element that a text made of tiny elements would multiply past a second."""
MAX_BLOCK = 3_000
"""Characters of one block (lines between blank lines) parsed as Markdown; a longer block is
shown as a plain paragraph. Python-Markdown searches the rest of a block for each line that
may be a rule or a heading, and rebuilds a paragraph's string at every inline match: both grow
with the square of the block."""
MAX_FENCES = 32
"""Lines that could open or close a code fence: beyond that the text is shown as plain
paragraphs, as the fence search looks to the end of the text for every unclosed one."""
MAX_LINK_BRACKETS = 16
"""Brackets (or parentheses, quotes) looked at to find where a link's text (or address) ends;
Python-Markdown would scan to the end of the run for every `[`."""
MAX_LINK_TEXT = 1_000
"""Characters a link's text may span."""


def markdown_block(text: str) -> str:
    """An untrusted Markdown text as a raw HTML block: sanitized HTML on one line, in a <div>
    that starts the line, so Python-Markdown (MkDocs) stashes it whole and parses none of it."""
    if not text.strip():
        return ""
    return f"<div>{render_markdown(text)}</div>"


def render_markdown(text: str) -> str:
    """Clean HTML for an untrusted Markdown text: one line, no newline characters, so that
    no Markdown preprocessor can see a line of it (newlines are `&#10;`)."""
    return _render(xml_safe(text))


@functools.lru_cache(maxsize=1 << 14)
def _render(text: str) -> str:
    if len(text) > MAX_MARKDOWN or len(_FENCE_LINE.findall(text)) > MAX_FENCES:
        dirty = _plain_paragraphs(text)
    else:
        dirty = _markdown().reset().convert(display_math_apart(text))
    clean = nh3.clean(
        dirty,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        allowed_classes={tag: set(names) for tag, names in CLASSES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return clean.replace("\r", "").replace("\n", "&#10;")


_MATH_ELEMENT = re.compile(r'<(?:span|div) class="arithmatex">')


def has_math(page: str) -> bool:
    """Whether a page holds math this module marked up: content's own text cannot spell
    the tag, as the sanitizer writes every `<` of text as `&lt;`."""
    return _MATH_ELEMENT.search(page) is not None


_DISPLAY = re.compile(r"(?<!\\)\$\$")


def display_math_apart(text: str) -> str:
    """`$$...$$` set apart as a block of its own, as arithmatex reads display math: written
    inside a paragraph (as a folded YAML scalar, `>-`, always writes it) it would show its
    dollars. A text with backticks is left as written (a `$$` may be code there, and
    finding code is Markdown's job); an unclosed `$$` stays text. Linear in the text."""
    if "$$" not in text or "`" in text:
        return text
    pieces = _DISPLAY.split(text)
    closed = len(pieces) - (len(pieces) % 2 == 0)  # an odd count: every $$ has its pair
    out = [pieces[0]]
    for i in range(1, closed, 2):
        out.append(f"\n\n$${pieces[i].strip()}$$\n\n{pieces[i + 1]}")
    if closed < len(pieces):
        out.append("$$" + pieces[-1])
    return "".join(out)


@functools.lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    # One instance, reset per text: building one costs more than rendering an abstract.
    md = markdown.Markdown(
        extensions=["fenced_code", "pymdownx.arithmatex", "pymdownx.magiclink"],
        extension_configs={
            # Dollars only: `\(` and `\[` stay escaped brackets, as they did, and the
            # bracket syntaxes' patterns scan to the end of the run for every `\(`.
            "pymdownx.arithmatex": {
                "generic": True,
                "inline_syntax": ["dollar"],
                "block_syntax": ["dollar"],
            },
        },
        output_format="html",
    )
    # Raw HTML in content is text to show (the sanitizer would drop it anyway).
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    for name, (cls, pattern, priority) in _BOUNDED.items():
        md.inlinePatterns.register(cls(pattern, md), name, priority)
    # These two patterns open with an alternation that the regex engine tries at every
    # character; a lookahead for their first characters makes them six times faster.
    for name, first in (("backtick", "\\\\`"), ("arithmatex-inline", "\\\\$")):
        processor = md.inlinePatterns[name]
        processor.compiled_re = re.compile(f"(?=[{first}])" + processor.pattern, re.DOTALL)
    # Bare e-mail addresses stay text (the slowest pattern of all, for a rare link).
    md.inlinePatterns.deregister("magic-mail")
    md.preprocessors.register(_BoundBlocks(md), "readinglist-bound-blocks", 29)
    md.treeprocessors.register(_DemoteHeadings(md), "readinglist-demote-headings", 1)
    return md


def _plain_paragraphs(text: str) -> str:
    return "".join(f"<p>{html.escape(part.strip())}</p>" for part in re.split(r"\n\s*\n", text))


_FENCE_LINE = re.compile(r"^[ \t>*+-]*(?:`{3,}|~{3,})", re.MULTILINE)


class _BoundBlocks(Preprocessor):
    """Blocks longer than MAX_BLOCK are shown as plain paragraphs (stashed as HTML)."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        block: list[str] = []
        for line in [*lines, ""]:
            if line.strip():
                block.append(line)
                continue
            if sum(len(x) for x in block) > MAX_BLOCK:
                block = [self.md.htmlStash.store(_plain_paragraphs("\n".join(block)))]
            out += [*block, line]
            block = []
        return out[:-1]


_BRACKET = re.compile(r"[\[\]]")
_PAREN_OR_QUOTE = re.compile(r"[()'\"]")


class _BoundedLink:
    """Link text and address found within MAX_LINK_BRACKETS brackets, so that a run of
    `[` costs each a bounded scan instead of one to the end of the text."""

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        end = min(len(data), index + MAX_LINK_TEXT)
        close = data.find("]", index, end)
        if close < 0:  # the common failure, a `[` with no `]` near: found at C speed
            return "", index, False
        if "[" not in data[index:close]:
            return data[index:close], close + 1, True
        depth = 1
        for seen, m in enumerate(_BRACKET.finditer(data, index, end)):
            if seen >= MAX_LINK_BRACKETS:
                break
            depth += 1 if m.group(0) == "[" else -1
            if depth == 0:
                return data[index : m.start()], m.end(), True
        return "", index, False

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        end = len(data)
        for seen, m in enumerate(_PAREN_OR_QUOTE.finditer(data, index)):
            if seen >= MAX_LINK_BRACKETS:
                end = m.start()
                break
        if ")" not in data[index:end]:
            return "", None, index, False
        # Python-Markdown's own parse, on a prefix it cannot scan beyond.
        return super().getLink(data[:end], index)  # type: ignore[misc, no-any-return]


class _Link(_BoundedLink, inlinepatterns.LinkInlineProcessor):
    pass


class _Image(_BoundedLink, inlinepatterns.ImageInlineProcessor):
    pass


class _Reference(_BoundedLink, inlinepatterns.ReferenceInlineProcessor):
    pass


class _ShortReference(_BoundedLink, inlinepatterns.ShortReferenceInlineProcessor):
    pass


class _ImageReference(_BoundedLink, inlinepatterns.ImageReferenceInlineProcessor):
    pass


class _ShortImageReference(_BoundedLink, inlinepatterns.ShortImageReferenceInlineProcessor):
    pass


# Python-Markdown's names, patterns and priorities for the processors replaced.
_BOUNDED: dict[str, tuple[type[inlinepatterns.LinkInlineProcessor], str, int]] = {
    "reference": (_Reference, inlinepatterns.REFERENCE_RE, 170),
    "link": (_Link, inlinepatterns.LINK_RE, 160),
    "image_link": (_Image, inlinepatterns.IMAGE_LINK_RE, 150),
    "image_reference": (_ImageReference, inlinepatterns.IMAGE_REFERENCE_RE, 140),
    "short_reference": (_ShortReference, inlinepatterns.REFERENCE_RE, 130),
    "short_image_ref": (_ShortImageReference, inlinepatterns.IMAGE_REFERENCE_RE, 125),
}


class _DemoteHeadings(Treeprocessor):
    """A heading in an abstract sits under the page's own `## Abstract`: h1-h3 become h4."""

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.tag in ("h1", "h2", "h3"):
                el.tag = "h4"
