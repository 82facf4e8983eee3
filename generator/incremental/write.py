"""Write the rendered project to disk: only changed files, nothing outside the folder."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import BuildError, FileSystemError, os_errors

log = logging.getLogger(__name__)

Stamp = tuple[int, int, int]
"""A file's (mtime_ns, size, inode): a file replaced or rewritten behind a writer's back
almost always changes one of them."""
RACY_NS = 2_000_000_000
"""A file written this close (ns) before a digest or parse of it was recorded may change
again within its file system's timestamp granularity without its stamp changing: such a
record is not trusted, and the file is read again."""
Known = dict[str, tuple[bytes, Stamp]]
"""What a kept writer (serve's) knows of the files it wrote or found up to date: the digest
of their bytes and their stamp at that time, by path inside the project."""


@dataclass
class WriteReport:
    """Which generated files a write touched, by path inside the project."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    produced: set[str] = field(default_factory=set)
    """Every file the project holds after the write."""


def write_tree(
    pages: Mapping[str, str],
    copies: dict[str, Path],
    out: Path,
    keep: set[str] | None = None,
    previous: set[str] | None = None,
    known: Known | None = None,
) -> WriteReport:
    """Make `out` hold exactly `pages`, the files in `keep` (known to be up to date already)
    and each file or folder of `copies` (destination -> source); rewrite only what changed, and
    remove generated files nothing produces any more: those of `previous` (what the last
    write produced) when it is known, else every file found below the project's folders.

    Unchanged files keep their modification time, so a builder that watches the folder
    rebuilds only what an edit touched. With `known` (updated in place), a file whose bytes
    are those it records and whose stamp is still the recorded one is not read back: at
    10,000 papers serve rendered megabytes of whole-list files per edit only to find most
    of them as they were.
    """
    root = out.resolve()
    base = str(root)
    copied: dict[str, Path] = {}
    for destination, source in copies.items():
        if source.is_file():
            copied[destination] = source
        for path in sorted(source.rglob("*")) if source.is_dir() else []:
            if path.is_file():
                copied[f"{destination}/{path.relative_to(source).as_posix()}"] = path
    files = pages.keys() | copied.keys()
    report = WriteReport(unchanged=len(keep or ()))
    folders: set[str] = set()
    # Plain strings and open() rather than Path objects, and each folder made once: at
    # 10,000 papers (20,000 files) the per-file overhead was a second of a full build.
    # Each file's bytes are made (a page encoded, a copied file read) and let go one at a
    # time: all of them encoded at once beside the pages' text (90 MB at 10,000 papers)
    # were much of a first generation's peak memory.
    for rel in sorted(files):
        if posixpath.normpath(rel) != rel or rel.startswith(("/", "../")):
            raise BuildError(f"refusing to write {rel!r}: it is outside {out}")
        data = copied[rel].read_bytes() if rel in copied else pages[rel].encode("utf-8")
        target = f"{base}/{rel}"
        digest, last, stamp = b"", None, (-1, -1, -1)
        if known is not None:
            digest = hashlib.sha256(data).digest()[:16]
            record, stamp = known.get(rel), file_stamp(target)
            # As the last write left it: its bytes are known, equal to `data` or not.
            last = record[0] if record is not None and record[1] == stamp else None
        if last == digest:
            report.unchanged += 1
            continue
        if last is None and _holds(target, data):
            report.unchanged += 1
            if known is not None:
                known[rel] = (digest, stamp)
            continue
        folder = target.rsplit("/", 1)[0]
        if folder not in folders:
            with os_errors("create", folder):
                os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        if known is not None:
            known.pop(rel, None)  # until it is written whole
        _write_file(target, data)
        if known is not None:
            known[rel] = (digest, file_stamp(target))
        report.written.append(rel)
    expected = files | (keep or set())
    if previous is not None:
        stale = sorted(previous - expected)
    else:
        tops = sorted({path.split("/")[0] for path in expected if "/" in path})
        stale = [rel for top in tops for rel in _files_below(root, top) if rel not in expected]
    for rel in stale:
        if known is not None:
            known.pop(rel, None)
        if (root / rel).is_file():
            with os_errors("remove", root / rel):
                (root / rel).unlink()
                _remove_empty_parents(root / rel, root)
            report.removed.append(rel)
    log.debug(
        "wrote %d files: %d written, %d unchanged, %d removed",
        len(files) + len(keep or ()),
        len(report.written),
        report.unchanged,
        len(report.removed),
    )
    report.produced = set(expected)
    return report


def _holds(target: str, data: bytes) -> bool:
    """Whether the file at `target` holds exactly `data`."""
    try:
        with open(target, "rb") as existing:
            return existing.read() == data
    except FileNotFoundError:
        return False
    except OSError as error:
        raise FileSystemError.from_os_error(error, "read", target) from None


def file_stamp(target: str) -> Stamp:
    """The file's Stamp; (-1, -1, -1) if it cannot be read."""
    try:
        stat = os.stat(target)
    except OSError:
        return (-1, -1, -1)
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _write_file(target: str, data: bytes) -> None:
    """Write one file; on failure (disk full, permission...) remove what was begun and
    raise one FileSystemError naming it. A write that fills the disk fails without a file
    name, and a half-written page would look like an edit to the next build."""
    try:
        with open(target, "wb") as output:
            output.write(data)
    except OSError as error:
        with contextlib.suppress(OSError):
            if os.path.isfile(target):
                os.unlink(target)
        raise FileSystemError.from_os_error(error, "write", target) from None


def replace_file(target: Path, data: bytes) -> None:
    """Write `target` whole or not at all: through a temporary file beside it, removed if
    the write fails, so a full disk never leaves a truncated file or the temporary one."""
    partial = target.with_name(f".{target.name}.tmp")
    try:
        with open(partial, "wb") as output:
            output.write(data)
        partial.replace(target)
    except OSError as error:
        raise FileSystemError("write", target, error.strerror or str(error)) from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()


def _files_below(root: Path, top: str) -> list[str]:
    """Paths (relative to root, with /) of the files below root/top, by os.walk: at 10,000
    pages a Path object per file costs more than the rest of an incremental write."""
    found = []
    for folder, _, names in os.walk(root / top):
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        found += [f"{rel_folder}/{name}" for name in names]
    return sorted(found)


def _remove_empty_parents(path: Path, root: Path) -> None:
    folder = path.parent
    while folder != root and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
