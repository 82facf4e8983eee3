"""Untrusted text into the generated Markdown, by construction rather than by escaping rules.

Plain text (titles, authors, venues) becomes Markdown in which every ASCII punctuation
character is a numeric character reference: Markdown and HTML syntax are made of ASCII
punctuation, and Python-Markdown passes references through as the characters they stand for,
so no markup can form. Markdown text (abstracts, notes, descriptions) is rendered and
sanitized by render/sanitize.py instead, which does not need loading to read content. Every
string that reaches a page from content goes through one of these functions or that one.
"""

from __future__ import annotations

import functools
import html
import re
import string
from collections.abc import Callable, Iterator
from urllib.parse import quote

import yaml

from generator.render.chars import xml_safe

# Every ASCII punctuation character (string.punctuation) as a numeric character reference.
_REFERENCES = {ord(c): f"&#{ord(c)};" for c in string.punctuation}
_BACKTICKS = re.compile(r"`+")
_HIDDEN = re.compile("\x00([0-9]+)\x00")
MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$(?=\S)[^$\n]+?(?<=\S)\$(?!\d)", re.DOTALL)
"""Inline `$...$` (not `$5 and $6`: no space inside the dollars) and display `$$...$$`."""
SAFE_SCHEMES = ("http://", "https://", "mailto:")


def _entities(text: str) -> str:
    return text.translate(_REFERENCES)


@functools.lru_cache(maxsize=1 << 16)
def escape_text(text: str) -> str:
    """Markdown that shows `text` literally: no markup, no HTML, no math, one line."""
    return _entities(" ".join(xml_safe(text).split()))


def code_spans(text: str) -> Iterator[tuple[bool, str]]:
    """`text` cut into (is code, text) pieces: a backtick run opens a code span that the
    next run of the same length closes, as in Markdown. Linear: each run is looked at once."""
    if "`" not in text:
        yield False, text
        return
    runs = list(_BACKTICKS.finditer(text))
    closer: dict[int, int] = {}  # index of a run -> index of the next run of its length
    next_of_length: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        length = len(runs[i].group(0))
        if length in next_of_length:
            closer[i] = next_of_length[length]
        next_of_length[length] = i
    i, last = 0, 0
    while i < len(runs):
        if i not in closer:
            i += 1
            continue
        j = closer[i]
        yield False, text[last : runs[i].start()]
        yield True, text[runs[i].end() : runs[j].start()].strip()
        last = runs[j].end()
        i = j + 1
    yield False, text[last:]


@functools.lru_cache(maxsize=1 << 16)
def escape_title(title: str) -> str:
    """Like escape_text, but `code` spans in a title stay code."""
    parts = []
    for is_code, piece in code_spans(" ".join(xml_safe(title).split())):
        if is_code:
            parts.append(f"<code>{_entities(piece)}</code>")
        elif piece:
            parts.append(_entities(piece))
    return "".join(parts)


@functools.lru_cache(maxsize=1 << 16)
def plain_title(title: str) -> str:
    """The title as plain text (code spans unwrapped), for <title>, BibTeX and queries."""
    return " ".join("".join(piece for _, piece in code_spans(xml_safe(title))).split())


def html_attr_text(text: str) -> str:
    """Plain text HTML-escaped, for places MkDocs copies into HTML unescaped (page titles)."""
    return html.escape(text, quote=True)


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar on one line that loads back as `text`, whatever the text:
    YAML's own emitter escapes its line breaks (U+0085, U+2028) and non-printables."""
    dumped = yaml.safe_dump(
        xml_safe(text), default_style='"', allow_unicode=True, width=1 << 30, explicit_end=False
    )
    return dumped.removesuffix("\n").removesuffix("\n...")


@functools.lru_cache(maxsize=1 << 16)
def page_title(title: str) -> str:
    """A page (or nav) title for YAML: plain, HTML-escaped (MkDocs and Material print it into
    <title> and the navigation as HTML), quoted for YAML."""
    return yaml_string(html_attr_text(plain_title(title)))


def summary(text: str, limit: int = 160) -> str:
    """Plain text on one line, cut at a word to at most `limit` characters (with an
    ellipsis): what search engines show of a meta description is about that long."""
    text = " ".join(xml_safe(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "\N{HORIZONTAL ELLIPSIS}"


@functools.lru_cache(maxsize=1 << 16)
def meta_description(text: str) -> str:
    """A page's description for its front matter: plain `text` summarized, HTML-escaped
    (themes print it into <meta> attributes as HTML), quoted for YAML."""
    return yaml_string(html_attr_text(summary(text)))


def md_url(url: str) -> str:
    """A checked http(s) URL made safe inside Markdown's `(...)`."""
    if not url.lower().startswith(SAFE_SCHEMES):
        raise ValueError(f"refusing a non-http(s) link: {url!r}")
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


def map_outside(
    pattern: re.Pattern[str],
    text: str,
    change: Callable[[str], str],
    keep: Callable[[str], str] | None = None,
) -> str:
    """Apply `change` to the text between the matches of `pattern`; the matches stay as
    they are, or go through `keep` when given."""
    parts, last = [], 0
    for m in pattern.finditer(text):
        parts.append(change(text[last : m.start()]))
        parts.append(keep(m.group(0)) if keep else m.group(0))
        last = m.end()
    parts.append(change(text[last:]))
    return "".join(parts)


@functools.lru_cache(maxsize=1 << 16)
def to_plain(markdown: str) -> str:
    """Markdown reduced to its words (links to their text, markup dropped), one line;
    math stays as its TeX source. Every pattern stops at the next delimiter it could start
    on, so the work is linear in the text."""
    maths: list[str] = []

    def hide(m: re.Match[str]) -> str:
        maths.append(m.group(0))
        return f"\x00{len(maths) - 1}\x00"  # xml_safe took every NUL out: no clash

    # One pass over the whole text, not one per piece between formulas.
    stripped = _strip_markup(MATH.sub(hide, xml_safe(markdown)))
    return " ".join(_HIDDEN.sub(lambda m: maths[int(m.group(1))], stripped).split())


def _strip_markup(text: str) -> str:
    text = re.sub(r"!?\[([^\[\]]*)\]\([^()\s]*\)", r"\1", text)
    text = re.sub(r"`+([^`]*)`+", r"\1", text)
    # Emphasis markers at a word's edge; snake_case and `2 * 3` keep theirs.
    text = re.sub(r"(?<![\w\\*_])[*_]{1,2}(?=[^\s*_])|(?<=[^\s*_\\])[*_]{1,2}(?![\w*_])", "", text)
    text = text.replace("\\$", "$")
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", text)


@functools.lru_cache(maxsize=1 << 16)
def excerpt(markdown: str | None, limit: int = 180) -> str:
    """The first sentence of a Markdown text as plain words, cut near `limit` characters."""
    if not markdown:
        return ""
    text = to_plain(markdown)
    sentence = re.match(r"(.+?[.!?])(?:\s|$)", text)
    if sentence and len(sentence.group(1)) <= limit:
        return sentence.group(1)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "\N{HORIZONTAL ELLIPSIS}"


def fence_for(code: str) -> str:
    """A backtick fence longer than any backtick run inside `code`."""
    longest = max((len(run) for run in _BACKTICKS.findall(code)), default=0)
    return "`" * max(3, longest + 1)
