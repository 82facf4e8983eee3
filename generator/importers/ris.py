"""RIS in (rispy): EndNote, Zotero and publisher exports."""

from __future__ import annotations

import re
from typing import Any

import rispy

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

_TAG = re.compile(r"^([A-Z][A-Z0-9])  -( |$)")
_PREPRINT = re.compile(r"^(arxiv|corr)\b", re.IGNORECASE)
TITLE_KEYS = ("title", "primary_title", "translated_title")
VENUE_KEYS = ("secondary_title", "journal_name", "alternate_title3", "alternate_title1")
LINK_KEYS = (("file_attachments1", "pdf"), ("file_attachments2", "pdf"), ("urls", "url"))


def parse_ris(name: str, text: str) -> Parsed:
    """Each `TY` ... `ER` record as a Draft, located by its `TY` line."""
    parsed = Parsed()
    starts = _record_lines(name, text, parsed)
    if parsed.problems:
        return parsed
    try:
        records: list[dict[str, Any]] = rispy.loads(text)
    except Exception as exc:  # rispy raises bare IOError/ParseError subclasses
        parsed.problem(name, 1, "ris", " ".join(str(exc).split())[:200])
        return parsed
    for line, record in zip(starts, records, strict=False):
        where = f"{name}:{line}"
        title = next((clean_text(record.get(k)) for k in TITLE_KEYS if record.get(k)), None)
        if title is None:
            parsed.warnings.append(f"{where}: record has no title; skipped")
            parsed.skipped += 1
            continue
        draft = Draft(title=decode_latex(title), source=name, where=where)
        draft.abstract = clean_text(record.get("abstract")) or clean_text(
            record.get("notes_abstract")
        )
        names = [*_strings(record.get("authors")), *_strings(record.get("first_authors"))]
        draft.authors = people([_name(n) for n in names])
        draft.year = next(
            filter(None, (year(record.get(k)) for k in ("year", "publication_year", "date"))), None
        )
        for key in VENUE_KEYS:
            venue = clean_text(record.get(key))
            if venue and not _PREPRINT.match(venue):
                draft.venue = venue
                break
        urls = _strings(record.get("urls"))
        notes = _strings(record.get("notes"))
        arxiv = arxiv_id(*urls, *notes, record.get("number"), record.get("secondary_title"))
        add_ids(draft, arxiv, doi(record.get("doi")) or next(filter(None, map(doi, urls)), None))
        for key, kind in LINK_KEYS:
            for value in _strings(record.get(key)):
                add_link(draft, kind, value, parsed)
        add_ids(draft, draft.links.get("arxiv"), draft.links.get("doi"))
        draft.tags = tuple(
            t for t in (clean_text(k) for k in _strings(record.get("keywords"))) if t
        )
        parsed.drafts.append(draft)
    return parsed


def _record_lines(name: str, text: str, parsed: Parsed) -> list[int]:
    """Lines of each `TY` tag; a record left open or a tag outside one is a problem."""
    starts: list[int] = []
    open_at = 0
    for number, line in enumerate(text.splitlines(), 1):
        tag = _TAG.match(line)
        if tag is None:
            continue
        if tag.group(1) == "TY":
            if open_at:
                parsed.problem(name, open_at, "ris", "record has no ER line before the next TY")
            open_at = number
            starts.append(number)
        elif tag.group(1) == "ER":
            if not open_at:
                parsed.problem(name, number, "ris", "ER without a TY record before it")
            open_at = 0
        elif not open_at:
            parsed.problem(name, number, "ris", f"tag {tag.group(1)} outside a TY ... ER record")
    if open_at:
        parsed.problem(name, open_at, "ris", "record has no ER line")
    if not starts:
        parsed.problem(name, 1, "ris", "no 'TY  - ' record")
    return starts


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _name(raw: str) -> str | None:
    # RIS writes "Family, Given[, Suffix]".
    parts = [p.strip() for p in raw.split(",")]
    if len(parts) == 1:
        return person("", parts[0])
    suffix = f", {parts[2]}" if len(parts) > 2 and parts[2] else ""
    return person(parts[1], parts[0] + suffix)
