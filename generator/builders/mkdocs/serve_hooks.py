"""MkDocs hooks that `readinglist serve` adds to the served build (never to `build`'s).

MkDocs loads this file by path and calls its functions; nothing here imports MkDocs.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from generator.builders.pagefind import RECORDS, Indexer
from generator.errors import BuildError

log = logging.getLogger(__name__)

_indexing: list[threading.Thread] = []


def on_post_build(config: Any, **_: Any) -> None:
    """Index the search records beside the served project, so search finds the last edit.

    In the background: the browser reloads as soon as the pages are built (indexing the
    shipped list takes about a second, which an edit would otherwise wait for), and search
    catches up just after. One indexing at a time, in the order of the builds."""
    for running in _indexing:
        running.join()
    _indexing.clear()
    project = Path(config["config_file_path"]).parent
    indexer = Indexer(project / RECORDS, Path(config["site_dir"]) / "pagefind")
    thread = threading.Thread(target=_finish, args=(indexer,), daemon=True)
    thread.start()
    _indexing.append(thread)


def _finish(indexer: Indexer) -> None:
    try:
        indexer.finish()
    except BuildError as error:
        log.error("search index not updated: %s", error)
