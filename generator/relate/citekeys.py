"""Citation keys: one per paper, unique across the list, the same on its page and in the
exports (computed here, once, so that no page can print a key another page also prints)."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from generator.content.slug import slugify
from generator.model import Paper
from generator.render.text import plain_title


@functools.lru_cache(maxsize=1 << 16)
def base_key(paper: Paper) -> str:
    """`surname2024firstword` when authors and year are known; otherwise from the id."""
    words = [w for w in slugify(plain_title(paper.title)).split("-") if len(w) > 3] or ["paper"]
    if paper.authors:
        surname = slugify(surname_of(paper.authors[0])).replace("-", "") or "anon"
        return f"{surname}{paper.year or ''}{words[0]}"
    return "-".join(paper.id.split("-")[:4]) + (f"-{paper.year}" if paper.year else "")


def surname_of(name: str) -> str:
    """The family name: before the comma of `Family, Given`, else the last word."""
    if "," in name:
        return name.split(",")[0].strip()
    words = name.split()
    return words[-1] if words else name


def unique_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """A key per paper id. Papers sharing a base key get a, b, c... suffixes in id order
    (the list's order), the first keeping the bare key; a suffixed key never takes another
    paper's base key."""
    papers = list(papers)
    bases = {paper.id: base_key(paper) for paper in papers}
    taken = set(bases.values())
    keys: dict[str, str] = {}
    used: set[str] = set()
    for paper in sorted(papers, key=lambda p: p.id):
        key = base = bases[paper.id]
        n = 0
        while key in used or (key != base and key in taken):
            key = base + _suffix(n)
            n += 1
        used.add(key)
        keys[paper.id] = key
    return keys


def _suffix(n: int) -> str:
    """a, b, ..., z, aa, ab, ...: as many as collisions need."""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters
