"""Reading content files safely: only regular files inside the content folder, within limits.

A content folder may come from anyone (a pull request, an archive), so nothing in it is
trusted to be what its name says. A symbolic link is followed only when it resolves to a
file inside the content folder, so another file's text can never be published; FIFOs,
devices, sockets and folders are never opened (opening a FIFO would block `check`), and a
file that vanishes between the listing and the read is reported, not a crash.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from dataclasses import dataclass

MAX_FILE_BYTES = 256 * 1024
"""A paper file larger than this is refused: it is not a hand-kept reading-list entry."""
MAX_TOPICS_BYTES = 1024 * 1024
"""topics.yaml: a few dozen topics of a few sentences each fit many times over."""
MAX_SITE_BYTES = 64 * 1024
"""site.yaml: a title, a description and two URLs."""

# O_NOFOLLOW: the path opened is the one checked, never a link swapped in since.
# O_NONBLOCK: should a FIFO be swapped in after the check, opening it does not block.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
REGULAR_HINT = "content is read only from regular files"
VANISHED = "vanished while being read (deleted after the folder was listed)"


class Unreadable(Exception):
    """A content path that is not read, with what is wrong, the hint, and a line if known."""

    def __init__(self, message: str, hint: str = "", line: int = 0) -> None:
        self.message = message
        self.hint = hint
        self.line = line
        super().__init__(message)


@dataclass(frozen=True)
class Found:
    """A regular file to read: the path to open (a link's target) and its status."""

    path: str
    stat: os.stat_result


def locate(path: str, root: str, shown_root: str, lstat: os.stat_result | None = None) -> Found:
    """The regular file at `path`, or Unreadable. `root` is the content folder's real path.

    `lstat` is the link's own status when the caller has it already (a directory listing).
    FileNotFoundError is left to the caller: a missing file means different things.
    """
    own = os.lstat(path) if lstat is None else lstat
    if not stat.S_ISLNK(own.st_mode):
        _require_regular(own)
        return Found(path, own)
    target = _inside(path, root, shown_root, "file")
    try:
        status = os.stat(target)
    except FileNotFoundError:
        raise Unreadable(VANISHED, "run again") from None
    _require_regular(status)
    return Found(target, status)


def locate_folder(path: str, root: str, shown_root: str) -> str:
    """The real path of the folder at `path` (which may be a link inside `root`)."""
    own = os.lstat(path)
    target = _inside(path, root, shown_root, "folder") if stat.S_ISLNK(own.st_mode) else path
    if not os.path.isdir(target):
        raise Unreadable("is not a folder", "papers/ holds one YAML file per paper")
    return target


def read_bytes(found: Found, limit: int) -> bytes:
    """The file's bytes, refused over `limit`; re-checked on the open descriptor."""
    if found.stat.st_size > limit:
        raise too_big(found.stat.st_size, limit)
    try:
        fd = os.open(found.path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise Unreadable(VANISHED, "run again") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Unreadable("was replaced by a symbolic link while being read") from None
        raise Unreadable(f"cannot be read: {exc.strerror}") from None
    try:
        status = os.fstat(fd)
        _require_regular(status)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise too_big(max(status.st_size, size), limit)
    return b"".join(chunks)


def decode_text(data: bytes) -> str:
    """UTF-8 text (a leading BOM dropped), or Unreadable naming the line at fault."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise Unreadable("UTF-16 text, not UTF-8", "save the file as UTF-8")
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise Unreadable("NUL byte: this is not a text file", "save it as UTF-8 text", line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"not UTF-8 text (byte 0x{data[exc.start]:02x}: {exc.reason})"
        raise Unreadable(message, "save the file as UTF-8", line) from None


def _inside(path: str, root: str, shown_root: str, what: str) -> str:
    try:
        target = os.path.realpath(path, strict=True)
    except FileNotFoundError:
        raise Unreadable(
            f"is a symbolic link to a missing {what}", "remove the link or restore its target"
        ) from None
    except OSError as exc:
        raise Unreadable(f"is a symbolic link that cannot be followed: {exc.strerror}") from None
    if os.path.commonpath((root, target)) != root:
        raise Unreadable(
            f"is a symbolic link to a {what} outside {shown_root}/",
            f"content is read only from inside {shown_root}/; copy the {what} in instead",
        )
    return target


_KINDS = (
    (stat.S_ISDIR, "is a folder, not a YAML file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
    (stat.S_ISCHR, "is a device, not a regular file"),
    (stat.S_ISBLK, "is a device, not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
)


def _require_regular(status: os.stat_result) -> None:
    if stat.S_ISREG(status.st_mode):
        return
    for test, message in _KINDS:
        if test(status.st_mode):
            raise Unreadable(message, REGULAR_HINT)
    raise Unreadable("is not a regular file", REGULAR_HINT)


def too_big(size: int, limit: int) -> Unreadable:
    return Unreadable(f"{size} bytes is over the {limit}-byte limit")
