"""End-to-end: strict MkDocs builds, safe HTML, page budgets, and a site that is never lost."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT, build, write_files

PAPER_PAGE_BUDGET = 40 * 1024


class _Collect(HTMLParser):
    """Scripts, event-handler attributes, link targets and the <title> of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.urls: list[str] = []
        self.title = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"{tag} {name}={value}")
            if name in ("href", "src", "action", "formaction") and value is not None:
                self.urls.append(value)
        if tag in ("script", "title", "iframe", "object", "embed"):
            self._in = tag
            if tag != "title":
                self.scripts.append(tag + " " + str(dict(attrs).get("src", "")))

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.scripts[-1] += data

    def handle_endtag(self, tag: str) -> None:
        self._in = None


def parse(path: Path) -> _Collect:
    collector = _Collect()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_golden_list_builds_strict_with_every_page(golden_site: Path) -> None:
    for page in ("index.html", "topics/rl-theory/index.html", "browse/by-year/index.html"):
        assert (golden_site / page).is_file(), page
    for paper in ("every-field", "title-only", "hostile"):
        assert (golden_site / "papers" / paper / "index.html").is_file()


def test_hostile_text_is_shown_as_text_and_runs_nothing(golden_site: Path) -> None:
    for page in golden_site.rglob("*.html"):
        html = parse(page)
        assert html.handlers == [], page
        assert not [s for s in html.scripts if "alert" in s or s.startswith(("iframe", "object"))]
        for url in html.urls:
            assert not url.strip().lower().startswith(("javascript:", "data:", "vbscript:")), url
    hostile = parse(golden_site / "papers" / "hostile" / "index.html")
    assert hostile.title.startswith("<script>alert('title')</script> <img src=x onerror=")
    text = (golden_site / "papers" / "hostile" / "index.html").read_text()
    assert "&lt;script&gt;alert(&#x27;abstract&#x27;)&lt;/script&gt;" in text or (
        "&lt;script&gt;alert('abstract')&lt;/script&gt;" in text
    )
    assert "{{ 7*7 }}" in text and "49" not in text.split("<h1")[1].split("</h1>")[0]


def test_search_is_pagefind_behind_our_own_header_search(golden_site: Path) -> None:
    home = (golden_site / "index.html").read_text()
    assert 'src="assets/search.js"' in home and "pagefind.js" not in home  # loaded on first use
    assert (golden_site / "pagefind" / "pagefind.js").is_file()
    assert not (golden_site / "search" / "search_index.json").exists()  # no theme search


def test_the_header_search_finds_what_it_fetches_through_the_paths_the_pipeline_wrote(
    golden_site: Path,
) -> None:
    """search.js knows no file name: search-paths.js, loaded before it, gives each URL from
    search.js's own; each must lead to the file the built site has."""
    home = (golden_site / "index.html").read_text()
    assert home.index("assets/search-paths.js") < home.index("assets/search.js")
    text = (golden_site / "assets" / "search-paths.js").read_text()
    prefix = "window.readinglistSearchPaths = "
    assert text.startswith(prefix)
    paths = json.loads(text.removeprefix(prefix).strip().removesuffix(";"))
    assert set(paths) == {"root", "pagefind", "bundle", "shards", "vocabulary", "common"}
    script = golden_site / "assets" / "search.js"
    assert script.is_file()
    resolved = {key: (script.parent / url).resolve() for key, url in paths.items()}
    assert resolved["root"] == golden_site.resolve()
    assert resolved["bundle"].is_dir() and (resolved["bundle"] / "pagefind-entry.json").is_file()
    for key in ("pagefind", "shards", "vocabulary", "common"):
        assert resolved[key].is_file(), key
    assert isinstance(json.loads(resolved["shards"].read_text())["shards"], list)


def test_math_is_marked_for_the_local_katex(golden_site: Path) -> None:
    page = (golden_site / "papers" / "every-field" / "index.html").read_text()
    assert r'<span class="arithmatex">\(R_T = O(\sqrt{T})\)</span>' in page
    assert r'<div class="arithmatex">\[\sum_{t=1}^T r_t \le \sqrt{T}\]</div>' in page
    assert (golden_site / "assets" / "katex" / "katex.min.js").is_file()
    assert "cdn" not in page.lower() and "fonts.googleapis" not in page


def test_shipped_list_builds_with_every_paper_within_budget(shipped_site: Path) -> None:
    pages = sorted((shipped_site / "papers").glob("*/index.html"))
    assert len(pages) == 426
    sizes = {p.parent.name: p.stat().st_size for p in pages}
    assert max(sizes.values()) <= PAPER_PAGE_BUDGET, max(sizes, key=sizes.__getitem__)
    home = (shipped_site / "index.html").read_text()
    assert "papers/" not in home.split('class="md-nav')[1].split("</nav>")[0], "papers in nav"


def build_in_a_process(content: Path, dest: Path, hash_seed: str) -> None:
    """`readinglist build` as a user runs it: its own interpreter, with the given hash seed."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = hash_seed
    command = [str(Path(sys.executable).parent / "readinglist"), "build", "--content", str(content)]
    command += ["--templates", str(ROOT / "templates")]
    command += ["--out", str(dest / "build"), "--site", str(dest / "site")]
    result = subprocess.run(command, env=env, cwd=dest, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_builds_in_processes_with_different_hash_seeds_are_byte_identical(
    tmp_path: Path,
) -> None:
    # Set and dict orders change with the hash seed, and only from one process to the next;
    # the two builds also sit at different paths, which must not leak into the output.
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "golden" / "content", content)
    (content / "site.yaml").write_text("title: Repro\nurl: https://example.org/list/\n")
    for name, seed in (("one", "1"), ("two", "2718")):
        (tmp_path / name).mkdir()
        build_in_a_process(content, tmp_path / name, seed)
    one, two = tree_digest(tmp_path / "one" / "site"), tree_digest(tmp_path / "two" / "site")
    assert len(one) > 20 and "sitemap.xml" in one and "pagefind/pagefind.js" in one
    assert one == two, sorted(k for k in one.keys() | two.keys() if one.get(k) != two.get(k))
    # Without SOURCE_DATE_EPOCH, dates come from the content (the newest `added`), not a clock.
    sitemap = (tmp_path / "one" / "site" / "sitemap.xml").read_text()
    assert "<loc>https://example.org/list/papers/hostile/</loc>" in sitemap
    assert sitemap.count("<lastmod>2026-01-05</lastmod>") == sitemap.count("<url>") > 0
    # The Markdown project too, but for the caches (.readinglist-cache.*, .jinja-cache/),
    # which only this generator reads back.
    projects = [
        {k: v for k, v in tree_digest(tmp_path / name / "build").items() if k[0] != "."}
        for name in ("one", "two")
    ]
    assert "mkdocs.yml" in projects[0] and "docs/index.md" in projects[0]
    assert projects[0] == projects[1]


def test_bad_content_leaves_the_site_byte_identical(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "golden" / "content", content)
    assert build(content, tmp_path)[0] == 0
    before = tree_digest(tmp_path / "site")
    write_files(content, {"papers/title-only.yaml": "title: A\ntopics: [nope]\nyear: 20x\n"})
    status, err = build(content, tmp_path)
    assert status == 1
    assert "papers/title-only.yaml:2: topics.0: unknown topic 'nope'" in err
    assert "papers/title-only.yaml:3: year: expected a year like 2024, got '20x'" in err
    assert "Traceback" not in err
    assert tree_digest(tmp_path / "site") == before


def test_failed_mkdocs_build_keeps_the_previous_site(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    content = FIXTURES / "golden" / "content"
    assert build(content, tmp_path)[0] == 0
    before = tree_digest(tmp_path / "site")
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    home = templates / "home.md.j2"
    home.write_text(home.read_text() + "\n[a broken link](no-such-page.md)\n")
    status, err = build(content, tmp_path, templates)
    assert status == 1
    assert "MkDocs failed: Aborted with 1 warnings in strict mode" in err
    assert "contains a link 'no-such-page.md', but the target is not found" in caplog.text
    assert tree_digest(tmp_path / "site") == before
    assert not list(tmp_path.glob(".site.*"))
