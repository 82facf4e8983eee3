"""The statistics page: charts drawn at build time, and the data-health table."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from generator.content.load import load_list
from generator.render.charts import bar_chart

from .conftest import CORPUS

SVG = "{http://www.w3.org/2000/svg}"


def charts(page: str) -> list[ET.Element]:
    charts = re.findall(r'<div class="readinglist-chart">(<svg.*?</svg>)</div>', page)
    return [ET.fromstring(svg) for svg in charts]


def test_bar_chart_is_valid_svg_with_escaped_labels_and_scaled_bars() -> None:
    svg = ET.fromstring(
        bar_chart("T", [("<b>x</b> & y", 4), ("z", 2)])
        .removeprefix('<div class="readinglist-chart">')
        .removesuffix("</div>")
    )
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert labels == ["<b>x</b> & y", "4", "z", "2"]
    widths = [float(r.get("width", 0)) for r in svg.iter(f"{SVG}rect")]
    assert widths[0] == 2 * widths[1]


def test_stats_page_counts_topics_years_statuses_and_missing_facts(shipped_site: Path) -> None:
    page = (shipped_site / "stats" / "index.html").read_text()
    topic_chart, year_chart, status_chart = charts(page)
    papers = load_list(CORPUS).papers
    bars = {
        t.text: int(n.text or 0)
        for t, n in zip(
            list(topic_chart.iter(f"{SVG}text"))[::2],
            list(topic_chart.iter(f"{SVG}text"))[1::2],
            strict=True,
        )
    }
    assert sum(bars.values()) == sum(len(set(p.topics)) for p in papers)
    years = Counter(str(p.year or "unknown") for p in papers)
    year_texts = [t.text for t in year_chart.iter(f"{SVG}text")]
    assert year_texts[year_texts.index("unknown") + 1] == str(years["unknown"])
    assert "426" in [t.text for t in status_chart.iter(f"{SVG}text")]  # all to read
    no_year = sum(p.year is None for p in papers)
    no_authors = sum(not p.authors for p in papers)
    assert 0 < no_year < len(papers) and 0 < no_authors < len(papers)
    assert re.search(rf"<td>a year</td>\s*<td[^>]*>{no_year}</td>", page)
    assert re.search(rf"<td>authors</td>\s*<td[^>]*>{no_authors}</td>", page)


@pytest.mark.browser
def test_charts_follow_the_light_and_dark_schemes(browser: Any, shipped_url: str) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(shipped_url + "stats/")
        chart = page.locator(".readinglist-chart svg").first
        colours[scheme] = chart.evaluate("el => getComputedStyle(el).color")
        body = page.locator("article").evaluate("el => getComputedStyle(el).color")
        assert colours[scheme] == body  # the chart draws in the text colour
        context.close()
    assert colours["light"] != colours["dark"]
