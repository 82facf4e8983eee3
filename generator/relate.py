"""Relate the loaded list: topic membership, the orders pages show, counts. Pure data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from .model import STATUSES, Paper, ReadingList, Topic
from .similar import Neighbour

RECENT = 10
"""How many recently added papers the home page lists."""
FEED_SIZE = 50
"""How many recently added papers a feed carries."""


@dataclass(frozen=True)
class TopicEntry:
    """A topic with its papers, newest first where a year is known, then by title."""

    topic: Topic
    papers: tuple[Paper, ...]


@dataclass(frozen=True)
class RelatedEntry:
    """A paper another paper's page recommends, and the terms they share."""

    paper: Paper
    score: float
    terms: tuple[str, ...]


@dataclass(frozen=True)
class PaperEntry:
    """A paper with the topics it links to and its related papers, resolved."""

    paper: Paper
    topics: tuple[Topic, ...]
    related: tuple[RelatedEntry, ...] = ()


@dataclass(frozen=True)
class Related:
    """Everything the renderer needs, computed once before any page is written."""

    reading_list: ReadingList
    papers: tuple[PaperEntry, ...]
    """Every paper, by id."""
    topics: tuple[TopicEntry, ...]
    """Every topic in declaration order."""
    by_year: tuple[tuple[int | None, tuple[Paper, ...]], ...]
    """Papers grouped by year, newest first, unknown year last; by title within a year."""
    by_title: tuple[tuple[str, tuple[Paper, ...]], ...]
    """Papers grouped by the first letter of their title (`#` for others), A to Z."""
    recent: tuple[Paper, ...]
    """The most recently added papers."""
    feed: tuple[Paper, ...]
    """The papers of the site's Atom feed: the FEED_SIZE most recently added."""
    status_counts: tuple[tuple[str, int], ...]
    """Papers per status, in STATUSES order."""
    title_words: tuple[str, ...]
    """Every distinct word of three or more letters in the titles, sorted: the search's
    vocabulary for correcting a mistyped query."""


def relate(
    reading_list: ReadingList, neighbours: Mapping[str, tuple[Neighbour, ...]] | None = None
) -> Related:
    """Resolve topics and related papers (`neighbours`, from similar.find_related) and build
    every ordering the pages need."""
    topic_by_id = {t.id: t for t in reading_list.topics}
    papers = reading_list.papers
    by_id = {p.id: p for p in papers}
    neighbours = neighbours or {}

    def title_key(paper: Paper) -> tuple[str, str]:
        return (paper.sort_title, paper.id)

    def newest_first(paper: Paper) -> tuple[int, str, str]:
        return (-(paper.year or 0), paper.sort_title, paper.id)

    entries = tuple(
        PaperEntry(
            p,
            tuple(topic_by_id[t] for t in p.topics if t in topic_by_id),
            tuple(
                RelatedEntry(by_id[n.id], n.score, n.terms)
                for n in neighbours.get(p.id, ())
                if n.id in by_id
            ),
        )
        for p in papers
    )
    members: dict[str, list[Paper]] = {t.id: [] for t in reading_list.topics}
    for paper in papers:
        for topic_id in dict.fromkeys(paper.topics):
            members[topic_id].append(paper)
    topics = tuple(
        TopicEntry(t, tuple(sorted(members[t.id], key=newest_first))) for t in reading_list.topics
    )
    years: dict[int | None, list[Paper]] = {}
    letters: dict[str, list[Paper]] = {}
    for paper in sorted(papers, key=title_key):
        years.setdefault(paper.year, []).append(paper)
        first = paper.sort_title[:1].upper()
        letters.setdefault(first if first.isalpha() else "#", []).append(paper)
    by_year = tuple((year, tuple(years[year])) for year in sorted(years, key=lambda y: -(y or 0)))
    by_title = tuple((letter, tuple(letters[letter])) for letter in sorted(letters))
    recent_first = newest_added(papers)
    recent = recent_first[:RECENT]
    counts = Counter(p.status for p in papers)
    words = {w for p in papers for w in p.sort_title.split() if len(w) >= 3 and not w.isdigit()}
    return Related(
        reading_list=reading_list,
        papers=entries,
        topics=topics,
        by_year=by_year,
        by_title=by_title,
        recent=recent,
        feed=recent_first[:FEED_SIZE],
        status_counts=tuple((s, counts.get(s, 0)) for s in STATUSES),
        title_words=tuple(sorted(words)),
    )


def newest_added(papers: tuple[Paper, ...] | list[Paper]) -> tuple[Paper, ...]:
    """Papers with an `added` date, most recent first, then by title."""
    dated = (p for p in papers if p.added)
    return tuple(
        sorted(dated, key=lambda p: (-(p.added.toordinal() if p.added else 0), p.sort_title, p.id))
    )
