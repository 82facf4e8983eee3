"""What `readinglist serve` adds to MkDocs' served builds (never to `build`'s): the project
guard around each build, and the search index rebuilt beside it.

An instance is registered as a plugin on the configuration of every served build (build.py);
its state lives on it, for as long as the server runs. Nothing here imports MkDocs.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from generator.builders.pagefind import RECORDS, Indexer
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
    for), and search catches up just after. One indexing at a time, in build order."""

    def __init__(self, project: Path, guard: threading.Lock) -> None:
        self.project = project
        self.guard = guard
        self.building = False
        self.running: threading.Thread | None = None

    def on_pre_build(self, config: Any, **_: Any) -> None:
        self.guard.acquire()
        self.building = True

    def on_build_error(self, error: Exception, **_: Any) -> None:
        self._release()

    def on_post_build(self, config: Any, **_: Any) -> None:
        try:
            if self.running is not None:
                self.running.join()
            try:
                indexer = Indexer(
                    self.project / RECORDS, Path(config["site_dir"]) / urls.SEARCH_BUNDLE
                )
            except OSError as error:
                log.error("search index not updated: %s", error)
                return
            self.running = threading.Thread(target=_finish, args=(indexer,), daemon=True)
            self.running.start()
        finally:
            self._release()

    def _release(self) -> None:
        if self.building:
            self.building = False
            self.guard.release()


def _finish(indexer: Indexer) -> None:
    try:
        indexer.finish()
    except (ReadingListError, OSError) as error:
        log.error("search index not updated: %s", error)
