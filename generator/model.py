"""The typed, immutable model of a reading list. Everything downstream takes these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

STATUSES = ("to-read", "reading", "read")
"""The reading statuses a paper may have, in reading order."""

LINK_KINDS = ("arxiv", "doi", "pdf", "code", "slides", "url")
"""The kinds of link a paper may carry, in the order pages show them."""


@dataclass(frozen=True)
class Link:
    """One known link of a paper."""

    kind: str
    """One of LINK_KINDS."""
    value: str
    """As written: an arXiv id, a DOI, or an http(s) URL for the other kinds."""
    url: str
    """The http(s) URL the link points to (arXiv ids and DOIs resolved to their sites)."""


@dataclass(frozen=True)
class Paper:
    """One paper of the list, as loaded from content/papers/<id>.yaml."""

    id: str
    """Slug of the title and the file's stem; also the page URL `papers/<id>/`."""
    title: str
    """Title as Markdown-lite text: plain words, possibly with `code` spans."""
    path: str
    """The source file, for messages."""
    abstract: str | None = None
    """The abstract as Markdown (math as `$...$`)."""
    authors: tuple[str, ...] = ()
    """Authors in citation order; empty when unknown."""
    year: int | None = None
    """Year of first publication, when known."""
    venue: str | None = None
    """Where it was published, when known."""
    links: tuple[Link, ...] = ()
    """Known links, in LINK_KINDS order."""
    topics: tuple[str, ...] = ()
    """Topic ids, as written in the file (at least one)."""
    status: str = "to-read"
    """One of STATUSES."""
    added: dt.date | None = None
    """When the paper was added to the list."""
    notes: str | None = None
    """The reader's own Markdown notes."""
    sources: tuple[str, ...] = ()
    """The seed list(s) the paper was imported from."""
    provenance: tuple[str, ...] = ()
    """"field: service YYYY-MM-DD" for each fact `enrich` filled in; for review, not shown."""
    sort_title: str = ""
    """The normalized title (case, accents and punctuation ignored) that lists sort by."""
    excerpt: str = ""
    """The abstract's first sentence as plain text, for one-line listings."""

    def __hash__(self) -> int:
        # Papers key the renderer's caches. Equal papers have equal ids, so hashing the id
        # alone is sound, and it spares hashing every field of 10,000 papers per edit.
        return hash(self.id)


@dataclass(frozen=True)
class Topic:
    """A topic of the list, as declared in content/topics.yaml."""

    id: str
    """Slug; the page URL is `topics/<id>/`."""
    title: str
    """Human title shown in the navigation and on pages."""
    description: str
    """A few sentences for the reader, as Markdown."""
    keywords: tuple[str, ...] = ()
    """Lower-case phrases whose presence in a paper's title or abstract assigns the topic."""
    line: int = 0
    """Line of the topic in topics.yaml, for messages."""


@dataclass(frozen=True)
class Site:
    """Site-wide settings from content/site.yaml."""

    title: str = "Reading list"
    """Site name, shown in the header and the browser tab."""
    description: str = ""
    """What the list is, as Markdown, shown on the home page."""
    url: str | None = None
    """Public URL of the deployed site, for the sitemap and canonical links."""
    repo_url: str | None = None
    """Repository the content lives in, linked from the header."""
    owner_names: tuple[str, ...] = ()
    """The list owner's name and the variants papers write it as, highlighted in author lists."""
    contact: str | None = None
    """An e-mail address sent to scholarly APIs by `add`/`enrich` (User-Agent, Crossref mailto)."""


@dataclass(frozen=True)
class ReadingList:
    """The whole list: loaded and validated, not yet related."""

    site: Site
    """Site-wide settings."""
    topics: tuple[Topic, ...]
    """Topics in the order topics.yaml declares them (the navigation order)."""
    papers: tuple[Paper, ...]
    """Papers sorted by id."""


CACHED_TYPES = (Link, Paper, Topic, Site, ReadingList)
"""The types the build cache pickles; their fields are part of the cache's schema."""
