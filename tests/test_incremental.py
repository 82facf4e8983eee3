"""Regeneration redoes only what an edit touched, and builds are reproducible."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.commands.build import generate
from generator.errors import BuildError
from generator.incremental import related_process, render_write
from generator.incremental.generator import CACHE_FILE, Generator
from generator.render import environment

from .conftest import CORPUS, FIXTURES, ROOT, build


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "golden" / "content", folder)
    # Age the files, as a list edited long ago would be (fresh files are always re-read).
    for path in folder.rglob("*.yaml"):
        os.utime(path, (time.time() - 100, time.time() - 100))
    return folder


CASES = yaml.safe_load((ROOT / "tests" / "cases" / "incremental.yaml").read_text())


def apply(project: Path, step: dict[str, Any]) -> None:
    """One edit of a case (see tests/cases/incremental.yaml)."""
    path = project / step["file"]
    if step.get("delete"):
        path.unlink()
    elif "write" in step:
        path.write_text(step["write"])
    elif "append" in step:
        path.write_text(path.read_text() + step["append"])
    else:
        old, new = step["replace"]
        assert old in path.read_text(), f"{step['file']} has no {old!r}"
        path.write_text(path.read_text().replace(old, new))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case["name"])
def test_an_edit_rewrites_exactly_these_files(
    case: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.chdir(tmp_path)  # messages name build/... as a user sees them
    content, templates, out = tmp_path / "content", tmp_path / "templates", tmp_path / "build"
    shutil.copytree(FIXTURES / "golden" / "content", content)
    shutil.copytree(ROOT / "templates", templates)
    if case.get("fresh"):
        for step in case["edit"]:
            (tmp_path / step["file"]).write_text((tmp_path / step["file"]).read_text())
    else:  # as a list edited long ago would be (fresh files are always re-read)
        for path in content.rglob("*.yaml"):
            os.utime(path, (time.time() - 100, time.time() - 100))
    if case.get("mode") == "serve":
        kept = Generator(content, templates, out)
        kept.write(kept.relate(kept.load()))
    else:
        generate(content, templates, out)
    for step in case["edit"]:
        apply(tmp_path, step)
    before = mtimes(out)
    rendered = count_renders(monkeypatch)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="generator.incremental.cache"):
        if case.get("mode") == "serve":
            related = kept.relate(kept.load(), defer=True)
            report = kept.write(related, downloads=False)
            then = kept.write(kept.settle_related() or related)
            assert sorted(then.written) == case["then_written"]
        else:
            _, report = generate(content, templates, out)
    assert sorted(report.written) == case["written"]
    assert sorted(report.removed) == case["removed"]
    # The cache's notices only: the build's own warnings (no site address) are not the case's.
    notices = [r.getMessage() for r in caplog.records if r.name == "generator.incremental.cache"]
    assert notices == case.get("notices", [])
    if "rendered" in case:
        assert len(rendered) == case["rendered"]
    after = mtimes(out)
    untouched = before.keys() - {*report.written, *report.removed, *case.get("then_written", [])}
    assert {p: after.get(p) for p in untouched} == {p: before[p] for p in untouched}
    generate(content, templates, tmp_path / "fresh")
    assert digests(out) == digests(tmp_path / "fresh")


def mtimes(out: Path) -> dict[str, int]:
    return {
        p.relative_to(out).as_posix(): p.stat().st_mtime_ns
        for p in out.rglob("*")
        if p.is_file() and p.name != CACHE_FILE and ".jinja-cache" not in p.parts
    }


def count_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the pages the generator renders from now on."""
    rendered: list[str] = []
    real = environment.render_page

    def counting(env: Any, plan: Any) -> str:
        rendered.append(plan.path)
        return real(env, plan)

    monkeypatch.setattr(render_write, "render_page", counting)
    return rendered


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_of_the_same_content_are_byte_identical(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (content / "site.yaml").write_text("title: Repro\nurl: https://example.org/list/\n")
    assert build(content, tmp_path / "one")[0] == 0
    assert build(content, tmp_path / "two")[0] == 0
    one, two = tmp_path / "one" / "site", tmp_path / "two" / "site"
    assert digest(one) == digest(two)
    sitemap = (one / "sitemap.xml").read_text()
    assert "<loc>https://example.org/list/papers/hostile/</loc>" in sitemap
    assert sitemap.count("<lastmod>2026-01-05</lastmod>") == sitemap.count("<url>")  # newest added

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    assert build(content, tmp_path / "three")[0] == 0
    assert "<lastmod>2023-11-14</lastmod>" in (tmp_path / "three/site/sitemap.xml").read_text()


def test_a_kept_generator_reuses_untouched_entries_and_writes_what_a_fresh_one_would(
    tmp_path: Path,
) -> None:
    # `readinglist serve` keeps one Generator: after an edit of a title, relate() updates the
    # related papers at once, reuses the entries of the papers the edit did not touch, and
    # the output is exactly a fresh build's.
    content = tmp_path / "content"
    shutil.copytree(CORPUS, content)
    for path in content.rglob("*.yaml"):
        os.utime(path, (time.time() - 100, time.time() - 100))
    generator = Generator(content, ROOT / "templates", tmp_path / "kept")
    before = generator.relate(generator.load())
    generator.write(before)
    old = {e.paper.id: e for e in before.papers}
    old_related = before.neighbours
    edited = next(e for e in before.papers if e.related).related[0].paper.id
    lists_it = {i for i, e in old.items() if any(r.paper.id == edited for r in e.related)}
    path = content / "papers" / f"{edited}.yaml"
    data = yaml.safe_load(path.read_text())
    data["title"] = f"Edited {data['title']} with Quokka Adapters"
    path.write_text(yaml.safe_dump(data, sort_keys=False))

    bib = tmp_path / "kept" / "docs" / "exports" / "reading-list.bib"
    download = bib.read_text()
    after = generator.relate(generator.load(), defer=True)
    assert not generator.related_pending  # updated, not deferred
    report = generator.write(after, downloads=False)  # serve shows the edit first
    assert f"docs/papers/{edited}.md" in report.written
    assert bib.read_text() == download
    assert sorted(generator.write(after).written) == [
        "docs/assets/papers-index.json",  # the all-papers page's title order moved
        "docs/exports/reading-list.bib",
        "docs/exports/reading-list.json",
    ]
    assert "Edited " in bib.read_text()
    new = {e.paper.id: e for e in after.papers}
    new_related = after.neighbours
    changed = {i for i in new if new_related[i] is not old_related[i]}
    assert len(changed) < len(new) // 4
    for paper_id, entry in new.items():
        touched = paper_id == edited or paper_id in lists_it or paper_id in changed
        assert (entry is old[paper_id]) is not touched, paper_id
    fresh = tmp_path / "fresh"
    generate(content, ROOT / "templates", fresh)
    assert digests(tmp_path / "kept") == digests(fresh)


def test_a_new_paper_defers_the_related_papers_and_the_downloads_follow(tmp_path: Path) -> None:
    # Another paper changes every weight: the related papers are computed from scratch, which
    # serve leaves to settle_related() (seconds at 10,000 papers) after showing the edit.
    content = tmp_path / "content"
    shutil.copytree(CORPUS, content)
    generator = Generator(content, ROOT / "templates", tmp_path / "kept")
    generator.write(generator.relate(generator.load()))
    source = next((content / "papers").glob("*.yaml"))
    data = yaml.safe_load(source.read_text())
    data["title"] = "A Paper Added Now"
    (content / "papers" / "a-paper-added-now.yaml").write_text(
        yaml.safe_dump(data)
    )  # id: file name

    bib = tmp_path / "kept" / "docs" / "exports" / "reading-list.bib"
    download = bib.read_text()
    report = generator.write(generator.relate(generator.load(), defer=True))
    assert generator.related_pending
    assert "docs/papers/a-paper-added-now.md" in report.written
    assert bib.read_text() == download  # the whole-list downloads wait for the settle
    settled = generator.settle_related()
    assert settled is not None
    generator.write(settled)
    assert "A Paper Added Now" in bib.read_text()
    fresh = tmp_path / "fresh"
    generate(content, ROOT / "templates", fresh)
    assert digests(tmp_path / "kept") == digests(fresh)


def digests(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in out.rglob("*")
        if p.is_file() and p.name != CACHE_FILE and ".jinja-cache" not in p.parts
    }


def test_a_failure_computing_related_papers_fails_the_generation(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # They are computed in a forked child (which inherits this patch): its failure must
    # come back as the generation's error, not hang it or pass silently.
    def broken(papers: object) -> object:
        raise MemoryError("no room")

    monkeypatch.setattr(related_process, "compute_similarity", broken)
    with pytest.raises(BuildError, match="computing related papers failed: MemoryError"):
        generate(content, ROOT / "templates", tmp_path / "build")


def test_serve_writes_the_edited_papers_own_files_first_and_the_listings_next(
    tmp_path: Path,
) -> None:
    # serve's first write after an edit: the paper's page and search record alone, so that
    # the open page shows it before the listings that show it are rendered; a deleted
    # paper's files go at once. The full write then brings the rest, as a fresh build has it.
    content, out = tmp_path / "content", tmp_path / "kept"
    shutil.copytree(CORPUS, content)
    for path in content.rglob("*.yaml"):
        os.utime(path, (time.time() - 100, time.time() - 100))
    generator = Generator(content, ROOT / "templates", out, kept=True)
    generator.write(generator.relate(generator.load()))
    first_id, gone_id = sorted(p.stem for p in (content / "papers").glob("*.yaml"))[:2]
    paper = content / "papers" / f"{first_id}.yaml"
    data = yaml.safe_load(paper.read_text())
    data["title"] = f"Quokka {data['title']}"
    paper.write_text(yaml.safe_dump(data, sort_keys=False))
    topic = out / "docs" / "topics" / f"{data['topics'][0]}.md"
    listed = topic.read_text()

    related = generator.relate(generator.load(), defer=True)
    assert not generator.related_pending
    first = generator.write_papers(related)
    assert {f"docs/papers/{first_id}.md", f"search/papers/{first_id}.html"} <= set(first.written)
    assert all(p.startswith(("docs/papers/", "search/papers/")) for p in first.written)
    assert "docs/papers/index.md" not in first.written and not first.removed
    assert topic.read_text() == listed  # the listing waits for the full write
    rest = generator.write(related)
    assert f"docs/topics/{data['topics'][0]}.md" in rest.written
    assert f"docs/papers/{first_id}.md" not in rest.written
    assert "Quokka" in topic.read_text()

    (content / "papers" / f"{gone_id}.yaml").unlink()
    related = generator.relate(generator.load(), defer=True)
    gone = generator.write_papers(related)
    assert sorted(gone.removed) == [f"docs/papers/{gone_id}.md", f"search/papers/{gone_id}.html"]
    generator.write(generator.settle_related() or related)
    fresh = tmp_path / "fresh"
    generate(content, ROOT / "templates", fresh)
    assert digests(out) == digests(fresh)
