"""A digest of a page's inputs, so the cache can tell an unchanged page without keeping its
inputs: the same values give the same 16 bytes in any process, whatever their identity."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Mapping
from typing import Any

from generator.model import Paper

DIGEST_SIZE = 16


class Digester:
    """Digests page inputs. The pages of one write share most of their inputs (every listing
    holds the same papers, three pages the same topics), so each tuple and record is digested
    once per Digester, by identity, and each paper once per process, by value."""

    def __init__(self, papers: KnownDigests | None = None) -> None:
        self._seen: dict[int, tuple[object, bytes]] = {}
        """id -> (the object, kept alive so its id is not reused; its digest)."""
        self._fields: dict[type, tuple[str, ...]] = {}
        self.papers: KnownDigests = papers or {}

    def page(self, template: str, context: tuple[tuple[str, Any], ...]) -> bytes:
        return _hash(repr(template).encode() + self._value(context))

    def _value(self, value: Any) -> bytes:
        kind = type(value)
        if kind in _LEAVES:
            # Their repr says the value exactly (a float's round-trips), quoted and escaped
            # (any string, lone surrogates too).
            return repr(value).encode()
        if kind is Paper:
            return b"#" + paper_digest(value, self.papers)
        if kind is tuple and len(value) < _SHARED_SIZE:
            if all(type(item) in _LEAVES for item in value):
                return repr(value).encode()
            return b"(" + b",".join([self._value(item) for item in value]) + b")"
        # Large tuples (a listing's papers) and records (topics, entries) are shared by many
        # pages of one write: digested once each.
        known = self._seen.get(id(value))
        if known is None:
            known = (value, _hash(self._compound(value)))
            self._seen[id(value)] = known
        return b"#" + known[1]

    def _compound(self, value: Any) -> bytes:
        if type(value) is tuple:
            return b"(" + b",".join([self._value(item) for item in value]) + b")"
        kind = type(value)
        names = self._fields.get(kind)
        if names is None:
            if not hasattr(kind, "__dataclass_fields__"):
                return repr(value).encode()  # unknown: at worst, a page rendered again
            names = self._fields[kind] = tuple(kind.__dataclass_fields__)
        parts = [self._value(getattr(value, name)) for name in names]
        return kind.__qualname__.encode() + b"(" + b",".join(parts) + b")"


_LEAVES = frozenset({str, int, float, bool, type(None), dt.date})
_SHARED_SIZE = 8


def _hash(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).digest()


KnownDigests = Mapping[int, tuple[Paper, bytes]]
"""Digests of papers known already (read from the cache), by id of the very paper."""


def paper_digest(paper: Paper, known: KnownDigests) -> bytes:
    found = known.get(id(paper))
    return found[1] if found is not None and found[0] is paper else _paper_digest(paper)


@functools.lru_cache(maxsize=1 << 16)
def _paper_digest(paper: Paper) -> bytes:
    """Cached by value: under serve, each write digests the downloads' 10,000 papers, all
    but the edited one the very objects of the last write (found at once by identity)."""
    return _hash(repr(paper).encode())
