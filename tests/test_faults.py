"""Faults of the machine, not of the content: a full disk, a file where a folder should be,
a refused rename, two builds at once, a killed build. Each is one line naming the path,
exit status 1, the previous site byte for byte, and nothing half-built left behind.

Tests may run as root, where a read-only mode stops nothing: the faults are made real by
other means (a file where a folder is expected) or injected at the OS call (ENOSPC)."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.incremental import write as write_module

from .conftest import CORPUS, FIXTURES, ROOT, Runner, build
from .test_build import tree_digest

GOLDEN = FIXTURES / "golden" / "content"
LEFTOVERS = (".site.*", "**/*.partial", "**/*.tmp", "**/.*.tmp")


SPARE = ".site.spare"
"""The site before the last, which a build keeps for the next to start from: no leftover."""


def leftovers(folder: Path) -> list[Path]:
    found = {p for pattern in LEFTOVERS for p in folder.glob(pattern)}
    return sorted(p for p in found if p.name != SPARE)


@pytest.fixture
def built(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """A copy of the golden content built twice into tmp_path, so that the next build starts
    from the spare site the second one kept; (content, the site's digest)."""
    content = tmp_path / "content"
    shutil.copytree(GOLDEN, content)
    for _ in range(2):
        status, err = build(content, tmp_path)
        assert status == 0, err
    assert (tmp_path / SPARE / "index.html").is_file()
    yield content, tree_digest(tmp_path / "site")


def assert_one_line_error(status: int, err: str, expected: str) -> None:
    assert status == 1
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert errors == [expected], err


def edit(content: Path) -> None:
    """An edit, so that the next build has pages to write."""
    paper = content / "papers" / "title-only.yaml"
    paper.write_text(paper.read_text().replace("Only a Title", "An Edited Title"))


def test_a_full_disk_while_writing_the_markdown_is_one_line(
    built: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content, before = built
    edit(content)
    target = str((tmp_path / "build/docs/papers/title-only.md").resolve())

    class Full:
        """A file that takes the first bytes, then finds the disk full (no file name, as a
        real write() on a full disk)."""

        def __init__(self, path: str) -> None:
            self.file = open(path, "wb")  # noqa: SIM115

        def write(self, data: bytes) -> int:
            self.file.write(data[:10])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

    def fake_open(path: str, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if path == target and mode == "wb":
            return Full(path)
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(write_module, "open", fake_open, raising=False)
    monkeypatch.chdir(tmp_path)
    status, err = build(Path("content"), Path("."))
    assert_one_line_error(
        status, err, "error: cannot write build/docs/papers/title-only.md: No space left on device"
    )
    assert not Path(target).exists(), "the half-written page is removed"
    assert tree_digest(tmp_path / "site") == before
    assert leftovers(tmp_path) == []
    monkeypatch.undo()
    assert build(content, tmp_path)[0] == 0  # and once there is room again, it builds
    assert "An Edited Title" in (tmp_path / "site/papers/title-only/index.html").read_text()


def test_a_file_where_the_docs_folder_should_be_is_one_line(
    built: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, before = built
    shutil.rmtree(tmp_path / "build" / "docs")
    (tmp_path / "build" / "docs").write_text("not a folder")
    monkeypatch.chdir(tmp_path)
    status, err = build(Path("content"), Path("."))
    assert status == 1 and "Traceback" not in err
    [line] = [line for line in err.splitlines() if line.startswith("error:")]
    assert line.startswith("error: cannot ") and "build/docs" in line, line
    assert line.endswith(": Not a directory") or line.endswith(": File exists"), line
    assert tree_digest(tmp_path / "site") == before
    assert leftovers(tmp_path) == []


def test_a_full_disk_while_mkdocs_writes_the_site_keeps_the_previous_one(
    built: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mkdocs.utils

    content, before = built
    edit(content)

    def full(content: bytes, output_path: str) -> None:
        Path(output_path).parent.mkdir(parents=True, exist_ok=True)
        Path(output_path).write_bytes(content[:10])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(mkdocs.utils, "write_file", full)
    monkeypatch.chdir(tmp_path)
    status, err = build(Path("content"), Path("."))
    assert_one_line_error(status, err, "error: cannot write .site.new: No space left on device")
    assert tree_digest(tmp_path / "site") == before
    assert leftovers(tmp_path) == []


def test_a_refused_swap_puts_the_previous_site_back(
    built: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content, before = built
    edit(content)
    rename = Path.rename

    def refuse_new_site(self: Path, target: Any) -> Path:
        if self.name == ".site.new":
            denied = os.strerror(errno.EACCES)
            raise PermissionError(errno.EACCES, denied, str(self), None, str(target))
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", refuse_new_site)
    monkeypatch.chdir(tmp_path)
    status, err = build(Path("content"), Path("."))
    assert_one_line_error(status, err, "error: cannot replace site: Permission denied")
    assert tree_digest(tmp_path / "site") == before
    assert leftovers(tmp_path) == []


def test_a_build_killed_between_the_two_renames_gets_its_site_back(
    built: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    content, before = built
    (tmp_path / "site").rename(tmp_path / ".site.old")  # as a SIGKILL mid-swap leaves it
    (tmp_path / ".site.new").mkdir()
    (tmp_path / ".site.pagefind.partial").mkdir()
    assert build(content, tmp_path, ROOT / "no-such-templates")[0] == 1
    assert tree_digest(tmp_path / "site") == before
    assert leftovers(tmp_path) == []


def test_export_to_a_folder_or_a_full_disk_is_one_line_and_keeps_the_file(
    project: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.rmtree(project / "content")
    shutil.copytree(GOLDEN, project / "content")
    (project / "folder.bib").mkdir()
    status, _, err = run("export", "-o", "folder.bib")
    assert_one_line_error(status, err, "error: cannot write folder.bib: Is a directory")
    assert leftovers(project) == []

    (project / "list.bib").write_text("the previous export\n")
    real_open = open

    def full(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if mode == "wb":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(write_module, "open", full, raising=False)
    status, _, err = run("export", "-o", "list.bib")
    assert_one_line_error(status, err, "error: cannot write list.bib: No space left on device")
    assert (project / "list.bib").read_text() == "the previous export\n"
    assert leftovers(project) == []


def test_a_folder_named_like_topics_yaml_is_one_line(project: Path, run: Runner) -> None:
    (project / "content" / "topics.yaml").unlink()
    (project / "content" / "topics.yaml").mkdir()
    status, _, err = run("check")
    assert status == 1 and "Traceback" not in err
    assert "content/topics.yaml" in err and len(err.strip().splitlines()) <= 2, err


# Real processes: two builds at once, and builds killed mid-way.


def build_process(content: Path, dest: Path, log: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator.commands.cli",
            "build",
            "--content",
            str(content),
            "--out",
            str(dest / "build"),
            "--site",
            str(dest / "site"),
        ],
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_two_builds_at_once_take_turns_and_end_as_a_clean_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(GOLDEN, content)
    clean = tmp_path / "clean"
    assert build(content, clean)[0] == 0
    dest = tmp_path / "both"
    (dest / "build").mkdir(parents=True)
    # The test holds the lock first, so both builds are certainly under way at once.
    with (dest / "build" / ".readinglist.lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("the test")
        held.flush()
        logs = [tmp_path / "one.log", tmp_path / "two.log"]
        processes = [build_process(content, dest, log) for log in logs]
        deadline = time.monotonic() + 60
        while not all("waiting for" in log.read_text() for log in logs):
            assert time.monotonic() < deadline, [log.read_text() for log in logs]
            assert all(p.poll() is None for p in processes)
            time.sleep(0.1)
        assert "(the test)" in logs[0].read_text()
        assert not (dest / "site").exists()
    for process in processes:
        assert process.wait(timeout=240) == 0, [log.read_text() for log in logs]
    assert tree_digest(dest / "site") == tree_digest(clean / "site")
    assert leftovers(dest) == []


def _proc_stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _proc_stat(int(entry.name))
            if stat is not None and int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    stat = _proc_stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
@pytest.mark.parametrize(
    ("child", "signum"),
    [
        ("related", signal.SIGKILL),
        ("pagefind", signal.SIGKILL),
        ("pagefind", signal.SIGTERM),
    ],
)
def test_a_killed_build_leaves_no_child_and_the_next_build_succeeds(
    tmp_path: Path, child: str, signum: int
) -> None:
    content = tmp_path / "content"
    shutil.copytree(CORPUS, content)
    dest = tmp_path / "dest"
    process = build_process(content, dest, tmp_path / "build.log")
    own = cmdline(process.pid)

    def wanted(pid: int) -> bool:
        line = cmdline(pid)
        return "pagefind" in line if child == "pagefind" else line == own

    deadline, found = time.monotonic() + 120, list[int]()
    while not found:
        assert process.poll() is None, (tmp_path / "build.log").read_text()
        assert time.monotonic() < deadline, "the child never started"
        found = [pid for pid in children(process.pid) if wanted(pid)]
        time.sleep(0.01)
    process.send_signal(signum)
    status = process.wait(timeout=30)
    log_text = (tmp_path / "build.log").read_text()
    assert status == (-signal.SIGKILL if signum == signal.SIGKILL else 130), log_text
    # At once: left alone, an orphaned Pagefind would finish its seconds of work, and the
    # related-papers child would end when its pipe closes.
    deadline = time.monotonic() + 1
    while any(running(pid) for pid in found):
        assert time.monotonic() < deadline, f"children outlived the build: {found}"
        time.sleep(0.05)
    assert "Traceback" not in log_text
    if signum == signal.SIGTERM:
        assert not (dest / "site").exists()
        assert leftovers(dest) == []
        return
    status, err = build(content, dest)
    assert status == 0, err
    assert (dest / "site" / "index.html").is_file()
    assert leftovers(dest) == []


# The serve watcher, without a server: nothing an edit does stops it.


def test_a_file_vanishing_mid_scan_is_just_a_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.commands import serve

    (tmp_path / "a.yaml").write_text("a")
    (tmp_path / "gone.yaml").write_text("b")
    (tmp_path / "empty").mkdir()
    before = serve.snapshot([tmp_path])
    real_stat = os.stat

    def stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if str(path).endswith("gone.yaml"):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    during = serve.snapshot([tmp_path])
    assert str(tmp_path / "a.yaml") in during and str(tmp_path / "gone.yaml") not in during
    assert during != before
    monkeypatch.undo()
    (tmp_path / "empty").rmdir()  # a folder deleted with nothing in it is a change too
    assert serve.snapshot([tmp_path]) != before


def test_the_watcher_outlives_any_failure_and_regenerates_after_the_last_edit(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import threading

    from generator.commands import serve

    (tmp_path / "content").mkdir()
    (tmp_path / "templates").mkdir()
    calls: list[str] = []

    class Failing:
        content, templates = tmp_path / "content", tmp_path / "templates"

        def watched_files(self) -> list[Path]:
            return []  # no owner's mkdocs.yml beside the content

        def regenerate(self) -> None:
            calls.append((self.content / "x.yaml").read_text())
            if len(calls) == 1:
                raise RuntimeError("something no one foresaw")

    stop = threading.Event()
    watcher = threading.Thread(target=serve.watch, args=(Failing(), stop), daemon=True)
    watcher.start()
    try:
        time.sleep(0.1)
        for text in ("first", "second"):
            (tmp_path / "content" / "x.yaml").write_text(text)
            deadline = time.monotonic() + 10
            while not calls or calls[-1] != text:
                assert time.monotonic() < deadline, calls
                time.sleep(0.02)
        for edit in range(30):  # a burst is one regeneration, once quiet, of the last edit
            (tmp_path / "content" / "x.yaml").write_text(f"burst {edit}")
            time.sleep(0.005)
        deadline = time.monotonic() + 10
        while calls[-1] != "burst 29":
            assert time.monotonic() < deadline, calls
            time.sleep(0.02)
        time.sleep(0.6)
    finally:
        stop.set()
        watcher.join(timeout=5)
    assert watcher.is_alive() is False
    assert calls[:2] == ["first", "second"] and calls[-1] == "burst 29"
    assert len(calls) <= 4, calls  # not one regeneration per edit of the burst
    assert "regenerating failed (RuntimeError: something no one foresaw); still watching" in (
        caplog.text
    )
