"""From an identifier to a Draft: which service has the facts for it."""

from __future__ import annotations

from pathlib import Path

from generator.importers.draft import Draft
from generator.services.arxiv import fetch_arxiv
from generator.services.crossref import fetch_crossref
from generator.services.datacite import fetch_datacite
from generator.services.http import Client, ServiceError
from generator.services.ids import parse_identifier
from generator.services.openalex import fetch_openalex
from generator.services.semanticscholar import fetch_semanticscholar

CACHE_FOLDER = ".readinglist-http"
"""Beside content/: the response cache, so a second run and --offline need no network."""


def cache_dir(content: Path) -> Path:
    return content.resolve().parent / CACHE_FOLDER


def lookup(client: Client, text: str) -> Draft:
    """The paper `text` names; ServiceError (one line naming service and id) otherwise.

    DOIs: Crossref registers most journal and conference DOIs; on its 404 the DOI is asked of
    DataCite (data sets, reports, preprint servers), which saves a registration-agency request
    for the common case; then OpenAlex, which indexes both and more, and Semantic Scholar."""
    identifier = parse_identifier(text)
    if identifier is None:
        raise ServiceError(
            f"add: {text}: expected an arXiv id (2401.01234, astro-ph/0601001), an arxiv.org "
            "abs/pdf URL, a DOI (10.1234/x) or a doi.org URL"
        )
    if identifier.kind == "arxiv":
        return fetch_arxiv(client, identifier.value)
    doi = identifier.value
    for fetch in (fetch_crossref, fetch_datacite, fetch_openalex, fetch_semanticscholar):
        if (draft := fetch(client, doi)) is not None:
            return draft
    raise ServiceError(f"crossref, datacite, openalex, semanticscholar: {doi}: no such DOI")
