"""`readinglist new DIR`: a list of one's own, with its content, Makefile, README and GitHub
workflows, that builds, tests and deploys with the tool installed as a package."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

from generator.builders import get_builder
from generator.content.load import load_list
from generator.errors import ContentError, FileSystemError, ReadingListError, os_errors
from generator.shipped import starter_folder

RENAMED = {"gitignore": ".gitignore", "github": ".github"}
"""Starter names that become dot-names: setuptools' package data leaves dot-files out."""

UNSAFE_SOURCE = re.compile(r"[^\S ]|['\"`$#\\]")
"""What cannot go into the Makefile's quoted pip argument (# starts a make comment, $ is
expanded, a line break ends the line); an install source needs none of it. A plain space
can: a requirement reads `name @ url`."""


def new_list(folder: Path, title: str | None = None, source: str | None = None) -> list[str]:
    """Write a new list into `folder` (absent or empty), all or nothing; the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FileSystemError(
            "create a list in", folder, "it exists and is not empty (name a new or empty folder)"
        )
    source = source or install_source()
    if UNSAFE_SOURCE.search(source):
        raise ReadingListError(
            f"--source: {source!r} holds a line break, tab, quote, $, # or backslash; "
            "give a pip requirement like 'readinglist[site] @ git+https://host/repo@commit'"
        )
    files = starter_files(title or default_title(folder), source)
    staging = folder.parent / f".{folder.name}.new-{os.getpid()}"
    try:
        with os_errors("write", staging):
            _write(staging, files)
        _check(staging, title)
        with os_errors("create", folder):
            if folder.exists():
                folder.rmdir()
            staging.rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(files)


def starter_files(title: str, source: str) -> dict[str, str]:
    """Every file of a new list, by its path in the list: the one place that says what a new
    list holds (a file added here is written by `new`)."""
    starter = starter_folder()
    files = {}
    for path in sorted(starter.rglob("*")):
        if not path.is_file() or path.suffix in (".py", ".pyc"):
            continue
        parts = path.relative_to(starter).parts
        name = "/".join(RENAMED.get(part, part) for part in parts)
        text = path.read_text(encoding="utf-8")
        # JSON's double-quoted string is a YAML scalar too; the load below checks the title.
        quoted = json.dumps(title, ensure_ascii=False) if name.endswith(".yaml") else title
        files[name] = text.replace("@TITLE@", quoted).replace("@SOURCE@", source)
    return files


def default_title(folder: Path) -> str:
    """The folder's name as words: `my-reading-list` gives 'My reading list'."""
    words = re.sub(r"[-_.\s]+", " ", folder.resolve().name).strip()
    return words[:1].upper() + words[1:] if words else "Reading list"


def install_source() -> str:
    """The pip requirement for the tool that is running, pinned: its VCS commit when it was
    installed from one, the commit of the git checkout it was installed from (with that
    checkout's `origin`), else its version."""
    try:
        dist = metadata.distribution("readinglist")
    except metadata.PackageNotFoundError:
        return "readinglist[site]"
    info = json.loads(dist.read_text("direct_url.json") or "{}")
    url, vcs = info.get("url", ""), info.get("vcs_info") or {}
    if vcs.get("commit_id"):
        return f"readinglist[site] @ {vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}"
    if url.startswith("file://") and "dir_info" in info:
        checkout = unquote(urlparse(url).path)
        remote = _git(checkout, "remote", "get-url", "origin")
        commit = _git(checkout, "rev-parse", "HEAD")
        if remote and commit:
            return f"readinglist[site] @ git+{pip_url(remote, checkout)}@{commit}"
    return f"readinglist[site]=={dist.version}"


def pip_url(remote: str, checkout: str) -> str:
    """pip's form of a git remote: `git@host:owner/repo` is `ssh://git@host/owner/repo`, and
    a folder (a clone of a local repository) is its file:// URL."""
    if "://" in remote:
        return remote
    if ":" in remote and not remote.startswith(("/", ".")):
        return "ssh://" + remote.replace(":", "/", 1)
    return (Path(checkout) / remote).resolve().as_uri()


def _git(folder: str, *args: str) -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        result = subprocess.run(
            ["git", "-C", folder, *args], capture_output=True, text=True, timeout=10
        )
        if result.returncode == 0:
            return result.stdout.strip()
    return ""


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _check(root: Path, title: str | None) -> None:
    """The new list loads as `build` would, its builder settings too; a title it refuses is
    named as the option."""
    try:
        site = load_list(root / "content").site
    except ContentError as error:
        problems = "; ".join(p.message for p in error.problems)
        what = "--title" if title is not None else "the folder's name as title"
        raise ReadingListError(f"{what}: {problems}") from None
    _, settings = get_builder().read_owner(root, site)
    if settings:
        raise ContentError(settings)
