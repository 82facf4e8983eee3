"""The all-papers page in Chromium: filters that work and share their state, a list without
JavaScript, and, at 10,000 papers, a first screen of at most 300 KB and redraws within 100 ms."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from generator.content.load import load_list
from generator.content.slug import normalize_title
from generator.relate.listing import relate
from generator.render.catalog import SHARD, catalog_index, catalog_rows, default_order
from generator.render.text import plain_title
from scripts.synthetic import make_reading_list

from .browser import PagesHandler, Reader, serve_folder
from .conftest import CORPUS

SHIPPED = load_list(CORPUS)
LARGE = 10_000
FIRST_SCREEN_BYTES = 300_000
REDRAW_MS = 100


@pytest.fixture(scope="module")
def large_url(shipped_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped site with the all-papers data of a 10,000-paper list (scripts/synthetic)
    in place of its own: the page and its script are the same at any size."""
    site = tmp_path_factory.mktemp("large") / "site"
    shutil.copytree(shipped_site, site)
    related = relate(make_reading_list(CORPUS, LARGE))
    papers = default_order(related)
    assets = site / "assets"
    for old in assets.glob("papers-*.json"):
        old.unlink()
    topics = tuple(e.topic for e in related.topics)
    (assets / "papers-index.json").write_text(catalog_index(papers, topics), encoding="utf-8")
    for n in range(0, len(papers), SHARD):
        shard = catalog_rows(papers[n : n + SHARD])
        (assets / f"papers-{n // SHARD}.json").write_text(shard, encoding="utf-8")
    with serve_folder(site, PagesHandler) as url:
        yield url


def wait_drawn(page: Any, after: int = 0) -> int:
    page.wait_for_function(
        f"Number(document.querySelector('div.rl-papers').dataset.drawn || 0) > {after}"
    )
    return int(page.locator("div.rl-papers").get_attribute("data-drawn"))


def titles(page: Any) -> list[str]:
    return list(page.locator(".rl-paper-title").all_inner_texts())


def test_filters_narrow_the_list_and_the_address_keeps_them(
    reader: Reader, shipped_url: str
) -> None:
    page = reader.page
    page.goto(shipped_url + "papers/")
    drawn = wait_drawn(page)
    assert page.locator(".rl-count").inner_text() == "426 papers, 100 shown"
    assert page.get_by_role("button", name="Show more").is_visible()
    page.locator("div.rl-papers").get_by_label("Topic").select_option("scaling-laws")
    drawn = wait_drawn(page, drawn)
    scaling = page.locator(".rl-count").inner_text()
    topic_page = page.context.new_page()
    topic_page.goto(shipped_url + "topics/scaling-laws/")
    listed = topic_page.locator("article p", has_text="newest first").inner_text().split()[0]
    topic_page.close()
    assert scaling == f"{listed} papers"
    page.locator("div.rl-papers").get_by_label("From year").fill("2024")
    drawn = wait_drawn(page, drawn)
    page.locator("div.rl-papers").get_by_label("Sort by").select_option("title")
    drawn = wait_drawn(page, drawn)
    shown = titles(page)
    assert len(shown) >= 2 and shown == sorted(shown, key=normalize_title)
    assert "topic=scaling-laws" in page.url and "from=2024" in page.url and "sort=title" in page.url
    # The address is the view: opened afresh, it shows the same papers in the same order.
    shared = reader.page.context.new_page()
    shared.goto(page.url)
    wait_drawn(shared)
    assert titles(shared) == shown
    assert shared.locator("div.rl-papers").get_by_label("Topic").input_value() == "scaling-laws"
    shared.close()
    page.goto(shipped_url + "papers/?author=kaplan")
    wait_drawn(page)
    kaplan = [p for p in SHIPPED.papers if any("kaplan" in a.lower() for a in p.authors)]
    assert len(kaplan) >= 2
    assert sorted(titles(page)) == sorted(plain_title(p.title) for p in kaplan)
    assert reader.errors == [] and reader.outside == []


def test_has_code_keeps_the_papers_with_code(reader: Reader, golden_url: str) -> None:
    page = reader.page
    page.goto(golden_url + "papers/?code=1")
    wait_drawn(page)
    assert page.locator(".rl-count").inner_text() == "1 paper"
    # Nothing more to show: the button is hidden (papers.css must not show it anyway).
    assert page.get_by_role("button", name="Show more", include_hidden=True).is_hidden()
    paper = page.locator(".rl-paper")
    assert paper.get_by_role("link", name="Code").get_attribute("href") == (
        "https://github.com/example/code"
    )
    assert paper.locator(".rl-byline").inner_text() == "Ada Lovelace, Alan Turing · 2024 · NeurIPS"
    page.get_by_label("Has code").uncheck()
    wait_drawn(page, 1)
    assert page.locator(".rl-count").inner_text() == "3 papers"
    assert "code" not in page.url
    assert reader.errors == [] and reader.outside == []


def test_without_javascript_the_page_leads_to_every_paper(browser: Any, shipped_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(shipped_url + "papers/")
    letters = page.locator("a[href*='browse/title/']")
    assert letters.count() >= 20
    total = 0
    for text in page.locator("article p", has_text="By title").inner_text().split(" · "):
        total += int(text.rsplit("(", 1)[1].rstrip(")"))
    assert total == 426
    letters.first.click()
    assert page.locator("article li").count() > 0
    context.close()


def test_bibtex_button_of_a_list_copies_the_papers_entry(reader: Reader, shipped_url: str) -> None:
    page = reader.page
    page.goto(shipped_url + "topics/scaling-laws/")
    item = page.locator("article li").first
    href = item.locator("a").first.get_attribute("href")
    item.get_by_role("button", name="BibTeX").click()
    page.wait_for_function("document.querySelector('button.rl-copy[data-copied]') !== null")
    copied = page.evaluate("navigator.clipboard.readText()")
    page.goto(urljoin(page.url, href))
    expected = page.locator(".highlight code").first.inner_text()
    assert copied.strip() == expected.strip() and copied.startswith("@")


def test_at_ten_thousand_papers_the_first_screen_is_small_and_redraws_are_fast(
    reader: Reader, large_url: str
) -> None:
    page = reader.page
    page.goto(large_url + "papers/")
    drawn = wait_drawn(page)
    assert page.locator(".rl-count").inner_text() == f"{LARGE} papers, 100 shown"
    first = page.evaluate(
        """() => {
        const at = Number(document.querySelector('div.rl-papers').dataset.firstDraw);
        const nav = performance.getEntriesByType('navigation')[0];
        const early = performance.getEntriesByType('resource').filter(e => e.startTime < at);
        return nav.transferSize + early.reduce((sum, e) => sum + e.transferSize, 0);
    }"""
    )
    assert 0 < first <= FIRST_SCREEN_BYTES, f"first screen transferred {first} bytes"
    page.wait_for_load_state("networkidle")  # the other shards, fetched after the first screen
    changes = [
        ("select[name=topic]", "scaling-laws"),
        ("input[name=from]", "2020"),
        ("input[name=to]", "2023"),
        ("select[name=status]", "read"),
        ("select[name=sort]", "title"),
        ("select[name=sort]", "added"),
        ("input[name=venue]", "ICML"),
        ("input[name=author]", "a"),
        ("input[name=code]", True),
    ]
    for selector, value in changes:
        elapsed = page.evaluate(
            """([selector, value]) => new Promise(resolve => {
            const root = document.querySelector('div.rl-papers');
            const field = document.querySelector(selector);
            const before = root.dataset.drawn;
            const start = performance.now();
            const done = () => requestAnimationFrame(() => resolve(performance.now() - start));
            new MutationObserver((_, observer) => {
                if (root.dataset.drawn !== before) { observer.disconnect(); done(); }
            }).observe(root, { attributes: true });
            if (value === true) field.checked = !field.checked; else field.value = value;
            field.dispatchEvent(new Event('input', { bubbles: true }));
        })""",
            [selector, value],
        )
        assert elapsed <= REDRAW_MS, f"{selector}={value}: redrawn in {elapsed:.0f} ms"
    assert wait_drawn(page, drawn) > drawn
    assert reader.errors == []
