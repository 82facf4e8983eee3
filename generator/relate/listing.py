"""Relate the loaded list: topic membership, the orders pages show, counts. Pure data."""

from __future__ import annotations

import functools
import operator
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.model import STATUSES, Paper, ReadingList, Topic
from generator.relate.citekeys import unique_keys

if TYPE_CHECKING:  # similar.py brings NumPy and SciPy, which `import` and `check` do not need
    from generator.relate.similar import Neighbour

RECENT = 10
"""How many recently added papers the home page lists."""
FEED_SIZE = 50
"""How many recently added papers a feed carries."""


@dataclass(frozen=True)
class TopicEntry:
    """A topic with its papers, newest first where a year is known, then by title."""

    topic: Topic
    papers: tuple[Paper, ...]
    feed: tuple[Paper, ...] = ()
    """The topic's Atom feed: its FEED_SIZE most recently added papers."""


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
    cite_key: str = ""
    """The paper's citation key, unique in the list (relate.citekeys), as the exports use."""
    owner: tuple[str, ...] = ()
    """The list owner's names (Site.owner_names), which the page highlights among authors."""
    show_status: bool = True
    """Whether the page says the paper's status: not when every paper has the same one."""


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
    common_words: tuple[tuple[str, float], ...] = ()
    """Words in many of the papers' texts, with the share of papers each is in: the search
    answers a query with such words first from its rarer ones (see similar.COMMON_SHARE)."""
    cite_keys: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Each paper id's citation key (relate.citekeys), as the paper's entry has it."""
    neighbours: Mapping[str, tuple[Neighbour, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """The related papers this was made with (see `relate`'s `previous`)."""
    listed_by: Mapping[str, tuple[str, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """For each paper id, the papers whose related papers include it (from `neighbours`)."""


def relate(
    reading_list: ReadingList,
    neighbours: Mapping[str, tuple[Neighbour, ...]] | None = None,
    previous: Related | None = None,
    common_words: tuple[tuple[str, float], ...] = (),
) -> Related:
    """Resolve topics and related papers (`neighbours`, similar.Similarity.related) and build
    every ordering the pages need.

    With `previous` (the last result, while serving), a paper whose own data, topics, related
    papers and their data are all the very same objects keeps its entry: after a one-paper
    edit, 9,999 of 10,000 entries are reused, and the renderer sees at once, by identity,
    that their pages' inputs have not changed.
    """
    topic_by_id = {t.id: t for t in reading_list.topics}
    papers = reading_list.papers
    by_id = {p.id: p for p in papers}
    neighbours = neighbours or {}
    before = previous.neighbours if previous is not None else {}
    if previous is not None and previous.neighbours is neighbours:
        listed_by = previous.listed_by
    else:
        listing: dict[str, list[str]] = {}
        for paper_id, found in neighbours.items():
            for neighbour in found:
                listing.setdefault(neighbour.id, []).append(paper_id)
        listed_by = {k: tuple(v) for k, v in listing.items()}
    reusable: dict[str, PaperEntry] = {}
    rebuild: set[str] = set()
    if previous is not None and previous.reading_list.topics == reading_list.topics:
        reusable = {entry.paper.id: entry for entry in previous.papers}
        # Papers that changed, appeared or went, and every paper that lists one of them.
        gone = {p.id for p in papers if (e := reusable.get(p.id)) is None or e.paper is not p}
        gone |= reusable.keys() - by_id.keys()
        rebuild = gone.union(*(listed_by.get(paper_id, ()) for paper_id in gone))

    keys = unique_keys(papers)
    owner = reading_list.site.owner_names
    show_status = len({p.status for p in papers}) > 1

    def entry(paper: Paper) -> PaperEntry:
        found = neighbours.get(paper.id, ())
        old = reusable.get(paper.id)
        if (
            old is not None
            and paper.id not in rebuild
            and before.get(paper.id, ()) is found
            # A paper added elsewhere can take this one's bare key and move it to a suffix.
            and old.cite_key == keys[paper.id]
            and (old.owner, old.show_status) == (owner, show_status)
        ):
            return old
        return PaperEntry(
            paper,
            tuple(topic_by_id[t] for t in paper.topics if t in topic_by_id),
            tuple(RelatedEntry(by_id[n.id], n.score, n.terms) for n in found if n.id in by_id),
            keys[paper.id],
            owner,
            show_status,
        )

    entries = tuple(entry(p) for p in papers)
    # Every ordering below is a stable sort of the list in title order (sort_title, then id,
    # with C-level keys): the same orders as sorting on whole key tuples, at a fraction of
    # the cost at 10,000 papers.
    in_title_order = sorted(papers, key=_TITLE_KEY)
    members: dict[str, list[Paper]] = {t.id: [] for t in reading_list.topics}
    for paper in in_title_order:
        for topic_id in dict.fromkeys(paper.topics):
            members[topic_id].append(paper)
    recent_first = _newest_added(in_title_order)
    feeds: dict[str, list[Paper]] = {t.id: [] for t in reading_list.topics}
    for paper in recent_first:  # one pass in the site's order, not a sort per topic
        for topic_id in dict.fromkeys(paper.topics):
            if len(feeds[topic_id]) < FEED_SIZE:
                feeds[topic_id].append(paper)
    topics = tuple(
        TopicEntry(t, tuple(sorted(members[t.id], key=_newest_year)), tuple(feeds[t.id]))
        for t in reading_list.topics
    )
    years: dict[int | None, list[Paper]] = {}
    letters: dict[str, list[Paper]] = {}
    for paper in in_title_order:
        years.setdefault(paper.year, []).append(paper)
        first = paper.sort_title[:1].upper()
        letters.setdefault(first if first.isalpha() else "#", []).append(paper)
    by_year = tuple((year, tuple(years[year])) for year in sorted(years, key=lambda y: -(y or 0)))
    by_title = tuple((letter, tuple(letters[letter])) for letter in sorted(letters))
    recent = recent_first[:RECENT]
    counts = Counter(p.status for p in papers)
    words = set().union(*(_title_words(p.sort_title) for p in papers))
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
        common_words=common_words,
        cite_keys=keys,
        neighbours=neighbours,
        listed_by=listed_by,
    )


@functools.lru_cache(maxsize=1 << 16)
def _title_words(sort_title: str) -> frozenset[str]:
    return frozenset(w for w in sort_title.split() if len(w) >= 3 and not w.isdigit())


_TITLE_KEY = operator.attrgetter("sort_title", "id")


def _newest_year(paper: Paper) -> int:
    return -(paper.year or 0)


def _newest_added(in_title_order: list[Paper]) -> tuple[Paper, ...]:
    """Newest added first. Papers added on one day (an import adds hundreds at once) come
    newest published first, then by title: of a batch, a reader looks for the new work, and
    the alphabet says nothing about a paper."""
    dated = (p for p in in_title_order if p.added)
    return tuple(
        sorted(dated, key=lambda p: (-p.added.toordinal(), -(p.year or 0)) if p.added else (0, 0))
    )
