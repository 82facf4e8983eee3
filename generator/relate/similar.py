"""Related papers: TF-IDF over titles and abstracts, cosine similarity, top five each.

Computed at build time, so the static site lists each paper's nearest neighbours with no
server. Deterministic: scores are rounded before ranking and ties are broken by id. After an
edit, update_similarity() redoes only what the edit can change and gives the very result a
computation from scratch gives: each score is summed in the same order either way.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from generator.model import Paper
from generator.relate.filler import shown_terms
from generator.relate.tfidf import TermIndex, build_index, update_index
from generator.render.text import plain_title

TOP_K = 5
SHARED_TERMS = 4
KEPT = TOP_K + 20
"""Candidates kept ranked per paper: when an edit pushes some out of a paper's related papers,
the next ones are known without comparing the paper with every other again."""
COMMON_SHARE = 0.2
"""Terms in more than this share of the papers are common: costly to search, and they say
little about which papers are best (see the search worker)."""
BLOCK = 1024
"""Rows of the similarity matrix computed at once: bounds memory at 10,000 papers."""
MOST_CHANGED = 0.1
"""Beyond this share of papers changed, or affected (sharing a term whose weight changed), an
update is no longer much cheaper than computing everything again, which `build` does in a
child process while other pages render and `serve` after showing the edit."""


@dataclass(frozen=True)
class Neighbour:
    """A related paper and why: the key terms the two share."""

    id: str
    score: float
    """Cosine similarity of the two papers' TF-IDF vectors, rounded to 4 places."""
    terms: tuple[str, ...]
    """The shared words that weigh most in both papers, strongest first."""


def paper_text(paper: Paper) -> str:
    """What similarity reads: the title (twice: it says most about a paper) and abstract."""
    # The abstract's Markdown goes in as it is: the tokenizer drops its punctuation, and the
    # words of link addresses are stop words below. Cheaper than to_plain at 10,000 papers.
    title = plain_title(paper.title)
    return f"{title}. {title}. {paper.abstract or ''}"


@dataclass(frozen=True)
class Similarity:
    """The related papers of a list, with what they were computed from, for updates."""

    ids: tuple[str, ...]
    digests: tuple[bytes, ...]
    """A digest of each paper's text (see paper_text): what tells an edit."""
    index: TermIndex | None
    """The texts' TF-IDF index (None below two papers: nothing to relate)."""
    ranked: Any
    """int32 (papers x KEPT): each paper's best candidates, best first, then -1."""
    scores: Any
    """float32 (papers x KEPT): their cosine similarities."""
    complete: Any
    """bool per paper: whether `ranked` holds all its candidates (similarity above 0)."""
    related: Mapping[str, tuple[Neighbour, ...]]
    """Each paper's TOP_K related papers."""

    def common_terms(self, share: float = COMMON_SHARE) -> tuple[tuple[str, float], ...]:
        """The terms (stop words included) in more than `share` of the papers, sorted, each
        with the share of papers it is in (two places)."""
        if self.index is None:
            return ()
        df = self.index.df
        common = np.flatnonzero(df > share * len(self.ids)).tolist()
        found = ((self.index.terms[t], round(int(df[t]) / len(self.ids), 2)) for t in common)
        return tuple(sorted(found))


def find_related(papers: Sequence[Paper]) -> Mapping[str, tuple[Neighbour, ...]]:
    """The TOP_K most similar papers of every paper, with the terms they share."""
    return compute_similarity(papers).related


def compute_similarity(papers: Sequence[Paper]) -> Similarity:
    """The related papers of `papers`, from scratch."""
    texts = [paper_text(p) for p in papers]
    ids = tuple(p.id for p in papers)
    digests = tuple(_paper_digest(p) for p in papers)
    if len(papers) < 2:
        nothing = _Ranking.empty(ids).arrays()
        return Similarity(ids, digests, None, *nothing, {i: () for i in ids})
    index = build_index(texts)
    ranking = _Ranking.empty(ids)
    matrix = index.matrix
    transposed = matrix.T.tocsr()

    def block_scores(start: int) -> Any:
        return (matrix[start : start + BLOCK] @ transposed).toarray()

    # The next block's sparse product (C, without the GIL) runs while this block is ranked
    # (Python): both cores busy, and never more than two dense blocks in memory.
    starts = list(range(0, len(ids), BLOCK))
    with ThreadPoolExecutor(max_workers=1) as pool:
        upcoming = pool.submit(block_scores, starts[0])
        for number, start in enumerate(starts):
            scores = upcoming.result()
            if number + 1 < len(starts):
                upcoming = pool.submit(block_scores, starts[number + 1])
            for offset, row in enumerate(scores):
                ranking.rank(start + offset, row)
    related = dict(zip(ids, ranking.neighbours(index, range(len(ids))), strict=True))
    return Similarity(ids, digests, index, *ranking.arrays(), related)


def update_similarity(previous: Similarity, papers: Sequence[Paper]) -> Similarity | None:
    """`previous` if no paper's text changed; updated, if only a few did; None if it must be
    computed again (papers came, went or moved, or too many changed)."""
    ids = tuple(p.id for p in papers)
    if ids != previous.ids:
        return None
    digests = tuple(_paper_digest(p) for p in papers)
    changed = {i: paper_text(papers[i]) for i, d in enumerate(digests) if d != previous.digests[i]}
    if not changed:
        return previous
    if previous.index is None or len(changed) > MOST_CHANGED * len(ids):
        return None
    index, affected = update_index(previous.index, changed)
    if len(affected) > MOST_CHANGED * len(ids):
        return None
    matrix = index.matrix
    ranking = _Ranking(
        ids, previous.ranked.copy(), previous.scores.copy(), previous.complete.copy()
    )
    product = (matrix[affected] @ matrix.T).tocsr()
    for position, i in enumerate(affected.tolist()):
        ranking.rank(i, product[position].toarray()[0])

    # Any other paper's scores changed only against the affected papers; the product has
    # them (a score sums the same products in the same order from either side). A paper
    # that listed none of them, and to which each now scores clearly below its last kept
    # candidate, keeps its ranking as it was.
    is_affected = np.zeros(len(ids), bool)
    is_affected[affected] = True
    crossing = product.T.tocsr()
    sizes = np.diff(crossing.indptr)
    best = np.zeros(len(ids), np.float32)
    np.maximum.at(best, np.repeat(np.arange(len(ids)), sizes), crossing.data)
    last = previous.scores[np.arange(len(ids)), np.maximum((previous.ranked >= 0).sum(1) - 1, 0)]
    listed = np.isin(previous.ranked, affected).any(axis=1)
    climbs = (sizes > 0) & (previous.complete | (best >= last - 2e-4))
    touched = np.flatnonzero((listed | climbs) & ~is_affected)
    for i in touched.tolist():
        span = slice(crossing.indptr[i], crossing.indptr[i + 1])
        fresh = zip(
            affected[crossing.indices[span]].tolist(), crossing.data[span].tolist(), strict=True
        )
        if not ranking.merge(i, is_affected, fresh):
            ranking.rank(i, (matrix[i] @ matrix.T).toarray()[0])

    related = dict(previous.related)
    redone = np.union1d(affected, touched).tolist()
    for i, found in zip(redone, ranking.neighbours(index, redone), strict=True):
        if found != related[ids[i]]:
            related[ids[i]] = found
    return Similarity(ids, digests, index, *ranking.arrays(), related)


class _Ranking:
    """Each paper's KEPT best candidates, ranked by rounded score, then id."""

    def __init__(self, ids: tuple[str, ...], ranked: Any, scores: Any, complete: Any) -> None:
        self.ids, self.ranked, self.scores, self.complete = ids, ranked, scores, complete

    @classmethod
    def empty(cls, ids: tuple[str, ...]) -> _Ranking:
        n = len(ids)
        return cls(
            ids,
            np.full((n, KEPT), -1, np.int32),
            np.zeros((n, KEPT), np.float32),
            np.zeros(n, bool),
        )

    def arrays(self) -> tuple[Any, Any, Any]:
        return self.ranked, self.scores, self.complete

    def key(self, candidate: tuple[int, float]) -> tuple[float, str]:
        return (-round(candidate[1], 4), self.ids[candidate[0]])

    def rank(self, i: int, row: Any) -> None:
        """Rank paper i's candidates from its row of scores against every paper."""
        row[i] = 0.0  # not related to itself
        positive = np.flatnonzero(row > 0)
        self.complete[i] = len(positive) <= KEPT
        if len(positive) > KEPT:
            # Rounding can tie a score a little below the cut with one above it, and the
            # tie goes by id: keep everything within twice the rounding step.
            values = row[positive]
            cut = np.partition(values, len(values) - KEPT)[len(values) - KEPT]
            positive = positive[values >= cut - 2e-4]
        self._store(
            i, sorted(zip(positive.tolist(), row[positive].tolist(), strict=True), key=self.key)
        )

    def merge(self, i: int, is_affected: Any, fresh: Any) -> bool:
        """Re-rank paper i, whose scores changed only against affected papers (`fresh`: their
        new positive scores). False if what is kept no longer tells its TOP_K."""
        count = int((self.ranked[i] >= 0).sum())
        kept = list(
            zip(self.ranked[i, :count].tolist(), self.scores[i, :count].tolist(), strict=True)
        )
        pool = [c for c in kept if not is_affected[c[0]]]
        pool += [c for c in fresh if c[1] > 0]
        pool.sort(key=self.key)
        if self.complete[i]:
            self.complete[i] = len(pool) <= KEPT
        else:
            # Candidates never kept rank below the last one kept: only what ranks above it
            # is known to be in order.
            last = self.key(kept[-1])
            pool = [c for c in pool if self.key(c) <= last]
            if len(pool) < min(TOP_K, len(self.ids) - 1):
                return False
        self._store(i, pool)
        return True

    def _store(self, i: int, ordered: list[tuple[int, float]]) -> None:
        ordered = ordered[:KEPT]
        self.ranked[i], self.scores[i] = -1, 0.0
        self.ranked[i, : len(ordered)] = [j for j, _ in ordered]
        self.scores[i, : len(ordered)] = [s for _, s in ordered]

    def neighbours(self, index: TermIndex, rows: Sequence[int]) -> list[tuple[Neighbour, ...]]:
        """The TOP_K related papers of each of the given papers, with the terms they share."""
        counts = np.minimum((self.ranked[rows] >= 0).sum(axis=1), TOP_K).tolist()
        pairs = [
            (i, j)
            for i, count in zip(rows, counts, strict=True)
            for j in self.ranked[i, :count].tolist()
        ]
        terms = iter(_shared(index, pairs))
        return [
            tuple(
                Neighbour(self.ids[j], round(s, 4), next(terms))
                for j, s in zip(
                    self.ranked[i, :count].tolist(), self.scores[i, :count].tolist(), strict=True
                )
            )
            for i, count in zip(rows, counts, strict=True)
        ]


@functools.lru_cache(maxsize=1 << 16)
def _paper_digest(paper: Paper) -> bytes:
    """A digest of the paper's text; cached, since serve asks for every paper on each edit."""
    return hashlib.blake2b(paper_text(paper).encode(), digest_size=16).digest()


def _shared(index: TermIndex, pairs: Sequence[tuple[int, int]]) -> list[tuple[str, ...]]:
    """For each pair of papers, the SHARED_TERMS terms weighing most in both (the largest
    products of their weights, rounded to 6 places), strongest first, ties by term; filler
    words (relate.filler) left out."""
    if not pairs:
        return []
    first, second = zip(*pairs, strict=True)
    both = index.matrix[list(first)].multiply(index.matrix[list(second)]).tocsr()
    width = both.shape[1]
    # One integer per common term, larger for a heavier product, then for an earlier term;
    # then SHARED_TERMS passes of a per-pair maximum: no sort of millions of products.
    keys = np.rint(both.data.astype(np.float64) * 1e6).astype(np.int64) * width
    keys += width - 1 - both.indices
    # Filler words weigh in the similarity but are never shown as what two papers share.
    keys[~shown_terms(index.vocabulary)[both.indices]] = -1
    sizes = np.diff(both.indptr)
    present = sizes > 0
    picked = np.full((len(pairs), SHARED_TERMS), -1, np.int64)
    for rank in range(SHARED_TERMS):
        if not present.any():
            break
        picked[present, rank] = np.maximum.reduceat(keys, both.indptr[:-1][present])
        keys[keys == np.repeat(picked[:, rank], sizes)] = -1
    vocabulary = index.vocabulary
    return [
        tuple(vocabulary[width - 1 - key % width] for key in row if key >= 0)
        for row in picked.tolist()
    ]
