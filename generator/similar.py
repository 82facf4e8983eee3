"""Related papers: TF-IDF over titles and abstracts, cosine similarity, top five each.

Computed at build time, so the static site lists each paper's nearest neighbours with no
server. Deterministic: scores are rounded before ranking and ties are broken by id.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from .mdtext import plain_title
from .model import Paper

TOP_K = 5
SHARED_TERMS = 4
# Words every abstract uses, which say nothing about what two papers share.
EXTRA_STOP_WORDS = [
    "al",
    "et",
    "paper",
    "propose",
    "proposed",
    "proposes",
    "work",
    "works",
    "show",
    "shows",
    "shown",
    "results",
    "approach",
    "approaches",
    "method",
    "methods",
    "new",
    "based",
    "using",
    "use",
    "used",
    "demonstrate",
    "demonstrates",
    "achieve",
    "achieves",
    "existing",
    "recent",
    "study",
    "studies",
    "introduce",
    "introduces",
    "present",
    "presents",
    "significantly",
    "performance",
    "state-of-the-art",
    "art",
    "state",
    "outperforms",
    "leverage",
    "leverages",
    "leveraging",
    "https",
    "http",
    "www",
    "com",
    "org",
    "io",
    "github",
]
BLOCK = 1024
"""Rows of the similarity matrix computed at once: bounds memory at 10,000 papers."""


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


def find_related(papers: Sequence[Paper], k: int = TOP_K) -> dict[str, tuple[Neighbour, ...]]:
    """The `k` most similar papers of every paper, with the terms they share."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(papers) < 2:
        return {p.id: () for p in papers}
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    vectorizer = TfidfVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS.union(EXTRA_STOP_WORDS)),
        ngram_range=(1, 1),
        # In a big list, a term in one paper only links nothing and one in a third of them
        # says little; a handful of papers keeps every term.
        min_df=2 if len(papers) >= 20 else 1,
        max_df=0.3 if len(papers) >= 20 else 1.0,
        sublinear_tf=True,
        max_features=20000,
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]\b",
        dtype=np.float32,
    )
    matrix = vectorizer.fit_transform([paper_text(p) for p in papers]).tocsr()
    matrix.sort_indices()
    vocabulary = vectorizer.get_feature_names_out()
    ids = [p.id for p in papers]
    related: dict[str, tuple[Neighbour, ...]] = {}
    transposed = matrix.T.tocsr()

    def block_scores(start: int) -> Any:
        return (matrix[start : start + BLOCK] @ transposed).toarray()

    # The next block's sparse product (C, without the GIL) runs while this block is ranked
    # (Python): both cores busy, and never more than two dense blocks in memory.
    starts = list(range(0, len(papers), BLOCK))
    with ThreadPoolExecutor(max_workers=1) as pool:
        upcoming = pool.submit(block_scores, starts[0])
        for index, start in enumerate(starts):
            scores = upcoming.result()
            if index + 1 < len(starts):
                upcoming = pool.submit(block_scores, starts[index + 1])
            _rank_block(start, scores, matrix, ids, vocabulary, k, related)
    return related


def _rank_block(
    start: int,
    scores: Any,
    matrix: Any,
    ids: list[str],
    vocabulary: Sequence[str],
    k: int,
    related: dict[str, tuple[Neighbour, ...]],
) -> None:
    import numpy as np

    for offset, row in enumerate(scores):
        i = start + offset
        row[i] = -1.0  # not related to itself
        count = min(k, len(ids) - 1)
        if len(row) > count + 8:
            candidates = np.argpartition(-row, count + 8)[: count + 8]
        else:
            candidates = np.arange(len(row))
        ranked = sorted(
            (j for j in candidates if j != i and row[j] > 0),
            key=lambda j: (-round(float(row[j]), 4), ids[j]),
        )[:count]
        related[ids[i]] = tuple(
            Neighbour(ids[j], round(float(row[j]), 4), _shared(matrix, i, j, vocabulary))
            for j in ranked
        )


def _shared(matrix: Any, i: int, j: int, vocabulary: Sequence[str]) -> tuple[str, ...]:
    import numpy as np

    # CSR rows as (sorted column indices, weights): intersect them directly, which is far
    # cheaper than a sparse elementwise product per pair at 10,000 papers.
    a = slice(matrix.indptr[i], matrix.indptr[i + 1])
    b = slice(matrix.indptr[j], matrix.indptr[j + 1])
    common, ia, ib = np.intersect1d(
        matrix.indices[a], matrix.indices[b], assume_unique=True, return_indices=True
    )
    products = matrix.data[a][ia] * matrix.data[b][ib]
    terms: list[str] = []
    for k in np.lexsort((common, -np.round(products, 6))):  # heaviest first, ties by column
        term = str(vocabulary[common[k]])
        terms.append(term)
        if len(terms) == SHARED_TERMS:
            break
    return tuple(terms)
