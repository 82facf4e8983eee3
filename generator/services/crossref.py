"""Crossref's REST API: one work by DOI, as a Draft holding only what the record says."""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import quote, urlencode

from generator.importers.draft import Draft
from generator.services.http import Client, ServiceError

BASE = "https://api.crossref.org"
JATS_TAG = re.compile(r"</?jats:[a-z\-]+[^>]*>")
"""Crossref abstracts are JATS XML fragments: the jats: markup goes, any other text stays text
(rendering escapes it like any other untrusted text)."""


def base_url() -> str:
    return os.environ.get("READINGLIST_CROSSREF_API", BASE).rstrip("/")


def fetch_crossref(client: Client, doi: str) -> Draft | None:
    """The work with this DOI, or None when Crossref does not know it (try DataCite then)."""
    url = f"{base_url()}/works/{quote(doi, safe='')}"
    if client.contact:
        url += "?" + urlencode({"mailto": client.contact})  # Crossref's polite pool
    body = client.get_json("crossref", url, doi)
    if body is None:
        return None
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, dict):
        raise ServiceError(f"crossref: {doi}: malformed response (not a Crossref work)")
    draft = work_draft(message, doi)
    if draft is None:
        raise ServiceError(f"crossref: {doi}: the record has no title")
    return draft


def work_draft(work: dict[str, Any], doi: str) -> Draft | None:
    title = _first(work.get("title"))
    if not title:
        return None
    authors = tuple(
        name
        for a in work.get("author") or []
        if isinstance(a, dict)
        and (name := " ".join(str(a[k]) for k in ("given", "family") if a.get(k)) or a.get("name"))
    )
    abstract = work.get("abstract")
    if isinstance(abstract, str):
        abstract = " ".join(JATS_TAG.sub(" ", abstract).split()) or None
    return Draft(
        title=title,
        source="crossref",
        where=f"doi:{doi}",
        abstract=abstract if isinstance(abstract, str) else None,
        authors=authors,
        year=_year(work),
        venue=_first(work.get("container-title")),
        links={"doi": str(work.get("DOI") or doi)},
    )


def _first(value: Any) -> str | None:
    if isinstance(value, list) and value and isinstance(value[0], str):
        return " ".join(value[0].split()) or None
    return None


def _year(work: dict[str, Any]) -> int | None:
    for key in ("issued", "published", "published-print", "published-online"):
        parts = (work.get(key) or {}).get("date-parts") or [[None]]
        if parts and parts[0] and isinstance(parts[0][0], int):
            return parts[0][0]
    return None


def search_crossref(client: Client, title: str) -> list[Draft]:
    """Crossref's bibliographic query: its top hits, which the caller must check."""
    query = {"query.bibliographic": title, "rows": 3}
    if client.contact:
        query["mailto"] = client.contact
    body = client.get_json("crossref", f"{base_url()}/works?{urlencode(query)}", title)
    try:
        items = [] if body is None else body["message"]["items"]
    except (KeyError, TypeError):
        raise ServiceError(f"crossref: {title}: malformed response") from None
    drafts = (work_draft(w, str(w.get("DOI", ""))) for w in items if isinstance(w, dict))
    return [d for d in drafts if d is not None]
