"""Untrusted text into Markdown that renders as the text it is, and Markdown made safe.

Titles, abstracts and notes come from people and from copied web pages. Python-Markdown
passes raw HTML through and does not check link schemes, and MkDocs writes page titles into
`<title>` unescaped, so every untrusted string reaches the generated Markdown through one of
these functions.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from urllib.parse import quote

# Python-Markdown's escapable characters, plus `|` (tables) and `$` (arithmatex). Brackets
# and parentheses are not among them: `\[ \]` and `\( \)` are math delimiters to arithmatex,
# so brackets become entities (no link can form without them) and parentheses stay.
_MD_SPECIAL = re.compile(r"([\\`*_{}#+\-.!|$])")
_BRACKETS = {"[": "&#91;", "]": "&#93;"}
# Python-Markdown's own rule (a run of backticks not after a backslash, closed by the same
# run), but never across a blank line, where Markdown would end the paragraph first.
_CODE_SPAN = re.compile(
    r"(?<![\\`])(?P<tick>`+)(?P<code>(?:(?!\n[ \t]*\n).)+?)(?<!`)(?P=tick)(?!`)", re.DOTALL
)
MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$(?=\S)[^$\n]+?(?<=\S)\$(?!\d)", re.DOTALL)
"""Inline `$...$` (not `$5 and $6`: no space inside the dollars) and display `$$...$$`."""
_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,}).*?^(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL)
_PROTECTED = re.compile(
    "|".join(f"(?:{p.pattern})" for p in (_FENCE, _CODE_SPAN, MATH)), re.M | re.S
)
_INLINE_LINK = re.compile(r"(!?\[)((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^)\s>]*)")
_REF_DEF = re.compile(r"^([ ]{0,3})\[([^\]]+)\]:\s*<?(\S*?)>?(?=\s|$)", re.MULTILINE)
_ENTITY = re.compile(r"&(?=#?\w+;)")
SAFE_SCHEMES = ("http://", "https://", "mailto:")


@functools.lru_cache(maxsize=1 << 16)
def escape_text(text: str) -> str:
    """Markdown that shows `text` literally: no markup, no HTML, no math, one line."""
    text = html.escape(_MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text)), quote=False)
    return re.sub(r"[\[\]]", lambda m: _BRACKETS[m.group(0)], text)


@functools.lru_cache(maxsize=1 << 16)
def escape_title(title: str) -> str:
    """Like escape_text, but `code` spans in a title stay code."""
    return map_outside(_CODE_SPAN, " ".join(title.split()), escape_text)


@functools.lru_cache(maxsize=1 << 16)
def plain_title(title: str) -> str:
    """The title as plain text (code spans unwrapped), for <title>, BibTeX and queries."""
    return " ".join(_CODE_SPAN.sub(lambda m: m.group("code").strip(), title).split())


def html_attr_text(text: str) -> str:
    """Plain text HTML-escaped, for places MkDocs copies into HTML unescaped (page titles)."""
    return html.escape(text, quote=True)


def sanitize_markdown(text: str) -> str:
    """Keep Markdown, code and math; neutralize raw HTML, entities and non-http(s) links."""
    return map_outside(_PROTECTED, text, _sanitize_prose, _protected)


def _math_sign(m: re.Match[str]) -> str:
    macro = r"\lt" if m.group(0) == "<" else r"\gt"
    return macro + " " if m.group(1) else macro


def _protected(segment: str) -> str:
    if segment.startswith("$"):
        # Math never needs a raw < or >: should the math extension not take this span, it
        # must not be able to form a tag either. KaTeX reads \lt and \gt as the same signs.
        return re.sub(r"[<>](?=(\w)?)", _math_sign, segment)
    return segment


def _sanitize_prose(text: str) -> str:
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;")
    text = text.replace("{", "\\{")  # attr_list syntax, should a site enable it
    text = _INLINE_LINK.sub(_check_inline_link, text)
    return _REF_DEF.sub(_check_ref_def, text)


def _check_inline_link(m: re.Match[str]) -> str:
    if _safe_url(m.group(3)):
        return m.group(0)
    return m.group(0).replace("[", _BRACKETS["["], 1)


def _check_ref_def(m: re.Match[str]) -> str:
    if _safe_url(m.group(3)):
        return m.group(0)
    return m.group(1) + _BRACKETS["["] + m.group(0)[len(m.group(1)) + 1 :]


def _safe_url(url: str) -> bool:
    return url.lower().startswith(SAFE_SCHEMES)


def md_url(url: str) -> str:
    """A checked http(s) URL made safe inside Markdown's `(...)`."""
    if not _safe_url(url):
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
    math stays as its TeX source."""
    return " ".join(map_outside(MATH, markdown, _strip_markup).split())


def _strip_markup(text: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"`+([^`]*)`+", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|_)(\S(?:.*?\S)?)\1", r"\2", text)
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
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)
