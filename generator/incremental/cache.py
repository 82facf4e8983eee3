"""What the last build parsed and wrote, kept in build/ so the next build redoes only edits.

One .npz file (a zip of numpy arrays, read with allow_pickle=False): the structure as one
UTF-8 JSON member, the related papers' matrices as plain numeric arrays. Reading it can run
no code, unlike the pickle it replaces. It is versioned: a cache that is missing means a
full build; one that is damaged, foreign or from another version is discarded with one line
of notice, and the build redoes everything.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from generator import model
from generator.content.load import PaperCache
from generator.errors import display_path
from generator.incremental import codec
from generator.incremental.digest import KnownDigests
from generator.incremental.reuse import PageRecord
from generator.relate import similar
from generator.relate.tfidf import TermIndex

log = logging.getLogger(__name__)

CACHE_FILE = ".readinglist-cache.npz"
LEGACY_FILES = (".readinglist-cache.pickle",)
"""Caches of earlier versions: never read, removed when found."""
FORMAT = "readinglist-cache"
ZIP_MAGIC = b"PK\x03\x04"
VERSION = 2
"""Raised when the codec writes a paper differently (2: provenance is kept)."""


def _schema() -> str:
    """Changes whenever what the cache holds changes shape, so an old cache is never misread."""
    shape = [
        (cls.__name__, [f.name for f in fields(cls)])
        for cls in (*model.CACHED_TYPES, similar.Neighbour, similar.Similarity, TermIndex)
    ]
    return hashlib.sha256(repr((VERSION, similar.KEPT, shape)).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class BuildCache:
    """Parsed papers by file, and what each generated file was made from, at the last build.
    A value: each step of the generator makes a new one rather than changing it."""

    papers: PaperCache = field(default_factory=dict)
    """Parsed papers by file name (see load.PaperCache)."""
    pages: Mapping[str, PageRecord] = field(default_factory=dict)
    """What each generated file was rendered from, and how it was left on disk."""
    templates: str = ""
    """Digest of the templates folder the pages were rendered with."""
    similarity: similar.Similarity | None = None
    """The related papers, with what an edit needs to update them (see similar)."""
    paper_digests: KnownDigests = field(default_factory=dict, compare=False)
    """The digests of the papers read from the cache, saved with them: a new process would
    spend half a second at 10,000 papers to compute them again."""


def templates_digest(templates: Path) -> str:
    """Digest of every template and asset: editing any of them re-renders every page."""
    digest = hashlib.sha256()
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(templates).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def load_cache(path: Path) -> BuildCache:
    """The cache at `path`; an empty one (with a line saying why) if it cannot be used."""
    for legacy in (path.with_name(name) for name in LEGACY_FILES):
        if legacy.is_file() or legacy.is_symlink():
            log.info("cache %s is from another version; rebuilding", display_path(legacy))
            legacy.unlink()
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return BuildCache()
    except OSError as exc:
        return _discard(path, f"unreadable ({exc.strerror})")
    if not stat.S_ISREG(mode):  # a FIFO would block the read, a link may point anywhere
        return _discard(path, "not a regular file")
    try:
        with path.open("rb") as handle:
            if handle.read(4) != ZIP_MAGIC:  # a pickle, text, anything but an .npz
                return _discard(path, "not a readinglist cache")
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        data = json.loads(arrays.pop("cache").tobytes())
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return _discard(path, "not a readinglist cache")
        if data.get("schema") != _schema():
            return _discard(path, "from another version")
        return _decode(data, arrays)
    # Whatever is wrong with the file (not a zip, truncated, a member missing, a pickle that
    # np.load refuses, values of the wrong type or size), the cure is the same: rebuild.
    except Exception as exc:
        return _discard(path, f"damaged ({type(exc).__name__})")


def _discard(path: Path, why: str) -> BuildCache:
    log.info("cache %s is %s; rebuilding", display_path(path), why)
    return BuildCache()


def _decode(data: dict[str, Any], arrays: dict[str, Any]) -> BuildCache:
    paths = codec.texts(data["pages"])
    digests, keys = arrays["pages.digests"], arrays["pages.written"]
    codec.check(digests.dtype == np.uint8 and digests.shape == (len(paths), 16), "page digests")
    codec.check(keys.dtype == np.int64 and keys.shape == (len(paths), 2), "page keys")
    pages = {
        page: PageRecord(digest, (mtime, size))
        for page, digest, (mtime, size) in zip(
            paths, (row.tobytes() for row in digests), keys.tolist(), strict=True
        )
    }
    similarity = data["similarity"]
    papers, known = codec.decode_papers(data["papers"], arrays)
    return BuildCache(
        papers=papers,
        paper_digests=known,
        pages=pages,
        templates=codec.text(data["templates"]),
        similarity=None if similarity is None else codec.decode_similarity(similarity, arrays),
    )


def save_cache(cache: BuildCache, path: Path) -> None:
    """Write the cache beside the generated project, replacing the old one at once."""
    arrays: codec.Arrays = {}
    paths = sorted(cache.pages)
    arrays["pages.digests"] = np.frombuffer(
        b"".join(cache.pages[p].digest for p in paths), np.uint8
    ).reshape(len(paths), 16)
    arrays["pages.written"] = np.array([cache.pages[p].written for p in paths], np.int64).reshape(
        len(paths), 2
    )
    similarity = cache.similarity
    data = {
        "format": FORMAT,
        "schema": _schema(),
        "templates": cache.templates,
        "papers": codec.encode_papers(cache.papers, arrays, cache.paper_digests),
        "pages": paths,
        "similarity": None if similarity is None else codec.encode_similarity(similarity, arrays),
    }
    arrays["cache"] = np.frombuffer(json.dumps(data, separators=(",", ":")).encode(), np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    try:
        with partial.open("wb") as handle:
            np.savez(handle, allow_pickle=False, **arrays)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
