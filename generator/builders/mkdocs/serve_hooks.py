"""MkDocs hooks that `readinglist serve` adds to the served build (never to `build`'s).

MkDocs loads this file by path and calls its functions; nothing here imports MkDocs.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from generator.builders.mkdocs.serve_state import SERVED_SITE, STATE
from generator.builders.pagefind import RECORDS, Indexer
from generator.errors import ReadingListError

log = logging.getLogger(__name__)


def on_config(config: Any, **_: Any) -> Any:
    """Build into the project's served-site folder (see SERVED_SITE), every rebuild."""
    config["site_dir"] = str(Path(config["config_file_path"]).parent / SERVED_SITE)
    return config


def on_serve(server: Any, config: Any, **_: Any) -> Any:
    """Serve that folder too (the server was made for MkDocs' temporary one)."""
    server.root = site = Path(config["site_dir"])

    def error_page(code: int) -> bytes | None:
        page = site / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    return server


def on_pre_build(config: Any, **_: Any) -> None:
    """Wait for a regeneration under way; the watcher then waits for this build."""
    STATE.start_build()


def on_build_error(error: Exception, **_: Any) -> None:
    STATE.end_build()


def on_post_build(config: Any, **_: Any) -> None:
    """Index the search records beside the served project, so search finds the last edit.

    In the background: the browser reloads as soon as the pages are built (indexing the
    shipped list takes about a second, which an edit would otherwise wait for), and search
    catches up just after. One indexing at a time, in the order of the builds."""
    try:
        for running in STATE.indexing:
            running.join()
        STATE.indexing.clear()
        project = Path(config["config_file_path"]).parent
        try:
            indexer = Indexer(project / RECORDS, Path(config["site_dir"]) / "pagefind")
        except OSError as error:
            log.error("search index not updated: %s", error)
            return
        thread = threading.Thread(target=_finish, args=(indexer,), daemon=True)
        thread.start()
        STATE.indexing.append(thread)
    finally:
        STATE.end_build()


def _finish(indexer: Indexer) -> None:
    try:
        indexer.finish()
    except (ReadingListError, OSError) as error:
        log.error("search index not updated: %s", error)
