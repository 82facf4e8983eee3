"""Load and validate content/: every problem in one pass, then one ReadingList or one error."""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import os
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from generator.content.slug import MAX_SLUG, SLUG_RE, normalize_title
from generator.content.yamlio import Located, YamlSyntaxError, parse_yaml
from generator.errors import ContentError, Problem, display_path
from generator.model import LINK_KINDS, STATUSES, Link, Paper, ReadingList, Site, Topic
from generator.render.text import excerpt

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_FILE_BYTES = 256 * 1024
"""A paper file larger than this is refused: it is not a hand-kept reading-list entry."""

PAPER_FIELDS = (
    "title",
    "authors",
    "year",
    "venue",
    "links",
    "topics",
    "status",
    "added",
    "abstract",
    "notes",
    "sources",
)
TOPIC_FIELDS = ("id", "title", "description", "keywords")
SITE_FIELDS = ("title", "description", "url", "repo_url")

ARXIV_RE = re.compile(r"^(\d{4}\.\d{4,5}|[a-z][a-z.-]*(\.[A-Z]{2})?/\d{7})(v\d+)?$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
URL_RE = re.compile(r"^https?://[^\s/?#]+\.[^\s]*$|^https?://localhost[^\s]*$", re.IGNORECASE)
YEAR_RE = re.compile(r"^\d{4}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


RACY_NS = 2_000_000_000

CachedPaper = tuple[tuple[int, int], frozenset[str], Paper]
"""((mtime_ns, size), known topic ids, the valid Paper the file gave)."""
PaperCache = dict[str, CachedPaper]
"""file name -> its CachedPaper."""


def load_list(content: Path) -> ReadingList:
    """Read content/ (site.yaml, topics.yaml, papers/*.yaml); raise ContentError listing all."""
    return load_list_reusing(content, {})[0]


def load_list_reusing(
    content: Path, cache: Mapping[str, CachedPaper]
) -> tuple[ReadingList, PaperCache]:
    """load_list(), with a paper file unchanged since it was cached (same mtime and size, same
    known topics) not parsed again; also returns the cache of this load's papers."""
    problems: list[Problem] = []
    site = _load_site(content / "site.yaml", problems)
    topics = _load_topics(content / "topics.yaml", problems)
    topic_ids = frozenset(t.id for t in topics)
    papers, fresh = _load_papers(content / "papers", topic_ids, problems, cache)
    if problems:
        raise ContentError(problems)
    return ReadingList(site=site, topics=tuple(topics), papers=tuple(papers)), fresh


class _File:
    """Collects the problems of one file, located by field path."""

    def __init__(self, name: str, located: Located, problems: list[Problem]) -> None:
        self.name = name
        self.located = located
        self.problems = problems
        for line, field, message in located.problems:
            problems.append(Problem(self.name, line, field, message))

    def error(self, field: str, message: str, hint: str = "") -> None:
        line = self.located.lines.get(field, self.located.lines.get(field.split(".")[0], 1))
        self.problems.append(Problem(self.name, line, field, message, hint))


def _read(
    path: Path, name: str, problems: list[Problem], folder: Path | None = None
) -> Located | None:
    # Only a link can point elsewhere; resolving every path would cost more than parsing.
    if folder is not None and path.is_symlink() and path.resolve().parent != folder.resolve():
        problems.append(Problem(name, 0, "file", "points outside its folder", "use a plain file"))
        return None
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        problems.append(
            Problem(name, 0, "file", f"{size} bytes is over the {MAX_FILE_BYTES}-byte limit")
        )
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, 0, "file", f"not UTF-8 text ({exc.reason})"))
        return None
    try:
        return parse_yaml(text)
    except YamlSyntaxError as exc:
        problems.append(Problem(name, exc.line, "yaml", exc.message))
        return None


def _nearest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f"did you mean '{close[0]}'?" if close else f"expected one of: {', '.join(choices)}"


def _mapping(f: _File, allowed: tuple[str, ...], what: str) -> dict[str, Any] | None:
    value = f.located.value
    if not isinstance(value, dict):
        f.error("yaml", f"expected a mapping of {what} fields, got {type(value).__name__}")
        return None
    for key in value:
        if key not in allowed:
            f.error(key, "unknown field", _nearest(key, allowed))
    return value


def _text(f: _File, data: dict[str, Any], field: str, *, required: bool = False) -> str | None:
    value = data.get(field)
    if value is None or value == "":
        if required:
            f.error(field, "missing", f"every entry needs a {field}")
        return None
    if not isinstance(value, str):
        f.error(field, f"expected text, got a {_kind(value)}")
        return None
    return value.strip() or None


def _text_list(f: _File, data: dict[str, Any], field: str) -> tuple[str, ...]:
    value = data.get(field)
    if value is None:
        return ()
    if not isinstance(value, list):
        f.error(field, f"expected a list, got {_kind(value)} '{value}'", f"write it as [{value}]")
        return ()
    items = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            f.error(f"{field}.{i}", "expected non-empty text")
        else:
            items.append(item.strip())
    return tuple(items)


def _kind(value: object) -> str:
    names: dict[type, str] = {dict: "mapping", list: "list", str: "text"}
    return names.get(type(value), type(value).__name__)


def _load_site(path: Path, problems: list[Problem]) -> Site:
    if not path.exists():
        return Site()
    name = display_path(path)
    located = _read(path, name, problems)
    if located is None:
        return Site()
    f = _File(name, located, problems)
    data = _mapping(f, SITE_FIELDS, "site")
    if data is None:
        return Site()
    url = _url(f, data, "url")
    repo_url = _url(f, data, "repo_url")
    return Site(
        title=_text(f, data, "title") or Site.title,
        description=_text(f, data, "description") or "",
        url=url,
        repo_url=repo_url,
    )


def _url(f: _File, data: dict[str, Any], field: str) -> str | None:
    value = _text(f, data, field)
    if value is not None and not URL_RE.match(value):
        f.error(field, f"'{value}' is not an http(s) URL", "links must start with https://")
        return None
    return value


def _load_topics(path: Path, problems: list[Problem]) -> list[Topic]:
    name = display_path(path)
    if not path.exists():
        problems.append(Problem(name, 0, "file", "missing", "declare the list's topics here"))
        return []
    located = _read(path, name, problems)
    if located is None:
        return []
    f = _File(name, located, problems)
    if not isinstance(located.value, list):
        f.error("yaml", "expected a list of topics")
        return []
    topics: list[Topic] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(located.value):
        line = located.lines.get(str(i), 1)
        if not isinstance(raw, dict):
            problems.append(Problem(name, line, str(i), "expected a topic mapping"))
            continue
        item = _File(name, Located(raw, _sub_lines(located.lines, str(i))), problems)
        _mapping(item, TOPIC_FIELDS, "topic")
        topic_id = _text(item, raw, "id", required=True)
        title = _text(item, raw, "title", required=True)
        description = _text(item, raw, "description", required=True)
        keywords = tuple(k.lower() for k in _text_list(item, raw, "keywords"))
        if topic_id is None:
            continue
        if not SLUG_RE.match(topic_id) or len(topic_id) > MAX_SLUG:
            item.error("id", f"'{topic_id}' is not a valid id", _ID_HINT)
            continue
        if topic_id in seen:
            item.error("id", f"duplicate id '{topic_id}' (first on line {seen[topic_id]})")
            continue
        seen[topic_id] = line
        topics.append(Topic(topic_id, title or topic_id, description or "", keywords, line=line))
    return topics


_ID_HINT = f"lowercase ASCII words joined by hyphens, at most {MAX_SLUG} characters"


def _sub_lines(lines: dict[str, int], prefix: str) -> dict[str, int]:
    cut = len(prefix) + 1
    return {k[cut:]: v for k, v in lines.items() if k.startswith(prefix + ".")}


def _load_papers(
    folder: Path,
    topic_ids: frozenset[str],
    problems: list[Problem],
    cache: Mapping[str, CachedPaper],
) -> tuple[list[Paper], PaperCache]:
    if not folder.is_dir():
        problems.append(Problem(display_path(folder), 0, "file", "missing folder"))
        return [], {}
    papers: dict[str, Paper] = {}
    fresh: PaperCache = {}
    first_file: dict[str, str] = {}
    # scandir: names and stats without a Path per file, which matters at 10,000 papers.
    with os.scandir(folder) as listing:
        entries = sorted(
            (e for e in listing if e.name.endswith((".yaml", ".yml"))), key=lambda e: e.name
        )
    shown = display_path(folder)
    now = time.time_ns()
    for entry in entries:
        paper_id = entry.name.rsplit(".", 1)[0]
        name = f"{shown}/{entry.name}"
        if not SLUG_RE.match(paper_id) or len(paper_id) > MAX_SLUG:
            problems.append(Problem(name, 0, "id", f"'{paper_id}' is not a valid id", _ID_HINT))
            continue
        if paper_id in first_file:
            problems.append(
                Problem(
                    name, 0, "id", f"duplicate id '{paper_id}'", f"{first_file[paper_id]} has it"
                )
            )
            continue
        first_file[paper_id] = name
        stat = entry.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        cached = cache.get(name)
        # A file modified in the last seconds may change again within the same timestamp
        # tick (git's "racy" entries): such files are always read again.
        settled = key[0] < now - RACY_NS
        if cached is not None and settled and cached[0] == key and cached[1] == topic_ids:
            papers[paper_id] = cached[2]
            fresh[name] = cached
            continue
        located = _read(Path(entry.path), name, problems, folder)
        if located is None:
            continue
        paper = _paper(paper_id, _File(name, located, problems), topic_ids)
        if paper is not None:
            papers[paper_id] = paper
            fresh[name] = (key, topic_ids, paper)
    log.debug("loaded %d papers from %s", len(papers), folder)
    return [papers[k] for k in sorted(papers)], fresh


def _paper(paper_id: str, f: _File, topic_ids: frozenset[str]) -> Paper | None:
    data = _mapping(f, PAPER_FIELDS, "paper")
    if data is None:
        return None
    before = len(f.problems)
    title = _text(f, data, "title", required=True)
    abstract = _text(f, data, "abstract")
    paper = Paper(
        id=paper_id,
        title=" ".join((title or "").split()),
        path=f.name,
        abstract=abstract,
        authors=_text_list(f, data, "authors"),
        year=_checked(f, data, "year", _year),
        venue=_text(f, data, "venue"),
        links=_links(f, data),
        topics=_topics(f, data, topic_ids),
        status=_checked(f, data, "status", _status) or "to-read",
        added=_checked(f, data, "added", _date),
        notes=_text(f, data, "notes"),
        sources=_text_list(f, data, "sources"),
        sort_title=normalize_title(title or ""),
        excerpt=excerpt(abstract),
    )
    return paper if len(f.problems) == before else None


Parsed = tuple[T | None, str, str]
"""A field parser's answer: the value, or None with a message and a hint."""


def _checked(
    f: _File, data: dict[str, Any], field: str, parse: Callable[[str], Parsed[T]]
) -> T | None:
    raw = _text(f, data, field)
    if raw is None:
        return None
    value, message, hint = parse(raw)
    if value is None:
        f.error(field, message, hint)
    return value


def _year(raw: str) -> Parsed[int]:
    if YEAR_RE.match(raw) and 1000 <= int(raw) <= dt.date.today().year + 1:
        return int(raw), "", ""
    return None, f"expected a year like 2024, got '{raw}'", ""


def _status(raw: str) -> Parsed[str]:
    if raw in STATUSES:
        return raw, "", ""
    return None, f"unknown status '{raw}'", _nearest(raw, STATUSES)


def _date(raw: str) -> Parsed[dt.date]:
    if DATE_RE.match(raw):
        try:
            return dt.date.fromisoformat(raw), "", ""
        except ValueError:
            pass
    return None, f"expected a date like 2024-05-31, got '{raw}'", ""


def _links(f: _File, data: dict[str, Any]) -> tuple[Link, ...]:
    raw = data.get("links")
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        f.error("links", f"expected a mapping of {', '.join(LINK_KINDS)}, got {_kind(raw)}")
        return ()
    links = []
    for kind, value in raw.items():
        field = f"links.{kind}"
        if kind not in LINK_KINDS:
            f.error(field, "unknown link kind", _nearest(kind, LINK_KINDS))
            continue
        if not isinstance(value, str) or not value.strip():
            f.error(field, "expected text")
            continue
        value = value.strip()
        if kind == "arxiv":
            if not ARXIV_RE.match(value):
                f.error(field, f"'{value}' is not an arXiv id", "write the id, like 2310.10010")
                continue
            url = f"https://arxiv.org/abs/{value}"
        elif kind == "doi":
            if not DOI_RE.match(value):
                f.error(field, f"'{value}' is not a DOI", "write the DOI, like 10.1000/xyz123")
                continue
            url = f"https://doi.org/{value}"
        else:
            if not URL_RE.match(value):
                f.error(
                    field, f"'{value}' is not an http(s) link", "links must start with https://"
                )
                continue
            url = value
        links.append(Link(kind, value, url))
    return tuple(sorted(links, key=lambda link: LINK_KINDS.index(link.kind)))


def _topics(f: _File, data: dict[str, Any], topic_ids: frozenset[str]) -> tuple[str, ...]:
    topics = _text_list(f, data, "topics")
    if "topics" in data and not isinstance(data["topics"], list):
        return ()
    if not topics:
        f.error("topics", "at least one topic is required", "add a topic id from topics.yaml")
        return ()
    known = sorted(topic_ids)
    for i, topic in enumerate(topics):
        if topic not in topic_ids:
            f.error(f"topics.{i}", f"unknown topic '{topic}'", _nearest(topic, known))
    return topics
