"""Which search shard each record belongs to: pure functions of the records' names and bytes.

The search index is split into shards, each a Pagefind bundle of its own that the browser
merges at query time, so that an edit re-indexes only the shard of the record it changed,
and Pagefind's memory is that of one shard. A record's shard depends on its name alone
(a stable hash, the same in every process and run): an edit keeps a record where it was,
and an addition or a removal touches one shard. The number of shards depends only on how
many records there are, in powers of two, so it changes rarely (at 3,000, 6,000, 12,000...
records); each shard's bytes depend only on its records, so a shard re-indexed after an
edit is the shard a clean build writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SHARD_RECORDS = 3000
"""At most this many records per shard, on average. Every query fetches index chunks (about
20 KB each, two or so per word) and a metadata file from every shard, so fewer shards fetch
less: at 10,000 records, 16 shards of 1,000 cost 1,066 KB per query, 4 of 3,000 at most 513,
one bundle 342. But Pagefind's memory grows with its shard, about 300 MB for 2,500 records
and 1.2 GB for 10,000 (against the bench's 500 MB per process), and an edit re-indexes its
whole shard (2.5 s for 2,500 records)."""


@dataclass(frozen=True)
class Shard:
    """One shard of the index: its number, its records and what identifies its bundle."""

    number: int
    """Its place among the shards, from 0."""
    records: tuple[str, ...]
    """The names (paths inside the records folder) of the records it holds, sorted."""
    digest: str
    """A hash of its records' names and bytes and of how they are indexed: two shards with
    the same digest have the same bundle."""


def shard_count(records: int, per_shard: int = SHARD_RECORDS) -> int:
    """The fewest shards, a power of two, that hold `records` at `per_shard` each."""
    count = 1
    while count * per_shard < records:
        count *= 2
    return count


def shard_of(name: str, count: int) -> int:
    """The shard of the record called `name`: a hash of the name (not Python's hash(),
    which changes with every process)."""
    value = int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "big")
    return value % count


def plan_shards(
    records: Mapping[str, str], salt: str, per_shard: int = SHARD_RECORDS
) -> tuple[Shard, ...]:
    """The shards of `records` (name -> hash of its bytes), empty ones left out; `salt` says
    how they are indexed (Pagefind's version, its options), which every digest includes."""
    count = shard_count(len(records), per_shard)
    members: list[list[str]] = [[] for _ in range(count)]
    for name in sorted(records):
        members[shard_of(name, count)].append(name)
    return tuple(
        Shard(number, tuple(names), _digest(salt, names, records))
        for number, names in enumerate(members)
        if names
    )


def stale_shards(shards: Iterable[Shard], cached: Iterable[str]) -> tuple[Shard, ...]:
    """The shards whose bundle is not among the `cached` digests: those to index."""
    have = set(cached)
    return tuple(shard for shard in shards if shard.digest not in have)


def _digest(salt: str, names: list[str], records: Mapping[str, str]) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{salt}\n".encode())
    for name in names:
        h.update(f"{name}\0{records[name]}\n".encode())
    return h.hexdigest()
