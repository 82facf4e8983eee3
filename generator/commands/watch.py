"""serve's watcher: woken by the kernel on an edit, with the snapshot as the source of truth.

A scan (`snapshot`) of 10,000 files costs 0.2-0.3 s, so polling it four times a second
took 0.6-1.1 s to notice a save and a good part of a core. Here watchdog (inotify on Linux)
wakes the loop as soon as something under the watched folders changes; after such an event
only the paths it names are looked at again. A full scan still runs every RESCAN_SECONDS and
whenever the events cannot be trusted (a folder created, moved or deleted, the kernel's queue
overflowed, no watcher could be started): a filesystem without inotify loses nothing but
speed.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

log = logging.getLogger(__name__)

RESCAN_SECONDS = 2.0
"""The longest an edit waits to be noticed when no event tells of it."""
QUIET_SECONDS = 0.1
"""An edit is regenerated once the watched files have not changed for this long: an editor's
save (truncate, write, rename) or a burst of edits is one regeneration, not a dozen."""
STOP_SECONDS = 0.2
"""How soon the watcher stops once asked (serve's Ctrl-C)."""
CHANGES = {"created", "deleted", "modified", "moved", "closed"}
"""The event types that may change a snapshot: not a file opened or read (the generator
reads every content file on each regeneration)."""

Snapshot = dict[str, tuple[int, int]]


class Watched(Protocol):
    """What the watcher needs of serve's Regenerator."""

    content: Path
    templates: Path

    def watched_files(self) -> list[Path]: ...

    def regenerate(self) -> object: ...


def snapshot(folders: Iterable[Path], files: Iterable[Path] = ()) -> Snapshot:
    """(mtime, size) of every file below the folders, and every folder (so that deleting an
    empty one is a change too), and of each of `files` that exists. os.walk skips what
    vanishes while it walks; a file gone between listing and stat is simply not there."""
    state: Snapshot = {}
    for file in files:
        _stat_into(state, str(file))
    for folder in folders:
        for parent, dirs, names in os.walk(folder):
            state[parent] = (0, 0)
            for name in names:
                _stat_into(state, os.path.join(parent, name))
            dirs.sort()
    return state


def _stat_into(state: Snapshot, path: str) -> None:
    try:
        stat = os.stat(path)
    except OSError:
        state.pop(path, None)
        return
    state[path] = (stat.st_mtime_ns, stat.st_size)


def updated(seen: Snapshot, paths: Iterable[str]) -> Snapshot:
    """`seen` with the files at `paths` looked at again (each a file, not a folder): what a
    full scan would find if these are all that changed."""
    state = dict(seen)
    for path in paths:
        _stat_into(state, path)
    return state


class Events(FileSystemEventHandler):
    """Collects the files the events name and wakes the watcher; `rescan` when they cannot
    be trusted to name everything that changed."""

    def __init__(self, watched: Callable[[str], str | None]) -> None:
        self.watched = watched
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.paths: set[str] = set()
        self.rescan = False

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type == "events_lost":
            with self.lock:
                self.rescan = True
            self.wake.set()
            return
        if event.event_type not in CHANGES:
            return
        named = [os.fsdecode(event.src_path), os.fsdecode(event.dest_path or b"")]
        paths = [path for path in map(self.watched, filter(None, named)) if path is not None]
        if not paths:
            return
        with self.lock:
            if event.is_directory:
                # A folder's own "modified" is a file created or removed in it, which has
                # its own event; a folder created, moved or deleted hides what is below it.
                self.rescan |= event.event_type != "modified"
            else:
                self.paths.update(paths)
        self.wake.set()

    def take(self) -> tuple[set[str], bool]:
        """The files named since the last take, and whether a full scan is needed."""
        with self.lock:
            paths, rescan = self.paths, self.rescan
            self.paths, self.rescan = set(), False
        self.wake.clear()
        return paths, rescan


class Watcher:
    """The kernel's events for the watched folders and files, when they can be had."""

    def __init__(self, folders: list[Path], files: list[Path]) -> None:
        # Events name paths below each folder as it was given, as the snapshot does; a
        # watched file's is its folder's joined with its name ("./x" for "x").
        self.folders = [str(folder) for folder in folders]
        self.files = {os.path.normpath(file): str(file) for file in files}
        self.events = Events(self._as_watched)
        self.observer: BaseObserver | None = None
        try:
            observer = Observer()
            for folder in folders:
                if folder.is_dir():
                    observer.schedule(self.events, str(folder), recursive=True)
            for parent in sorted({str(Path(file).parent) for file in files}):
                if os.path.isdir(parent):
                    observer.schedule(self.events, parent, recursive=False)
            observer.start()
            self.observer = observer
        except Exception as error:  # no inotify, too many watches...: scanning still works
            log.info(
                "serve: no file system events (%s); scanning every %.0fs", error, RESCAN_SECONDS
            )

    def _as_watched(self, path: str) -> str | None:
        """The snapshot's name for an event's path; None if the watcher does not watch it."""
        if any(path.startswith(f"{folder}/") or path == folder for folder in self.folders):
            return path
        return self.files.get(os.path.normpath(path))

    def wait(self, timeout: float, stop: threading.Event) -> bool:
        """Whether an event came within `timeout` seconds; sooner if `stop` is set (in
        slices of STOP_SECONDS: an Event cannot wait for two others)."""
        deadline = time.monotonic() + timeout
        while not stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if self.events.wake.wait(min(left, STOP_SECONDS)):
                return True
        return False

    def stop(self) -> None:
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=1)


def watch(regenerator: Watched, stop: threading.Event) -> None:
    """Watch for edits until `stop` is set; regenerate once the tree is quiet after a change,
    and again if it changed during the regeneration. Any failure is one line, and the
    watching goes on: serving silently stale pages would be worse."""
    # watchdog's debug lines name every event: with `serve -v` logging to a file in a
    # watched folder (beside content/, as the owner's settings are), each line was an event
    # and each event a line, without end. Its warnings (events lost) still show.
    logging.getLogger("watchdog").setLevel(logging.WARNING)
    folders = [regenerator.content, regenerator.templates]
    files = regenerator.watched_files()
    seen = snapshot(folders, files)
    watcher = Watcher(folders, files)
    try:
        while not stop.is_set():
            woken = watcher.wait(RESCAN_SECONDS, stop)
            if stop.is_set():
                break
            try:
                current = _settle(watcher, regenerator, seen, woken, stop)
                if current is None or current == seen:
                    continue
                seen = current
                regenerator.regenerate()
                if regenerator.watched_files() != files:  # the owner's settings name others
                    files = regenerator.watched_files()
                    watcher.stop()
                    watcher = Watcher(folders, files)
                    seen = snapshot(folders, files)
            except Exception as error:  # the watcher must outlive anything an edit causes
                log.error(
                    "serve: regenerating failed (%s: %s); still watching",
                    type(error).__name__,
                    error,
                )
    finally:
        watcher.stop()


def _settle(
    watcher: Watcher, regenerator: Watched, seen: Snapshot, woken: bool, stop: threading.Event
) -> Snapshot | None:
    """The watched files once they have been quiet for QUIET_SECONDS (None if stopped):
    from the events' paths alone while they can be trusted, else from full scans."""
    folders = [regenerator.content, regenerator.templates]
    paths, rescan = watcher.events.take()
    trusted = woken and not rescan and watcher.observer is not None
    current = updated(seen, paths) if trusted else snapshot(folders, regenerator.watched_files())
    if not woken and current == seen:
        return current
    while not stop.wait(QUIET_SECONDS):
        paths, rescan = watcher.events.take()
        trusted = trusted and not rescan
        settled = current
        if trusted:
            current = updated(current, paths)
        else:
            current = snapshot(folders, regenerator.watched_files())
        if settled == current and not paths:
            return current
    return None
