"""The paths serve's watcher wrote, handed from its thread to the served site's rebuilds."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable


class Changes:
    """Paths of the project written (or removed) since the served site last took them; each
    addition wakes the server (`wake`), which rebuilds what they touch."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._shown_cond = threading.Condition(self._lock)
        self._paths: set[str] = set()
        self._everything = False
        self._added = self._taken = self._shown = 0
        """How many additions there were, and of them, how many a rebuild took, and how
        many the open pages show."""
        self.wake: Callable[[], None] | None = None
        """Set by the server: asks it for a rebuild."""
        self.generating = threading.Event()
        """Set while serve's watcher regenerates: the served site's background waits."""

    def add(self, paths: Iterable[str]) -> None:
        added = set(paths)
        with self._lock:
            self._paths |= added
            self._added += bool(added)
            wake = self.wake if added else None
        if wake is not None:
            wake()

    def add_everything(self) -> None:
        """Something changed that no write reported (a watched path): rebuild it all."""
        with self._lock:
            self._everything = True

    def take(self) -> tuple[set[str], bool]:
        """The paths added since the last take, and whether everything must be rebuilt."""
        with self._lock:
            paths, everything = self._paths, self._everything
            self._paths, self._everything = set(), False
            self._taken = self._added
        return paths, everything

    def shown(self) -> None:
        """The rebuild of what the last take() returned has reloaded the open pages (or
        has ended)."""
        with self._lock:
            self._shown = self._taken
            self._shown_cond.notify_all()

    def wait_shown(self, timeout: float) -> bool:
        """Wait until the open pages show every addition so far, at most `timeout` seconds;
        whether they do."""
        with self._lock:
            target = self._added
            return self._shown_cond.wait_for(lambda: self._shown >= target, timeout)
