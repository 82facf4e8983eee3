"""The header search every builder's pages carry: theme-neutral JS and CSS on Pagefind's own
JS API (assets/). Each builder copies these files into its project's assets and places the
button through its own script (`readinglistSearch.mount(element)`)."""

from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).parent / "assets"

SEARCH_ASSETS = tuple(ASSETS / name for name in ("search-engine.js", "search.js", "search.css"))
"""The files, in the order the pages load them (the engine before the box)."""
