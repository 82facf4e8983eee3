"""What a reader does in a real browser: browse, read math, copy BibTeX, stay safe."""

from __future__ import annotations

from typing import Any

import pytest

from .browser import Reader, follow_home_to_topic_to_paper

pytestmark = pytest.mark.browser


def test_reader_follows_home_to_topic_to_paper(reader: Reader, shipped_url: str) -> None:
    page = reader.page
    page.goto(shipped_url)
    assert page.title() == "Machine learning reading list"
    follow_home_to_topic_to_paper(reader)
    assert page.get_by_role("link", name="Scaling laws").count() >= 1
    assert reader.errors == [] and reader.outside == []


def test_abstract_math_is_typeset_by_the_sites_own_katex(reader: Reader, golden_url: str) -> None:
    page = reader.page
    scripts: list[str] = []
    fetched: list[str] = []

    def record_script(request: Any) -> None:
        fetched.append(request.url)
        if request.resource_type == "script":
            scripts.append(request.url)

    page.on("request", record_script)
    page.goto(golden_url + "topics/")  # no math here: no KaTeX script, stylesheet or font
    page.wait_for_load_state("networkidle")
    assert fetched and not any("katex" in url.lower() for url in fetched)
    page.goto(golden_url + "papers/every-field/")
    page.locator(".arithmatex .katex").first.wait_for()
    assert page.locator("span.arithmatex .katex").count() == 1
    assert page.locator("div.arithmatex .katex-display").count() == 1
    assert [url for url in scripts if "katex" in url] == [golden_url + "assets/katex/katex.min.js"]
    assert golden_url + "assets/katex/katex.min.css" in fetched  # linked by this page alone
    assert reader.errors == [] and reader.outside == []


def test_copy_button_copies_the_bibtex_entry(reader: Reader, golden_url: str) -> None:
    page = reader.page
    page.goto(golden_url + "papers/every-field/")
    block = page.locator(".highlight", has_text="@inproceedings{")
    expected = block.locator("code").inner_text()
    block.hover()
    block.get_by_title("Copy to clipboard").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == expected.strip()
    assert (
        copied.startswith("@inproceedings{lovelace2024regret,")
        and "eprint = {2310.10010}" in copied
    )


def test_hostile_title_shows_as_text_and_fires_nothing(reader: Reader, golden_url: str) -> None:
    page = reader.page
    page.goto(golden_url + "papers/hostile/")
    title = "<script>alert('title')</script> <img src=x onerror=alert('img')> *bold* "
    assert page.locator("h1").inner_text().startswith(title)
    assert page.title().startswith(title)
    assert "<script>alert('abstract')</script>" in page.locator("article").inner_text()
    page.goto(golden_url + "topics/hostile-topic/")
    assert page.locator("h1").inner_text() == "<b>Bold</b> & [brackets] | pipes"
    assert page.locator("nav").get_by_text("<b>Bold</b> & [brackets] | pipes").count() >= 1
    # Search for it, as a reader would, and look at the results.
    page.keyboard.press("/")  # the header search's shortcut
    page.locator(".readinglist-search-field").press_sequentially("pipes", delay=30)
    page.locator(".readinglist-search-result").first.wait_for()
    results = page.locator(".readinglist-search-results").inner_text()
    assert "<b>Bold</b> & [brackets] | pipes" in results
    assert "<script>alert('title')</script>" in results
    page.wait_for_timeout(300)
    assert reader.dialogs == []
    assert page.locator("img[src='x']").count() == 0
    assert [e for e in reader.errors if "alert" in e] == []


def test_no_console_errors_on_every_kind_of_page(reader: Reader, shipped_url: str) -> None:
    for path in ("", "topics/", "topics/interpretability/", "browse/by-year/", "browse/by-title/"):
        reader.page.goto(shipped_url + path)
        reader.page.wait_for_load_state("networkidle")
    assert reader.errors == [] and reader.outside == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(browser: Any, shipped_url: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    paper = "papers/progress-measures-for-grokking-via-mechanistic-interpretability/"
    for path in ("", "topics/interpretability/", paper, "stats/"):
        page.goto(shipped_url + path)
        page.wait_for_load_state("networkidle")
        expected = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected
        violations = axe.run(page).response["violations"]
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], f"{scheme} {path or 'home'}: " + "; ".join(serious)
    context.close()
