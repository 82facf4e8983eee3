"""One build at a time per generated project: `build` and `serve` hold a lock on build/.

An flock, not a file whose existence is the lock: the kernel releases it when its holder
exits however it exits (even SIGKILL), so a killed build never leaves a stale lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from generator.errors import display_path, os_errors

log = logging.getLogger(__name__)

LOCK_FILE = ".readinglist.lock"


@contextlib.contextmanager
def project_lock(out: Path, command: str) -> Iterator[None]:
    """Hold the lock on `out` (waiting, with a line saying so, while another holds it)."""
    with os_errors("create", out):
        out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_FILE
    with os_errors("open the lock file", path):
        # O_CLOEXEC: Pagefind must not hold the lock past its parent.
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another one"
            log.warning(
                "waiting for the other readinglist using %s to finish (%s)...",
                display_path(out),
                holder,
            )
            fcntl.flock(fd, fcntl.LOCK_EX)
        with contextlib.suppress(OSError):  # who holds it is only for that message
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"readinglist {command}, pid {os.getpid()}".encode(), 0)
        yield
    finally:
        # Unlocked explicitly: the forked related-papers child shares this descriptor, and
        # closing ours alone would leave the lock held until the child ends.
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
