"""Zensical 0.0.73: Material's successor, building the same mkdocs.yml, overrides and assets as
the MkDocs builder, in its own (Rust) runtime, with its own default look.

Zensical runs no MkDocs hooks or plugins (silently), so nothing here relies on them: the
header search is our own script, Pagefind runs beside the build (commands/build.py), and
`serve` re-indexes the records after each write of the project (after_write). Its theme
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
from generator.builders.mkdocs.config import ASSETS, CONFIG_FILE, STYLES, config_text
from generator.builders.pagefind import RECORDS, Indexer
from generator.children import child_setup
from generator.errors import BuildError, ReadingListError, os_errors
from generator.model import Site
from generator.render.nav import Navigation

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
REQUIREMENT = "zensical==0.0.73"
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

    def config_files(
        self, site: Site, navigation: Navigation, errors: tuple[str, ...]
    ) -> dict[str, str]:
        return {CONFIG_FILE: config_text(site, navigation, errors, (*STYLES, "zensical.css"))}

    def static_files(self) -> dict[str, Path]:
        own = {f"docs/{ASSETS}/{p.name}": p for p in sorted((HERE / ASSETS).iterdir())}
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

    def serve(
        self, project: Path, addr: str, guard: threading.Lock, epoch: int | None = None
    ) -> None:
        # Zensical serves the site it writes into the project; the search bundle is put
        # there first and again after every write of the project (after_write).
        self._index(project)
        process = subprocess.Popen(
            _command(project, "serve", "--dev-addr", addr),
            cwd=project,
            env=_environment(epoch),
            preexec_fn=child_setup() if os.name == "posix" else None,
        )
        try:
            process.wait()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            process.terminate()
            process.wait()
        if process.returncode not in (0, -15):
            raise BuildError(f"Zensical serve exited {process.returncode}")

    def after_write(self, project: Path, written: Sequence[str]) -> None:
        if any(path.startswith(f"{RECORDS}/") for path in written):
            self._index(project)

    def _index(self, project: Path) -> None:
        try:
            Indexer(project / RECORDS, project / OUTPUT / "pagefind").finish()
        except (ReadingListError, OSError) as error:
            log.error("search index not updated: %s", error)
