"""ProperDocs 1.6 with Material: the continuation of MkDocs 1.6, building the same mkdocs.yml,
overrides and assets as the MkDocs builder, and byte-identical pages but the generator tag.

ProperDocs serves MkDocs' API by redirecting every `mkdocs.*` import to `properdocs.*`
(properdocs.replacement), which Material's plugins rely on. That redirect cannot be undone in
a process that has loaded MkDocs itself, so a build runs in a child process (child.py), where
the MkDocs builder's own build code then runs on ProperDocs; `serve` is a process of its own
and installs the redirect first thing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from generator.builders.mkdocs import MkDocsBuilder
from generator.builders.mkdocs.config import CONFIG_FILE
from generator.children import child_setup
from generator.errors import BuildError

REQUIREMENT = "properdocs==1.6.7"


def _redirect_mkdocs() -> None:
    """Make this process's `mkdocs.*` imports load ProperDocs; BuildError if it cannot."""
    if "mkdocs" in sys.modules and not sys.modules["mkdocs"].__name__.startswith("properdocs"):
        raise BuildError("ProperDocs cannot run in a process that has loaded MkDocs")
    try:
        import properdocs.replacement  # noqa: F401  (installs the redirect)
    except ImportError:
        raise BuildError(
            f"ProperDocs is not installed: pip install '{REQUIREMENT}' (or `make install`)"
        ) from None


class ProperDocsBuilder(MkDocsBuilder):
    name = "properdocs"

    def build(self, project: Path, site_dir: Path, epoch: int | None = None) -> None:
        command = [sys.executable, "-m", "generator.builders.properdocs.child"]
        command += [str(project / CONFIG_FILE), str(site_dir), "" if epoch is None else str(epoch)]
        # Progress goes to stderr as the parent's own; the one-line error, if any, to stdout.
        result = subprocess.run(
            command,
            stdout=subprocess.PIPE,
            text=True,
            env=dict(os.environ),
            preexec_fn=child_setup() if os.name == "posix" else None,
            check=False,
        )
        if result.returncode != 0:
            raise BuildError(result.stdout.strip() or f"ProperDocs exited {result.returncode}")

    def update(
        self, project: Path, site_dir: Path, previous: Path | None, epoch: int | None = None
    ) -> None:
        # A child process builds (see above), in full each time.
        self.build(project, site_dir, epoch)

    def serve(
        self, project: Path, addr: str, guard: threading.Lock, epoch: int | None = None
    ) -> None:
        _redirect_mkdocs()
        from generator.builders.mkdocs.serve_server import serve_html

        serve_html(project / CONFIG_FILE, addr, guard, epoch, self.changes)
