"""Writing the generated project: nothing outside its folder, unchanged files left alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.errors import BuildError
from generator.incremental.write import Known, write_tree


@pytest.mark.parametrize("rel", ["../evil.md", "docs/../../evil.md", "/tmp/evil.md", "docs//x.md"])
def test_a_path_leaving_the_folder_is_refused(tmp_path: Path, rel: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(BuildError, match="refusing to write"):
        write_tree({"docs/ok.md": "ok", rel: "evil"}, {}, out)
    assert not (tmp_path / "evil.md").exists()


def test_only_changed_files_are_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = write_tree({"docs/a.md": "a", "docs/sub/b.md": "b"}, {}, out)
    assert sorted(first.written) == ["docs/a.md", "docs/sub/b.md"]
    again = write_tree({"docs/a.md": "a", "docs/sub/b.md": "B"}, {}, out)
    assert again.written == ["docs/sub/b.md"] and again.unchanged == 1
    assert (out / "docs/sub/b.md").read_text() == "B"


def reads_of(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files write_tree opens for reading from now on."""
    import builtins

    import generator.incremental.write as write

    opened: list[str] = []
    real_open = builtins.open

    def counting(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "r" in mode:
            opened.append(str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(write, "open", counting, raising=False)
    return opened


def test_a_kept_writer_does_not_read_back_a_file_it_knows_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, known = tmp_path / "out", Known()
    pages = {"docs/a.md": "a" * 1000, "docs/sub/b.md": "b", "docs/c.md": "c"}
    write_tree(pages, {}, out, known=known)
    opened = reads_of(monkeypatch)
    again = write_tree({**pages, "docs/c.md": "C"}, {}, out, known=known)
    assert again.written == ["docs/c.md"] and again.unchanged == 2
    assert opened == []  # c.md's text changed: no need to read the old one either
    assert (out / "docs/c.md").read_text() == "C"
    # A writer that knows nothing (a one-off build) reads each file back, and writes none.
    cold = write_tree({**pages, "docs/c.md": "C"}, {}, out)
    assert cold.written == [] and len(opened) == 3


def test_an_edit_behind_the_kept_writers_back_is_still_noticed(tmp_path: Path) -> None:
    out, known = tmp_path / "out", Known()
    pages = {"docs/a.md": "a", "docs/b.md": "b", "docs/c.md": "c"}
    write_tree(pages, {}, out, known=known)
    (out / "docs/a.md").write_text("x")  # same size: its mtime or inode tells
    replaced = out / "docs/.b.md.tmp"
    replaced.write_text("y")
    replaced.replace(out / "docs/b.md")  # a new file over the old: a new inode
    (out / "docs/c.md").unlink()
    again = write_tree(pages, {}, out, known=known)
    assert sorted(again.written) == ["docs/a.md", "docs/b.md", "docs/c.md"]
    assert {rel: (out / rel).read_text() for rel in pages} == pages
