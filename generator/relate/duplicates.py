"""Probable duplicates, for `readinglist check` to warn about and never to merge.

Three kinds of evidence: titles equal once case, accents and punctuation are ignored;
titles that a fuzzy match finds nearly equal; abstracts nearly identical as a whole (TF-IDF
cosine). Whole abstracts, not their openings: distinct papers often open with the same words.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Paper

FUZZY_TITLE = 92
"""rapidfuzz token-sort ratio (0-100) from which two titles are called nearly equal."""
SAME_ABSTRACT = 0.9
"""Cosine similarity of abstracts from which two papers are probably one."""


@dataclass(frozen=True)
class Duplicate:
    """Two papers that are probably one, and why."""

    first: Paper
    second: Paper
    evidence: str

    def __str__(self) -> str:
        return (
            f"{self.second.path}: warning: probable duplicate of {self.first.path} "
            f"({self.evidence}); merge them by hand if they are one paper"
        )


def find_duplicates(papers: tuple[Paper, ...] | list[Paper]) -> list[Duplicate]:
    """Every probable duplicate pair, each once, sorted."""
    found: dict[tuple[str, str], str] = {}
    by_title: dict[str, Paper] = {}
    for paper in papers:
        twin = by_title.setdefault(paper.sort_title, paper)
        if twin is not paper:
            found[(twin.id, paper.id)] = "the same title once case and punctuation are ignored"
    for (a, b), score in _fuzzy_titles(papers):
        found.setdefault((a.id, b.id), f"titles {score:.0f}% alike")
    for (a, b), cosine in _alike_abstracts(papers):
        found.setdefault((a.id, b.id), f"abstracts {cosine:.2f} alike as a whole")
    by_id = {p.id: p for p in papers}
    duplicates = [Duplicate(by_id[a], by_id[b], why) for (a, b), why in found.items()]
    return sorted(duplicates, key=lambda d: (d.second.path, d.first.path))


def _fuzzy_titles(
    papers: tuple[Paper, ...] | list[Paper],
) -> list[tuple[tuple[Paper, Paper], float]]:
    from rapidfuzz import fuzz, process

    titles = [p.sort_title for p in papers]
    scores = process.cdist(
        titles, titles, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_TITLE, workers=-1
    )
    pairs = []
    for i, j in zip(*scores.nonzero(), strict=True):
        if i < j and titles[i] != titles[j]:
            pairs.append(((papers[i], papers[j]), float(scores[i, j])))
    return pairs


def _alike_abstracts(
    papers: tuple[Paper, ...] | list[Paper],
) -> list[tuple[tuple[Paper, Paper], float]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    with_abstract = [p for p in papers if p.abstract]
    if len(with_abstract) < 2:
        return []
    matrix = TfidfVectorizer(sublinear_tf=True).fit_transform(
        [p.abstract or "" for p in with_abstract]
    )
    similar = (matrix @ matrix.T).tocoo()
    pairs = []
    for i, j, value in zip(similar.row, similar.col, similar.data, strict=True):
        if i < j and value >= SAME_ABSTRACT:
            pairs.append(((with_abstract[i], with_abstract[j]), round(float(value), 2)))
    return pairs
