"""Jekyll and Hugo publication collections: YAML front matter plus a Markdown body.

ml4code's `_publications/*.markdown` (authors as one string, `conference`, `additional_links`,
`tags`) and Hugo Blox's `publication/*/index.md` (authors as a list, `date`, `publication`,
`url_pdf`/`url_code`/`url_slides`, `abstract`) are both read.
"""

from __future__ import annotations

import re
from typing import Any

from generator.content.yamlio import YamlSyntaxError, parse_yaml
from generator.importers.draft import Draft, Parsed
from generator.importers.normalize import (
    add_ids,
    add_link,
    arxiv_id,
    clean_text,
    doi,
    people,
    person,
    year,
)

FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
VENUE_KEYS = ("conference", "venue", "journal", "publication", "booktitle")
LINK_KEYS = (
    ("url_pdf", "pdf"),
    ("pdf", "pdf"),
    ("url_code", "code"),
    ("code", "code"),
    ("url_slides", "slides"),
    ("slides", "slides"),
    ("url", "url"),
    ("url_project", "url"),
)
# `additional_links` names, lower-cased, by the link kind they fill.
NAMED_LINKS = {"pdf": "pdf", "paper": "pdf", "code": "code", "github": "code", "slides": "slides"}
_AND = re.compile(r"\s*(?:,|;|\band\b)\s*")


def has_front_matter(text: str) -> bool:
    return FRONT.match(text) is not None


def parse_collection_file(name: str, text: str) -> Parsed:
    """One publication page as one Draft."""
    parsed = Parsed()
    front = FRONT.match(text)
    if front is None:
        parsed.problem(name, 1, "front matter", "expected YAML front matter between '---' lines")
        return parsed
    try:
        located = parse_yaml(front.group(1) or "")
    except YamlSyntaxError as exc:
        parsed.problem(name, exc.line + 1, "yaml", exc.message)
        return parsed
    for line, field, message in located.problems:
        parsed.problem(name, line + 1, field, message)
    data = located.value
    if not isinstance(data, dict):
        parsed.problem(name, 2, "front matter", "expected a mapping of fields")
        return parsed

    def line_of(key: str) -> int:
        return located.lines.get(key, 0) + 1  # the front matter starts on line 2

    title = clean_text(data.get("title"))
    if title is None:
        parsed.warnings.append(f"{name}:1: no title; skipped")
        parsed.skipped += 1
        return parsed
    draft = Draft(title=title, source=name, where=f"{name}:{line_of('title')}")
    draft.abstract = clean_text(data.get("abstract")) or text[front.end() :].strip() or None
    draft.authors = _authors(data.get("authors", data.get("author")))
    raw_year = data.get("year")
    draft.year = year(raw_year) if raw_year else year(data.get("date"))
    if raw_year and draft.year is None:
        parsed.problem(
            name, line_of("year"), "year", f"expected a year like 2024, got '{raw_year}'"
        )
    draft.venue = next((v for k in VENUE_KEYS if (v := clean_text(data.get(k)))), None)
    extra = _named_links(data.get("additional_links")) + _named_links(data.get("links"))
    urls = [v for _, v in extra] + [data.get(k) for k, _ in LINK_KEYS]
    add_ids(draft, arxiv_id(data.get("arxiv"), data.get("eprint"), *urls), _first_doi(data, urls))
    for key, kind in LINK_KEYS:
        add_link(draft, kind, data.get(key), parsed, where=f"{name}:{line_of(key)}")
    for label, url in extra:
        add_link(draft, NAMED_LINKS.get(label.lower(), "url"), url, parsed)
    add_ids(draft, draft.links.get("arxiv"), draft.links.get("doi"))
    tags = data.get("tags", data.get("categories"))
    draft.tags = tuple(t for t in (clean_text(x) for x in _as_list(tags)) if t)
    parsed.drafts.append(draft)
    return parsed


def _authors(value: Any) -> tuple[str, ...]:
    names = _AND.split(value) if isinstance(value, str) else _as_list(value)
    return people([person("", n) for n in names if isinstance(n, str)])


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, str) else []


def _named_links(value: Any) -> list[tuple[str, str]]:
    links = []
    for item in _as_list(value):
        if isinstance(item, dict) and isinstance(item.get("url"), str):
            links.append((str(item.get("name", "url")), item["url"]))
    return links


def _first_doi(data: dict[str, Any], urls: list[Any]) -> str | None:
    return doi(data.get("doi")) or next(filter(None, (doi(u) for u in urls)), None)
