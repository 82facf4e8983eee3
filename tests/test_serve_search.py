"""`readinglist serve`'s header search after an edit, in Chromium: the edited paper is found
under its new title, through the live bundle of the edited records, and not under its old."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from generator.builders.mkdocs.serve import SERVED_SITE
from generator.builders.search.live import LIVE_FILE, LIVE_FOLDER

from .conftest import FIXTURES
from .test_serve import EDIT_VISIBLE_WITHIN_MS, serve_log, serving

pytestmark = pytest.mark.browser

RESULTS = """() => {
  const list = document.querySelector("#readinglist-search-results");
  if (!list || list.dataset.state !== "done") return null;
  return [...list.querySelectorAll(".readinglist-search-result a")].map(
    (a) => ({ href: a.getAttribute("href"), text: a.textContent }));
}"""


def header_search(browser: Any, url: str, query: str) -> list[dict[str, str]]:
    """The header search's results for `query`, typed in a fresh page (nothing cached)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.keyboard.press("/")
        page.locator(".readinglist-search-field").fill(query)
        results: list[dict[str, str]] = page.wait_for_function(
            RESULTS, timeout=EDIT_VISIBLE_WITHIN_MS
        ).json_value()
        return results
    finally:
        context.close()


def live_manifest(tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "build" / SERVED_SITE / LIVE_FOLDER / LIVE_FILE
    try:
        data: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError):  # not written yet, or being replaced
        return {}
    return data


def wait_indexed(tmp_path: Path, count: int) -> None:
    """Until serve's log shows `count` full indexes and no more for two seconds."""
    deadline = time.monotonic() + 60
    seen, since = -1, time.monotonic()
    while True:
        now = serve_log(tmp_path).count("search index:")
        if now != seen:
            seen, since = now, time.monotonic()
        elif seen >= count and time.monotonic() - since >= 2:
            return
        assert time.monotonic() < deadline, serve_log(tmp_path)[-2000:]
        time.sleep(0.1)


SLOW_FULL_INDEX = """
import time
from generator.builders.mkdocs import serve_hooks
real_finish = serve_hooks._finish
def slow_finish(*args):
    time.sleep(2)  # as at 10,000 papers, where re-indexing a shard takes seconds
    real_finish(*args)
serve_hooks._finish = slow_finish
"""
"""Each full index starts 2 s late: on three papers it could end before the live bundle of
the edit was written, which it then emptied at once (the test saw it empty)."""


def test_an_edited_title_is_found_by_the_header_search_and_the_old_one_is_not(
    tmp_path: Path, browser: Any
) -> None:
    golden = FIXTURES / "golden" / "content"
    with serving(golden, tmp_path, ready="papers/title-only/", prelude=SLOW_FULL_INDEX) as (
        url,
        content,
    ):
        page_url = url + "papers/title-only/"
        wait_indexed(tmp_path, 1)
        old = header_search(browser, page_url, "Only a Title")
        assert any("With Only a Title" in r["text"] for r in old), old
        bundle = tmp_path / "build" / SERVED_SITE / "pagefind"
        shutil.copytree(bundle, tmp_path / "bundle-before")
        paper = content / "papers" / "title-only.yaml"
        started = time.monotonic()
        paper.write_text(paper.read_text().replace("Only a Title", "Quokka Title"))
        # The edit's record is indexed alone, into the live bundle the search merges.
        while live_manifest(tmp_path).get("supersedes") != ["/papers/title-only.html"]:
            assert time.monotonic() - started < EDIT_VISIBLE_WITHIN_MS / 1000, live_manifest(
                tmp_path
            )
            time.sleep(0.05)
        assert live_manifest(tmp_path)["bundle"] and live_manifest(tmp_path)["pages"]
        live = tmp_path / "build" / SERVED_SITE / LIVE_FOLDER
        # Without the staging folders of records (N.records): serve removes them as soon as
        # Pagefind has read them, which raced the copy.
        shutil.copytree(live, tmp_path / "live-after", ignore=shutil.ignore_patterns("*.records"))
        # Serve then indexes the edit's shard again, after the listing pages, and the live
        # bundle lets go of the record. Both are put back to how they were before that:
        # what is found now is found through the live bundle alone.
        wait_indexed(tmp_path, 2)
        for served, kept in ((bundle, "bundle-before"), (live, "live-after")):
            shutil.rmtree(served)
            shutil.copytree(tmp_path / kept, served)
        found = header_search(browser, page_url, "Quokka")

        assert [r for r in found if r["href"].endswith("papers/title-only/")], found
        assert all("Quokka" in r["text"] for r in found if "title-only" in r["href"]), found
        stale = header_search(browser, page_url, "Only a Title")
        assert not any("With Only a Title" in r["text"] for r in stale), stale
