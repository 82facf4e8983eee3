"""DataCite's REST API: one DOI's record, as a Draft holding only what the record says."""

from __future__ import annotations

import os
from urllib.parse import quote

from generator.importers.draft import Draft
from generator.services.http import Client, ServiceError

BASE = "https://api.datacite.org"


def base_url() -> str:
    return os.environ.get("READINGLIST_DATACITE_API", BASE).rstrip("/")


def fetch_datacite(client: Client, doi: str) -> Draft | None:
    """The record with this DOI, or None when DataCite does not know it."""
    body = client.get_json("datacite", f"{base_url()}/dois/{quote(doi, safe='')}", doi)
    if body is None:
        return None
    try:
        attributes = body["data"]["attributes"]
        title = " ".join(str(attributes["titles"][0]["title"]).split())
    except (KeyError, TypeError, IndexError):
        problem = "malformed response (no record with a title)"
        raise ServiceError(f"datacite: {doi}: {problem}") from None
    authors = []
    for creator in attributes.get("creators") or []:
        given, family = creator.get("givenName"), creator.get("familyName")
        name = f"{given} {family}" if given and family else creator.get("name")
        if isinstance(name, str) and name:
            authors.append(name)
    abstracts = [
        d.get("description")
        for d in attributes.get("descriptions") or []
        if isinstance(d, dict) and d.get("descriptionType") == "Abstract"
    ]
    year = attributes.get("publicationYear")
    return Draft(
        title=title,
        source="datacite",
        where=f"doi:{doi}",
        abstract=abstracts[0] if abstracts and isinstance(abstracts[0], str) else None,
        authors=tuple(authors),
        year=int(year) if isinstance(year, int) or str(year).isdigit() else None,
        links={"doi": str(attributes.get("doi") or doi)},
    )
