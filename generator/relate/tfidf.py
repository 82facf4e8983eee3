"""TF-IDF vectors of the papers' texts, which an edit updates row by row, exactly.

The weights are scikit-learn's TfidfVectorizer(sublinear_tf=True) ones: 1 + ln(count) times a
smoothed idf, each row scaled to length 1. They are computed here rather than by scikit-learn
because an edit must not recompute 10,000 rows: after one paper's text changes, only the rows
of that paper and of the papers sharing a term whose weight changed are recomputed, and every
other row keeps its very floats. Each row is computed from its own counts and the terms'
document frequencies alone, its columns in alphabetical order of the terms, so an updated
index equals, to the bit, one built from scratch from the same texts.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

TOKEN = re.compile(r"(?u)\b[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]\b")
MAX_FEATURES = 20000
# Words every abstract uses, which say nothing about what two papers share.
EXTRA_STOP_WORDS = frozenset(
    [
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
)


@functools.cache
def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words and ours. Read from scikit-learn's word-list module
    alone: importing scikit-learn itself takes about a second, more than an edit's budget."""
    package = importlib.util.find_spec("sklearn")
    origin = package.origin if package is not None else None
    path = Path(origin).parent / "feature_extraction" / "_stop_words.py" if origin else None
    spec = importlib.util.spec_from_file_location("_stop_words", path) if path else None
    if path is not None and path.is_file() and spec is not None and spec.loader is not None:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        words: frozenset[str] = frozenset(module.ENGLISH_STOP_WORDS)
    else:  # the word list moved: import it the slow way
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        words = frozenset(ENGLISH_STOP_WORDS)
    return words | EXTRA_STOP_WORDS


def analyse(text: str) -> Counter[str]:
    """The text's terms (lowercase words) and how often each occurs. Stop words are counted
    too, for how common they are (see similar.Similarity.common_terms), but are never
    columns of the TF-IDF matrix."""
    return Counter(TOKEN.findall(text.lower()))


@dataclass(frozen=True)
class TermIndex:
    """Term counts of every text, and their TF-IDF matrix over the kept vocabulary."""

    terms: tuple[str, ...]
    """Every term seen, in order of first appearance: the columns of `counts`."""
    term_ids: Mapping[str, int]
    counts: Any
    """CSR matrix, one row per text: how often each term occurs in it."""
    df: Any
    """Per term: how many texts contain it."""
    totals: Any
    """Per term: how often it occurs in all texts together."""
    columns: Any
    """Per term: its column in `matrix` (terms in alphabetical order), or -1 if not kept."""
    vocabulary: tuple[str, ...]
    """The kept terms in alphabetical order: the columns of `matrix`."""
    matrix: Any
    """CSR float32 matrix of TF-IDF rows of length 1, column indices sorted in each row."""


def build_index(texts: Sequence[str]) -> TermIndex:
    """The index of `texts`, from scratch."""
    term_ids: dict[str, int] = {}
    indices: list[int] = []
    data: list[int] = []
    indptr = [0]
    for text in texts:
        for term, count in analyse(text).items():
            indices.append(term_ids.setdefault(term, len(term_ids)))
            data.append(count)
        indptr.append(len(indices))
    shape = (len(texts), len(term_ids))
    counts = sparse.csr_matrix(
        (np.array(data, np.int32), np.array(indices, np.int32), np.array(indptr, np.int64)), shape
    )
    df = np.bincount(counts.indices, minlength=shape[1]).astype(np.int64)
    totals = np.bincount(counts.indices, counts.data, minlength=shape[1]).astype(np.int64)
    terms = tuple(term_ids)
    columns, vocabulary = _select(terms, df, totals, len(texts))
    matrix = _weights(counts, columns, len(vocabulary), _idf(df, len(texts)))
    return TermIndex(terms, term_ids, counts, df, totals, columns, vocabulary, matrix)


def update_index(index: TermIndex, changed: Mapping[int, str]) -> tuple[TermIndex, Any]:
    """The index with the texts of some rows replaced (row -> new text), and the rows whose
    TF-IDF vector may differ from before: those rows, and every row containing a term whose
    weight changed (its document frequency did) or which entered or left the vocabulary."""
    n = index.counts.shape[0]
    term_ids = dict(index.term_ids)
    new_rows: list[tuple[np.ndarray, np.ndarray]] = []
    for row in sorted(changed):
        found = analyse(changed[row])
        ids = np.array([term_ids.setdefault(t, len(term_ids)) for t in found], np.int32)
        new_rows.append((ids, np.fromiter(found.values(), np.int32, len(found))))
    terms = index.terms + tuple(list(term_ids)[len(index.terms) :])
    grow = len(terms) - len(index.terms)
    df, totals = _grown(index.df, grow), _grown(index.totals, grow)
    old_df = df.copy()
    rows = np.array(sorted(changed), np.int64)
    for row, (ids, values) in zip(rows, new_rows, strict=True):
        start, end = index.counts.indptr[row], index.counts.indptr[row + 1]
        np.subtract.at(df, index.counts.indices[start:end], 1)
        np.subtract.at(totals, index.counts.indices[start:end], index.counts.data[start:end])
        np.add.at(df, ids, 1)
        np.add.at(totals, ids, values)
    counts = _replace_rows(
        (index.counts.indptr, index.counts.indices, index.counts.data), rows, new_rows, len(terms)
    )
    columns, vocabulary = _select(terms, df, totals, n)
    old_columns = _grown(index.columns, grow, fill=-1)
    kept_before, kept_now = old_columns >= 0, columns >= 0
    moved = ((df != old_df) & (kept_before | kept_now)) | (kept_before != kept_now)
    holders = np.repeat(np.arange(n), np.diff(counts.indptr))[moved[counts.indices]]
    affected = np.union1d(rows, holders)

    # Rows not affected keep their floats; their columns shift if the vocabulary changed,
    # in the same order (alphabetical), so products between them sum in the same order.
    old_vocab_terms = np.flatnonzero(kept_before)[np.argsort(old_columns[kept_before])]
    shifted = columns[old_vocab_terms][index.matrix.indices].astype(np.int32)
    fresh = _weights(counts[affected], columns, len(vocabulary), _idf(df, n))
    pieces = [(fresh.indices[a:b], fresh.data[a:b]) for a, b in _spans(fresh.indptr)]
    matrix = _replace_rows(
        (index.matrix.indptr, shifted, index.matrix.data), affected, pieces, len(vocabulary)
    )
    updated = TermIndex(terms, term_ids, counts, df, totals, columns, vocabulary, matrix)
    return updated, affected


def _grown(values: Any, grow: int, fill: int = 0) -> Any:
    return np.concatenate([values, np.full(grow, fill, values.dtype)]) if grow else values.copy()


def _spans(indptr: Any) -> list[tuple[int, int]]:
    return list(zip(indptr[:-1].tolist(), indptr[1:].tolist(), strict=True))


def _replace_rows(
    old: tuple[Any, Any, Any], rows: Any, new_rows: Sequence[tuple[Any, Any]], width: int
) -> Any:
    """A CSR matrix `width` columns wide with the rows of `old` (indptr, indices, data) but
    for the given rows (sorted), which get the (indices, data) pairs of `new_rows`."""
    old_indptr, old_indices, old_data = old
    lengths = np.diff(old_indptr)
    lengths[rows] = [len(ids) for ids, _ in new_rows]
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    # Slices of the old arrays between the replaced rows, and the new rows between them: a
    # few copies of whole runs, whatever the size of the matrix.
    index_parts, data_parts, start = [], [], 0
    for row, (ids, values) in zip(rows.tolist(), new_rows, strict=True):
        index_parts += [old_indices[old_indptr[start] : old_indptr[row]], ids]
        data_parts += [old_data[old_indptr[start] : old_indptr[row]], values]
        start = row + 1
    index_parts.append(old_indices[old_indptr[start] :])
    data_parts.append(old_data[old_indptr[start] :])
    indices = np.concatenate(index_parts).astype(np.int32)
    data = np.concatenate(data_parts).astype(old_data.dtype)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(lengths), width))


def _select(terms: Sequence[str], df: Any, totals: Any, n: int) -> tuple[Any, tuple[str, ...]]:
    """Which terms become columns: no stop word; in a big list, a term in one text only links
    nothing and one in a third of them says little. The most frequent MAX_FEATURES at most."""
    min_df, max_share = (2, 0.3) if n >= 20 else (1, 1.0)
    stop = stop_words()
    usable = np.fromiter((t not in stop for t in terms), bool, len(terms))
    kept = np.flatnonzero(usable & (df >= min_df) & (df <= max_share * n))
    if len(kept) > MAX_FEATURES:
        kept = np.array(sorted(kept.tolist(), key=lambda t: (-totals[t], terms[t])))
        kept = kept[:MAX_FEATURES]
    names = [terms[t] for t in kept.tolist()]
    order = sorted(range(len(names)), key=names.__getitem__)
    columns = np.full(len(terms), -1, np.int64)
    columns[kept[order]] = np.arange(len(order))
    return columns, tuple(names[i] for i in order)


def _idf(df: Any, n: int) -> Any:
    return np.log((1.0 + n) / (1.0 + df)) + 1.0


def _weights(counts: Any, columns: Any, width: int, idf: Any) -> Any:
    """TF-IDF rows of the given count rows, each of length 1, columns sorted."""
    cols = columns[counts.indices]
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    kept = cols >= 0
    rows, cols = rows[kept], cols[kept]
    values = (1.0 + np.log(counts.data[kept])) * idf[counts.indices[kept]]
    order = np.lexsort((cols, rows))
    matrix = sparse.csr_matrix(
        (values[order], (rows[order], cols[order])), shape=(counts.shape[0], width)
    )
    matrix.sort_indices()
    # Each row's length, summed in the row's own column order (a row-wise product, never a
    # reduction over the whole array), so a row's floats never depend on the rows around it.
    lengths = np.sqrt(matrix.multiply(matrix) @ np.ones(width))
    lengths[lengths == 0] = 1.0
    matrix.data = (matrix.data / np.repeat(lengths, np.diff(matrix.indptr))).astype(np.float32)
    return matrix
