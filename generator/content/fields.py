"""Field validation: each field read as what it must be, every problem located and explained."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
import urllib.parse
from collections.abc import Callable
from typing import Any, TypeVar

from generator.content.yamlio import Located
from generator.errors import Problem
from generator.model import LINK_KINDS, STATUSES, Link

T = TypeVar("T")

MAX_TITLE_CHARS = 500
"""A title longer than this (paper, topic or site) is refused: no real one comes close."""

ARXIV_RE = re.compile(r"^(\d{4}\.\d{4,5}|[a-z][a-z.-]*(\.[A-Z]{2})?/\d{7})(v\d+)?$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
YEAR_RE = re.compile(r"^\d{4}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# One address, as services read a mailto: no spaces or line breaks (it goes into a header).
EMAIL_RE = re.compile(r"^[^@\s<>()\[\],;:\"]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")

# What a URL may not contain as written: each would end an HTML attribute or a YAML string.
_URL_BANNED = {'"': "quotes", "'": "quotes", "<": "angle brackets", ">": "angle brackets"}
_URL_BANNED |= {"\\": "backslashes", "`": "backticks"}
_HTTPS_HINT = "links must start with https://"
# A scheme as browsers read one; a link with another (javascript:, data:) is told about the
# scheme first, since removing its quotes would not make it a link.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


class FileProblems:
    """Collects the problems of one file, located by field path."""

    def __init__(self, name: str, located: Located, problems: list[Problem]) -> None:
        self.name = name
        self.located = located
        self.problems = problems
        self.flagged: set[str] = set()
        """Fields the reading refused a value of: one problem per field is enough."""
        for line, field, message in located.problems:
            problems.append(Problem(self.name, line, field, message))
            self.flagged.add(field)

    def error(self, field: str, message: str, hint: str = "") -> None:
        if field in self.flagged:
            return
        lines = self.located.lines
        line = lines.get(field, lines.get(field.split(".")[0], 1))
        self.problems.append(Problem(self.name, line, field, message, hint))


def printable(text: str) -> str:
    """`text` safe to print on one line: controls and undecodable bytes escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def quoted(value: str, limit: int = 60) -> str:
    """A value as messages show it: quoted, on one line, cut when long."""
    cut = value if len(value) <= limit else value[:limit] + "..."
    return f"'{printable(cut)}'"


def nearest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    if close:
        return f"did you mean '{close[0]}'?"
    if not choices:
        return "none are declared"
    return f"expected one of: {', '.join(choices)}"


def mapping(f: FileProblems, allowed: tuple[str, ...], what: str) -> dict[str, Any] | None:
    value = f.located.value
    if value is None:
        f.problems.append(Problem(f.name, 0, "yaml", f"empty file: expected a mapping of {what}"))
        return None
    if not isinstance(value, dict):
        f.error("yaml", f"expected a mapping of {what}, got {kind(value)}")
        return None
    for key in value:
        if key not in allowed:
            f.error(key, "unknown field", nearest(key, allowed))
    return value


def text(
    f: FileProblems, data: dict[str, Any], field: str, *, required: bool = False
) -> str | None:
    value = data.get(field)
    if value is None or value == "":
        if required:
            f.error(field, "missing", f"every entry needs a {field}")
        return None
    if not isinstance(value, str):
        f.error(field, f"expected text, got a {kind(value)}")
        return None
    if required and not _visible(value):
        f.error(field, "blank", f"every entry needs a {field}")
        return None
    return value.strip() or None


def title(f: FileProblems, data: dict[str, Any], field: str = "title") -> str | None:
    """A required title, its spacing collapsed to single spaces (titles are one line)."""
    value = text(f, data, field, required=True)
    if value is None:
        return None
    value = " ".join(value.split())
    if len(value) > MAX_TITLE_CHARS:
        f.error(field, f"{len(value)} characters is over the {MAX_TITLE_CHARS}-character limit")
        return None
    return value


def _visible(value: str) -> bool:
    # Spaces, zero-width and format characters alone would show as nothing.
    return any(unicodedata.category(c)[0] not in "ZC" for c in value)


def text_list(f: FileProblems, data: dict[str, Any], field: str) -> tuple[str, ...]:
    value = data.get(field)
    if value is None:
        return ()
    if not isinstance(value, list):
        if isinstance(value, str):
            shown = quoted(value)
            f.error(field, f"expected a list, got text {shown}", f"write it as [{shown[1:-1]}]")
        else:
            f.error(field, f"expected a list, got a {kind(value)}")
        return ()
    items = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            f.error(f"{field}.{i}", "expected non-empty text")
        else:
            items.append(item.strip())
    return tuple(items)


def kind(value: object) -> str:
    names: dict[type, str] = {dict: "mapping", list: "list", str: "text"}
    return names.get(type(value), type(value).__name__)


Parsed = tuple[T | None, str, str]
"""A field parser's answer: the value, or None with a message and a hint."""


def checked(
    f: FileProblems, data: dict[str, Any], field: str, parse: Callable[[str], Parsed[T]]
) -> T | None:
    raw = text(f, data, field)
    if raw is None:
        return None
    value, message, hint = parse(raw)
    if value is None:
        f.error(field, message, hint)
    return value


def year(raw: str) -> Parsed[int]:
    if YEAR_RE.match(raw) and 1000 <= int(raw) <= dt.date.today().year + 1:
        return int(raw), "", ""
    return None, f"expected a year like 2024, got {quoted(raw)}", ""


def status(raw: str) -> Parsed[str]:
    if raw in STATUSES:
        return raw, "", ""
    return None, f"unknown status {quoted(raw)}", nearest(raw, STATUSES)


def date(raw: str) -> Parsed[dt.date]:
    if DATE_RE.match(raw):
        try:
            return dt.date.fromisoformat(raw), "", ""
        except ValueError:
            pass
    return None, f"expected a date like 2024-05-31, got {quoted(raw)}", ""


def url_hint(value: str) -> str | None:
    """Why `value` is not a plain http(s) URL (the hint to show), or None when it is one."""
    scheme = _SCHEME.match(value)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        return _HTTPS_HINT
    for char in value:
        if char.isspace() or not char.isprintable():
            return "a URL has no spaces or control characters; percent-encode them"
        if char in _URL_BANNED:
            return f"a URL has no {_URL_BANNED[char]}; percent-encode them"
    try:
        parts = urllib.parse.urlsplit(value)
        parts.port  # noqa: B018 - parsing the port is what validates it
    except ValueError:
        return "its host or port is malformed"
    if parts.scheme.lower() not in ("http", "https"):
        return _HTTPS_HINT
    host = parts.hostname or ""
    if "@" in parts.netloc:
        return "a user name or password in a link is not allowed"
    if not host or ("." not in host and ":" not in host and host != "localhost"):
        return "write the full address, like https://example.org/"
    return None


def http_url(f: FileProblems, data: dict[str, Any], field: str) -> str | None:
    value = text(f, data, field)
    if value is None:
        return None
    hint = url_hint(value)
    if hint is not None:
        f.error(field, f"{quoted(value)} is not an http(s) URL", hint)
        return None
    return value


def email(f: FileProblems, data: dict[str, Any], field: str) -> str | None:
    value = text(f, data, field)
    if value is not None and not EMAIL_RE.match(value):
        f.error(field, f"{quoted(value)} is not an email address", "write one, as name@example.org")
        return None
    return value


def links(f: FileProblems, data: dict[str, Any]) -> tuple[Link, ...]:
    raw = data.get("links")
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        f.error("links", f"expected a mapping of {', '.join(LINK_KINDS)}, got {kind(raw)}")
        return ()
    found = []
    for link_kind, value in raw.items():
        field = f"links.{link_kind}"
        if link_kind not in LINK_KINDS:
            f.error(field, "unknown link kind", nearest(link_kind, LINK_KINDS))
            continue
        if not isinstance(value, str) or not value.strip():
            f.error(field, "expected text")
            continue
        value = value.strip()
        if link_kind == "arxiv":
            if not ARXIV_RE.match(value):
                hint = "write the id, like 2310.10010"
                f.error(field, f"{quoted(value)} is not an arXiv id", hint)
                continue
            url = f"https://arxiv.org/abs/{value}"
        elif link_kind == "doi":
            if not DOI_RE.match(value) or url_hint(f"https://doi.org/{value}"):
                hint = "write the DOI, like 10.1000/xyz123"
                f.error(field, f"{quoted(value)} is not a DOI", hint)
                continue
            url = f"https://doi.org/{value}"
        else:
            why = url_hint(value)
            if why is not None:
                f.error(field, f"{quoted(value)} is not an http(s) link", why)
                continue
            url = value
        found.append(Link(link_kind, value, url))
    return tuple(sorted(found, key=lambda link: LINK_KINDS.index(link.kind)))


def topics(f: FileProblems, data: dict[str, Any], topic_ids: frozenset[str]) -> tuple[str, ...]:
    listed = text_list(f, data, "topics")
    if "topics" in data and not isinstance(data["topics"], list):
        return ()
    if not listed:
        f.error("topics", "at least one topic is required", "add a topic id from topics.yaml")
        return ()
    known = sorted(topic_ids)
    for i, topic in enumerate(listed):
        if topic not in topic_ids:
            f.error(f"topics.{i}", f"unknown topic {quoted(topic)}", nearest(topic, known))
    return listed


OWNER_FIELDS = ("name", "variants")


def owner_names(f: FileProblems, data: dict[str, Any]) -> tuple[str, ...]:
    """site.yaml's `owner`: a name, or a mapping of `name` and the `variants` papers write it
    as (`A. Lovelace`, `Lovelace, Ada`); the name first, then the variants, each once."""
    raw = data.get("owner")
    if raw is None or isinstance(raw, str):
        name = text(f, data, "owner")
        return (" ".join(name.split()),) if name else ()
    if not isinstance(raw, dict):
        f.error("owner", f"expected a name or a mapping of name and variants, got {kind(raw)}")
        return ()
    for key in raw:
        if key not in OWNER_FIELDS:
            f.error(f"owner.{key}", "unknown field", nearest(str(key), OWNER_FIELDS))
    variants = raw.get("variants", [])
    names_ok = isinstance(variants, list) and all(
        isinstance(v, str) and v.strip() for v in variants
    )
    if not names_ok:
        f.error("owner.variants", "expected a list of names", "like [A. Lovelace, 'Lovelace, Ada']")
        variants = []
    name = raw.get("name")
    if not isinstance(name, str) or not _visible(name):
        f.error("owner.name", "expected the name", "write it as papers do: name: Ada Lovelace")
        return ()
    return tuple(dict.fromkeys(" ".join(n.split()) for n in [name, *variants]))
