"""Search as readers use it, in Chromium against the built sites: the header box answered by
Pagefind, ranking quality on the shipped list, safety, and a phone-sized screen."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from .browser import Reader
from .conftest import ROOT

pytestmark = pytest.mark.browser

QUERIES = yaml.safe_load((ROOT / "tests" / "search_queries.yaml").read_text())

# Posts one query straight to the site's search worker (the one Material's configuration
# names), as Material's search box does.
ASK_WORKER = """(query) => new Promise((resolve, reject) => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const worker = new Worker(config.search);
  worker.onerror = (error) => reject(new Error("search worker failed: " + error.message));
  worker.onmessage = (event) => {
    if (event.data.type === 1) worker.postMessage({ type: 2, data: query });
    else if (!event.data.data.partial) {
      resolve(event.data.data.items.map((item) => item[0]));
      worker.terminate();
    }
  };
  worker.postMessage({ type: 0, data: { config: {}, docs: [], options: {} } });
})"""


@pytest.fixture(scope="module")
def search_page(browser: Any, shipped_url: str) -> Any:
    page = browser.new_page()
    page.goto(shipped_url)
    yield page
    page.close()


def test_query_set_is_large_and_varied() -> None:
    assert len(QUERIES) >= 25
    kinds = {q["kind"] for q in QUERIES}
    assert {"title words", "method name", "concept", "acronym", "typo"} <= kinds
    assert "lowercase partial title" in kinds
    for query in QUERIES:
        assert (ROOT / "content" / "papers" / f"{query['expect']}.yaml").is_file(), query


@pytest.mark.parametrize("case", QUERIES, ids=lambda q: q["query"])
def test_expected_paper_is_in_the_top_three(search_page: Any, case: dict[str, str]) -> None:
    results = search_page.evaluate(ASK_WORKER, case["query"])
    top = [r["location"] for r in results[:3]]
    assert f"papers/{case['expect']}/" in top, top


def test_papers_rank_above_listing_pages(search_page: Any) -> None:
    for query in ("interpretability", "scaling laws", "imitation learning"):
        results = search_page.evaluate(ASK_WORKER, query)
        assert all(r["location"].startswith("papers/") for r in results[:3]), (query, results)
        assert not any(r["location"].startswith(("browse/", "index")) for r in results)


# Every answer the worker gives to one query, partial ones included, in order.
ALL_ANSWERS = """(query) => new Promise((resolve, reject) => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const worker = new Worker(config.search);
  const answers = [];
  worker.onerror = (error) => reject(new Error("search worker failed: " + error.message));
  worker.onmessage = (event) => {
    if (event.data.type === 1) worker.postMessage({ type: 2, data: query });
    else {
      const data = event.data.data;
      answers.push({ partial: !!data.partial, locations: data.items.map((i) => i[0].location) });
      if (!data.partial) { resolve(answers); worker.terminate(); }
    }
  };
  worker.postMessage({ type: 0, data: { config: {}, docs: [], options: {} } });
})"""


def test_a_query_with_common_words_answers_first_from_the_rarer_ones(
    search_page: Any, shipped_url: str
) -> None:
    # "learning" is in most papers: searching it costs Pagefind the most and ranks little, so
    # the first answer comes from "imitation" alone, keeping pages with both words; the
    # exact answer follows and is the one the quality tests check.
    common = dict(search_page.evaluate("fetch('assets/search-common.json').then(r => r.json())"))
    assert common["learning"] > 0.5 and "imitation" not in common
    answers = search_page.evaluate(ALL_ANSWERS, "imitation learning")
    # The quick answer, then the exact one's first four, then the exact one in full.
    assert [a["partial"] for a in answers] == [True, True, False]
    assert len(answers[-1]["locations"]) > 4
    quick = answers[0]["locations"]
    assert quick and len(quick) <= 4
    for location in quick:
        paper = yaml.safe_load((ROOT / "content" / f"{location.rstrip('/')}.yaml").read_text())
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


def test_header_search_answers_while_typing_with_highlights(
    reader: Reader, shipped_url: str
) -> None:
    page = reader.page
    page.goto(shipped_url + "topics/")
    page.keyboard.press("/")  # Material's keyboard shortcut focuses the box
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type("many-shot in-cont", delay=25)
    first = page.locator(".md-search-result__item").first
    first.wait_for()
    assert first.locator("h1").inner_text() == "Many-Shot In-Context Learning"
    assert first.locator("mark").count() >= 2
    assert first.locator(".readinglist-result-meta").inner_text() == (
        "2024 · Reasoning and test-time compute"
    )
    first.click()
    page.wait_for_url("**/papers/many-shot-in-context-learning/**")
    assert page.locator("h1").inner_text() == "Many-Shot In-Context Learning"
    assert reader.errors == [] and reader.outside == []


def test_search_link_answers_with_the_one_worker_started_in_the_head(
    reader: Reader, shipped_url: str
) -> None:
    # A link with the query in it (Material's ?q=): the worker the head started, and asked
    # to search ahead, is the one Material uses; no second one, even after navigating on.
    page = reader.page
    page.goto(shipped_url + "topics/?q=many-shot+in-context")
    first = page.locator(".md-search-result__item").first
    first.wait_for()
    assert first.locator("h1").inner_text() == "Many-Shot In-Context Learning"
    assert page.evaluate("window.readinglistSearchWorker instanceof Worker")
    assert [w.url.rsplit("/", 2)[-2:] for w in page.workers] == [["assets", "search-worker.js"]]
    page.keyboard.press("Escape")
    page.locator("a.md-tabs__link", has_text="Statistics").click()
    page.wait_for_url("**/stats/")
    page.keyboard.press("/")
    page.keyboard.type("scaling laws", delay=25)
    page.locator(".md-search-result__item").first.wait_for()
    assert len(page.workers) == 1
    assert reader.errors == [] and reader.outside == []


def test_search_results_show_hostile_text_and_math_as_text(reader: Reader, golden_url: str) -> None:
    page = reader.page
    page.goto(golden_url)
    page.keyboard.press("/")
    page.keyboard.type("regret", delay=25)
    first = page.locator(".md-search-result__item").first
    first.wait_for()
    assert first.locator("h1").inner_text() == "Regret Bounds for Everything: A t5x Study"
    assert r"$R_T = O(\sqrt{T})$" in first.inner_text()  # TeX source, not typeset
    page.locator("input.md-search__input").fill("")
    page.keyboard.type("abstract onerror", delay=25)
    hostile = page.locator(".md-search-result__item", has_text="alert('title')").first
    hostile.wait_for()
    assert "<img src=x onerror=alert('abs-img')>" in hostile.inner_text()
    assert page.locator(".md-search-result img").count() == 0
    assert reader.dialogs == []


def test_search_works_at_390_px(browser: Any, shipped_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(shipped_url)
    page.locator("label.md-header__button[for='__search']").click()
    page.locator("input.md-search__input").press_sequentially("grokking", delay=25)
    first = page.locator(".md-search-result__item").first
    first.wait_for()
    # The search panel slides open; once settled, results fit the screen with no sideways scroll.
    page.wait_for_function(
        """() => {
          const box = document.querySelector('.md-search-result__item').getBoundingClientRect();
          return box.left >= 0 && box.right <= window.innerWidth
            && document.documentElement.scrollWidth <= window.innerWidth;
        }""",
        timeout=3000,
    )
    title = first.locator("h1")
    assert "grok" in title.inner_text().lower()  # Pagefind stems: "Grokked" answers too
    assert first.locator("mark").count() >= 1
    # What the reader sees at the title's centre is the title itself: on the screen, and not
    # covered by the header, the panel's edge or anything else.
    assert page.evaluate(
        """() => {
          const title = document.querySelector('.md-search-result__item h1');
          const box = title.getBoundingClientRect();
          const x = box.left + Math.min(box.width / 2, 40), y = box.top + box.height / 2;
          const seen = document.elementFromPoint(x, y);
          return box.bottom <= window.innerHeight && seen !== null && title.contains(seen);
        }"""
    )
    context.close()
