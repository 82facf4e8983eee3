"""CSL-JSON in (Zotero's and Manubot's exports): a list of items, or one item."""

from __future__ import annotations

import json
import re
from typing import Any

from generator.importers.draft import Draft, Parsed
from generator.importers.normalize import (
    add_ids,
    add_link,
    arxiv_id,
    clean_text,
    decode_latex,
    doi,
    people,
    person,
    year,
)

_TAG_SPLIT = re.compile(r"[,;]")
_PREPRINT = re.compile(r"^(arxiv|corr)\b", re.IGNORECASE)


def parse_csl_json(name: str, text: str) -> Parsed:
    """Each item as a Draft, located by the line its object starts on."""
    parsed = Parsed()
    items = _items_with_lines(name, text, parsed)
    for line, item in items:
        where = f"{name}:{line}"
        if not isinstance(item, dict):
            parsed.problem(name, line, "csl-json", f"expected an item object, got {_kind(item)}")
            continue
        title = clean_text(item.get("title"))
        if title is None:
            parsed.warnings.append(f"{where}: item '{item.get('id', '?')}' has no title; skipped")
            parsed.skipped += 1
            continue
        draft = Draft(title=decode_latex(title), source=name, where=where)
        draft.abstract = clean_text(item.get("abstract"))
        draft.authors = people([_author(a) for a in _list(item.get("author"))])
        draft.year = _issued(item.get("issued"))
        for key in ("container-title", "event-title", "event"):
            venue = clean_text(_first(item.get(key)))
            if venue and not _PREPRINT.match(venue):
                draft.venue = venue
                break
        note = item.get("note")
        arxiv = arxiv_id(item.get("arxiv"), item.get("URL"), item.get("number"), note,
                         _first(item.get("container-title")))  # fmt: skip
        add_ids(draft, arxiv, doi(item.get("DOI")) or doi(item.get("URL")))
        add_link(draft, "url", item.get("URL"), parsed)
        add_ids(draft, draft.links.get("arxiv"), draft.links.get("doi"))
        keywords = item.get("keyword")
        tags = _TAG_SPLIT.split(keywords) if isinstance(keywords, str) else []
        draft.tags = tuple(t.strip() for t in tags if t.strip())
        parsed.drafts.append(draft)
    return parsed


def _items_with_lines(name: str, text: str, parsed: Parsed) -> list[tuple[int, Any]]:
    """Decode the top-level list item by item, so each item knows its line."""
    decoder = json.JSONDecoder()
    i = _skip(text, 0)
    try:
        if i < len(text) and text[i] == "{":
            return [(_line(text, i), decoder.raw_decode(text, i)[0])]
        if i >= len(text) or text[i] != "[":
            parsed.problem(name, _line(text, i), "csl-json", "expected a list of items")
            return []
        items, i = [], _skip(text, i + 1)
        while i < len(text) and text[i] != "]":
            value, end = decoder.raw_decode(text, i)
            items.append((_line(text, i), value))
            i = _skip(text, end)
            if i < len(text) and text[i] == ",":
                i = _skip(text, i + 1)
            elif i < len(text) and text[i] != "]":
                raise json.JSONDecodeError("expected ',' or ']'", text, i)
        if i >= len(text):
            raise json.JSONDecodeError("unclosed list", text, i)
        return items
    except json.JSONDecodeError as exc:
        parsed.problem(name, exc.lineno, "json", exc.msg)
        return []
    except RecursionError:
        parsed.problem(name, _line(text, i), "json", "nested too deeply")
        return []


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _line(text: str, i: int) -> int:
    return text.count("\n", 0, i) + 1


def _kind(value: object) -> str:
    names: dict[type, str] = {dict: "object", list: "list", str: "text"}
    return names.get(type(value), type(value).__name__)


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _first(value: object) -> object:
    return value[0] if isinstance(value, list) and value else value


def _author(value: object) -> str | None:
    if not isinstance(value, dict):
        return None
    literal = clean_text(value.get("literal"))
    if literal:
        return person("", literal)
    given = clean_text(value.get("given")) or ""
    family = " ".join(
        p for p in (clean_text(value.get("non-dropping-particle")), clean_text(value.get("family")))
        if p
    )  # fmt: skip
    return person(given, family)


def _issued(value: object) -> int | None:
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return year(parts[0][0])
    return year(value.get("raw")) or year(value.get("literal"))
