"""Semantic Scholar's Graph API: one paper by DOI, as a Draft holding only what it says.

The last resort for a DOI: it indexes arXiv and conference papers that neither registration
agency's record nor OpenAlex describes well. Asked without an API key, so spaced a second
apart (the shared pool's rate)."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote, urlencode

from generator.importers.draft import Draft
from generator.services.http import Client, ServiceError

BASE = "https://api.semanticscholar.org/graph/v1"
FIELDS = "title,abstract,authors,year,venue,externalIds"


def base_url() -> str:
    return os.environ.get("READINGLIST_S2_API", BASE).rstrip("/")


def fetch_semanticscholar(client: Client, doi: str) -> Draft | None:
    """The paper with this DOI, or None when Semantic Scholar does not know it."""
    url = f"{base_url()}/paper/DOI:{quote(doi, safe='/')}?{urlencode({'fields': FIELDS})}"
    paper = client.get_json("semanticscholar", url, doi)
    if paper is None:
        return None
    draft = paper_draft(paper, doi) if isinstance(paper, dict) else None
    if draft is None:
        raise ServiceError(f"semanticscholar: {doi}: the record has no title")
    return draft


def paper_draft(paper: dict[str, Any], doi: str) -> Draft | None:
    title = paper.get("title")
    if not isinstance(title, str) or not title.strip():
        return None
    authors = tuple(
        " ".join(name.split())
        for a in paper.get("authors") or []
        if isinstance(a, dict) and isinstance(name := a.get("name"), str) and name.strip()
    )
    ids = paper.get("externalIds")
    ids = ids if isinstance(ids, dict) else {}
    links = {"doi": doi}
    if isinstance(arxiv := ids.get("ArXiv"), str) and arxiv:
        links["arxiv"] = arxiv
    venue, year, abstract = paper.get("venue"), paper.get("year"), paper.get("abstract")
    return Draft(
        title=" ".join(title.split()),
        source="semanticscholar",
        where=f"doi:{doi}",
        abstract=" ".join(abstract.split()) or None if isinstance(abstract, str) else None,
        authors=authors,
        year=year if isinstance(year, int) else None,
        # "arXiv.org" names the preprint server, which the arXiv link already says.
        venue=venue if isinstance(venue, str) and venue and "arxiv" not in venue.lower() else None,
        links=links,
    )
