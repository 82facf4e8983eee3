"""OpenAlex: title search, each result as a Draft holding only what the work record says."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote, urlencode

from generator.importers.draft import Draft
from generator.services.http import Client, ServiceError

BASE = "https://api.openalex.org"


def base_url() -> str:
    return os.environ.get("READINGLIST_OPENALEX_API", BASE).rstrip("/")


def search_openalex(client: Client, title: str) -> list[Draft]:
    query = {"filter": f"title.search:{title.replace(',', ' ')}", "per-page": 5}
    if client.contact:
        query["mailto"] = client.contact
    body = client.get_json("openalex", f"{base_url()}/works?{urlencode(query)}", title)
    try:
        results = [] if body is None else body["results"]
    except (KeyError, TypeError):
        raise ServiceError(f"openalex: {title}: malformed response") from None
    return [d for d in (work_draft(w) for w in results if isinstance(w, dict)) if d]


def work_draft(work: dict[str, Any]) -> Draft | None:
    title = work.get("display_name") or work.get("title")
    if not isinstance(title, str) or not title.strip():
        return None
    authors = tuple(
        name
        for a in work.get("authorships") or []
        if isinstance(name := (a.get("author") or {}).get("display_name"), str)
    )
    links = {}
    doi = work.get("doi")
    if isinstance(doi, str) and doi.startswith("https://doi.org/"):
        links["doi"] = doi.removeprefix("https://doi.org/")
    year = work.get("publication_year")
    return Draft(
        title=" ".join(title.split()),
        source="openalex",
        where=str(work.get("id", "openalex")),
        abstract=_abstract(work.get("abstract_inverted_index")),
        authors=authors,
        year=year if isinstance(year, int) else None,
        links=links,
    )


def _abstract(index: Any) -> str | None:
    """OpenAlex ships abstracts as word -> positions; put the words back in order."""
    if not isinstance(index, dict):
        return None
    at = {p: w for w, places in index.items() for p in places if isinstance(p, int)}
    return " ".join(at[p] for p in sorted(at)) or None


def fetch_openalex(client: Client, doi: str) -> Draft | None:
    """The work with this DOI, or None when OpenAlex does not know it (its 404 is HTML)."""
    url = f"{base_url()}/works/https://doi.org/{quote(doi, safe='')}"
    if client.contact:
        url += "?" + urlencode({"mailto": client.contact})
    work = client.get_json("openalex", url, doi)
    if work is None:
        return None  # OpenAlex answers 404 with an HTML page
    draft = work_draft(work) if isinstance(work, dict) else None
    if draft is None:
        raise ServiceError(f"openalex: {doi}: the record has no title")
    return draft
