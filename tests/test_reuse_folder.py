"""The spare site made into the start of a new one (builders/reuse_folder.py), and the split of
an update's pages between two processes (builders/mkdocs/render.py)."""

from __future__ import annotations

import os
from pathlib import Path

from generator.builders.mkdocs.render import split_by_size
from generator.builders.reuse_folder import plan_reuse, reuse_folder, scan_files


def write(root: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)


def listing(root: Path) -> dict[str, str]:
    """Every file by path with its text, every folder as "/"."""
    return {
        p.relative_to(root).as_posix(): "/" if p.is_dir() else p.read_text()
        for p in sorted(root.rglob("*"))
    }


def test_the_plan_keeps_the_same_files_removes_the_rest_and_links_what_is_missing() -> None:
    have = {"a/index.html": 1, "b/index.html": 2, "c/index.html": 3, "old/x/y.html": 4}
    folders = ["a", "b", "c", "old", "old/x"]
    want = {"a/index.html": 1, "b/index.html": 9, "d/e/index.html": 5}
    remove, empty, link = plan_reuse(have, folders, want)
    assert remove == ["b/index.html", "c/index.html", "old/x/y.html"]
    assert empty == ["old/x", "old", "c"]  # deepest first; a, b and d's parents stay
    assert link == ["b/index.html", "d/e/index.html"]
    assert plan_reuse({}, [], want) == ([], [], sorted(want))
    assert plan_reuse(have, folders, {}) == (sorted(have), sorted(folders, reverse=True), [])


def test_the_spare_ends_with_exactly_the_kept_pages_of_the_last_site(tmp_path: Path) -> None:
    previous, spare = tmp_path / "site", tmp_path / ".site.spare"
    write(previous, {"a/index.html": "A", "b/index.html": "B2", "assets/x.js": "new"})
    write(spare, {"b/index.html": "B1", "assets/x.js": "old", "gone/index.html": "G"})
    os.link(previous / "a/index.html", spare / "a.html")  # the right file, at another path
    (spare / "a").mkdir()
    os.link(previous / "a/index.html", spare / "a/index.html")  # linked by the last update
    (spare / "link").symlink_to(previous)  # removed, never followed
    before = listing(previous)
    same = (spare / "a/index.html").stat().st_ino

    kept = reuse_folder(spare, previous, ["a/index.html", "b/index.html", "missing.html"])

    assert kept == 1
    assert listing(spare) == {"a": "/", "a/index.html": "A", "b": "/", "b/index.html": "B2"}
    assert (spare / "a/index.html").stat().st_ino == same
    assert (spare / "b/index.html").stat().st_ino == (previous / "b/index.html").stat().st_ino
    assert listing(previous) == before  # the last site is only read


def test_a_file_where_a_folder_is_wanted_and_a_missing_spare(tmp_path: Path) -> None:
    previous, spare = tmp_path / "site", tmp_path / ".site.spare"
    write(previous, {"p/index.html": "P", "q": "Q"})
    write(spare, {"p": "a file in the way", "q/index.html": "a folder in the way"})
    reuse_folder(spare, previous, ["p/index.html", "q"])
    assert listing(spare) == {"p": "/", "p/index.html": "P", "q": "Q"}

    fresh = tmp_path / "fresh"
    assert reuse_folder(fresh, previous, ["q"]) == 0
    assert listing(fresh) == {"q": "Q"}
    assert reuse_folder(fresh, None, ["q"]) == 0  # no last site: an empty folder
    assert listing(fresh) == {}


def test_scan_lists_files_by_inode_and_folders_parents_first(tmp_path: Path) -> None:
    write(tmp_path, {"x/y/z.html": "Z", "w.txt": "W"})
    files, folders = scan_files(tmp_path)
    assert files == {
        "x/y/z.html": (tmp_path / "x/y/z.html").stat().st_ino,
        "w.txt": (tmp_path / "w.txt").stat().st_ino,
    }
    assert folders == ["x", "x/y"]


def test_an_updates_pages_are_split_by_their_markdown_bytes() -> None:
    todo = ["index.md", "topics/a.md", "papers/p.md", "topics/b.md", "browse/2020.md"]
    sizes = {"index.md": 10, "topics/a.md": 700, "papers/p.md": 5, "topics/b.md": 650}
    sizes["browse/2020.md"] = 480
    ours, theirs = split_by_size(todo, sizes)
    assert sorted(ours + theirs) == sorted(todo)
    assert [s for s in todo if s in ours] == ours  # each part in the order given
    assert [s for s in todo if s in theirs] == theirs
    weight = [sum(sizes[s] for s in part) for part in (ours, theirs)]
    assert abs(weight[0] - weight[1]) <= 480  # the two large topic pages apart
    assert ("topics/a.md" in ours) != ("topics/b.md" in ours)
