"""What an edit makes the generator redo, as pure functions of data: what the last write
knew and what this one plans in, what to render and what to keep out.

The generator (generator.py) only feeds them: the cache's records, the contexts it saw in
this process, the files' (mtime, size) on disk, and acts on their answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from generator.incremental.digest import DIGEST_SIZE
from generator.relate.listing import PaperEntry
from generator.render.pages import PagePlan

Key = tuple[int, int]
"""A file's (mtime_ns, size); MISSING when there is no such file."""
MISSING: Key = (-1, -1)
Context = tuple[tuple[str, Any], ...]
UNKNOWN_INPUTS = bytes(DIGEST_SIZE)
"""The inputs digest recorded for a page a kept generator rendered, which knows its inputs
from `seen`: zeros, which no page's inputs digest to (but one chance in 2**128), and of the
size the cache's format holds, should that cache ever be saved."""


class PageRecord(NamedTuple):
    """What the cache remembers of one generated file (a named tuple: there are 20,000)."""

    digest: bytes
    """Digest of its template and inputs (see digest.Digester)."""
    written: Key
    """(mtime_ns, size) of the file as the last write left it."""


@dataclass
class PageChoice:
    """choose_pages()'s answer."""

    render: list[PagePlan] = field(default_factory=list)
    """The pages to render: new, changed, or changed on disk since written."""
    kept: set[str] = field(default_factory=set)
    """The pages whose file on disk is up to date: neither rendered nor written."""
    verified: dict[str, Context] = field(default_factory=dict)
    """Kept pages found up to date on disk just now, with the inputs they were checked for."""


def choose_pages(
    plans: Iterable[PagePlan],
    records: Mapping[str, PageRecord],
    seen: Mapping[str, Context],
    disk: Callable[[str], Key],
    digest: Callable[[PagePlan], bytes],
    *,
    postpone_whole_list: bool = False,
) -> PageChoice:
    """Which pages to render, given the cache's `records`, the inputs of each page this
    process last wrote or verified on disk (`seen`), the files' keys on `disk`, and a page's
    inputs digest.

    A page is kept if its inputs are those it was last made from and its file is as that
    write left it: by identity with what this process saw (no look at the disk: this
    process wrote or checked it), else by equality with it, else, as a new process knows
    only the cache, by digest. With `postpone_whole_list`, the files that hold the whole
    list keep their last version whatever changed (serve brings them up to date next)."""
    choice = PageChoice()
    for plan in plans:
        record = records.get(plan.path)
        if record is None:
            choice.render.append(plan)
            continue
        last = seen.get(plan.path)
        if (postpone_whole_list and plan.whole_list) or last is plan.context:
            choice.kept.add(plan.path)
        elif (last == plan.context if last is not None else record.digest == digest(plan)) and disk(
            plan.path
        ) == record.written:
            choice.kept.add(plan.path)
            choice.verified[plan.path] = plan.context
        else:
            choice.render.append(plan)
    return choice


def records_after_write(
    records: Mapping[str, PageRecord],
    rendered: Mapping[str, bytes],
    removed: Iterable[str],
    disk: Callable[[str], Key],
) -> Mapping[str, PageRecord]:
    """The records once a write has rendered `rendered` (path -> inputs digest) and removed
    `removed`: the rendered pages as they now are on disk. The very `records` if the write
    changed nothing, so a cache that did not change is not saved again."""
    gone = set(removed)
    if not rendered and not gone:
        return records
    new = {path: record for path, record in records.items() if path not in gone}
    new.update((path, PageRecord(digest, disk(path))) for path, digest in rendered.items())
    return new


def paper_plans(
    entries: Iterable[PaperEntry],
    previous: Mapping[str, tuple[PaperEntry, tuple[PagePlan, ...]]],
    plan: Callable[[PaperEntry], tuple[PagePlan, ...]],
) -> dict[str, tuple[PaperEntry, tuple[PagePlan, ...]]]:
    """Each paper's entry and page plans (search record, page), reusing the very plans of a
    paper whose entry relate() reused, and the search record of one whose related papers
    alone changed: their inputs then compare equal by identity, at once."""
    plans = {}
    for entry in entries:
        last = previous.get(entry.paper.id)
        if last is None or last[0] is not entry:
            record, page = plan(entry)
            if last is not None and (last[0].paper, last[0].topics) == (
                entry.paper,
                entry.topics,
            ):
                record = last[1][0]
            last = (entry, (record, page))
        plans[entry.paper.id] = last
    return plans
