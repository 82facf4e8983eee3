"""BibTeX in (bibtexparser 2): @string, `#` concatenation, month macros, crossref, LaTeX."""

from __future__ import annotations

import re

from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import Block, DuplicateBlockKeyBlock, Entry

from generator.importers.draft import Draft, Parsed
from generator.importers.normalize import (
    add_ids,
    add_link,
    arxiv_id,
    decode_latex,
    doi,
    people,
    person,
    year,
)

_MONTH_NAMES = (
    "January February March April May June July August September October November December"
)
MONTHS = {m[:3].lower(): m for m in _MONTH_NAMES.split()}
# al-folio's custom link fields, and the usual ones, by the link kind they fill.
LINK_FIELDS = (
    ("pdf", "pdf"),
    ("code", "code"),
    ("slides", "slides"),
    ("url", "url"),
    ("html", "url"),
    ("website", "url"),
)
TAG_FIELDS = ("keywords", "abbr", "mendeley-tags", "groups")
_PREPRINT_VENUE = re.compile(r"^(arxiv|corr)\b|arxiv:\s*\d", re.IGNORECASE)


class _BadValue(ValueError):
    pass


def parse_bibtex(name: str, text: str) -> Parsed:
    """Every entry of a .bib file as a Draft; broken entries are problems with their line."""
    parsed = Parsed()
    library = parse_string(text, parse_stack=[])
    for block in library.failed_blocks:
        line = _line(block)
        if isinstance(block, DuplicateBlockKeyBlock):
            parsed.warnings.append(f"{name}:{line}: duplicate entry key '{block.key}'; kept both")
            if isinstance(block.ignore_error_block, Entry):
                library.add(block.ignore_error_block, fail_on_duplicate_key=False)
            continue
        message = " ".join(str(getattr(block, "error", "cannot parse")).split())
        parsed.problem(name, line, "bibtex", message[:200])
    strings: dict[str, str] = {}
    for string in library.strings:
        try:
            strings[string.key.lower()] = _evaluate(string.value, strings)
        except _BadValue as exc:
            parsed.problem(name, _line(string), f"@string {string.key}", str(exc))
    entries: list[tuple[Entry, dict[str, str]]] = []
    for entry in library.entries:
        fields: dict[str, str] = {}
        for f in entry.fields:
            try:
                fields[f.key.lower()] = _evaluate(str(f.value), strings)
            except _BadValue as exc:
                parsed.problem(name, _line(entry), f.key.lower(), str(exc))
        entries.append((entry, fields))
    by_key = {entry.key.lower(): fields for entry, fields in entries}
    targets = {f["crossref"].strip().lower() for _, f in entries if f.get("crossref")}
    for entry, fields in entries:
        if entry.entry_type.lower() in ("proceedings", "book") and entry.key.lower() in targets:
            continue  # a crossref target: its facts go to the entries that cite it
        _inherit(fields, by_key, name, entry, parsed)
        draft = _draft(name, entry, fields, parsed)
        if draft is not None:
            parsed.drafts.append(draft)
    return parsed


def _line(block: Block) -> int:
    return (block.start_line or 0) + 1


def _evaluate(raw: str, strings: dict[str, str]) -> str:
    """A field value: `{...}` and `"..."` parts, @string macros and months, joined by `#`."""
    parts, i, n = [], 0, len(raw)
    while i < n:
        while i < n and raw[i].isspace():
            i += 1
        if i >= n:
            break
        if raw[i] in '{"':
            j = _closing(raw, i)
            parts.append(raw[i + 1 : j])
            i = j + 1
        else:
            j = i
            while j < n and raw[j] != "#" and not raw[j].isspace():
                j += 1
            parts.append(_macro(raw[i:j], strings))
            i = j
        while i < n and raw[i].isspace():
            i += 1
        if i < n and raw[i] != "#":
            raise _BadValue(f"expected '#' between parts of '{raw[:60]}'")
        i += 1
    return "".join(parts)


_DELIMITERS = {"{": re.compile(r"[{}]"), '"': re.compile(r'[{}"]')}


def _closing(raw: str, start: int) -> int:
    """Index of the delimiter closing the part opened at `start` (only delimiters are read)."""
    opener, depth = raw[start], 0
    for mark in _DELIMITERS[opener].finditer(raw, start + 1):
        char = mark.group(0)
        if depth == 0 and char == ("}" if opener == "{" else '"'):
            return mark.start()
        depth += 1 if char == "{" else -1 if char == "}" else 0
    raise _BadValue(f"unclosed {opener} in value '{raw[:60]}'")


def _macro(token: str, strings: dict[str, str]) -> str:
    if token.isdigit():
        return token
    if token.lower() in strings:
        return strings[token.lower()]
    if token.lower() in MONTHS:
        return MONTHS[token.lower()]
    raise _BadValue(f"undefined @string '{token}'")


def _inherit(
    fields: dict[str, str], by_key: dict[str, dict[str, str]], name: str, entry: Entry, p: Parsed
) -> None:
    ref = fields.get("crossref", "").strip().lower()
    if not ref:
        return
    parent = by_key.get(ref)
    if parent is None:
        p.warnings.append(f"{name}:{_line(entry)}: crossref '{ref}' not in the file")
        return
    for key, value in parent.items():
        fields.setdefault(key, value)
    if "booktitle" not in fields and "title" in parent:
        fields["booktitle"] = parent["title"]


def _draft(name: str, entry: Entry, fields: dict[str, str], parsed: Parsed) -> Draft | None:
    line = _line(entry)
    where = f"{name}:{line}"
    title = decode_latex(fields.get("title", ""))
    if not title:
        parsed.warnings.append(f"{where}: @{entry.entry_type}{{{entry.key}}} has no title; skipped")
        parsed.skipped += 1
        return None
    draft = Draft(title=title, source=name, where=where)
    draft.abstract = decode_latex(fields.get("abstract", "")) or None
    draft.authors = people(
        [_name(n) for n in split_multiple_persons_names(fields.get("author", "").strip())]
        if fields.get("author", "").strip()
        else []
    )
    raw_year = fields.get("year", "").strip()
    draft.year = year(raw_year) if raw_year else year(fields.get("date", ""))
    if raw_year and draft.year is None:
        parsed.problem(name, line, "year", f"expected a year like 2024, got '{raw_year[:40]}'")
    for key in ("journal", "booktitle", "conference"):
        venue = decode_latex(fields.get(key, ""))
        if venue and not _PREPRINT_VENUE.search(venue):
            draft.venue = venue
            break
    prefix = fields.get("archiveprefix", fields.get("eprinttype", "arxiv")).lower()
    eprint = fields.get("eprint") if prefix == "arxiv" else None
    candidates = [fields.get(k) for k in ("arxiv", "url", "journal", "note", "number", "volume")]
    add_ids(draft, arxiv_id(eprint, *candidates), doi(fields.get("doi")) or doi(fields.get("url")))
    for key, kind in LINK_FIELDS:
        add_link(draft, kind, fields.get(key), parsed)
    if fields.get("file"):
        parsed.warnings.append(f"{where}: file: local file dropped (only http(s) links are kept)")
    add_ids(draft, draft.links.get("arxiv"), draft.links.get("doi"))  # drops a redundant url
    tags = []
    for key in TAG_FIELDS:
        tags += [t.strip() for t in re.split(r"[,;]", decode_latex(fields.get(key, ""))) if t]
    draft.tags = tuple(t for t in tags if t)
    return draft


def _name(raw: str) -> str | None:
    try:
        parts = parse_single_name_into_parts(raw, strict=False)
    except Exception:  # bibtexparser raises its own InvalidNameError; keep the text as is
        return person("", decode_latex(raw))
    given = decode_latex(" ".join(parts.first))
    family = decode_latex(" ".join([*parts.von, *parts.last]))
    jr = decode_latex(" ".join(parts.jr))
    return person(given, family + (f" {jr}" if jr else ""))
