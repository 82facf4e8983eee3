"""The header search's speed in Chromium over localhost, on a built site (any builder's)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import statistics
import threading
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

from .chromium import CHROMIUM_FLAGS

SEARCH_QUERIES = ("reinforcement learning", "scaling laws", "preference optimization")
SEARCH_RUNS = 3
RESULT = ".readinglist-search-result"


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files and counts the body bytes sent, whoever asked (page or worker): those
    of the search (the header search's scripts, Pagefind's files) and those of the rest."""

    sent: ClassVar[dict[str, int]] = {"search": 0, "page": 0}
    SEARCH_FILES = ("/pagefind/", "/assets/search-", "/assets/search.")

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        self.sent["search" if self.path.startswith(self.SEARCH_FILES) else "page"] += len(data)
        # A run's browser context may close with requests still under way.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            outputfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


# Times taken in the page itself (performance.now(), from navigation start), so the figures
# do not include how often Playwright polls: when the first result is in the document, and
# when the load event fired.
MARK_FIRST_RESULT = """
new MutationObserver((_, observer) => {
  if (document.querySelector(".readinglist-search-result")) {
    window.firstResultAt = performance.now();
    observer.disconnect();
  }
}).observe(document, { subtree: true, childList: true });
"""
PAGE_TIMES = """() => ({
  result: window.firstResultAt,
  load: performance.getEntriesByType("navigation")[0].loadEventStart,
})"""


def search_speed(site: Path) -> dict[str, float]:
    """For the slowest of a few queries (the median of SEARCH_RUNS runs of each, every run
    in a fresh browser context: a cold cache):
    - opened as a link with the query in it (?q=): seconds from the page's load event to the
      first result in the document; kilobytes served for the search (its scripts and all of
      Pagefind's files, whenever fetched) and for the rest of the page (files as stored);
    - typed: the page loaded and left idle for a second, the search opened by its shortcut
      and the query put into the field at once, seconds from then to the first result."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_CountingHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    sent = _CountingHandler.sent
    per_query = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_FLAGS
            )
            for query in SEARCH_QUERIES:
                runs = []
                for _ in range(SEARCH_RUNS):
                    context = browser.new_context()  # a cold cache for every run
                    context.add_init_script(MARK_FIRST_RESULT)
                    page = context.new_page()
                    sent.update(search=0, page=0)
                    page.goto(f"{url}?q={quote(query)}", wait_until="load")
                    page.locator(RESULT).first.wait_for(timeout=30000)
                    page.wait_for_timeout(300)  # the last requests, for the byte count
                    times = page.evaluate(PAGE_TIMES)
                    runs.append(
                        {
                            "from_load_s": (times["result"] - times["load"]) / 1000,
                            "query_kb": sent["search"] / 1024,
                            "page_kb": sent["page"] / 1024,
                            "typed_s": typed_search(browser, url, query),
                        }
                    )
                    context.close()
                per_query.append({k: statistics.median(r[k] for r in runs) for k in runs[0]})
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    worst = {k: max(q[k] for q in per_query) for k in per_query[0]}
    return {k: round(v, 3 if k.endswith("_s") else 1) for k, v in worst.items()}


def typed_search(browser: Any, url: str, query: str) -> float:
    """Seconds from typing `query` into the search of an idle, loaded page to its first
    result (in a fresh context: nothing of the query is cached)."""
    context = browser.new_context()
    context.add_init_script(MARK_FIRST_RESULT)  # no result shows before the query is typed
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_timeout(1000)
    page.keyboard.press("/")  # the header search's shortcut
    page.evaluate(
        """(query) => {
          const input = document.querySelector(".readinglist-search-field");
          window.typedAt = performance.now();
          input.value = query;
          input.dispatchEvent(new Event("input", { bubbles: true }));
        }""",
        query,
    )
    page.locator(RESULT).first.wait_for(timeout=30000)
    seconds = page.evaluate("window.firstResultAt - window.typedAt") / 1000
    context.close()
    return float(seconds)
