"""Converting and rendering a list of pages of an `MkSite`, on both cores when it is long.

A page is converted and rendered in one pass, and its HTML dropped once written (unless the
caller keeps the conversions for later: serve): at 10,000 pages, MkDocs' way (every page
converted, then every page rendered) held all of them at once.

Two processes: after the site is gathered (configuration, files, navigation, theme), a forked
child renders every other page of the list and the parent the rest. Each page's HTML is a
function of the gathered site and of that page alone, so the bytes are those of one process;
the child sends back what the parent needs of its pages (their anchors, its warning count)
as JSON on a pipe. Nothing here imports MkDocs.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.children import trim_heap
from generator.errors import BuildError

if TYPE_CHECKING:
    from generator.builders.mkdocs.build import MkSite

log = logging.getLogger(__name__)

PARALLEL_FROM = 400
"""Fewer pages than this render in this process: forking costs more than it saves..."""

PARALLEL_BYTES = 256 * 1024
"""...unless they hold this much Markdown (when their sizes are given): an update after a
one-paper edit at 10,000 papers renders a few topic and browsing pages of 300-800 KB each,
seconds of conversion each, in a second or two on two cores."""


@dataclass
class Rendered:
    """What checking links to anchors needs of the rendered pages, by src_uri."""

    anchors: dict[str, list[str]] = field(default_factory=dict)
    links: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def update(self, other: Rendered) -> None:
        self.anchors.update(other.anchors)
        self.links.update(other.links)


def render_pages(
    site: MkSite,
    todo: Sequence[str],
    *,
    kept: dict[str, dict[str, Any]] | None = None,
    keep: bool = False,
    parallel: bool = True,
    sizes: dict[str, int] | None = None,
) -> Rendered:
    """Convert (or take from `kept`, by src_uri: conversions of Markdown known unchanged)
    and render each page of `todo`, in two processes when it is long and `parallel`.
    `keep`: leave each page's conversion on it (serve reuses them; the child's are lost, so
    not with `sizes`). `sizes`: each page's Markdown bytes, to split the work by them."""
    long = len(todo) >= PARALLEL_FROM
    if sizes is not None and not keep:
        long = long or sum(sizes.get(src, 0) for src in todo) >= PARALLEL_BYTES
    if not parallel or not long or not hasattr(os, "fork") or _cores() < 2:
        return _render(site, todo, kept, keep, len(todo))
    ours, theirs_todo = split_by_size(todo, sizes) if sizes else (todo[0::2], todo[1::2])
    trim_heap()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's exit status and pipe are what the tests see
        os.close(read)
        _child(site, theirs_todo, kept, write, len(todo))
    os.close(write)
    try:
        mine = _render(site, ours, kept, keep, len(todo))
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read)
        raise
    with os.fdopen(read, encoding="utf-8") as answer:
        text = answer.read()
    _, status = os.waitpid(pid, 0)
    try:
        theirs = json.loads(text)
    except ValueError:
        theirs = {"error": f"the second rendering process exited with status {status}"}
    if "error" in theirs:
        raise BuildError(f"MkDocs failed: {theirs['error']}")
    for level, count in theirs["warnings"]:
        site.warnings.counts[level] += count
    mine.update(Rendered(theirs["anchors"], theirs["links"]))
    return mine


def split_by_size(todo: Sequence[str], sizes: dict[str, int]) -> tuple[list[str], list[str]]:
    """`todo` in two parts of about the same Markdown bytes, each in `todo`'s order: the
    largest pages first, each to the lighter part."""
    totals = [0, 0]
    part: dict[str, int] = {}
    for src in sorted(todo, key=lambda src: (-sizes.get(src, 0), src)):
        lighter = 0 if totals[0] <= totals[1] else 1
        part[src] = lighter
        totals[lighter] += sizes.get(src, 0)
    return [s for s in todo if part[s] == 0], [s for s in todo if part[s] == 1]


def _child(
    site: MkSite,
    todo: Sequence[str],
    kept: dict[str, dict[str, Any]] | None,
    write: int,
    total: int,
) -> None:
    """Render `todo`, answer on `write` and exit, whatever happens: never return into the
    parent's code (its server, its build) from a forked child."""
    status = 1
    try:
        with os.fdopen(write, "w", encoding="utf-8") as answer:
            try:
                done = _render(site, todo, kept, False, total, report=False)
                counts = sorted(site.warnings.counts.items())
                message: dict[str, Any] = {
                    "anchors": done.anchors,
                    "links": done.links,
                    "warnings": counts,
                }
                status = 0
            except BaseException as error:  # reported by the parent, in one line
                message = {"error": f"{type(error).__name__}: {error}"}
            json.dump(message, answer)
    finally:
        os._exit(status)


def _render(
    site: MkSite,
    todo: Sequence[str],
    kept: dict[str, dict[str, Any]] | None,
    keep: bool,
    total: int,
    report: bool = True,
) -> Rendered:
    rendered = Rendered()
    step = max(1, len(todo) // 10) if len(todo) >= 1000 else 0
    nav = set(site.nav_pages())
    started = time.perf_counter()
    for number, src in enumerate(todo, 1):
        converted = (kept or {}).get(src)
        if converted is not None:
            site.reuse(src, converted)
        else:
            site.convert(src)
        site.render(src)
        anchors, links = site.anchors(src)
        rendered.anchors[src] = anchors
        if links:
            rendered.links[src] = links
        if not keep and src not in nav:
            site.forget(src)
        if report and step and number % step == 0:
            log.info(
                "mkdocs: %d of %d pages rendered (%.1fs)",
                number * total // len(todo),
                total,
                time.perf_counter() - started,
            )
    return rendered


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
