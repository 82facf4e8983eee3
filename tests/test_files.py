"""What `check` does with files that are not what their names say: links, FIFOs, folders, races.

Each case needs the file system itself (a symlink, a FIFO, a socket, a file deleted mid-read),
which the YAML cases of test_check.py cannot describe.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.content.files import MAX_TOPICS_BYTES, Found, Unreadable, read_bytes
from generator.content.load import PaperCache, load_list, load_list_reusing
from generator.content.yamlio import MAX_DEPTH
from generator.errors import ContentError

from .conftest import Runner, write_files

PAPER = "title: A fine paper\ntopics: [agents]\n"
SECRET = "title: The secret\ntopics: [agents]\nnotes: from outside content/\n"
REGULAR = "(content is read only from regular files)"


@pytest.fixture
def content(project: Path) -> Path:
    write_files(project, {"content/papers/fine.yaml": PAPER})
    return project / "content"


@pytest.fixture
def outside(project: Path) -> Path:
    """A valid paper file beside content/, which must never be read through a link."""
    path = project / "elsewhere" / "secret.yaml"
    write_files(project, {"elsewhere/secret.yaml": SECRET})
    return path


def check(run: Runner) -> tuple[int, list[str]]:
    status, _, err = run("check")
    return status, err.splitlines()


def problems(content: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_list(content)
    return [str(p) for p in caught.value.problems]


def test_link_to_a_paper_outside_content_is_refused(
    content: Path, outside: Path, run: Runner
) -> None:
    (content / "papers" / "secret.yaml").symlink_to(outside)
    assert check(run) == (
        1,
        [
            "content/papers/secret.yaml: file: is a symbolic link to a file outside content/"
            " (content is read only from inside content/; copy the file in instead)",
            "1 problem(s) found; nothing was changed.",
        ],
    )


@pytest.mark.parametrize("name", ["topics.yaml", "site.yaml"])
def test_link_from_topics_or_site_to_outside_is_refused(
    content: Path, project: Path, name: str
) -> None:
    target = project / "elsewhere" / name
    target.parent.mkdir()
    if name == "topics.yaml":
        os.replace(content / name, target)
    else:
        target.write_text("title: Someone else's\n")
    (content / name).symlink_to(target)
    lines = problems(content)
    assert f"content/{name}: file: is a symbolic link to a file outside content/" in lines[-1]
    if name == "topics.yaml":
        # The papers' topics are then unknown, which is reported too; nothing is published.
        assert any("unknown topic 'agents'" in line for line in lines)


def test_papers_folder_linked_outside_is_refused(content: Path, project: Path) -> None:
    os.replace(content / "papers", project / "elsewhere")
    (content / "papers").symlink_to(project / "elsewhere")
    assert problems(content) == [
        "content/papers: file: is a symbolic link to a folder outside content/"
        " (content is read only from inside content/; copy the folder in instead)"
    ]


def test_links_inside_content_are_followed(content: Path) -> None:
    """The documented rule: a link is fine when its target is a regular file inside content/."""
    os.replace(content / "papers", content / "archive")
    (content / "papers").symlink_to("archive")
    write_files(content, {"shared/other.yaml": "title: Another paper\ntopics: [agents]\n"})
    (content / "archive" / "other.yaml").symlink_to(content / "shared" / "other.yaml")
    listed = load_list(content)
    assert [(p.id, p.title) for p in listed.papers] == [
        ("fine", "A fine paper"),
        ("other", "Another paper"),
    ]


def test_dangling_link_and_link_loop(content: Path) -> None:
    (content / "papers" / "gone.yaml").symlink_to(content / "papers" / "nothing.yaml")
    (content / "papers" / "loop.yaml").symlink_to("loop.yaml")
    (content / "site.yaml").symlink_to("missing-site.yaml")
    assert problems(content) == [
        "content/papers/gone.yaml: file: is a symbolic link to a missing file"
        " (remove the link or restore its target)",
        "content/papers/loop.yaml: file: is a symbolic link that cannot be followed:"
        " Too many levels of symbolic links",
        # A dangling site.yaml is not "no site.yaml": the defaults would hide the mistake.
        "content/site.yaml: file: is a symbolic link to a missing file"
        " (remove the link or restore its target)",
    ]


def test_papers_not_a_folder_and_topics_a_folder(content: Path) -> None:
    shutil.rmtree(content / "papers")
    (content / "papers").write_text("title: not a folder\n")
    (content / "topics.yaml").unlink()
    (content / "topics.yaml").mkdir()
    assert problems(content) == [
        "content/papers: file: is not a folder (papers/ holds one YAML file per paper)",
        f"content/topics.yaml: file: is a folder, not a YAML file {REGULAR}",
    ]


def _in_thread(target: Any) -> list[Any]:
    """Run target() with a deadline: a FIFO opened for reading would block forever."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(target()), daemon=True)
    thread.start()
    thread.join(timeout=20)
    assert not thread.is_alive(), "check blocked"
    return result


def test_fifos_are_never_opened(content: Path) -> None:
    os.mkfifo(content / "papers" / "pipe.yaml")
    os.replace(content / "topics.yaml", content / "real-topics.yaml")
    os.mkfifo(content / "topics.yaml")
    [lines] = _in_thread(lambda: problems(content))
    assert (
        f"content/papers/pipe.yaml: file: is a named pipe (FIFO), not a regular file {REGULAR}"
        in lines
    )
    assert (
        f"content/topics.yaml: file: is a named pipe (FIFO), not a regular file {REGULAR}" in lines
    )


def test_fifo_swapped_in_after_the_check_does_not_block(tmp_path: Path) -> None:
    regular = tmp_path / "regular.yaml"
    regular.write_text(PAPER)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    found = Found(str(fifo), regular.stat())  # as if the check had seen the regular file

    def read() -> str:
        with pytest.raises(Unreadable) as caught:
            read_bytes(found, 1024)
        return caught.value.message

    assert _in_thread(read) == ["is a named pipe (FIFO), not a regular file"]


def test_folders_and_sockets_named_like_yaml(content: Path) -> None:
    (content / "papers" / "folder.yaml").mkdir()
    (content / "papers" / "upper.YAML").mkdir()
    with contextlib.closing(socket.socket(socket.AF_UNIX)) as sock:
        sock.bind(str(content / "papers" / "sock.yaml"))
        assert problems(content) == [
            f"content/papers/folder.yaml: file: is a folder, not a YAML file {REGULAR}",
            f"content/papers/sock.yaml: file: is a socket, not a regular file {REGULAR}",
            "content/papers/upper.YAML: file: '.YAML' must be lower case (rename it to upper.yaml)",
        ]


@contextlib.contextmanager
def _deleting_after_listing(monkeypatch: pytest.MonkeyPatch, victim: Path) -> Iterator[None]:
    """os.scandir lists the folder, then `victim` is deleted before anything is read."""
    real = os.scandir

    def listing(path: Any) -> Any:
        with real(path) as it:
            entries = list(it)
        if Path(path).resolve() == victim.parent.resolve():
            victim.unlink()
        return contextlib.nullcontext(entries)

    monkeypatch.setattr(os, "scandir", listing)
    yield


def test_file_deleted_between_listing_and_reading(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = content / "papers" / "brief.yaml"
    victim.write_text(PAPER.replace("fine", "brief"))
    with _deleting_after_listing(monkeypatch, victim):
        assert problems(content) == [
            "content/papers/brief.yaml: file: vanished while being read"
            " (deleted after the folder was listed) (run again)"
        ]


def test_file_deleted_between_check_and_open(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = content / "papers" / "brief.yaml"
    victim.write_text(PAPER.replace("fine", "brief"))
    real_open = os.open

    def racing_open(path: Any, flags: int, *args: Any) -> int:
        if Path(path) == victim and victim.exists():
            victim.unlink()
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", racing_open)
    assert problems(content) == [
        "content/papers/brief.yaml: file: vanished while being read"
        " (deleted after the folder was listed) (run again)"
    ]


def test_missing_content_folder(project: Path, run: Runner) -> None:
    status, _, err = run("check", "--content", "nowhere")
    assert (status, err.splitlines()[0]) == (1, "nowhere: file: no such folder")


def test_dotfiles_are_editors_own_and_skipped(content: Path) -> None:
    # Emacs keeps a lock as a dangling link named .#fine.yaml while the file is edited.
    (content / "papers" / ".#fine.yaml").symlink_to("user@host.1234:1700000000")
    assert [p.id for p in load_list(content).papers] == ["fine"]


def test_undecodable_file_name_is_escaped_not_a_crash(content: Path, run: Runner) -> None:
    os.close(os.open(os.fsencode(content / "papers") + b"/caf\xe9.yaml", os.O_CREAT | os.O_WRONLY))
    status, lines = check(run)
    assert status == 1
    assert lines[0].startswith(r"content/papers/caf\udce9.yaml: id: 'caf\udce9' is not a valid id")


@pytest.mark.parametrize("depth", [2_000, 100_000])
def test_deep_nesting_is_an_error_not_a_crash(content: Path, depth: int) -> None:
    deep = "title: A paper\ntopics: [agents]\nnotes: " + "[" * depth + "]" * depth + "\n"
    write_files(content, {"papers/deep.yaml": deep})
    assert problems(content) == [
        f"content/papers/deep.yaml:3: yaml: nested more than {MAX_DEPTH} levels deep"
    ]


def test_topics_over_their_size_cap(content: Path) -> None:
    topics = (content / "topics.yaml").read_text()
    write_files(content, {"topics.yaml": topics + "#" * MAX_TOPICS_BYTES})
    size = (content / "topics.yaml").stat().st_size
    assert problems(content)[-1] == (
        f"content/topics.yaml: file: {size} bytes is over the {MAX_TOPICS_BYTES}-byte limit"
    )


def test_file_growing_past_the_cap_while_read(tmp_path: Path) -> None:
    path = tmp_path / "grows.yaml"
    path.write_text("x" * 10)
    found = Found(str(path), path.stat())
    path.write_text("x" * 5000)  # after the size was checked
    with pytest.raises(Unreadable) as caught:
        read_bytes(found, 1024)
    assert caught.value.message == "5000 bytes is over the 1024-byte limit"


def test_unicode_text_is_accepted_and_separators_read_as_spaces(content: Path) -> None:
    write_files(
        content,
        {
            "papers/fine.yaml": "\ufeff"  # a BOM, as some editors write it
            'title: "Agents 🤖 \u05e2\u05d1\u05e8\u05d9\u05ea \u200bzero\u2028width"\n'
            "topics: [agents]\n"
            'abstract: "One\\u2029Two\\Lthree"\n',
        },
    )
    [paper] = load_list(content).papers
    assert paper.title == "Agents 🤖 \u05e2\u05d1\u05e8\u05d9\u05ea \u200bzero width"
    assert paper.abstract == "One Two three"


def test_a_file_with_problems_is_not_cached(content: Path) -> None:
    """A duplicate key leaves a usable paper, but it must be reported on every run."""
    write_files(content, {"papers/fine.yaml": PAPER + "title: Again\n"})
    os.utime(content / "papers" / "fine.yaml", ns=(0, 0))  # settled: eligible for the cache
    cache: PaperCache = {}
    for _ in range(2):
        with pytest.raises(ContentError) as caught:
            load_list_reusing(content, cache)
        assert [p.message for p in caught.value.problems] == ["duplicate key (first set on line 1)"]


def test_unreadable_file(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod 0 does not stop root, so the refusal the kernel would give is made here.
    real_open = os.open

    def denied(path: Any, flags: int, *args: Any) -> int:
        if Path(path).name == "fine.yaml":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", denied)
    assert problems(content) == [
        "content/papers/fine.yaml: file: cannot be read: Permission denied"
    ]


def test_line_separators_do_not_shift_line_numbers(content: Path) -> None:
    # libyaml counts U+2028 and U+0085 as line breaks; editors do not, so neither may messages.
    write_files(content, {"papers/fine.yaml": "title: One\u2028two\ntopics: [agents]\nyear: 20x\n"})
    assert problems(content) == [
        "content/papers/fine.yaml:3: year: expected a year like 2024, got '20x'"
    ]
