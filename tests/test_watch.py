"""serve's watcher: woken by file events, with full scans as the source of truth."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.commands import watch


class Recorder:
    """A Regenerator stand-in that records the text of content/x.yaml at each regeneration."""

    def __init__(self, root: Path) -> None:
        self.content, self.templates = root / "content", root / "templates"
        self.content.mkdir()
        self.templates.mkdir()
        self.calls: list[tuple[float, str]] = []

    def watched_files(self) -> list[Path]:
        return [self.content.parent / "mkdocs.yml"]

    def regenerate(self) -> None:
        self.calls.append((time.monotonic(), (self.content / "x.yaml").read_text()))


@pytest.fixture
def watching(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    """A watcher whose full scans come every 30 s: what it sees sooner, events told it."""
    monkeypatch.setattr(watch, "RESCAN_SECONDS", 30.0)
    recorder = Recorder(tmp_path)
    stop = threading.Event()
    thread = threading.Thread(target=watch.watch, args=(recorder, stop), daemon=True)
    thread.start()
    time.sleep(0.3)  # the first scan and the kernel's watches are in place
    yield recorder
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()


def wait_for(recorder: Recorder, text: str, seconds: float) -> float:
    deadline = time.monotonic() + seconds
    while not recorder.calls or recorder.calls[-1][1] != text:
        assert time.monotonic() < deadline, recorder.calls
        time.sleep(0.01)
    return recorder.calls[-1][0]


def save_as_editor(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.swp")
    partial.write_text(text)
    partial.replace(path)


def test_an_event_wakes_the_watcher_long_before_its_rescan(watching: Recorder) -> None:
    for text in ("one", "two"):
        saved = time.monotonic()
        save_as_editor(watching.content / "x.yaml", text)
        assert wait_for(watching, text, 10) - saved < 5.0  # the next scan is 30 s away


def test_an_edit_of_a_watched_file_beside_the_content_is_an_event_too(
    watching: Recorder,
) -> None:
    (watching.content / "x.yaml").write_text("same")
    wait_for(watching, "same", 10)
    count = len(watching.calls)
    saved = time.monotonic()
    save_as_editor(watching.content.parent / "mkdocs.yml", "site_name: x\n")
    deadline = time.monotonic() + 10
    while len(watching.calls) == count:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert watching.calls[-1][0] - saved < 5.0


def test_a_log_written_beside_the_content_is_no_event_and_logs_none(
    watching: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # `serve -v`, its log in the list's folder
    log_file = watching.content.parent / "serve.log"
    with log_file.open("a") as log:
        for line in range(50):
            log.write(f"line {line}\n")
            log.flush()
            time.sleep(0.005)
    time.sleep(0.5)
    assert watching.calls == []
    assert not [r for r in caplog.records if r.name.startswith("watchdog")]


def test_reading_the_content_does_not_regenerate(watching: Recorder) -> None:
    (watching.content / "x.yaml").write_text("read me")
    wait_for(watching, "read me", 10)
    count = len(watching.calls)
    for _ in range(20):  # the generator reads every file on each regeneration
        (watching.content / "x.yaml").read_text()
    time.sleep(0.5)
    assert len(watching.calls) == count


def test_without_file_events_the_rescan_still_finds_every_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class NoEvents:
        def __init__(self) -> None:
            raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watch, "Observer", NoEvents)
    monkeypatch.setattr(watch, "RESCAN_SECONDS", 0.2)
    recorder = Recorder(tmp_path)
    stop = threading.Event()
    thread = threading.Thread(target=watch.watch, args=(recorder, stop), daemon=True)
    thread.start()
    try:
        time.sleep(0.3)
        (recorder.content / "papers").mkdir()
        (recorder.content / "x.yaml").write_text("scanned")
        wait_for(recorder, "scanned", 10)
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_the_events_paths_alone_update_the_snapshot_as_a_full_scan_would(
    tmp_path: Path,
) -> None:
    (tmp_path / "papers").mkdir()
    for name in ("a", "b", "c"):
        (tmp_path / "papers" / f"{name}.yaml").write_text(name)
    seen = watch.snapshot([tmp_path])
    (tmp_path / "papers" / "a.yaml").write_text("longer a")
    (tmp_path / "papers" / "b.yaml").unlink()
    (tmp_path / "papers" / "d.yaml").write_text("new")
    os.utime(tmp_path / "papers" / "c.yaml", ns=(1, 1))
    names = [str(tmp_path / "papers" / f"{name}.yaml") for name in "abcd"]
    assert watch.updated(seen, names) == watch.snapshot([tmp_path]) != seen


def test_a_folder_event_or_lost_events_ask_for_a_full_scan(tmp_path: Path) -> None:
    from watchdog.events import (
        DirCreatedEvent,
        DirModifiedEvent,
        EventsLostEvent,
        FileClosedNoWriteEvent,
        FileMovedEvent,
        FileOpenedEvent,
    )

    events = watch.Watcher([tmp_path / "content"], [tmp_path / "mkdocs.yml"])
    events.stop()
    handler = events.events
    inside = str(tmp_path / "content" / "x.yaml")
    handler.on_any_event(FileOpenedEvent(inside))
    handler.on_any_event(FileClosedNoWriteEvent(inside))
    handler.on_any_event(DirModifiedEvent(str(tmp_path / "content")))
    assert handler.take() == (set(), False)
    handler.on_any_event(FileMovedEvent(str(tmp_path / "content" / ".x.swp"), inside))
    handler.on_any_event(FileMovedEvent(str(tmp_path / "elsewhere"), str(tmp_path / "mkdocs.yml")))
    assert handler.take() == (
        {str(tmp_path / "content" / ".x.swp"), inside, str(tmp_path / "mkdocs.yml")},
        False,
    )
    handler.on_any_event(DirCreatedEvent(str(tmp_path / "content" / "papers")))
    assert handler.take()[1] is True
    handler.on_any_event(EventsLostEvent(str(tmp_path / "content")))
    assert handler.take()[1] is True
