"""Under `readinglist serve`, a small search bundle of the records edited since serve started,
merged at query time ahead of the shards, so the header search finds an edit within a second
instead of after its whole shard (up to 3,000 records) is indexed again.

Pagefind over a folder of just the edited records takes a fraction of a second. The bundle
goes beside the site's (LIVE_FOLDER, never in a built site), in a new numbered folder each
time (a reader who fetched the last manifest still finds the files it names), and a manifest
(LIVE_FILE) names it, the bundle's page ids and the record URLs it supersedes: search-engine.js
drops every other shard's result for those URLs, so an old title or a deleted paper is not
found. The site's shards file names LIVE_FOLDER under serve only (index.py's `live`).

A record leaves the live bundle once a full index that read it after its last edit is written
(`LiveEdits.indexed`); until then the live bundle holds its newest version.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from generator.builders.search.index import pagefind_command, pagefind_env
from generator.children import child_setup
from generator.errors import BuildError, os_errors

log = logging.getLogger(__name__)

LIVE_FOLDER = "pagefind-live/"
"""Beside the site's search bundle, relative to the site's root: the live bundles."""
LIVE_FILE = "live.json"
"""In LIVE_FOLDER: the manifest of the newest live bundle."""
LIVE_LIMIT = 200
"""A change that writes more records than this (a topic renamed, a template edited) is left
to the full index: indexing it live would take as long."""
KEPT = 2
"""Live bundles kept: the newest, and the one before for a reader still loading it."""


def record_url(name: str) -> str:
    """The URL Pagefind gives the record `name` (a path in the records folder)."""
    return "/" + name


def live_manifest(folder: str | None, pages: Iterable[str], names: Iterable[str]) -> dict[str, Any]:
    """The live manifest: the bundle's folder (None when every live record was deleted),
    its page ids, and the URLs of the records it supersedes, sorted."""
    return {
        "bundle": folder,
        "pages": sorted(pages),
        "supersedes": sorted(record_url(name) for name in names),
    }


class LiveEdits:
    """Which records the live bundle must hold: each record edited under serve, with the
    number of the rebuild that last wrote it. Plain data, no files."""

    def __init__(self) -> None:
        self.edited: dict[str, int] = {}

    def edit(self, names: Iterable[str], rebuild: int) -> None:
        for name in names:
            self.edited[name] = rebuild

    def forget(self, names: Iterable[str]) -> bool:
        """Take `names` out (left to the full index); True if any was live."""
        gone = set(names) & set(self.edited)
        for name in gone:
            del self.edited[name]
        return bool(gone)

    def indexed(self, rebuild: int) -> bool:
        """A full index that read the records after rebuild `rebuild` wrote them is the
        site's: the records last written by that rebuild or before are in it. True if the
        live bundle shrank."""
        before = len(self.edited)
        self.edited = {name: at for name, at in self.edited.items() if at > rebuild}
        return len(self.edited) != before

    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self.edited))


def changed_records(paths: Iterable[str], records_folder: str) -> set[str]:
    """The record names among project paths written or removed (`search/papers/x.html`)."""
    prefix = records_folder.rstrip("/") + "/"
    return {
        path[len(prefix) :] for path in paths if path.startswith(prefix) and path.endswith(".html")
    }


class LiveIndex:
    """The live bundles of one served site: `stage(names)` copies the records as they are
    now (the caller holds the project guard), `index(staged)` runs Pagefind over them and
    writes the manifest. One at a time: the caller serializes them."""

    def __init__(self, records: Path, site_dir: Path, executable: str, options: tuple[str, ...]):
        self.records = records
        self.folder = site_dir / LIVE_FOLDER
        self.executable, self.options = executable, options
        self.number = 0
        self.written = 0
        """The number of the newest bundle whose manifest was written."""

    def start(self) -> None:
        """An empty manifest: the site's shards file names this folder from the first index."""
        self._write_manifest(live_manifest(None, (), ()))

    def stage(self, names: Iterable[str]) -> tuple[Path, tuple[str, ...]]:
        """A folder of copies of the records `names` that exist (copies: the generator may
        rewrite a record while Pagefind reads it), and all of `names`."""
        self.number += 1
        staged = self.folder / f"{self.number}.records"
        wanted = tuple(sorted(names))
        with os_errors("write", staged):
            shutil.rmtree(staged, ignore_errors=True)
            staged.mkdir(parents=True)
            for name in wanted:
                source = self.records / name
                if source.is_file():
                    (staged / name).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, staged / name)
        return staged, wanted

    def index(self, staged: Path, names: tuple[str, ...]) -> None:
        """Pagefind over the staged records into a new bundle, then the manifest naming it;
        BuildError if Pagefind fails."""
        number = staged.name.split(".")[0]
        output = self.folder / number
        if int(number) < self.written:  # a newer one is out already
            shutil.rmtree(staged, ignore_errors=True)
            return
        try:
            present = any(path.is_file() for path in staged.rglob("*.html"))
            if present:
                self._pagefind(staged, output)
            pages = _page_ids(output) if present else ()
            folder = f"{number}/" if present else None
            self._write_manifest(live_manifest(folder, pages, names))
            self.written = int(number)
        finally:
            shutil.rmtree(staged, ignore_errors=True)
        self._remove_old(int(number))

    def _pagefind(self, staged: Path, output: Path) -> None:
        result = subprocess.run(
            [*pagefind_command(self.executable, staged, output), *self.options],
            capture_output=True,
            text=True,
            check=False,
            env=pagefind_env(),
            preexec_fn=child_setup() if os.name == "posix" else None,
        )
        if result.returncode != 0:
            shutil.rmtree(output, ignore_errors=True)
            message = (result.stdout + result.stderr).strip()[-2000:]
            raise BuildError(f"Pagefind failed on the live search bundle: {message}")

    def _write_manifest(self, manifest: Mapping[str, Any]) -> None:
        target = self.folder / LIVE_FILE
        partial = target.with_name(LIVE_FILE + ".partial")
        with os_errors("write", target):
            self.folder.mkdir(parents=True, exist_ok=True)
            partial.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
            partial.replace(target)

    def _remove_old(self, newest: int) -> None:
        for path in self.folder.iterdir():
            with contextlib.suppress(ValueError):
                if path.is_dir() and int(path.name) <= newest - KEPT:
                    shutil.rmtree(path, ignore_errors=True)


def _page_ids(bundle: Path) -> tuple[str, ...]:
    # A result's id in Pagefind's JS is its page's hash, the name of its fragment file.
    return tuple(sorted(path.stem for path in (bundle / "fragment").glob("*.pf_fragment")))
