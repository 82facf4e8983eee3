"""Child processes that never outlive their parent, however the parent ends (even SIGKILL)."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import signal
import sys
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The C library, on Linux; looked up once (find_library runs ldconfig)."""
    if sys.platform != "linux":
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        return None


def _prctl() -> Callable[..., int] | None:
    libc = _libc()
    if libc is None:
        return None
    function: Callable[..., int] = libc.prctl
    return function


def child_setup(nice: int = 0) -> Callable[[], None]:
    """A function for the child to run first (Popen's preexec_fn, or the start of a forked
    child): on Linux the kernel kills the child when the thread that started it ends.
    Everything is looked up here, in the parent: between fork and exec the child must not
    load libraries or take locks."""
    prctl = _prctl()
    parent = os.getpid()

    def setup() -> None:
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            if os.getppid() != parent:  # the parent died before the line above
                os.kill(os.getpid(), signal.SIGKILL)
        if nice:
            os.nice(nice)

    return setup


def trim_heap() -> None:
    """Hand the memory the process freed back to the system (glibc's malloc_trim), before a
    fork: a forked child's resident size counts every page it shares with its parent, and
    at 10,000 papers the generation's freed pages made a child of serve 520 MB."""
    libc = _libc()
    trim = getattr(libc, "malloc_trim", None)  # glibc's only
    if trim is not None:
        trim(0)
