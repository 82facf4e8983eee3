"""The one module that imports MkDocs. Swap the builder (e.g. for Zensical) here alone."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from .errors import BuildError


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

    with _environment(source_date_epoch):
        try:
            config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
            build(config)
        except MkDocsException as exc:
            raise BuildError(f"MkDocs failed: {exc}") from None


def serve_html(config_file: Path, addr: str, source_date_epoch: int | None = None) -> None:
    """`mkdocs serve` of the generated project, with live reload, until interrupted."""
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    with _environment(source_date_epoch):
        try:
            serve(str(config_file), livereload=True, dev_addr=addr, strict=False)
        except MkDocsException as exc:
            raise BuildError(f"MkDocs failed: {exc}") from None
