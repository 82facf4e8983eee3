"""What the last build parsed and wrote, kept in build/ so the next build redoes only edits.

A paper file whose (mtime, size) and the set of known topics are unchanged is not parsed
again; a page whose inputs equal the last build's, and whose file on disk is the one that
build wrote, is not rendered again. The cache is a local pickle that only this program
writes; a missing, unreadable or outdated one just means a full build.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from generator import model
from generator.content.load import PaperCache
from generator.relate.similar import Neighbour, Similarity
from generator.relate.tfidf import TermIndex

log = logging.getLogger(__name__)


def _schema() -> str:
    """Changes whenever the model's fields change, so an old pickle is never misread."""
    shape = [
        (cls.__name__, [f.name for f in fields(cls)])
        for cls in (*model.CACHED_TYPES, Neighbour, Similarity, TermIndex)
    ]
    return hashlib.sha256(repr((3, shape)).encode()).hexdigest()[:16]


@dataclass
class BuildCache:
    """Parsed papers by file, and rendered pages by path, from the last build."""

    schema: str = field(default_factory=_schema)
    papers: PaperCache = field(default_factory=dict)
    """Parsed papers by file name (see load.PaperCache)."""
    pages: dict[str, tuple[Any, tuple[int, int]]] = field(default_factory=dict)
    """page path -> (template inputs, (mtime_ns, size) of the file as written)."""
    templates: str = ""
    """Digest of the templates folder the pages were rendered with."""
    similarity: Similarity | None = None
    """The related papers, with what an edit needs to update them (see similar)."""


def templates_digest(templates: Path) -> str:
    """Digest of every template and asset: editing any of them re-renders every page."""
    digest = hashlib.sha256()
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(templates).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def load_cache(path: Path) -> BuildCache:
    try:
        with path.open("rb") as handle:
            cache = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return BuildCache()
    if not isinstance(cache, BuildCache) or cache.schema != _schema():
        log.debug("cache %s is outdated; building everything", path)
        return BuildCache()
    return cache


def save_cache(cache: BuildCache, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    with partial.open("wb") as handle:
        pickle.dump(cache, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)
