"""arXiv's Atom API: one paper by id, as a Draft holding only what the entry says."""

from __future__ import annotations

import os
import re
from urllib.parse import urlencode
from xml.etree.ElementTree import Element

from defusedxml import ElementTree  # type: ignore[import-untyped]
from defusedxml.common import DefusedXmlException  # type: ignore[import-untyped]

from generator.importers.draft import Draft
from generator.services.http import Client, ServiceError

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
BASE = "https://export.arxiv.org/api/query"
ID_IN_URL = re.compile(r"arxiv\.org/abs/(.+?)(v\d+)?$")


def base_url() -> str:
    return os.environ.get("READINGLIST_ARXIV_API", BASE)


def fetch_arxiv(client: Client, arxiv_id: str) -> Draft:
    """The paper with this (version-less) id; ServiceError naming it when there is none."""
    query = urlencode({"id_list": arxiv_id, "max_results": 1})
    response = client.get("arxiv", f"{base_url()}?{query}", arxiv_id)
    if response.status == 400:
        raise ServiceError(f"arxiv: {arxiv_id}: the API rejected the id (HTTP 400)")
    if response.status != 200:
        raise ServiceError(f"arxiv: {arxiv_id}: HTTP {response.status}")
    entries = parse_feed(response.text, arxiv_id)
    found = [d for d in entries if d.links.get("arxiv") == arxiv_id]
    if not found:
        raise ServiceError(f"arxiv: {arxiv_id}: no such paper")
    return found[0]


def parse_feed(text: str, what: str) -> list[Draft]:
    try:
        root = ElementTree.fromstring(text.encode("utf-8"))
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise ServiceError(f"arxiv: {what}: malformed response ({exc})") from None
    return [d for d in (_draft(e) for e in root.iter(f"{ATOM}entry")) if d is not None]


def _draft(entry: Element) -> Draft | None:
    match = ID_IN_URL.search(_text(entry, f"{ATOM}id") or "")
    title = _text(entry, f"{ATOM}title")
    if match is None or not title:
        return None  # arXiv's error entries have no abs URL
    arxiv_id = match.group(1)
    authors = tuple(
        name for a in entry.findall(f"{ATOM}author") if (name := _text(a, f"{ATOM}name"))
    )
    published = _text(entry, f"{ATOM}published") or ""
    links = {"arxiv": arxiv_id}
    if doi := _text(entry, f"{ARXIV}doi"):
        links["doi"] = doi
    return Draft(
        title=title,
        source="arxiv",
        where=f"arxiv:{arxiv_id}",
        abstract=_text(entry, f"{ATOM}summary"),
        authors=authors,
        year=int(published[:4]) if published[:4].isdigit() else None,
        venue=_text(entry, f"{ARXIV}journal_ref"),
        links=links,
    )


def _text(element: Element, tag: str) -> str | None:
    found = element.find(tag)
    if found is None or found.text is None:
        return None
    return " ".join(found.text.split()) or None


def search_arxiv(client: Client, title: str) -> list[Draft]:
    """arXiv's title search (`ti:`), top hits, which the caller must check."""
    words = " ".join(w for w in title.replace('"', " ").split())
    query = urlencode({"search_query": f'ti:"{words}"', "max_results": 3})
    response = client.get("arxiv", f"{base_url()}?{query}", title)
    if response.status != 200:
        raise ServiceError(f"arxiv: {title}: HTTP {response.status}")
    return parse_feed(response.text, title)
