"""Each site builder (MkDocs + Material, ProperDocs + Material, Zensical) as a user runs it:
`readinglist build --builder NAME` in its own process, byte-identical rebuilds, the previous
site kept when a build fails, pages and math in Chromium; and MkDocs 2 refused in one line.
The search tests (test_search.py) run on each builder's build of the shipped list."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from generator.builders import zensical
from generator.builders.mkdocs import check_mkdocs
from generator.errors import BuildError

from .browser import Reader, follow_home_to_topic_to_paper, serve_folder
from .conftest import FIXTURES, ROOT, Runner
from .test_build import tree_digest
from .test_serve import serving

OTHERS = ("properdocs", "zensical")


def build_in_a_process(
    builder: str, dest: Path, hash_seed: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = hash_seed
    command = [str(Path(sys.executable).parent / "readinglist"), "build", "--builder", builder]
    command += ["--content", str(FIXTURES / "golden" / "content")]
    command += ["--templates", str(ROOT / "templates")]
    command += ["--out", str(dest / "build"), "--site", str(dest / "site")]
    return subprocess.run(command, env=env, cwd=dest, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module", params=OTHERS)
def golden_builds(request: pytest.FixtureRequest, tmp_path_factory: Any) -> tuple[str, Path, Path]:
    """The golden list built twice by each other builder, in processes with different hash
    seeds, at different paths: (builder, first site, second site)."""
    sites = []
    for seed in ("1", "2718"):
        dest = tmp_path_factory.mktemp(f"{request.param}-{seed}")
        result = build_in_a_process(request.param, dest, seed)
        assert result.returncode == 0, result.stderr
        sites.append(dest / "site")
    return request.param, sites[0], sites[1]


def test_two_builds_are_the_same_bytes_and_carry_the_search(
    golden_builds: tuple[str, Path, Path],
) -> None:
    _, one, two = golden_builds
    first, second = tree_digest(one), tree_digest(two)
    assert len(first) > 20 and "sitemap.xml" in first and "pagefind/pagefind.js" in first
    assert first == second, sorted(
        k for k in first.keys() | second.keys() if first.get(k) != second.get(k)
    )
    home = (one / "index.html").read_text()
    for asset in ("search-engine.js", "search.js", "search.css", "readinglist.js"):
        assert f"assets/{asset}" in home and (one / "assets" / asset).is_file(), asset
    # Nothing of a theme's search worker is swapped or needed.
    assert "search-worker.js" not in home
    assert not (one.parent / "build" / "site").exists()  # Zensical's output was moved out


@pytest.mark.browser
def test_a_page_and_its_math_render_in_the_browser(
    golden_builds: tuple[str, Path, Path], reader: Reader
) -> None:
    _, site, _ = golden_builds
    with serve_folder(site) as url:
        page = reader.page
        page.goto(url + "papers/every-field/")
        page.locator(".arithmatex .katex").first.wait_for()
        assert page.locator("span.arithmatex .katex").count() == 1
        assert page.locator("div.arithmatex .katex-display").count() == 1
        assert page.locator("header .readinglist-search-button").is_visible()
        assert reader.errors == [] and reader.outside == []


@pytest.mark.browser
def test_reader_follows_home_to_topic_to_paper(reader: Reader, builder_url: str) -> None:
    page = reader.page
    page.goto(builder_url)
    # Zensical's theme names the home page in its title too ("Home - ...").
    assert page.title() in ("Machine learning reading list", "Home - Machine learning reading list")
    follow_home_to_topic_to_paper(reader)
    assert reader.errors == [] and reader.outside == []


def test_a_failed_build_keeps_the_last_good_site(
    tmp_path: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["build", "--builder", "zensical", "--content", str(FIXTURES / "golden" / "content")]
    args += ["--templates", str(ROOT / "templates"), "--out", str(tmp_path / "b")]
    args += ["--site", str(tmp_path / "site")]
    status, _, err = run(*args)
    assert status == 0, err
    before = tree_digest(tmp_path / "site")

    def failing(project: Path, *_: str) -> list[str]:
        return [sys.executable, "-c", "print('Build started'); print('Error: no theme'); exit(1)"]

    monkeypatch.setattr(zensical, "_command", failing)
    status, _, err = run(*args)
    assert status == 1 and err.strip().splitlines()[-1] == "error: Zensical failed: Error: no theme"
    assert tree_digest(tmp_path / "site") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b", "site"]  # nothing half-built


@pytest.mark.parametrize("version", ["2.0.0", "2.0.dev6"])
def test_mkdocs_2_is_refused_in_one_line(
    version: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, run: Runner
) -> None:
    real = importlib.metadata.version

    def version_of(name: str) -> str:
        return version if name == "mkdocs" else real(name)

    monkeypatch.setattr(importlib.metadata, "version", version_of)
    with pytest.raises(BuildError) as refused:
        check_mkdocs()
    message = str(refused.value)
    assert f"MkDocs {version} is installed" in message and "\n" not in message
    assert "pip install 'mkdocs>=1.6.1,<2'" in message and "--builder properdocs" in message
    # Through the command: exit 1, that line, no traceback, and no site.
    args = [
        "build",
        "--content",
        str(FIXTURES / "golden" / "content"),
        "--out",
        str(tmp_path / "b"),
    ]
    status, _, err = run(
        *args, "--templates", str(ROOT / "templates"), "--site", str(tmp_path / "s")
    )
    assert status == 1 and err.strip().splitlines()[-1] == f"error: {message}"
    assert "Traceback" not in err and not (tmp_path / "s").exists()


def test_mkdocs_1_passes_the_guard() -> None:
    assert importlib.metadata.version("mkdocs").startswith("1.")
    check_mkdocs()


@pytest.mark.browser
@pytest.mark.parametrize("builder", OTHERS)
def test_serve_serves_the_search_bundle_and_live_reloads_an_edit(
    builder: str, tmp_path: Path, browser: Any
) -> None:
    golden = FIXTURES / "golden" / "content"
    with serving(golden, tmp_path, builder, ready="pagefind/pagefind.js") as (url, content):
        with urllib.request.urlopen(url + "papers/every-field/", timeout=5) as response:
            assert "assets/search.js" in response.read().decode()
        page = browser.new_page()
        page.goto(url + "papers/title-only/")
        assert page.locator("h1").inner_text() == "A Paper With Only a Title"
        page.wait_for_timeout(1000)  # the live-reload connection
        paper = content / "papers" / "title-only.yaml"
        paper.write_text(paper.read_text().replace("Only a Title", "A Corrected Title"))
        # The open page reloads itself: the reader does nothing.
        page.wait_for_function(
            "document.querySelector('h1')?.innerText === 'A Paper With A Corrected Title'",
            timeout=30_000,
        )
        page.close()
    # Nothing of the builder is left running, and nothing was served from a stray folder.
    assert not (tmp_path / "build" / "build").exists(), (tmp_path / "serve.log").read_text()
