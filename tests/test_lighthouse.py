"""Lighthouse (npm's, pinned in package.json, run in Debian's Chromium) on the shipped list's
home, a topic, a paper and the all-papers page, served compressed as GitHub Pages serves:
accessibility, best practices and SEO 100, performance at least 95, on its mobile profile."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.chromium import CHROMIUM_FLAGS

from .browser import PagesHandler, chromium_path, serve_folder
from .conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
Report = Callable[[str], Any]
PAGES = {
    "home": "",
    "topic": "topics/scaling-laws/",
    "paper": "papers/many-shot-in-context-learning/",
    "all papers": "papers/",
}
PERFORMANCE = 0.95
RUNS = 3
"""A page whose performance misses on its first run is run this many times in all and judged
by the median run, as Lighthouse's docs on variability advise: the score moves with how busy
the host is (this suite runs builds and browsers beside it), a slow page fails most runs."""
METRICS = (
    *("first-contentful-paint", "largest-contentful-paint", "total-blocking-time"),
    *("cumulative-layout-shift", "speed-index"),
)


def lighthouse_command() -> list[str]:
    """`node lighthouse`; skips without Node or `npm ci`'s install, fails under CI=true."""
    node = shutil.which("node")
    missing = None
    if node is None:
        missing = "no node: install Debian's nodejs (and npm)"
    elif not LIGHTHOUSE.exists():
        missing = f"no {LIGHTHOUSE.relative_to(ROOT)}: run `npm ci` (make install does)"
    if missing is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    return [str(node), str(LIGHTHOUSE.resolve())]


@pytest.fixture(scope="module")
def pages_url(shipped_site: Path) -> Iterator[str]:
    with serve_folder(shipped_site, PagesHandler) as url:
        yield url


@pytest.fixture(scope="module")
def reports(pages_url: str, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Any]:
    """One Lighthouse run per page, on demand (each takes 10-20 s), shared by the tests."""
    command = lighthouse_command()
    chromium = chromium_path()
    folder = tmp_path_factory.mktemp("lighthouse")
    done: dict[str, Any] = {}

    def run(name: str) -> Any:
        out = folder / f"{name.replace(' ', '-')}.json"
        subprocess.run(
            [
                *command,
                pages_url + PAGES[name],
                "--quiet",
                "--output=json",
                f"--output-path={out}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}",
            ],
            env={**os.environ, "CHROME_PATH": chromium},
            check=True,
            timeout=180,
        )
        return json.loads(out.read_text(encoding="utf-8"))

    def report(name: str) -> Any:
        if name not in done:
            first = run(name)
            runs = [first]
            if score(first, "performance") < PERFORMANCE:
                runs += [run(name) for _ in range(RUNS - 1)]
            done[name] = median_run(runs)
        return done[name]

    return report


def median_run(runs: list[Any]) -> Any:
    """The run of median performance (of an odd number of runs), with every run's score."""
    ranked = sorted(runs, key=lambda report: score(report, "performance"))
    median = ranked[len(ranked) // 2]
    median["performance of every run"] = [score(report, "performance") for report in runs]
    return median


def failing(report: Any, category: str) -> list[str]:
    """The scored audits of a category that did not pass, with what Lighthouse says."""
    audits = report["audits"]
    return sorted(
        f"{ref['id']}: {audits[ref['id']].get('displayValue') or audits[ref['id']]['title']}"
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] > 0 and (audits[ref["id"]]["score"] or 0) < 1
        if audits[ref["id"]]["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")
    )


def score(report: Any, category: str) -> float:
    value = report["categories"][category]["score"]
    assert value is not None, f"{category}: no score ({report.get('runtimeError')})"
    return float(value)


@pytest.mark.parametrize("page", PAGES)
def test_accessibility_and_best_practices_score_100(reports: Report, page: str) -> None:
    report = reports(page)
    for category in ("accessibility", "best-practices"):
        assert score(report, category) == 1, failing(report, category)


@pytest.mark.parametrize("page", PAGES)
def test_performance_is_at_least_95_on_a_phone(reports: Report, page: str) -> None:
    report = reports(page)
    metrics = {key: report["audits"][key]["displayValue"] for key in METRICS}
    runs = report["performance of every run"]
    assert score(report, "performance") >= PERFORMANCE, f"runs {runs}: {metrics}"


def test_the_median_run_is_judged() -> None:
    def run(value: float) -> Any:
        return {"categories": {"performance": {"score": value}}}

    judged = median_run([run(0.9), run(0.99), run(0.96)])
    assert score(judged, "performance") == 0.96
    assert judged["performance of every run"] == [0.9, 0.99, 0.96]
    assert score(median_run([run(0.9), run(0.99), run(0.8)]), "performance") == 0.9


@pytest.mark.parametrize("page", PAGES)
def test_seo_scores_100(reports: Report, page: str) -> None:
    report = reports(page)
    assert score(report, "seo") == 1, failing(report, "seo")
