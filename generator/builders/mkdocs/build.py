"""The one module that imports MkDocs: a full build, and a served build with live reload."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from generator.builders.mkdocs.serve_hooks import ServeIndexing
from generator.errors import BuildError, os_errors

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
def _progress(docs: Path, name: str) -> Iterator[None]:
    logger = logging.getLogger(name)
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
    from mkdocs.commands import build as building
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    # The module's own name: ProperDocs, which runs this code too, logs as properdocs.*.
    with _environment(source_date_epoch), _progress(config_file.parent / "docs", building.__name__):
        try:
            config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
            building.build(config)
        except MkDocsException as exc:
            raise BuildError(f"MkDocs failed: {exc}") from None


SERVED_SITE = ".served-site"
"""Where the served HTML goes, inside the generated project, instead of a temporary folder
deleted on exit: deleting thousands of pages (and the search bundle) took seconds of a
Ctrl-C. Emptied when serve starts, as the served pages of another session may be out of date
in ways a dirty build does not see."""


def serve_html(
    config_file: Path,
    addr: str,
    guard: threading.Lock,
    source_date_epoch: int | None = None,
) -> None:
    """`mkdocs serve --dirty` of the generated project, with live reload, until interrupted,
    and the search index rebuilt beside every build (serve_hooks.py).

    MkDocs' own `serve` is followed step by step, so that the indexing can be registered
    as a plugin object holding its state, on each build's configuration, beside whatever
    plugins and hooks mkdocs.yml lists."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import MkDocsException
    from mkdocs.livereload import LiveReloadServer

    indexing = ServeIndexing(config_file.parent, guard)
    # Absolute: ProperDocs reads a relative site_dir from the config file's folder.
    site_dir = str(_clear_served_site(config_file.parent).resolve())

    def get_config() -> MkDocsConfig:
        config = load_config(str(config_file), site_dir=site_dir, dev_addr=addr, strict=False)
        config.plugins["readinglist-serve"] = cast(Any, indexing)
        return config

    with _environment(source_date_epoch):
        try:
            config = get_config()
            # Dirty builds: MkDocs rebuilds only the pages whose Markdown is newer than their
            # HTML. The generator rewrites exactly the pages an edit changed (and the builder
            # touches all of them when the navigation changes: MkDocsBuilder.after_write), so
            # this is the page-level rebuild that keeps an edit on screen within a second.
            config.plugins.on_startup(command="serve", dirty=True)
            host, port = config.dev_addr
            mount_path = urlsplit(config.site_url or "/").path
            serve_url = f"http://{f'[{host}]' if ':' in host else host}:{port}{mount_path}"

            def rebuild(config: MkDocsConfig | None = None) -> None:
                log.info("Building documentation...")
                if config is None:
                    config = get_config()
                config.site_url = serve_url
                try:
                    build(config, serve_url=serve_url, dirty=True)
                except MkDocsException as exc:
                    log.error("MkDocs failed: %s", exc)

            server = LiveReloadServer(
                builder=rebuild, host=host, port=port, root=site_dir, mount_path=mount_path
            )
            server.error_handler = lambda code: _error_page(Path(site_dir), code)
            try:
                log.info("Building documentation...")
                config.site_url = serve_url
                build(config, serve_url=serve_url, dirty=True)
                server.watch(config.docs_dir)
                server.watch(str(config_file))
                server = config.plugins.on_serve(server, config=config, builder=rebuild)
                for item in config.watch:
                    server.watch(item)
                try:
                    server.serve()  # type: ignore[no-untyped-call]
                except KeyboardInterrupt:
                    log.info("Shutting down...")
                finally:
                    server.shutdown()
            finally:
                config.plugins.on_shutdown()
        except MkDocsException as exc:
            raise BuildError(f"MkDocs failed: {exc}") from None


def _clear_served_site(project: Path) -> Path:
    """An empty served-site folder, the last session's deleted while this one starts up."""
    served, trash = project / SERVED_SITE, project / f"{SERVED_SITE}.old"
    shutil.rmtree(trash, ignore_errors=True)  # a session stopped before it was deleted
    with os_errors("clear", served):
        if served.exists():
            served.rename(trash)
        served.mkdir(parents=True)
    threading.Thread(target=shutil.rmtree, args=(trash, True), daemon=True).start()
    return served


def _error_page(site_dir: Path, code: int) -> bytes | None:
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
