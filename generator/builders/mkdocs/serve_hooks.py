"""What `readinglist serve` adds to MkDocs' served builds (never to `build`'s): the project
guard around each build, the search index rebuilt beside it, and the live search bundle of
the edited records (generator/builders/search/live.py) indexed before the pages are.

An instance is registered as a plugin on the configuration of every served build (build.py);
its state lives on it, for as long as the server runs. Nothing here imports MkDocs.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.builders.pagefind import RECORDS, Indexer
from generator.builders.search.index import PAGEFIND_OPTIONS, _executable
from generator.builders.search.live import (
    LIVE_FOLDER,
    LIVE_LIMIT,
    LiveEdits,
    LiveIndex,
    changed_records,
)
from generator.errors import ReadingListError
from generator.render import urls

log = logging.getLogger(__name__)


class ServeIndexing:
    """Holds the project guard while MkDocs builds, and indexes the search records beside
    the served project after every build, so search finds the last edit.

    The guard is also held by serve's watcher while it writes the project: a build that saw
    a page unchanged when reading it and changed when writing it failed with a traceback,
    and a regeneration half written was built as it stood.

    Indexing runs in the background: the browser reloads as soon as the pages are built
    (indexing the shipped list takes about a second, which an edit would otherwise wait
    for), and search catches up just after. One indexing at a time, in build order.

    The full index re-indexes a whole shard (seconds at 10,000 papers, after the listing
    pages): the records a rebuild takes are first indexed alone into the live bundle, in the
    background while the pages render, which the header search merges ahead of the shards."""

    def __init__(self, project: Path, guard: threading.Lock) -> None:
        self.project = project
        self.guard = guard
        self.building = False
        self.running: threading.Thread | None = None
        self.rebuilds = 0
        """The number of the last rebuild that took the project's changes."""
        self.edits = LiveEdits()
        self.live: LiveIndex | None = None
        self.live_lock = threading.Lock()
        """One live index at a time (LiveIndex.index keeps the newest manifest)."""
        self.indexed: int | None = None
        """A full index written while the guard was held, for the next build to apply."""

    def edited(self, paths: set[str]) -> None:
        """Called with the project paths a rebuild takes, before it renders a page: the
        records among them go into a new live bundle, indexed in the background."""
        self.rebuilds += 1
        names = changed_records(paths, RECORDS)
        if self.live is None or not names:
            return
        with self.guard:
            if len(names) > LIVE_LIMIT:
                # Left to the full index; live copies of these would now be older than it.
                if not self.edits.forget(names):
                    return
            else:
                self.edits.edit(names, self.rebuilds)
            self._stage()

    def _stage(self) -> None:
        # With the guard held: the records are copied as a finished write left them.
        live = self.live
        assert live is not None
        try:
            staged, names = live.stage(self.edits.names())
        except (ReadingListError, OSError) as error:
            log.error("live search not updated: %s", error)
            return
        thread = threading.Thread(target=self._index_live, args=(live, staged, names))
        thread.daemon = True
        thread.start()

    def _index_live(self, live: LiveIndex, staged: Path, names: tuple[str, ...]) -> None:
        with self.live_lock:
            started = time.perf_counter()
            try:
                live.index(staged, names)
            except (ReadingListError, OSError) as error:
                log.error("live search not updated: %s", error)
                return
            seconds = time.perf_counter() - started
            log.info("live search: %d record(s) indexed in %.2fs", len(names), seconds)

    def _indexed(self, rebuild: int) -> None:
        """The full index of rebuild `rebuild` is the site's: the records it holds leave
        the live bundle. The live records change under the guard only."""
        if self.guard.acquire(blocking=False):
            try:
                self._shrink(rebuild)
            finally:
                self.guard.release()
        else:  # on_post_build may hold it while it waits for this thread: the next build
            self.indexed = rebuild

    def _shrink(self, rebuild: int) -> None:
        if self.edits.indexed(rebuild):
            self._stage()

    def on_pre_build(self, config: Any, **_: Any) -> None:
        self.guard.acquire()
        self.building = True
        indexed, self.indexed = self.indexed, None
        if indexed is not None and self.live is not None:
            self._shrink(indexed)

    def on_build_error(self, error: Exception, **_: Any) -> None:
        self._release()

    def on_post_build(self, config: Any, **_: Any) -> None:
        try:
            site_dir = Path(config["site_dir"])
            try:
                if self.live is None:
                    live = LiveIndex(
                        self.project / RECORDS, site_dir, _executable(), PAGEFIND_OPTIONS
                    )
                    live.start()
                    self.live = live
            except (ReadingListError, OSError) as error:
                log.error("search index not updated: %s", error)
                return
            # After the last build's index, in its thread: this build ends (and releases the
            # guard, which the next edit's write waits for) without waiting for Pagefind.
            start = functools.partial(
                Indexer, self.project / RECORDS, site_dir / urls.SEARCH_BUNDLE, live=LIVE_FOLDER
            )
            args = (self.running, start, self._indexed, self.rebuilds)
            self.running = threading.Thread(target=_finish, args=args, daemon=True)
            self.running.start()
        finally:
            self._release()

    def _release(self) -> None:
        if self.building:
            self.building = False
            self.guard.release()


def _finish(
    previous: threading.Thread | None,
    start: Callable[[], Indexer],
    indexed: Callable[[int], None],
    rebuild: int,
) -> None:
    if previous is not None:
        previous.join()  # one index at a time, in build order
    try:
        start().finish()
    except (ReadingListError, OSError) as error:
        log.error("search index not updated: %s", error)
        return
    indexed(rebuild)
