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

import contextlib
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
    if spare.is_symlink() or (spare.exists() and not spare.is_dir()):
        spare.unlink()
    spare.mkdir(parents=True, exist_ok=True)
    want: dict[str, int] = {}
    # An inode names a file on one file system only: across two, nothing is kept as is.
    same = previous is not None and previous.stat().st_dev == spare.stat().st_dev
    for path in keep if previous is not None else []:
        with contextlib.suppress(FileNotFoundError):  # MkDocs writes no empty page
            want[path] = os.stat(f"{previous}/{path}", follow_symlinks=False).st_ino
    have, folders = scan_files(spare)
    if not same:
        have = {path: -1 for path in have}
    remove, empty, link = plan_reuse(have, folders, want)
    for path in remove:
        os.unlink(f"{spare}/{path}")
    for folder in empty:
        os.rmdir(f"{spare}/{folder}")
    made: set[str] = set()
    for path in link:
        parent = os.path.dirname(f"{spare}/{path}")
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        try:
            os.link(f"{previous}/{path}", f"{spare}/{path}")
        except OSError:
            shutil.copyfile(f"{previous}/{path}", f"{spare}/{path}")
    return len(want) - len(link)


def _parents(path: str) -> list[str]:
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]
