"""The search index: Pagefind over the built HTML, written into the site's pagefind/ folder.

Pagefind splits the index into small chunks that the browser fetches as a query needs them,
so a query over 10,000 papers downloads a few hundred kilobytes instead of a whole index.
Only the parts of pages marked `data-pagefind-body` (papers, and topic descriptions) are
indexed, so listing pages cannot drown the papers they list.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from pathlib import Path

from .errors import BuildError

log = logging.getLogger(__name__)


def index_site(site: Path) -> None:
    """Run Pagefind over `site` (a built site folder); raise BuildError if it fails."""
    started = time.perf_counter()
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--output-subdir",
        "pagefind",
        "--force-language",
        "en",
        "--quiet",
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError(f"Pagefind failed: {(result.stderr or result.stdout).strip()[-2000:]}")
    log.info("search index written in %.1fs", time.perf_counter() - started)
