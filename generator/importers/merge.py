"""`readinglist import`: files in, one YAML file per work out, all or nothing.

Every entry meets the list by the identity rules of `identity`. A merge only fills fields a
file lacks (by a byte-preserving edit) and records the source; a field the user set is never
changed, and a different offered value is reported as a conflict. Everything is planned and
validated (each written file must pass `check`) before the first byte is written.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.content.files import MAX_TOPICS_BYTES
from generator.content.load import PAPER_FIELDS, load_list
from generator.content.paperfile import (
    add_fields,
    edit_list,
    paper_document,
    paper_yaml,
    set_topics,
)
from generator.content.reading import read_content_text, read_paper_texts
from generator.content.slug import slugify, unique_slug
from generator.content.yamlio import Located, YamlSyntaxError, parse_yaml
from generator.errors import ContentError, display_path
from generator.importers.draft import Draft, Parsed
from generator.importers.identity import Index, Record, title_key
from generator.importers.normalize import year as parse_year
from generator.importers.read import read_inputs
from generator.importers.validate import validate_and_write
from generator.relate.topics import assign_topics, compile_rules

__all__ = ["ImportReport", "import_drafts", "import_files", "paper_yaml", "set_topics"]
log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
REVIEW_TOPIC = "to-review"
REVIEW_YAML = f"""\
- id: {REVIEW_TOPIC}
  title: To review
  description: >-
    Imported papers that no topic's keywords matched. Give each one a topic of the list,
    then remove this topic once it is empty.
"""


@dataclass
class ImportReport:
    """What an import did."""

    added: list[str] = field(default_factory=list)
    """Ids of the papers written anew."""
    merged: list[str] = field(default_factory=list)
    """`papers/id.yaml <- file:line, ...` for papers that gained facts or a source."""
    unchanged: list[str] = field(default_factory=list)
    skipped: int = 0
    conflicts: list[str] = field(default_factory=list)
    """`papers/x.yaml: field: kept 'a', offered 'b' (file:line)`."""
    review: list[str] = field(default_factory=list)
    """Ids of the new papers no topic fitted, filed under the review topic."""
    warnings: list[str] = field(default_factory=list)


def import_files(
    files: Iterable[Path],
    content: Path,
    *,
    titles: Path | None = None,
    added: dt.date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the files into content/papers/; raise ContentError with every problem."""
    return import_drafts(read_inputs(files, titles), content, added=added, progress=progress)


def import_drafts(
    parsed: Parsed,
    content: Path,
    *,
    added: dt.date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Place already-read drafts (from files or services) by the identity rules, all or nothing."""
    problems = list(parsed.problems)
    try:
        reading_list = load_list(content)
    except ContentError as exc:
        raise ContentError(problems + exc.problems) from None
    if problems:
        raise ContentError(problems)
    report = ImportReport(skipped=parsed.skipped, warnings=parsed.warnings)
    texts = read_paper_texts(content)
    index = _existing(texts)
    for done, draft in enumerate(parsed.drafts, 1):
        _place(index, draft, report)
        if progress:
            progress(done, len(parsed.drafts))
    rules = compile_rules(reading_list.topics)
    topic_ids = {t.id: t for t in reading_list.topics}
    taken = {r.key for r in index.records if r.path is not None}
    writes: dict[Path, tuple[str, str]] = {}
    read: dict[Path, Located] = {}
    for record in index.records:
        if record.path is None:
            record.key = unique_slug(record.title, taken)
            taken.add(record.key)
            topics = _topics(record, rules, topic_ids)
            if not topics:
                topics = (REVIEW_TOPIC,)
                report.review.append(record.key)
            text, located = paper_document(_new_fields(record, topics, added or dt.date.today()))
            path = content / "papers" / f"{record.key}.yaml"
            writes[path] = (text, record.merged_from[0])
            if located is not None:
                read[path] = located
            report.added.append(record.key)
            continue
        text = original = texts[record.path]
        if record.fill:
            text = add_fields(text, record.fill, PAPER_FIELDS)
        if record.new_sources:
            text = edit_list(text, "sources", record.new_sources, append=True)
        shown = display_path(record.path)
        if text != original:
            writes[record.path] = (text, record.merged_from[0])
            report.merged.append(f"{shown} <- {', '.join(record.merged_from)}")
        elif record.merged_from:
            report.unchanged.append(record.key)
    if report.review and REVIEW_TOPIC not in topic_ids:
        topics_path = content / "topics.yaml"
        text = read_content_text(content, "topics.yaml", MAX_TOPICS_BYTES)
        writes[topics_path] = (text + ("" if text.endswith("\n") else "\n") + REVIEW_YAML, "")
    validate_and_write(content, writes, read)
    return report


def _existing(texts: dict[Path, str]) -> Index:
    """The list's papers as records (load_list has validated them already)."""
    index = Index()
    for path, text in sorted(texts.items()):
        try:
            data = parse_yaml(text).value
        except YamlSyntaxError:  # pragma: no cover - load_list reported it first
            continue
        data = data if isinstance(data, dict) else {}
        links: dict[str, Any] = data["links"] if isinstance(data.get("links"), dict) else {}
        sources: list[str] = data["sources"] if isinstance(data.get("sources"), list) else []
        record = Record(
            title=str(data.get("title", "")),
            year=parse_year(data.get("year")),
            doi=links.get("doi"),
            arxiv=links.get("arxiv"),
            abstract=data.get("abstract"),
            path=path,
            key=path.stem,
            fields=data,
            sources=list(sources),
        )
        index.add(record)
    return index


def _place(index: Index, draft: Draft, report: ImportReport) -> None:
    doi, arxiv = draft.links.get("doi"), draft.links.get("arxiv")
    record = index.find(draft.title, draft.year, doi, arxiv, draft.abstract)
    offered = _offered(draft)
    if record is None:
        record = Record(draft.title, draft.year, doi, arxiv, draft.abstract, fields=offered)
        record.sources.append(draft.source)
        record.tags.extend(draft.tags)
        record.merged_from.append(draft.where)
        index.add(record)
        return
    record.merged_from.append(draft.where)
    target = record.fields if record.path is None else record.fill
    where = display_path(record.path) if record.path else record.merged_from[0]
    for key, value in offered.items():
        have = record.fields.get(key)
        if key == "links":
            have_links = have if isinstance(have, dict) else {}
            for kind, link in value.items():
                if kind not in have_links:
                    have_links[kind] = link
                    target.setdefault("links", {})[kind] = link  # type: ignore[index]
                elif _differs(have_links[kind], link):
                    _conflict(report, where, f"links.{kind}", have_links[kind], link, draft)
            record.fields["links"] = have_links
            continue
        if have is None or have == "" or have == []:
            record.fields[key] = target[key] = value
        elif key == "title" and title_key(str(have)) == title_key(str(value)):
            continue
        elif _differs(have, value):
            _conflict(report, where, key, have, value, draft)
    record.doi = record.doi or doi
    record.arxiv = record.arxiv or arxiv
    record.year = record.year or draft.year
    if draft.source not in record.sources:
        record.sources.append(draft.source)
        if record.path is not None:
            record.new_sources.append(draft.source)
    record.tags.extend(t for t in draft.tags if t not in record.tags)
    index.update(record)


def _offered(draft: Draft) -> dict[str, Any]:
    offered: dict[str, Any] = {"title": draft.title}
    if draft.authors:
        offered["authors"] = list(draft.authors)
    if draft.year is not None:
        offered["year"] = draft.year
    if draft.venue:
        offered["venue"] = draft.venue
    if draft.links:
        offered["links"] = dict(draft.links)
    if draft.abstract:
        offered["abstract"] = draft.abstract
    return offered


def _differs(have: Any, offered: Any) -> bool:
    if isinstance(have, list) and isinstance(offered, list):
        return [str(x) for x in have] != [str(x) for x in offered]
    return " ".join(str(have).split()).lower() != " ".join(str(offered).split()).lower()


def _conflict(
    report: ImportReport, where: str, key: str, kept: Any, offered: Any, d: Draft
) -> None:
    def short(value: Any) -> str:
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        return text if len(text) <= 80 else text[:77] + "..."

    report.conflicts.append(
        f"{where}: {key}: kept '{short(kept)}', offered '{short(offered)}' ({d.where})"
    )


def _topics(record: Record, rules: Any, topics: dict[str, Any]) -> tuple[str, ...]:
    """The source's own tags where they name a topic, else the topics' keyword rules."""
    by_name = {slugify(t.title): t.id for t in topics.values()} if record.tags else {}
    by_name |= {t: t for t in topics}
    from_tags = [by_name[slugify(tag)] for tag in record.tags if slugify(tag) in by_name]
    if from_tags:
        return tuple(dict.fromkeys(from_tags))
    abstract = record.fields.get("abstract")
    return assign_topics(rules, record.title, abstract if isinstance(abstract, str) else None)


def _new_fields(record: Record, topics: tuple[str, ...], date: dt.date) -> dict[str, Any]:
    """A new paper's fields, in the documented order."""
    fields: dict[str, Any] = {}
    for key in ("title", "authors", "year", "venue", "links"):
        if record.fields.get(key):
            fields[key] = record.fields[key]
    if "links" in fields:
        order = ("arxiv", "doi", "pdf", "code", "slides", "url")
        fields["links"] = {k: fields["links"][k] for k in order if k in fields["links"]}
    fields |= {"topics": list(topics), "status": "to-read", "added": date.isoformat()}
    if record.fields.get("abstract"):
        fields["abstract"] = record.fields["abstract"]
    fields["sources"] = record.sources
    return fields
