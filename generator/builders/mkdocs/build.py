"""The one module that imports MkDocs. Swap the builder (e.g. for Zensical) here alone."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from generator.errors import BuildError

log = logging.getLogger(__name__)


class _PageProgress(logging.Filter):
    """Counts MkDocs' per-page debug records into a progress line every tenth of the way,
    and drops them, so a 10,000-page build shows it is moving without flooding the log."""

    PHASES = (("Reading: ", "converting Markdown"), ("Building page ", "writing HTML"))

    def __init__(self, total: int) -> None:
        super().__init__()
        self.total = max(total, 1)
        self.step = max(1, self.total // (10 if self.total >= 2000 else 4))
        self.counts = {prefix: 0 for prefix, _ in self.PHASES}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.DEBUG:
            return True
        message = record.getMessage()
        for prefix, phase in self.PHASES:
            if message.startswith(prefix):
                self.counts[prefix] += 1
                done = self.counts[prefix]
                if done == self.total or done % self.step == 0:
                    log.info("mkdocs: %s %d/%d pages", phase, done, self.total)
        return False


@contextlib.contextmanager
def _progress(docs: Path) -> Iterator[None]:
    logger = logging.getLogger("mkdocs.commands.build")
    counter = _PageProgress(sum(1 for _ in docs.rglob("*.md")))
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addFilter(counter)
    try:
        yield
    finally:
        logger.removeFilter(counter)
        logger.setLevel(level)


@contextlib.contextmanager
def _environment(source_date_epoch: int | None) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    if source_date_epoch is not None and "SOURCE_DATE_EPOCH" not in saved:
        # Sitemap dates come from here: the same content gives the same bytes.
        os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def build_html(config_file: Path, site_dir: Path, source_date_epoch: int | None = None) -> None:
    """`mkdocs build --strict` of the generated project into `site_dir`."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _environment(source_date_epoch), _progress(config_file.parent / "docs"):
        try:
            config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
            build(config)
        except MkDocsException as exc:
            raise BuildError(f"MkDocs failed: {exc}") from None


def serve_html(config_file: Path, addr: str, source_date_epoch: int | None = None) -> None:
    """`mkdocs serve --dirty` of the generated project, with live reload, until interrupted."""
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    with _environment(source_date_epoch):
        try:
            # Dirty builds: MkDocs rebuilds only the pages whose Markdown is newer than their
            # HTML. The generator rewrites exactly the pages an edit changed (and touches all
            # of them when the navigation changes), so this is the page-level rebuild that
            # keeps an edit to the shipped list on screen within a second or two.
            serve(
                str(config_file),
                livereload=True,
                build_type="dirty",
                dev_addr=addr,
                strict=False,
                hooks=[str(Path(__file__).with_name("serve_hooks.py"))],
            )
        except MkDocsException as exc:
            raise BuildError(f"MkDocs failed: {exc}") from None
