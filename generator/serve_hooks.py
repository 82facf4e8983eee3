"""MkDocs hooks that `readinglist serve` adds to the served build (never to `build`'s).

MkDocs loads this file by path and calls its functions; nothing here imports MkDocs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.search import RECORDS, index_records


def on_post_build(config: Any, **_: Any) -> None:
    """Index the search records beside the served project, so search finds the last edit."""
    project = Path(config["config_file_path"]).parent
    index_records(project / RECORDS, Path(config["site_dir"]) / "pagefind")
