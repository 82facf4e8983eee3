"""Normalization shared by every format: LaTeX, names, arXiv ids, DOIs, years and links.

Each function returns None (or nothing) for what the source does not say: nothing invented.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from pylatexenc.latex2text import LatexNodes2Text, get_default_latex_context_db

from generator.importers.draft import Draft, Parsed

_TEXT_DB = get_default_latex_context_db()
_DECODER = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)
_DOLLAR = "\ue000"  # stands in for an escaped `\$` while pylatexenc sees the text
_TICK = "\ue001"  # stands in for the backticks of a `\texttt{}` code span
_TEXTTT = re.compile(r"\\texttt\s*\{([^{}]*)\}")
_MACRO = re.compile(r"\\([A-Za-z]+)\s*(\{\}|\{)?")
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_LATEXY = re.compile(r"[\\{}$~%]")
_MATH = re.compile(r"(?<!\\)\$[^$]+?(?<!\\)\$")
_SIMPLE_ESCAPES = (("\\%", "%"), ("\\&", "&"), ("\\_", "_"), ("\\#", "#"))

_ARXIV_NEW = r"\d{4}\.\d{4,5}"
_ARXIV_OLD = r"[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_ID = re.compile(rf"^(?:arxiv:\s*)?({_ARXIV_NEW}|{_ARXIV_OLD})(?:v\d+)?$", re.IGNORECASE)
_ARXIV_IN_TEXT = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf)/|arxiv:\s*|abs/)({_ARXIV_NEW}|{_ARXIV_OLD})(?:v\d+)?",
    re.IGNORECASE,
)
_ARXIV_DOI = re.compile(rf"^10\.48550/arxiv\.({_ARXIV_NEW}|{_ARXIV_OLD})$", re.IGNORECASE)
_DOI = re.compile(r"(10\.\d{4,9}/\S+)")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_URL = re.compile(r"^https?://[^\s/?#]+\.\S*$", re.IGNORECASE)
# A scheme of two letters or more: "C:\\paper.pdf" is a Windows file, "ftp://" is a scheme.
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]+:", re.IGNORECASE)
NOT_AUTHORS = frozenset({"others", "et al", "et al.", "and others", "etal"})


def decode_latex(text: str) -> str:
    """LaTeX to Unicode text: accents decoded, protective braces dropped, `$math$` kept."""
    text = " ".join(text.split())
    if not _LATEXY.search(text):
        return text
    # pylatexenc is thorough but slow, so it only sees the words that need it; math spans
    # are kept verbatim, as pylatexenc's verbatim math mode would keep them.
    out, pos = [], 0
    for math in _MATH.finditer(text):
        out += [_decode_prose(text[pos : math.start()]), math.group(0)]
        pos = math.end()
    out.append(_decode_prose(text[pos:]))
    return " ".join("".join(out).split())


def _decode_prose(text: str) -> str:
    """Decode word runs that hold LaTeX, each run closed when its braces balance."""
    out: list[str] = []
    run: list[str] = []
    depth = 0
    for word in text.split(" "):
        if not run and not _LATEXY.search(word):
            out.append(word)
            continue
        run.append(word)
        depth += word.count("{") - word.count("}")
        if depth <= 0:
            out.append(_decode_run(" ".join(run)))
            run, depth = [], 0
    if run:
        out.append(_decode_run(" ".join(run)))
    return " ".join(out)


@functools.lru_cache(maxsize=65536)
def _decode_run(text: str) -> str:
    simple = text
    for escape, char in _SIMPLE_ESCAPES:
        simple = simple.replace(escape, char)
    if "\\" not in simple.replace("\\$", ""):
        return simple.replace("{", "").replace("}", "").replace("~", " ")
    text = text.replace("\\$", _DOLLAR)
    text = _TEXTTT.sub(lambda m: f"{_TICK}{m.group(1)}{_TICK}", text)
    text = _MACRO.sub(_known_or_word, text)
    # A bare % in a field is the author's percent sign, not a LaTeX comment eating the rest.
    text = _BARE_PERCENT.sub(r"\\%", text)
    out: str = _DECODER.latex_to_text(text)
    return out.replace("\N{NO-BREAK SPACE}", " ").replace(_DOLLAR, "\\$").replace(_TICK, "`")


def _known_or_word(m: re.Match[str]) -> str:
    # Macros pylatexenc cannot render (`\framework`, `\em`) keep their argument, or become
    # the word they spell when they take none, rather than vanishing with the text.
    name, brace = m.group(1), m.group(2)
    if _TEXT_DB.get_macro_spec(name) is not None:
        return m.group(0)
    if brace == "{":
        return "{"
    return "" if name in ("em", "it", "bf", "sc", "rm", "sf", "tt", "relax") else name + " "


def clean_text(text: object) -> str | None:
    """A non-empty one-space-separated string, or None."""
    if not isinstance(text, str):
        return None
    text = " ".join(text.split())
    return text or None


def person(given: str, family: str) -> str | None:
    """ "Given Family", or None for "others"/"et al." and empty names."""
    name = " ".join(f"{given} {family}".split()).strip(" ,")
    if not name or name.lower().rstrip(".") in {n.rstrip(".") for n in NOT_AUTHORS}:
        return None
    return name


def people(names: list[str | None]) -> tuple[str, ...]:
    return tuple(n for n in names if n)


def arxiv_id(*values: object) -> str | None:
    """The first arXiv id (version dropped) in the values: bare ids, URLs, `arXiv:NNNN`."""
    for value in values:
        if not isinstance(value, str):
            continue
        value = value.strip()
        bare = _ARXIV_ID.match(value)
        if bare:
            return bare.group(1)
        found = _ARXIV_IN_TEXT.search(value) or _ARXIV_DOI.match(doi(value) or "")
        if found:
            return found.group(1)
    return None


def doi(value: object) -> str | None:
    """A bare DOI (resolver prefix and TeX escapes removed), or None."""
    if not isinstance(value, str):
        return None
    value = _DOI_PREFIX.sub("", value.strip().replace("\\_", "_").replace("{", "").replace("}", ""))
    found = _DOI.match(value)
    return found.group(1).rstrip(".") if found else None


def year(value: object) -> int | None:
    """A plausible year from `2021`, `2021-05-03`, `2021/05//`, or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    found = _YEAR.search(value)
    if found and 1000 <= int(found.group(1)) <= dt.date.today().year + 1:
        return int(found.group(1))
    return None


def add_link(
    draft: Draft, kind: str, value: object, parsed: Parsed, *, where: str | None = None
) -> None:
    """Keep an http(s) link under `kind` (the first one wins); note any other value dropped,
    saying which kind of value it was."""
    if not isinstance(value, str) or not value.strip() or kind in draft.links:
        return
    value = value.strip().replace("\\_", "_").replace("\\%", "%")
    if _URL.match(value) and not any(c in value for c in "<>\"'`"):
        draft.links[kind] = value
        return
    if value.lower().startswith(("http:", "https:")):
        why = "not a well-formed http(s) URL (a host, no spaces, quotes or angle brackets)"
    elif _SCHEME.match(value):
        why = "only http(s) links are kept"
    else:
        why = "a local file; only http(s) links are kept"
    parsed.warnings.append(f"{where or draft.where}: {kind}: '{value[:80]}' dropped ({why})")


def add_ids(draft: Draft, arxiv: str | None, found_doi: str | None) -> None:
    """Record the ids; an arXiv DOI (10.48550/arXiv.N) is the arXiv id, not a second work."""
    if found_doi and _ARXIV_DOI.match(found_doi):
        arxiv = arxiv or _ARXIV_DOI.match(found_doi).group(1)  # type: ignore[union-attr]
        found_doi = None
    if arxiv:
        draft.links.setdefault("arxiv", arxiv)
    if found_doi:
        draft.links.setdefault("doi", found_doi)
    url = draft.links.get("url", "")
    if arxiv and arxiv_id(url) == arxiv:
        del draft.links["url"]  # the arXiv page is already the arxiv link


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
