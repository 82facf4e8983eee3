"""Load and validate content/: every problem in one pass, then one ReadingList or one error."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from pathlib import Path

from generator.content import fields
from generator.content.fields import FileProblems, printable, quoted
from generator.content.files import (
    MAX_FILE_BYTES,
    MAX_SITE_BYTES,
    MAX_TOPICS_BYTES,
    VANISHED,
    too_big,
)
from generator.content.reading import (
    EXTENSIONS,
    ContentRoot,
    content_root,
    locate_file,
    paper_entries,
    parse_file,
    read_top,
)
from generator.content.slug import RESERVED_IDS, id_hint, is_valid_id, normalize_title, slugify
from generator.content.yamlio import Located, YamlSyntaxError, parse_yaml
from generator.errors import ContentError, Problem
from generator.incremental.write import RACY_NS
from generator.model import Paper, ReadingList, Site, Topic
from generator.render.text import excerpt

__all__ = ["MAX_FILE_BYTES", "PaperCache", "load_list"]

log = logging.getLogger(__name__)

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
    "provenance",
)
TOPIC_FIELDS = ("id", "title", "description", "keywords")
SITE_FIELDS = ("title", "description", "url", "repo_url", "owner", "contact")

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
    root = content_root(content)
    if not os.path.isdir(content):
        raise ContentError([Problem(root.shown, 0, "file", "no such folder")])
    problems: list[Problem] = []
    site = _load_site(root, problems)
    topics = _load_topics(root, problems)
    topic_ids = frozenset(t.id for t in topics)
    papers, fresh = _load_papers(root, topic_ids, problems, cache)
    if problems:
        raise ContentError(problems)
    return ReadingList(site=site, topics=tuple(topics), papers=tuple(papers)), fresh


def _load_site(root: ContentRoot, problems: list[Problem]) -> Site:
    located = read_top(root, "site.yaml", MAX_SITE_BYTES, problems)
    if isinstance(located, bool):
        return Site()
    f = FileProblems(f"{root.shown}/site.yaml", located, problems)
    data = fields.mapping(f, SITE_FIELDS, "site fields")
    if data is None:
        return Site()
    site_title = fields.title(f, data) if data.get("title") not in (None, "") else None
    return Site(
        title=site_title or Site.title,
        description=fields.text(f, data, "description") or "",
        url=fields.http_url(f, data, "url"),
        repo_url=fields.http_url(f, data, "repo_url"),
        owner_names=fields.owner_names(f, data),
        contact=fields.email(f, data, "contact"),
    )


def _load_topics(root: ContentRoot, problems: list[Problem]) -> list[Topic]:
    name = f"{root.shown}/topics.yaml"
    located = read_top(root, "topics.yaml", MAX_TOPICS_BYTES, problems)
    if located is False:
        problems.append(Problem(name, 0, "file", "missing", "declare the list's topics here"))
    if isinstance(located, bool):
        return []
    outside, inside = _split_problems(located)
    f = FileProblems(name, Located(located.value, located.lines, outside), problems)
    if located.value is None:
        problems.append(Problem(name, 0, "yaml", "empty file: expected a list of topics"))
        return []
    if not isinstance(located.value, list):
        f.error("yaml", "expected a list of topics")
        return []
    raws = [(i, raw) for i, raw in enumerate(located.value) if isinstance(raw, dict)]
    # Every well-formed id, so that a malformed one can be told which it would collide with.
    valid = {
        raw["id"]: located.lines.get(f"{i}.id", 1)
        for i, raw in reversed(raws)
        if isinstance(raw.get("id"), str) and is_valid_id(raw["id"])
    }
    topics: list[Topic] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(located.value):
        line = located.lines.get(str(i), 1)
        if not isinstance(raw, dict):
            problems.append(Problem(name, line, str(i), "expected a topic mapping"))
            problems += [Problem(name, n, f"{i}.{at}", m) for n, at, m in inside.get(i, [])]
            continue
        sub = Located(raw, _sub_lines(located.lines, str(i)), inside.get(i, []))
        item = FileProblems(name, sub, problems)
        fields.mapping(item, TOPIC_FIELDS, "topic fields")
        topic_id = fields.text(item, raw, "id", required=True)
        topic_title = fields.title(item, raw)
        description = fields.text(item, raw, "description", required=True)
        keywords = tuple(k.lower() for k in fields.text_list(item, raw, "keywords"))
        if topic_id is None:
            continue
        if not is_valid_id(topic_id):
            taken = {k: f"the topic on line {v}" for k, v in valid.items()}
            item.error("id", f"{quoted(topic_id)} is not a valid id", id_hint(topic_id, taken))
            continue
        if topic_id in RESERVED_IDS:
            item.error("id", f"'{topic_id}' is reserved: {RESERVED_IDS[topic_id]}", "use another")
            continue
        if topic_id in seen:
            item.error("id", f"duplicate id '{topic_id}' (first on line {seen[topic_id]})")
            continue
        seen[topic_id] = line
        topics.append(
            Topic(topic_id, topic_title or topic_id, description or "", keywords, line=line)
        )
    return topics


ReadProblems = list[tuple[int, str, str]]


def _split_problems(located: Located) -> tuple[ReadProblems, dict[int, ReadProblems]]:
    """Reading's problems of the file itself, and of each topic named as the topic's own
    checks name its fields (`title`, not `1.title`: the line tells which topic), so that
    a field refused while reading is not reported a second time by its check."""
    count = len(located.value) if isinstance(located.value, list) else 0
    outside: ReadProblems = []
    inside: dict[int, ReadProblems] = {}
    for line, path, message in located.problems:
        index, _, rest = path.partition(".")
        if rest and index.isdigit() and int(index) < count:
            inside.setdefault(int(index), []).append((line, rest, message))
        else:
            outside.append((line, path, message))
    return outside, inside


def _sub_lines(lines: dict[str, int], prefix: str) -> dict[str, int]:
    cut = len(prefix) + 1
    return {k[cut:]: v for k, v in lines.items() if k.startswith(prefix + ".")}


def _load_papers(
    root: ContentRoot,
    topic_ids: frozenset[str],
    problems: list[Problem],
    cache: Mapping[str, CachedPaper],
) -> tuple[list[Paper], PaperCache]:
    shown, entries = paper_entries(root, problems)
    stems = [e.name.rsplit(".", 1) for e in entries]
    taken: dict[str, str] = {}
    for entry, (stem, extension) in zip(entries, stems, strict=True):
        if is_valid_id(stem) and f".{extension}" in EXTENSIONS:
            taken.setdefault(stem, f"{shown}/{printable(entry.name)}")
    papers: dict[str, Paper] = {}
    fresh: PaperCache = {}
    first_file: dict[str, str] = {}
    now = time.time_ns()
    for entry, (paper_id, extension) in zip(entries, stems, strict=True):
        name = f"{shown}/{printable(entry.name)}"
        problem = _name_problem(name, paper_id, extension, taken, first_file)
        if problem is not None:
            problems.append(problem)
            continue
        first_file[paper_id] = name
        try:
            found = locate_file(root, entry.path, name, problems, entry.stat(follow_symlinks=False))
        except FileNotFoundError:
            problems.append(Problem(name, 0, "file", VANISHED, "run again"))
            continue
        if found is None:
            continue
        key = (found.stat.st_mtime_ns, found.stat.st_size)
        cached = cache.get(name)
        # A file modified in the last seconds may change again within the same timestamp
        # tick (git's "racy" entries): such files are always read again.
        settled = key[0] < now - RACY_NS
        if cached is not None and settled and cached[0] == key and cached[1] == topic_ids:
            papers[paper_id] = cached[2]
            fresh[name] = cached
            continue
        before = len(problems)
        located = parse_file(found, name, MAX_FILE_BYTES, problems)
        if located is None:
            continue
        paper = _paper(paper_id, FileProblems(name, located, problems), topic_ids)
        # Only a file without any problem is cached: a cached paper is not read again.
        if paper is not None and len(problems) == before:
            papers[paper_id] = paper
            fresh[name] = (key, topic_ids, paper)
    log.debug("loaded %d papers from %s", len(papers), shown)
    return [papers[k] for k in sorted(papers)], fresh


def paper_problems(
    name: str, text: str, topic_ids: frozenset[str], read: Located | None = None
) -> list[Problem]:
    """What `check` would say of the paper file `name` (its id from the name) if it held
    `text`: for an import, which checks the files it would write before writing any. `read`:
    what the strict reader reads from `text`, when the writer knows it (paper_document)."""
    paper_id, _, extension = name.rpartition("/")[2].rpartition(".")
    problem = _name_problem(name, paper_id, extension, {}, {})
    if problem is not None:
        return [problem]
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        return [Problem(name, 0, "file", too_big(size, MAX_FILE_BYTES).message)]
    try:
        located = read or parse_yaml(text)
    except YamlSyntaxError as exc:
        return [Problem(name, exc.line, "yaml", exc.message)]
    problems: list[Problem] = []
    _paper(paper_id, FileProblems(name, located, problems), topic_ids)
    return problems


def _name_problem(
    name: str, paper_id: str, extension: str, taken: dict[str, str], first_file: dict[str, str]
) -> Problem | None:
    """Why a file's name cannot give a paper id, if it cannot; `taken`: every valid id's file."""
    if f".{extension}" not in EXTENSIONS:
        slug = slugify(paper_id)
        hint = f"rename it to {slug}.{extension.lower()}"
        if slug in taken:
            hint = f"{taken[slug]} already has the id '{slug}'"
        return Problem(name, 0, "file", f"'.{printable(extension)}' must be lower case", hint)
    if not is_valid_id(paper_id):
        hint = id_hint(paper_id, taken, "rename it to {}.yaml")
        return Problem(name, 0, "id", f"{quoted(paper_id)} is not a valid id", hint)
    if paper_id in RESERVED_IDS:
        message = f"'{paper_id}' is reserved: {RESERVED_IDS[paper_id]}"
        return Problem(name, 0, "id", message, "rename the file")
    if paper_id in first_file:
        return Problem(
            name, 0, "id", f"duplicate id '{paper_id}'", f"{first_file[paper_id]} has it"
        )
    return None


def _paper(paper_id: str, f: FileProblems, topic_ids: frozenset[str]) -> Paper | None:
    """The paper of one file, or None when it is not even a mapping (problems recorded)."""
    data = fields.mapping(f, PAPER_FIELDS, "paper fields")
    if data is None:
        return None
    title = fields.title(f, data)
    abstract = fields.text(f, data, "abstract")
    return Paper(
        id=paper_id,
        title=title or "",
        path=f.name,
        abstract=abstract,
        authors=fields.text_list(f, data, "authors"),
        year=fields.checked(f, data, "year", fields.year),
        venue=fields.text(f, data, "venue"),
        links=fields.links(f, data),
        topics=fields.topics(f, data, topic_ids),
        status=fields.checked(f, data, "status", fields.status) or "to-read",
        added=fields.checked(f, data, "added", fields.date),
        notes=fields.text(f, data, "notes"),
        sources=fields.text_list(f, data, "sources"),
        provenance=fields.text_list(f, data, "provenance"),
        sort_title=normalize_title(title or ""),
        excerpt=excerpt(abstract),
    )
