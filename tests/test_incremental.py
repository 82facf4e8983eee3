"""Regeneration redoes only what an edit touched, and builds are reproducible."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest
import yaml

from generator.commands.build import generate
from generator.errors import BuildError
from generator.incremental import related_process
from generator.incremental.generator import CACHE_FILE, Generator

from .conftest import FIXTURES, ROOT, build


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "golden" / "content", folder)
    # Age the files, as a list edited long ago would be (fresh files are always re-read).
    for path in folder.rglob("*.yaml"):
        os.utime(path, (time.time() - 100, time.time() - 100))
    return folder


def mtimes(out: Path) -> dict[str, int]:
    return {
        p.relative_to(out).as_posix(): p.stat().st_mtime_ns
        for p in out.rglob("*")
        if p.is_file() and p.name != CACHE_FILE
    }


def test_regenerating_unchanged_content_writes_nothing(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    _, first = generate(content, ROOT / "templates", out)
    assert "docs/papers/hostile.md" in first.written
    before = mtimes(out)
    _, again = generate(content, ROOT / "templates", out)
    assert again.written == [] and again.removed == []
    assert mtimes(out) == before


def test_one_paper_edit_rewrites_its_page_and_the_pages_that_list_it(
    content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "build"
    generate(content, ROOT / "templates", out)
    paper = content / "papers" / "title-only.yaml"
    common = (out / "docs/assets/search-common.json").read_text()
    paper.write_text(paper.read_text().replace("Only a Title", "Only a New Title"))
    _, report = generate(content, ROOT / "templates", out)
    assert common != (out / "docs/assets/search-common.json").read_text()
    assert sorted(report.written) == [
        "docs/assets/search-common.json",  # "new", a common word, is in one more paper
        "docs/assets/search-vocabulary.json",  # "new" is a new title word
        "docs/browse/title/a.md",
        "docs/browse/year/unknown.md",
        "docs/exports/reading-list.bib",  # the downloads hold every title
        "docs/exports/reading-list.json",
        "docs/papers/hostile.md",  # now lists it as related: both titles say "title"
        "docs/papers/title-only.md",
        "docs/topics/rl-theory.md",
        "search/papers/title-only.html",  # its search record
    ]
    assert "A Paper With Only a New Title" in (out / "docs/papers/hostile.md").read_text()
    assert "Only a New Title" in (out / "docs/papers/title-only.md").read_text()


def test_an_edit_right_after_a_build_is_not_missed(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    paper = content / "papers" / "title-only.yaml"
    paper.write_text(paper.read_text())  # just written: within the racy window
    generate(content, ROOT / "templates", out)
    # Same size, same second: only re-reading recently written files catches this.
    paper.write_text(paper.read_text().replace("Only a Title", "Only a Tilte"))
    _, report = generate(content, ROOT / "templates", out)
    assert "docs/papers/title-only.md" in report.written
    assert "Only a Tilte" in (out / "docs/papers/title-only.md").read_text()


def test_removed_paper_loses_its_page_and_template_edits_reach_every_page(
    content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "build"
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    generate(content, templates, out)
    (content / "papers" / "hostile.yaml").unlink()
    _, report = generate(content, templates, out)
    assert "docs/papers/hostile.md" in report.removed
    assert not (out / "docs/papers/hostile.md").exists()
    paper_template = templates / "paper.md.j2"
    paper_template.write_text(paper_template.read_text() + "\nEdited template.\n")
    _, report = generate(content, templates, out)
    assert sorted(report.written) == ["docs/papers/every-field.md", "docs/papers/title-only.md"]
    assert not (out / "search/papers/hostile").exists()


def test_a_lost_or_foreign_cache_means_a_full_generation(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    generate(content, ROOT / "templates", out)
    (out / CACHE_FILE).write_bytes(b"not a pickle")
    (out / "docs/papers/every-field.md").write_text("hand edited")
    _, report = generate(content, ROOT / "templates", out)
    assert report.written == ["docs/papers/every-field.md"]


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
    shutil.copytree(ROOT / "content", content)
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
    shutil.copytree(ROOT / "content", content)
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
