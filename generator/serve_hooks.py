"""MkDocs hooks that `readinglist serve` adds to the served build (never to `build`'s).

MkDocs loads this file by path and calls its functions; nothing here imports MkDocs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.search import index_site


def on_post_build(config: Any, **_: Any) -> None:
    """Index the freshly (re)built pages, so search answers for the edit just made."""
    index_site(Path(config["site_dir"]))
