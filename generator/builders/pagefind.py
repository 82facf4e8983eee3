"""The search index as builders and commands use it: `Indexer(records, bundle)` updates it in
the background (`finish()`, `cancel()`), `SearchIndex(project).update(bundle)` in the caller's
thread. Sharded, incremental Pagefind bundles: generator/builders/search/index.py."""

from __future__ import annotations

from generator.builders.search.index import CACHE, RECORDS, Indexer, SearchIndex

__all__ = ["CACHE", "RECORDS", "Indexer", "SearchIndex"]
