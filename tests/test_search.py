"""Search as readers use it, in Chromium against the site as each builder builds it: the
header search answered by Pagefind, ranking quality on the shipped list, safety, a phone."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from .browser import Reader
from .conftest import CORPUS, ROOT

pytestmark = pytest.mark.browser

QUERIES = yaml.safe_load((ROOT / "tests" / "search_queries.yaml").read_text())

# Asks the page's search engine one query, as the header search does on every keystroke;
# resolves with the full answer's results.
ASK = """(query) => new Promise((resolve) => {
  window.readinglistSearch.engine.ask(query, (answer) => {
    if (!answer.partial) resolve(answer.items);
  });
})"""

# Every answer to one query, partial ones included, in order.
ALL_ANSWERS = """(query) => new Promise((resolve) => {
  const answers = [];
  window.readinglistSearch.engine.ask(query, (answer) => {
    answers.push({ partial: !!answer.partial, locations: answer.items.map((i) => i.location) });
    if (!answer.partial) resolve(answers);
  });
})"""

RESULT = ".readinglist-search-result"


@pytest.fixture(scope="module")
def search_page(browser: Any, builder_url: str) -> Any:
    """A page of the shipped site, as built by each builder in turn."""
    page = browser.new_page()
    page.goto(builder_url)
    yield page
    page.close()


def test_query_set_is_large_and_varied() -> None:
    assert len(QUERIES) >= 25
    kinds = {q["kind"] for q in QUERIES}
    assert {"title words", "method name", "concept", "acronym", "typo"} <= kinds
    assert "lowercase partial title" in kinds
    for query in QUERIES:
        assert (CORPUS / "papers" / f"{query['expect']}.yaml").is_file(), query


@pytest.mark.parametrize("case", QUERIES, ids=lambda q: q["query"])
def test_expected_paper_is_in_the_top_three(search_page: Any, case: dict[str, str]) -> None:
    results = search_page.evaluate(ASK, case["query"])
    top = [r["location"] for r in results[:3]]
    assert f"papers/{case['expect']}/" in top, top


def test_papers_rank_above_listing_pages(search_page: Any) -> None:
    for query in ("interpretability", "scaling laws", "imitation learning"):
        results = search_page.evaluate(ASK, query)
        assert all(r["location"].startswith("papers/") for r in results[:3]), (query, results)
        assert not any(r["location"].startswith(("browse/", "index")) for r in results)


def test_a_query_with_common_words_answers_first_from_the_rarer_ones(search_page: Any) -> None:
    # "learning" is in most papers: searching it costs Pagefind the most and ranks little, so
    # the first answer comes from "imitation" alone, keeping pages with both words; the
    # exact answer follows and is the one the quality tests check.
    search_page.reload()  # an engine that has searched none of these yet
    common = dict(search_page.evaluate("fetch('assets/search-common.json').then(r => r.json())"))
    assert common["learning"] > 0.5 and "imitation" not in common
    answers = search_page.evaluate(ALL_ANSWERS, "imitation learning")
    # The quick answer, then the exact one's first four, then the exact one in full.
    assert [a["partial"] for a in answers] == [True, True, False]
    assert len(answers[-1]["locations"]) > 4
    quick = answers[0]["locations"]
    assert quick and len(quick) <= 4
    for location in quick:
        paper = yaml.safe_load((CORPUS / f"{location.rstrip('/')}.yaml").read_text())
        text = f"{paper['title']} {paper.get('abstract', '')}".lower()
        assert "imitation" in text and "learning" in text, location
    assert quick[0] in answers[-1]["locations"][:4]
    # A word being typed counts as common ("imitation l"); when every word is that common
    # ("learning models"), there is little to save and the whole query is searched at once.
    typed = search_page.evaluate(ALL_ANSWERS, "imitation l")
    assert [a["partial"] for a in typed] == [True, True, False]  # quick, first four, exact
    assert [a["partial"] for a in search_page.evaluate(ALL_ANSWERS, "learning models")] == [
        True,
        False,
    ]


def test_pagefind_loads_on_first_use_and_the_header_search_answers_while_typing(
    reader: Reader, builder_url: str
) -> None:
    page = reader.page
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(builder_url + "topics/")
    page.wait_for_load_state("networkidle")
    assert not any("/pagefind/" in url for url in fetched)  # nothing of Pagefind up front
    # nor the theme's own (lunr) index
    assert fetched and not any(url.endswith("/search_index.json") for url in fetched)
    button = page.locator("header .readinglist-search-button")
    assert button.is_visible()
    page.keyboard.press("/")  # the shortcut opens the dialog with the field focused
    assert page.evaluate("document.activeElement.classList.contains('readinglist-search-field')")
    page.keyboard.type("many-shot in-cont", delay=25)
    first = page.locator(RESULT).first
    first.wait_for()
    assert any(url.endswith("/pagefind/pagefind.js") for url in fetched)
    assert (
        first.locator(".readinglist-result-title").inner_text() == "Many-Shot In-Context Learning"
    )
    assert first.locator("mark").count() >= 2
    assert first.locator(".readinglist-result-meta").inner_text() == (
        "2024 · Reasoning and test-time compute"
    )
    # The theme's own search box, if it draws one, is not what the reader sees.
    assert page.locator("input[type=text][name=query]:visible").count() == 0
    first.locator("a").click()
    page.wait_for_url("**/papers/many-shot-in-context-learning/**")
    assert page.locator("h1").inner_text() == "Many-Shot In-Context Learning"
    # Ctrl+K opens it too, on the next page; Escape closes it.
    page.keyboard.press("Control+k")
    dialog = page.locator("dialog#readinglist-search")
    dialog.wait_for()
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert reader.errors == [] and reader.outside == []


def test_search_link_opens_the_search_with_its_query(reader: Reader, builder_url: str) -> None:
    # A link with the query in it (?q=): the page opens with the search answered.
    page = reader.page
    page.goto(builder_url + "topics/?q=many-shot+in-context")
    first = page.locator(RESULT).first
    first.wait_for()
    assert (
        first.locator(".readinglist-result-title").inner_text() == "Many-Shot In-Context Learning"
    )
    assert page.locator(".readinglist-search-field").input_value() == "many-shot in-context"
    # Pagefind answers in the page, without its web worker (one script fewer to fetch and
    # start; Zensical's theme starts a search worker of its own, over an empty index, which
    # nothing asks).
    assert not any(w.url.endswith("/pagefind/pagefind-worker.js") for w in page.workers)
    assert reader.errors == [] and reader.outside == []


def test_search_results_show_hostile_text_and_math_as_text(reader: Reader, golden_url: str) -> None:
    page = reader.page
    page.goto(golden_url)
    page.keyboard.press("/")
    page.keyboard.type("regret", delay=25)
    first = page.locator(RESULT).first
    first.wait_for()
    title = first.locator(".readinglist-result-title").inner_text()
    assert title == "Regret Bounds for Everything: A t5x Study"
    assert r"$R_T = O(\sqrt{T})$" in first.inner_text()  # TeX source, not typeset
    page.locator(".readinglist-search-field").fill("")
    page.keyboard.type("abstract onerror", delay=25)
    hostile = page.locator(RESULT, has_text="alert('title')").first
    hostile.wait_for()
    assert "<img src=x onerror=alert('abs-img')>" in hostile.inner_text()
    assert page.locator("#readinglist-search img").count() == 0
    assert reader.dialogs == []


def test_search_works_at_390_px(browser: Any, builder_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(builder_url)
    page.locator(".readinglist-search-button").click()
    page.locator(".readinglist-search-field").press_sequentially("grokking", delay=25)
    first = page.locator(RESULT).first
    first.wait_for()
    # Once open, the results fit the screen with no sideways scroll.
    page.wait_for_function(
        """() => {
          const box = document.querySelector('.readinglist-search-result').getBoundingClientRect();
          return box.left >= 0 && box.right <= window.innerWidth
            && document.documentElement.scrollWidth <= window.innerWidth;
        }""",
        timeout=3000,
    )
    title = first.locator(".readinglist-result-title")
    assert "grok" in title.inner_text().lower()  # Pagefind stems: "Grokked" answers too
    assert first.locator("mark").count() >= 1
    # What the reader sees at the title's centre is the title itself: on the screen, and not
    # covered by the header, the dialog's edge or anything else.
    assert page.evaluate(
        """() => {
          const title = document.querySelector('.readinglist-result-title');
          const box = title.getBoundingClientRect();
          const x = box.left + Math.min(box.width / 2, 40), y = box.top + box.height / 2;
          const seen = document.elementFromPoint(x, y);
          return box.bottom <= window.innerHeight && seen !== null && title.contains(seen);
        }"""
    )
    context.close()
