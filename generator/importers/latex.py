"""Turn the LaTeX debris in copied abstracts and titles into Markdown, keeping real math."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from generator.render.text import MATH, map_outside

_ACCENTS = {
    '"': "\N{COMBINING DIAERESIS}",
    "'": "\N{COMBINING ACUTE ACCENT}",
    "`": "\N{COMBINING GRAVE ACCENT}",
    "^": "\N{COMBINING CIRCUMFLEX ACCENT}",
    "~": "\N{COMBINING TILDE}",
}
_ESCAPED = {"%": "%", "&": "&", "_": "_", "#": "#"}

# Order matters: links and code first (their arguments are taken verbatim), then emphasis.
_HREF = re.compile(r"\$?\\href\{([^{}]+)\}\{(?:\\text\{([^{}]*)\}|([^{}]*))\}\$?")
_URL = re.compile(r"(\S?)\\url\{([^{}]+)\}")
_TEXTTT = re.compile(r"\$?\\texttt\{([^{}]*)\}\$?")
_EM = re.compile(r"\{\\(?:em|it)\s+([^{}]*)\}|\\(?:emph|textit)\{([^{}]*)\}")
_BF = re.compile(r"\{\\bf\s+([^{}]*)\}|\\textbf\{([^{}]*)\}")
_ACCENT = re.compile(r"""\\(["'`^~])\{?([A-Za-z])\}?""")
_SPECIAL = re.compile(r"\\([%&_#])")
_QUOTES_DOUBLE = re.compile(r"``(.+?)''")
_QUOTES_SINGLE = re.compile(r"(?<![`\w])`([^`'\n]+)'")
# `~` between two non-spaces is LaTeX's non-breaking space ("models~(LLMs)", "1)~offline");
# before a digit it is usually "about" (~80 models) or a range (3.3x~15x), which stay.
_TIE = re.compile(r"(?<=\S)~(?=[^\s\d])")
_MACRO = re.compile(r"\\([A-Za-z]+)\b\s?(\{\})?")


def latex_to_markdown(text: str) -> str:
    """Convert LaTeX leftovers to Markdown; `$...$` math stays, a lone `$` becomes `\\$`."""
    text = _HREF.sub(lambda m: _link(m.group(2) or m.group(3) or m.group(1), m.group(1)), text)
    text = _URL.sub(_url, text)
    text = _TEXTTT.sub(lambda m: f"`{m.group(1)}`", text)
    text = _EM.sub(lambda m: f"*{(m.group(1) or m.group(2)).strip()}*", text)
    text = _BF.sub(lambda m: f"**{(m.group(1) or m.group(2)).strip()}**", text)
    text = _ACCENT.sub(lambda m: _accent(m.group(1), m.group(2)), text)
    text = _SPECIAL.sub(lambda m: _ESCAPED[m.group(1)], text)
    text = _QUOTES_DOUBLE.sub(
        "\N{LEFT DOUBLE QUOTATION MARK}\\1\N{RIGHT DOUBLE QUOTATION MARK}", text
    )
    text = _QUOTES_SINGLE.sub(
        "\N{LEFT SINGLE QUOTATION MARK}\\1\N{RIGHT SINGLE QUOTATION MARK}", text
    )
    text = _TIE.sub(" ", text)
    return _outside_math(text, _plain_macros)


def tidy_title(title: str) -> str:
    """Convert a title's LaTeX and fix copy-paste spacing (`ACE : Off-Policy` -> `ACE: ...`)."""
    title = latex_to_markdown(" ".join(title.split()))
    title = re.sub(r"\s+([:;,?!])(?=\s|$)", r"\1", title)
    return re.sub(r"\(\s+|\s+\)", lambda m: m.group(0).strip(), title)


def _link(label: str, url: str) -> str:
    return f"[{label.strip()}]({url.strip()})"


def _url(m: re.Match[str]) -> str:
    before, url = m.group(1), m.group(2).strip()
    # "released\url{...}": the URL was glued to the previous word.
    return f"{before}{' ' if before else ''}[{url}]({url})"


def _accent(mark: str, letter: str) -> str:
    return unicodedata.normalize("NFC", letter + _ACCENTS[mark])


def _plain_macros(text: str) -> str:
    """Unknown macros (`\\framework`, `\\braxlines`) become the plain word; lone `$` is escaped."""
    text = _MACRO.sub(lambda m: m.group(1) + (" " if m.group(0).endswith(" ") else ""), text)
    return text.replace("$", "\\$")


def _outside_math(text: str, change: Callable[[str], str]) -> str:
    # Only spans that look like math are protected; "$5 and $6" is money and gets escaped.
    def keep(span: str) -> str:
        return span if _looks_like_math(span.strip("$")) else change(span)

    return map_outside(MATH, text, change, keep)


def _looks_like_math(body: str) -> bool:
    # "$5 and $6" is money: math holds a backslash, a script, an operator or a lone symbol.
    return bool(re.search(r"[\\^_=<>+*/|{}]", body)) or bool(re.fullmatch(r"[A-Za-z]", body))
