"""An incremental `readinglist build` makes the very site a clean build makes: random
sequences of edits, additions, deletions, topic and template changes, each step's site
compared file by file with a clean build of the same content and templates."""

from __future__ import annotations

import hashlib
import logging
import os
import random
import shutil
import time
from pathlib import Path

import pytest
import yaml

from generator.builders.mkdocs import render
from generator.builders.mkdocs.incremental import Manifest, page_digests, pages_to_render
from generator.incremental.write import RACY_NS

from .conftest import CORPUS, ROOT, build

STEPS = 20


def tree(site: Path) -> dict[str, str]:
    """Every file of a site by path, as a digest of its bytes; every folder, as "folder"."""
    return {
        p.relative_to(site).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
        )
        for p in sorted(site.rglob("*"))
    }


def edit(rng: random.Random, content: Path, templates: Path, number: int) -> str:
    """One random change of the content or templates; what it was."""
    papers = sorted((content / "papers").glob("*.yaml"))
    kinds = ["title", "title", "title", "abstract", "add", "delete", "topics", "template"]
    kind = rng.choice(kinds)
    if kind in ("title", "abstract"):
        paper = rng.choice(papers)
        data = yaml.safe_load(paper.read_text())
        data[kind] = f"{data.get(kind) or ''} edited {number}".strip()
        paper.write_text(yaml.safe_dump(data, sort_keys=False))
    elif kind == "add":
        data = yaml.safe_load(rng.choice(papers).read_text())
        data["title"] = f"An added paper number {number}"
        (content / "papers" / f"added-{number}.yaml").write_text(yaml.safe_dump(data))
    elif kind == "delete" and len(papers) > 10:
        rng.choice(papers).unlink()
    elif kind == "topics":
        topics = yaml.safe_load((content / "topics.yaml").read_text())
        topic = rng.choice(topics)
        topic["title"] = f"{topic['title']} {number}"
        (content / "topics.yaml").write_text(yaml.safe_dump(topics, sort_keys=False))
    else:
        template = templates / "paper.md.j2"
        template.write_text(template.read_text() + f"\n<!-- template change {number} -->\n")
    return kind


@pytest.mark.timeout(3600)
def test_random_edits_build_incrementally_to_the_clean_sites_bytes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scripts.synthetic import make_list

    # Every build renders in two processes, as a 10,000-paper list's updates do.
    monkeypatch.setattr(render, "PARALLEL_BYTES", 1)

    rng = random.Random(15)
    content = make_list(CORPUS, tmp_path / "list", 30, seed=15)
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    live = tmp_path / "live"
    status, err = build(content, live, templates)
    assert status == 0, err
    kinds = []
    incremental = 0
    for number in range(STEPS):
        kinds.append(edit(rng, content, templates, number))
        caplog.clear()
        with caplog.at_level(logging.INFO):
            status, err = build(content, live, templates)
        assert status == 0, err
        incremental += any("pages changed" in r.getMessage() for r in caplog.records)
        clean = tmp_path / f"clean-{number}"
        status, err = build(content, clean, templates)
        assert status == 0, err
        built, expected = tree(live / "site"), tree(clean / "site")
        assert built.keys() == expected.keys(), (number, kinds[-1])
        differing = sorted(path for path in built if built[path] != expected[path])
        assert differing == [], (number, kinds[-1])
        # Each update started from the site before the last one (the spare), which holds
        # that site still, while the live site is the new one.
        assert (live / ".site.spare" / "index.html").is_file()
        shutil.rmtree(clean)
    # The sequence took the incremental path after its paper edits, and full builds too.
    assert kinds.count("title") >= 3 and 0 < incremental < STEPS


def test_an_update_renders_the_changed_pages_only_while_what_they_share_is_the_same() -> None:
    old = Manifest(site="1:2", shared="s", pages={"a.md": "1", "b.md": "2"})
    pages = {"a.md": "1", "b.md": "3", "c.md": "4"}
    assert pages_to_render(old, "1:2", "s", pages) == {"b.md", "c.md"}
    assert pages_to_render(old, "1:2", "s", {"a.md": "1", "b.md": "2"}) == set()
    assert pages_to_render(old, "1:2", "t", pages) is None  # shared inputs changed
    assert pages_to_render(old, "1:3", "s", pages) is None  # not the site it describes
    assert pages_to_render(old, None, "s", pages) is None  # no last site
    assert pages_to_render(None, "1:2", "s", pages) is None  # no manifest


class _Pages:
    """What page_digests reads of an MkSite: its pages' Markdown files, counting reads."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.read = folder, list[str]()
        self.pages = {p.name: p for p in sorted(folder.iterdir())}

    def source_path(self, src: str) -> str:
        return str(self.pages[src])

    def source(self, src: str) -> bytes:
        self.read.append(src)
        return self.pages[src].read_bytes()


def test_a_page_is_read_again_unless_its_file_is_as_the_last_manifest_found_it(
    tmp_path: Path,
) -> None:
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_text(f"# {name}\n")
    old_ns = time.time_ns() - 10 * RACY_NS
    for name in ("a.md", "b.md"):
        os.utime(tmp_path / name, ns=(old_ns, old_ns))
    site = _Pages(tmp_path)
    digests, sizes, stamps = page_digests(site, None)  # type: ignore[arg-type]
    assert sorted(site.read) == ["a.md", "b.md", "c.md"]  # no manifest: every page read
    expected = hashlib.sha256(b"# a.md\n").hexdigest()
    assert digests["a.md"] == expected and sizes["a.md"] == 7
    last = Manifest(pages=digests, stamps=stamps, digested=time.time_ns())

    (tmp_path / "b.md").write_text("# b, edited\n")  # a new stamp
    site = _Pages(tmp_path)
    again, _, _ = page_digests(site, last)  # type: ignore[arg-type]
    # a.md is as it was, and older than the digests; c.md was written just before them
    # (its file system may not tell a rewrite within the same tick): read again.
    assert sorted(site.read) == ["b.md", "c.md"]
    assert again["a.md"] == digests["a.md"]
    assert again["b.md"] == hashlib.sha256(b"# b, edited\n").hexdigest()


def test_after_an_edit_search_indexing_starts_once_the_papers_own_files_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.builders.pagefind import Indexer
    from generator.commands import build as build_command
    from generator.relate import similar
    from scripts.synthetic import make_list

    # The related papers are updated, not computed again (as after an edit at 10,000).
    monkeypatch.setattr(similar, "MOST_CHANGED", 1.0)
    content = make_list(CORPUS, tmp_path / "list", 12, seed=3)
    live = tmp_path / "live"
    status, err = build(content, live)
    assert status == 0, err
    project = live / "build"

    def holding(folder: str, text: str) -> bool:
        return any(text in p.read_text() for p in (project / folder).rglob("*") if p.is_file())

    started: list[tuple[bool, bool, bool]] = []

    def indexer(records: Path, bundle: Path, *, prepare_here: bool = False) -> object:
        # What was on disk when it started: the edited record, and the edited topic
        # listing.
        started.append((prepare_here, holding("search", TITLE), holding("docs/topics", TITLE)))
        return Indexer(records, bundle, prepare_here=prepare_here)

    monkeypatch.setattr(build_command, "Indexer", indexer)
    paper = sorted((content / "papers").glob("*.yaml"))[0]
    data = yaml.safe_load(paper.read_text())
    data["title"] = TITLE = "A title no other paper has"
    paper.write_text(yaml.safe_dump(data, sort_keys=False))
    status, err = build(content, live)
    assert status == 0, err
    # Started once, before the listings that show the paper were written.
    assert started == [(True, True, False)]

    # A topic's record changes too: the index started early is started again once the
    # whole project is written, and the site is a clean build's.
    started.clear()
    data["title"] = TITLE = "Another title no other paper has"
    paper.write_text(yaml.safe_dump(data, sort_keys=False))
    topics = yaml.safe_load((content / "topics.yaml").read_text())
    topics[0]["title"] = f"{topics[0]['title']} renamed"
    (content / "topics.yaml").write_text(yaml.safe_dump(topics, sort_keys=False))
    status, err = build(content, live)
    assert status == 0, err
    assert [first for first, *_ in started] == [True, False]
    clean = tmp_path / "clean"
    status, err = build(content, clean)
    assert status == 0, err
    assert tree(live / "site") == tree(clean / "site")
