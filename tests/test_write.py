"""Writing the generated project: nothing outside its folder, unchanged files left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import BuildError
from generator.incremental.write import write_tree


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
