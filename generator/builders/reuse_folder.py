"""Turning an older site's folder (the spare the last build kept) into the start of a new one:
exactly the files an update keeps, as hard links of the last site's, and nothing else.

At 10,000 pages a site is 10,000 folders. Building into an empty folder made each of them
and linked its page, and the swap then removed the site before, folder by folder: most of
an update's time, for pages that did not change. The folder of the site before the last
already holds most of those pages, as links to the very files of the last site (an update
links what did not change): those stay. Only what differs is removed or linked.

A kept file is one whose inode is the last site's file's at the same path: the same bytes,
because no build writes into a file once it is in a site (builds write new files). Every
other file (a changed page, the static files, the search bundle, anything put there by
hand) is removed, so the builder writes new files, never into a file another site shares.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def scan_files(folder: Path) -> tuple[dict[str, int], list[str]]:
    """Every file of `folder` (links and other non-folders included) by its path inside it,
    with its inode; and its folders, parents first. Links are never followed."""
    files: dict[str, int] = {}
    folders: list[str] = []
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(f"{folder}/{relative}" if relative else folder) as entries:
            for entry in entries:
                path = f"{relative}{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    folders.append(path)
                    pending.append(f"{path}/")
                else:
                    files[path] = entry.inode()
    folders.sort()
    return files, folders


def plan_reuse(
    have: dict[str, int], folders: list[str], want: dict[str, int]
) -> tuple[list[str], list[str], list[str]]:
    """From the spare's files and folders and the files wanted (path -> inode in the last
    site): the files to remove, the folders to remove (deepest first) and the files to
    link from the last site."""
    remove = sorted(path for path, inode in have.items() if want.get(path) != inode)
    link = sorted(path for path, inode in want.items() if have.get(path) != inode)
    needed = {parent for path in want for parent in _parents(path)}
    empty = sorted((f for f in folders if f not in needed), reverse=True)
    return remove, empty, link


def reuse_folder(spare: Path, previous: Path | None, keep: list[str]) -> int:
    """Make `spare` (created if missing) hold exactly the files `keep` of `previous`, as hard
    links (copies across file systems); a path `previous` lacks is skipped. Returns how
    many files were already there."""
    sources = {path: f"{previous}/{path}" for path in keep} if previous is not None else {}
    return sync_folder(spare, sources)


def sync_folder(folder: Path, sources: dict[str, str]) -> int:
    """Make `folder` (created if missing) hold exactly the files of `sources` (path inside
    it -> the file it must be), as hard links (copies across file systems); a source that
    does not exist is skipped. Returns how many files were already there."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        folder.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    device = folder.stat().st_dev
    want: dict[str, int] = {}
    for path, source in sources.items():
        try:
            stat = os.stat(source, follow_symlinks=False)
        except FileNotFoundError:  # MkDocs writes no empty page
            continue
        # An inode names a file on one file system only: across two, none is kept as is.
        want[path] = stat.st_ino if stat.st_dev == device else -1
    have, folders = scan_files(folder)
    remove, empty, link = plan_reuse(have, folders, want)
    for path in remove:
        os.unlink(f"{folder}/{path}")
    for name in empty:
        os.rmdir(f"{folder}/{name}")
    made: set[str] = set()
    for path in link:
        parent = os.path.dirname(f"{folder}/{path}")
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        link_or_copy(sources[path], f"{folder}/{path}")
    return len(want) - len(link)


def link_or_copy(source: str, target: str) -> None:
    """A hard link of `source` at `target`, or a copy where a link cannot be made (another
    file system): safe because no file is written into once it is in a site or a cache."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _parents(path: str) -> list[str]:
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]
