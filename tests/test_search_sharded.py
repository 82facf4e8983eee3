"""Search over an index in many shards, merged in the browser: the shipped list indexed in
shards of 64 records (8 shards) answers the quality queries as the one-bundle index does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from generator.builders.search import shards

from .browser import serve_folder
from .conftest import CORPUS, build
from .test_search import ASK, QUERIES

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sharded_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    dest = tmp_path_factory.mktemp("sharded")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shards, "SHARD_RECORDS", 64)
        status, err = build(CORPUS, dest)
    assert status == 0, err
    assert len(list((dest / "site" / "pagefind").glob("shard-*"))) >= 4
    with serve_folder(dest / "site") as url:
        yield url


@pytest.fixture(scope="module")
def sharded_page(browser: Any, sharded_url: str) -> Iterator[Any]:
    page = browser.new_page()
    page.goto(sharded_url)
    yield page
    page.close()


@pytest.mark.parametrize("case", QUERIES, ids=lambda q: q["query"])
def test_expected_paper_is_in_the_top_three_of_the_merged_shards(
    sharded_page: Any, case: dict[str, str]
) -> None:
    results = sharded_page.evaluate(ASK, case["query"])
    top = [r["location"] for r in results[:3]]
    assert f"papers/{case['expect']}/" in top, top


def test_every_shard_is_fetched_and_answers(sharded_page: Any, sharded_url: str) -> None:
    fetched: list[str] = []
    sharded_page.on("request", lambda r: fetched.append(r.url))
    sharded_page.reload()
    results = sharded_page.evaluate(ASK, "learning")
    entries = {
        u.split("?")[0]
        for u in fetched
        if u.endswith("pagefind-entry.json") or "pagefind-entry.json?" in u
    }
    assert len(entries) >= 5, entries  # the first bundle and every merged shard
    assert len(results) == 12  # a common word: the full page of results, from many shards
