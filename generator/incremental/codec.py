"""The cache's data, field by field, as JSON values and numpy arrays: nothing that runs code.

Each encoder has a decoder that checks what it reads and raises CacheFormatError on anything
this version would not have written, so a damaged or foreign cache is refused as a whole
rather than half-used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from scipy import sparse

from generator.content.load import CachedPaper, PaperCache
from generator.incremental.digest import DIGEST_SIZE, KnownDigests, paper_digest
from generator.model import Link, Paper
from generator.relate.similar import KEPT, Neighbour, Similarity
from generator.relate.tfidf import TermIndex

Arrays = dict[str, Any]
"""numpy arrays by name, as np.savez stores them."""


class CacheFormatError(ValueError):
    """The cache holds something this version does not write."""


def check(ok: bool, what: str) -> None:
    if not ok:
        raise CacheFormatError(what)


def text(value: Any) -> str:
    check(isinstance(value, str), "text expected")
    return str(value)


def _maybe(decode: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else decode(value)


def texts(value: Any) -> tuple[str, ...]:
    check(isinstance(value, list), "list expected")
    return tuple(text(item) for item in value)


def _int(value: Any) -> int:
    check(type(value) is int, "integer expected")
    return int(value)


def _link(value: Any) -> Link:
    kind, text, url = texts(value) if len(value) == 3 else (None, None, None)
    check(kind is not None, "link expected")
    return Link(str(kind), str(text), str(url))


def _links(value: Any) -> tuple[Link, ...]:
    check(isinstance(value, list), "list of links expected")
    return tuple(_link(link) for link in value)


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(text(value))


_PAPER_FIELDS: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("id", text),
    ("title", text),
    ("path", text),
    ("abstract", _maybe(text)),
    ("authors", texts),
    ("year", _maybe(_int)),
    ("venue", _maybe(text)),
    ("links", _links),
    ("topics", texts),
    ("status", text),
    ("added", _maybe(_date)),
    ("notes", _maybe(text)),
    ("sources", texts),
    ("provenance", texts),
    ("sort_title", text),
    ("excerpt", text),
)
"""Paper's fields in the order the cache lists them, each with its decoder (the cache's
schema digest includes Paper's field names: a model change discards old caches)."""


_ENCODERS: Mapping[str, Callable[[Any], Any]] = {
    "links": lambda links: [[link.kind, link.value, link.url] for link in links],
    "added": lambda added: added.isoformat() if added else None,
}
"""How a field that is not a JSON value already (text, number, tuple of texts) is written."""


def encode_paper(paper: Paper) -> list[Any]:
    values = []
    for name, _ in _PAPER_FIELDS:
        value = getattr(paper, name)
        encode = _ENCODERS.get(name)
        values.append(
            encode(value) if encode else list(value) if isinstance(value, tuple) else value
        )
    return values


def decode_paper(values: Any) -> Paper:
    check(isinstance(values, list) and len(values) == len(_PAPER_FIELDS), "paper expected")
    return Paper(
        **{name: decode(v) for (name, decode), v in zip(_PAPER_FIELDS, values, strict=True)}
    )


def encode_papers(papers: Mapping[str, CachedPaper], arrays: Arrays, known: KnownDigests) -> Any:
    """The parsed papers by file, with each distinct set of known topics written once, and
    each paper's digest (see digest.py) into `arrays`, so a new process need not redo them."""
    topic_sets: dict[frozenset[str], int] = {}
    rows = [
        [name, key[0], key[1], topic_sets.setdefault(topics, len(topic_sets)), encode_paper(p)]
        for name, (key, topics, p) in papers.items()
    ]
    digests = b"".join(paper_digest(p, known) for _, _, p in papers.values())
    arrays["papers.digests"] = np.frombuffer(digests, np.uint8).reshape(len(rows), DIGEST_SIZE)
    return {"topic_sets": [sorted(t) for t in topic_sets], "files": rows}


def decode_papers(data: Any, arrays: Mapping[str, Any]) -> tuple[PaperCache, KnownDigests]:
    check(isinstance(data, dict), "papers expected")
    topic_sets = [frozenset(texts(t)) for t in data["topic_sets"]]
    papers: PaperCache = {}
    digests = arrays["papers.digests"]
    check(
        digests.dtype == np.uint8 and digests.shape == (len(data["files"]), DIGEST_SIZE),
        "paper digests",
    )
    known: dict[int, tuple[Paper, bytes]] = {}
    for row, digest in zip(data["files"], digests, strict=True):
        check(isinstance(row, list) and len(row) == 5, "paper file expected")
        name, mtime, size, topics, fields = row
        check(type(topics) is int and 0 <= topics < len(topic_sets), "topic set expected")
        paper = decode_paper(fields)
        papers[text(name)] = ((_int(mtime), _int(size)), topic_sets[topics], paper)
        known[id(paper)] = (paper, digest.tobytes())
    return papers, known


def encode_similarity(similarity: Similarity, arrays: Arrays) -> dict[str, Any]:
    """Similarity's texts as JSON, its arrays (with its index's) into `arrays`."""
    position = {paper_id: i for i, paper_id in enumerate(similarity.ids)}
    arrays["similarity.digests"] = np.frombuffer(b"".join(similarity.digests), np.uint8)
    arrays["similarity.ranked"] = np.asarray(similarity.ranked, np.int32)
    arrays["similarity.scores"] = np.asarray(similarity.scores, np.float32)
    arrays["similarity.complete"] = np.asarray(similarity.complete, np.bool_)
    index = similarity.index
    if index is not None:
        for name in ("df", "totals", "columns"):
            arrays[f"index.{name}"] = getattr(index, name)
        for name in ("counts", "matrix"):
            matrix = getattr(index, name)
            arrays[f"index.{name}.indptr"] = matrix.indptr
            arrays[f"index.{name}.indices"] = matrix.indices
            arrays[f"index.{name}.data"] = matrix.data
    return {
        "ids": list(similarity.ids),
        "terms": None if index is None else list(index.terms),
        "vocabulary": None if index is None else list(index.vocabulary),
        "related": [
            [[position[n.id], n.score, list(n.terms)] for n in similarity.related[paper_id]]
            for paper_id in similarity.ids
        ],
    }


def decode_similarity(data: Any, arrays: Mapping[str, Any]) -> Similarity:
    check(isinstance(data, dict), "similarity expected")
    ids = texts(data["ids"])
    n = len(ids)
    digests = arrays["similarity.digests"]
    check(digests.dtype == np.uint8 and digests.shape == (n * 16,), "digests")
    ranked, scores = arrays["similarity.ranked"], arrays["similarity.scores"]
    complete = arrays["similarity.complete"]
    check(ranked.dtype == np.int32 and ranked.shape == (n, KEPT), "ranked")
    check(scores.dtype == np.float32 and scores.shape == (n, KEPT), "scores")
    check(complete.dtype == np.bool_ and complete.shape == (n,), "complete")
    check(bool(((ranked >= -1) & (ranked < n)).all()), "ranked")
    related: dict[str, tuple[Neighbour, ...]] = {}
    check(isinstance(data["related"], list) and len(data["related"]) == n, "related")
    for paper_id, found in zip(ids, data["related"], strict=True):
        related[paper_id] = tuple(_neighbour(ids, item) for item in found)
    index = None if data["terms"] is None else _decode_index(data, arrays, n)
    blob = digests.tobytes()
    return Similarity(
        ids=ids,
        digests=tuple(blob[i : i + 16] for i in range(0, len(blob), 16)),
        index=index,
        ranked=ranked,
        scores=scores,
        complete=complete,
        related=related,
    )


def _neighbour(ids: tuple[str, ...], item: Any) -> Neighbour:
    check(isinstance(item, list) and len(item) == 3, "neighbour expected")
    position, score, terms = item
    check(type(position) is int and 0 <= position < len(ids), "neighbour position")
    check(isinstance(score, float | int), "neighbour score")
    return Neighbour(ids[position], float(score), texts(terms))


def _decode_index(data: dict[str, Any], arrays: Mapping[str, Any], n: int) -> TermIndex:
    terms, vocabulary = texts(data["terms"]), texts(data["vocabulary"])
    df, totals, columns = (arrays[f"index.{name}"] for name in ("df", "totals", "columns"))
    for values in (df, totals, columns):
        check(values.dtype == np.int64 and values.shape == (len(terms),), "term array")
    check(bool((columns < len(vocabulary)).all()), "columns")

    def matrix(name: str, width: int) -> Any:
        parts = [arrays[f"index.{name}.{part}"] for part in ("data", "indices", "indptr")]
        # csr_matrix checks the index arrays against the shape: a foreign cache cannot make
        # a later product read out of bounds.
        built = sparse.csr_matrix(tuple(parts), shape=(n, width))
        built.check_format(full_check=True)
        return built

    return TermIndex(
        terms=terms,
        term_ids={term: i for i, term in enumerate(terms)},
        counts=matrix("counts", len(terms)),
        df=df,
        totals=totals,
        columns=columns,
        vocabulary=vocabulary,
        matrix=matrix("matrix", len(vocabulary)),
    )
