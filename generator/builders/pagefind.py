"""The search index: Pagefind over one small HTML record per paper and per topic.

Pagefind splits the index into small chunks that the browser fetches as a query needs them,
so a query over 10,000 papers downloads a few hundred kilobytes instead of a whole index.
The records (templates/search_record.html.j2, generated into build/search/ beside the
Markdown) hold just what should be found: titles, authors, abstract and notes, a topic's
description. Indexing them needs nothing from the site builder, so it runs while MkDocs
builds, and listing pages, never indexed, cannot drown the papers they list.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from generator.children import child_setup
from generator.errors import BuildError, os_errors

log = logging.getLogger(__name__)

RECORDS = "search"
"""The folder of the generated project that holds the search records."""


class Indexer:
    """A Pagefind run over the records folder, writing the bundle to `bundle`."""

    def __init__(self, records: Path, bundle: Path) -> None:
        self.records, self.bundle = records, bundle
        self.staging = bundle.with_name(bundle.name + ".partial")
        shutil.rmtree(self.staging, ignore_errors=True)
        self.started = time.perf_counter()
        command = [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(records),
            "--output-path",
            str(self.staging.resolve()),
            "--force-language",
            "en",
            "--quiet",
        ]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # One indexing thread, at low priority: the MkDocs build beside it is the
            # longer job, and with more threads Pagefind only spent more time in the kernel.
            env=dict(os.environ, RAYON_NUM_THREADS="1"),
            # Killed with its parent: a killed build leaves no indexer running.
            preexec_fn=child_setup(nice=10) if os.name == "posix" else None,
        )

    def finish(self) -> None:
        """Wait for Pagefind; put the bundle in place, or raise BuildError."""
        output, _ = self.process.communicate()
        if self.process.returncode != 0:
            shutil.rmtree(self.staging, ignore_errors=True)
            raise BuildError(f"Pagefind failed: {output.strip()[-2000:]}")
        shutil.rmtree(self.bundle, ignore_errors=True)
        with os_errors("move", self.staging):
            self.staging.rename(self.bundle)
        log.info("search index written in %.1fs", time.perf_counter() - self.started)

    def cancel(self) -> None:
        self.process.kill()
        self.process.wait()
        shutil.rmtree(self.staging, ignore_errors=True)
