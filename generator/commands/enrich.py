"""`readinglist enrich [--dry-run] [PAPER...]`: fill absent facts from title searches, proven.

A candidate from a service is accepted only when its normalized title equals the paper's and,
where both have abstracts, the abstracts agree; only absent fields are filled, each recorded in
the paper's `provenance:` list as `field: service date`. All or nothing, like import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from generator.content.load import PAPER_FIELDS, load_list
from generator.content.paperfile import add_fields, edit_list
from generator.content.reading import read_paper_texts
from generator.importers.draft import Draft
from generator.importers.identity import title_key
from generator.importers.validate import validate_and_write
from generator.model import Paper
from generator.services.arxiv import search_arxiv
from generator.services.crossref import search_crossref
from generator.services.http import Client, ServiceError
from generator.services.lookup import cache_dir
from generator.services.openalex import search_openalex

ABSTRACT_AGREEMENT = 85
"""rapidfuzz token-set ratio two abstracts must reach. The same abstract as two services give
it (JATS vs plain, LaTeX kept or decoded, a sentence cut) scores well above 90; distinct papers
that share a title have abstracts on different matters that score far below 70."""
Search = Callable[[Client, str], list[Draft]]
SEARCHES: tuple[tuple[str, Search], ...] = (
    ("arxiv", search_arxiv),
    ("crossref", search_crossref),
    ("openalex", search_openalex),
)
WANTED = ("authors", "year", "venue", "links.arxiv", "links.doi")


@dataclass
class EnrichReport:
    filled: list[str] = field(default_factory=list)
    """`papers/x.yaml: year = 2016 (crossref)`, one per fact."""
    rejected: list[str] = field(default_factory=list)
    """Candidates whose title matched but whose abstract did not."""
    searched: int = 0


def enrich(
    content: Path,
    papers: Sequence[str] = (),
    *,
    dry_run: bool = False,
    offline: bool = False,
    today: dt.date | None = None,
    client: Client | None = None,
    searches: tuple[tuple[str, Search], ...] = SEARCHES,
) -> EnrichReport:
    reading_list = load_list(content)
    chosen = [p for p in reading_list.papers if not papers or p.id in papers]
    unknown = sorted(set(papers) - {p.id for p in reading_list.papers})
    if unknown:
        raise ServiceError(f"enrich: no paper with id {', '.join(unknown)} in {content}/papers")
    site = reading_list.site
    client = client or Client(cache_dir=cache_dir(content), contact=site.contact, offline=offline)
    date = (today or dt.date.today()).isoformat()
    report = EnrichReport()
    writes: dict[Path, tuple[str, str]] = {}
    files: dict[str, tuple[Path, str]] | None = None
    try:
        for paper in chosen:
            missing = _missing(paper)
            if not missing:
                continue
            report.searched += 1
            fill, proof = _search(client, paper, missing, searches, report)
            if not fill:
                continue
            if files is None:  # read as load reads them: regular files in content/ only
                files = {p.stem: (p, text) for p, text in read_paper_texts(content).items()}
            path, text = files[paper.id]
            text = add_fields(text, fill, PAPER_FIELDS)
            lines = [f"{name}: {service} {date}" for name, service in proof.items()]
            text = edit_list(text, "provenance", lines, append=True)
            shown = path.relative_to(content).as_posix()  # papers/<file>, as check names it
            writes[path] = (text, shown)
            report.filled += [f"{shown}: {n} ({s})" for n, s in proof.items()]
    finally:
        client.close()
    if not dry_run:
        validate_and_write(content, writes)
    return report


def _missing(paper: Paper) -> list[str]:
    kinds = {link.kind for link in paper.links}
    have = {
        "authors": bool(paper.authors),
        "year": paper.year is not None,
        "venue": bool(paper.venue),
        "links.arxiv": "arxiv" in kinds,
        "links.doi": "doi" in kinds,
    }
    return [name for name in WANTED if not have[name]]


def _search(
    client: Client,
    paper: Paper,
    missing: list[str],
    searches: tuple[tuple[str, Search], ...],
    report: EnrichReport,
) -> tuple[dict[str, Any], dict[str, str]]:
    fill: dict[str, Any] = {}
    proof: dict[str, str] = {}
    for service, search in searches:
        if not missing:
            break
        try:
            candidates = search(client, paper.title)
        except ServiceError as exc:
            raise ServiceError(f"{exc} (paper {paper.id})") from None
        match = _accepted(paper, candidates, service, report)
        if match is None:
            continue
        offered = {
            "authors": list(match.authors) or None,
            "year": match.year,
            "venue": match.venue,
            "links.arxiv": match.links.get("arxiv"),
            "links.doi": match.links.get("doi"),
        }
        for name in list(missing):
            if offered[name] is None:
                continue
            if name.startswith("links."):
                fill.setdefault("links", {})[name[6:]] = offered[name]
            else:
                fill[name] = offered[name]
            proof[name] = service
            missing.remove(name)
    return fill, proof


def _accepted(
    paper: Paper, candidates: list[Draft], service: str, report: EnrichReport
) -> Draft | None:
    for draft in candidates:
        if title_key(draft.title) != title_key(paper.title):
            continue
        if paper.abstract and draft.abstract:
            score = fuzz.token_set_ratio(paper.abstract.lower(), draft.abstract.lower())
            if score < ABSTRACT_AGREEMENT:
                report.rejected.append(
                    f"papers/{paper.id}.yaml: {service} has the title but another abstract "
                    f"({score:.0f} < {ABSTRACT_AGREEMENT})"
                )
                continue
        return draft
    return None
