"""What `readinglist serve` adds to MkDocs' served builds (never to `build`'s): the search
index, rebuilt beside each build.

An instance is registered as a plugin on the configuration of every served build (build.py);
its state lives on it, for as long as the server runs. Nothing here imports MkDocs.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from generator.builders.pagefind import RECORDS, Indexer
from generator.errors import BuildError

log = logging.getLogger(__name__)


class ServeIndexing:
    """Indexes the search records beside the served project after every build, so search
    finds the last edit.

    In the background: the browser reloads as soon as the pages are built (indexing the
    shipped list takes about a second, which an edit would otherwise wait for), and search
    catches up just after. One indexing at a time, in the order of the builds."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.running: threading.Thread | None = None

    def on_post_build(self, config: Any, **_: Any) -> None:
        if self.running is not None:
            self.running.join()
        indexer = Indexer(self.project / RECORDS, Path(config["site_dir"]) / "pagefind")
        self.running = threading.Thread(target=_finish, args=(indexer,), daemon=True)
        self.running.start()


def _finish(indexer: Indexer) -> None:
    try:
        indexer.finish()
    except BuildError as error:
        log.error("search index not updated: %s", error)
