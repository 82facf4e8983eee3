"""Zensical 0.0.73: Material's successor, building the same mkdocs.yml, overrides and assets as
the MkDocs builder, in its own (Rust) runtime, with its own default look.

Zensical runs no MkDocs hooks or plugins (silently), so nothing here relies on them: the
header search is our own script, Pagefind runs beside the build (commands/build.py), and
`serve` keeps the search bundle in the served site (it watches for it, see _keep_indexed). Its theme
draws a search box of its own, hidden by assets/zensical.css. It writes its site inside the
project (site_dir must be there), so a build is moved from there to where it was asked for.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from generator.builders.mkdocs import MkDocsBuilder
from generator.builders.mkdocs.config import ASSETS, CONFIG_FILE, STYLES
from generator.builders.pagefind import RECORDS, Indexer
from generator.children import child_setup
from generator.errors import BuildError, ReadingListError, os_errors
from generator.render import urls

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
REQUIREMENT = "zensical==0.0.73"
POLL_SECONDS = 0.5
OUTPUT = "site"
"""Where Zensical writes inside the project: mkdocs.yml's site_dir."""


def _command(project: Path, *args: str) -> list[str]:
    if shutil.which("zensical") is None and not _installed():
        raise BuildError(
            f"Zensical is not installed: pip install '{REQUIREMENT}' (or `make install`)"
        )
    return [
        sys.executable,
        "-m",
        "zensical",
        *args,
        "--config-file",
        str((project / CONFIG_FILE).resolve()),
    ]


def _installed() -> bool:

    return importlib.util.find_spec("zensical") is not None


def _environment(epoch: int | None) -> dict[str, str]:
    env = dict(os.environ)
    if epoch is not None:
        env.setdefault("SOURCE_DATE_EPOCH", str(epoch))  # the sitemap's dates
    return env


class ZensicalBuilder(MkDocsBuilder):
    name = "zensical"
    builds_into_spare = False  # its output is moved into site_dir
    styles = (*STYLES, "zensical.css")

    def __init__(self) -> None:
        self._records_changed = threading.Event()

    def static_files(self) -> dict[str, Path]:
        own = {
            urls.project_path(f"{ASSETS}/{p.name}"): p for p in sorted((HERE / ASSETS).iterdir())
        }
        return {**super().static_files(), **own}

    def build(self, project: Path, site_dir: Path, epoch: int | None = None) -> None:
        output = project / OUTPUT
        with os_errors("remove", output):
            shutil.rmtree(output, ignore_errors=True)
        started = time.perf_counter()
        # --clean: Zensical's cache (.cache/ in the project) is dropped, so that a build never
        # depends on the ones before it (two builds of the same content: the same bytes).
        result = subprocess.run(
            _command(project, "build", "--strict", "--clean"),
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=_environment(epoch),
            preexec_fn=child_setup() if os.name == "posix" else None,
            check=False,
        )
        if result.returncode != 0 or not output.is_dir():
            lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
            raise BuildError(f"Zensical failed: {lines[-1] if lines else result.returncode}")
        with os_errors("move", output):
            shutil.move(output, site_dir)
        log.info("zensical: built in %.1fs", time.perf_counter() - started)

    def update(
        self, project: Path, site_dir: Path, previous: Path | None, epoch: int | None = None
    ) -> None:
        # Zensical builds every page itself; MkDocsBuilder's incremental build is MkDocs'.
        self.build(project, site_dir, epoch)

    def serve(
        self, project: Path, addr: str, guard: threading.Lock, epoch: int | None = None
    ) -> None:
        process = subprocess.Popen(
            _command(project, "serve", "--dev-addr", addr),
            cwd=project,
            env=_environment(epoch),
            preexec_fn=child_setup() if os.name == "posix" else None,
        )
        stop = threading.Event()
        keeper = threading.Thread(target=self._keep_indexed, args=(project, guard, stop))
        keeper.start()
        try:
            process.wait()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            stop.set()
            process.terminate()
            process.wait()
            keeper.join()

    def regenerating(self, busy: bool) -> None:
        # Zensical renders in a process of its own: nothing here to hold back (the MkDocs
        # builder's background rendering, which this one inherits, is not run).
        return None

    def wait_shown(self, timeout: float) -> None:
        return None  # Zensical rebuilds on its own watch: nothing here to wait for

    def after_write(self, project: Path, written: Sequence[str]) -> None:
        # Zensical's own watcher rebuilds the pages; the search records are ours.
        if any(path.startswith(f"{RECORDS}/") for path in written):
            self._records_changed.set()

    def _keep_indexed(self, project: Path, guard: threading.Lock, stop: threading.Event) -> None:
        """Zensical serves the site it writes into the project, says nothing when a build is
        done, and may write the whole folder anew: the search bundle is put back whenever
        it is missing from a built site, and rebuilt when the records change."""
        module = project / OUTPUT / urls.SEARCH_MODULE
        while not stop.wait(POLL_SECONDS):
            built = (project / OUTPUT / "index.html").is_file()
            if built and (self._records_changed.is_set() or not module.is_file()):
                self._records_changed.clear()
                with guard:  # not while serve's watcher writes the records
                    self._index(project)

    def _index(self, project: Path) -> None:
        try:
            Indexer(project / RECORDS, project / OUTPUT / urls.SEARCH_BUNDLE).finish()
        except (ReadingListError, OSError) as error:
            log.error("search index not updated: %s", error)
