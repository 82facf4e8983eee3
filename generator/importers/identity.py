"""One paper per work: DOI, then arXiv id, then the title (with the year where both give one).

A title's identity keeps the characters that carry meaning: "C++ compilers" and "C compilers"
are two papers, as are "C#" and "C". Only case, accents, markup, spacing and the punctuation
that separates words (`:`, `-`, quotes, ...) are ignored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

_MARKUP = re.compile(r"[`{}$\\]")
_EMPHASIS = re.compile(r"(\*\*?)(\S(?:.*?\S)?)\1")
_SEPARATORS = re.compile(r"[\s:;,.!?'\"()\[\]\-\u2010-\u2015\u2018-\u201f/|_]+")
MIN_ABSTRACT = 200
"""A whole abstract this long, identical, is one work even when the user retitled it."""


def title_key(title: str) -> str:
    """The identity of a title (see the module docstring)."""
    if title.isascii():  # most titles: nothing to decompose
        folded = title.casefold()
    else:
        decomposed = unicodedata.normalize("NFKD", title)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = _EMPHASIS.sub(r"\2", _MARKUP.sub("", folded))  # *word* is emphasis; A* is a name
    return " ".join(_SEPARATORS.sub(" ", plain).split())


def abstract_key(abstract: str | None) -> str:
    key = " ".join((abstract or "").lower().split())
    return key if len(key) >= MIN_ABSTRACT else ""


@dataclass
class Record:
    """A paper as it will be: an existing file (path set) or a new one."""

    title: str
    year: int | None = None
    doi: str | None = None
    arxiv: str | None = None
    abstract: str | None = None
    path: Path | None = None
    """The existing file; None for a paper this import adds."""
    key: str = ""
    """The paper id (file stem), once known."""
    fields: dict[str, object] = field(default_factory=dict)
    """Facts of the paper: for an existing file what it says, for a new one what it will say."""
    fill: dict[str, object] = field(default_factory=dict)
    """For an existing file: the fields the import adds to it."""
    sources: list[str] = field(default_factory=list)
    new_sources: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    merged_from: list[str] = field(default_factory=list)
    """`file:line` of every entry that merged into this paper."""


class Index:
    """Finds the record an entry belongs to, by the identity rules above."""

    def __init__(self) -> None:
        self.records: list[Record] = []
        self._doi: dict[str, Record] = {}
        self._arxiv: dict[str, Record] = {}
        self._title: dict[str, list[Record]] = {}
        self._abstract: dict[str, Record] = {}

    def add(self, record: Record) -> None:
        self.records.append(record)
        self.update(record)

    def update(self, record: Record) -> None:
        """Index what the record now knows (a merge may have given it an id)."""
        if record.doi:
            self._doi.setdefault(record.doi.lower(), record)
        if record.arxiv:
            self._arxiv.setdefault(record.arxiv, record)
        group = self._title.setdefault(title_key(record.title), [])
        if record not in group:
            group.append(record)
        if key := abstract_key(record.abstract):
            self._abstract.setdefault(key, record)

    def find(
        self, title: str, year: int | None, doi: str | None, arxiv: str | None, abstract: str | None
    ) -> Record | None:
        def fits(r: Record) -> bool:
            if doi and r.doi and doi.lower() != r.doi.lower():
                return False
            if arxiv and r.arxiv and arxiv != r.arxiv:
                return False
            if year is None or r.year is None or year == r.year:
                return True
            # A preprint and its published version are often a year apart.
            return abs(year - r.year) == 1 and bool(arxiv or r.arxiv)

        if doi and (hit := self._doi.get(doi.lower())) is not None:
            return hit
        if arxiv and (hit := self._arxiv.get(arxiv)) is not None and fits(hit):
            return hit
        for candidate in self._title.get(title_key(title), []):
            if fits(candidate):
                return candidate
        hit = self._abstract.get(abstract_key(abstract))
        return hit if hit is not None and abstract_key(abstract) and fits(hit) else None
