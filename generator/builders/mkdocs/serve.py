"""`readinglist serve` with MkDocs: the site kept in memory, and only what an edit changed
rendered again, then the open pages reloaded.

MkDocs' own `serve --dirty` re-read the configuration, every file and the navigation at each
change (20 s at 10,000 pages), and watched 10,000 files by polling them. Here the served
site's configuration, files, navigation and theme environment stay alive, and serve's watcher
says what it wrote (MkDocsBuilder.after_write -> Changes):

- pages of docs/ only (a paper edit): those pages are converted and rendered, the paper
  pages first and the open pages reloaded as soon as they are written, then the longer
  listing pages (a topic of hundreds of papers takes a second to convert);
- static files of docs/ (the downloads): copied;
- anything every page shows (mkdocs.yml: the navigation, the error banner; the theme
  overrides; a page added or removed): the site is gathered again and every page rendered,
  each from its conversion kept in memory when its Markdown is unchanged, on both cores.

Every rebuild runs the plugins' on_pre_build and on_post_build (ServeIndexing holds the
project guard between the two and indexes search after), and the page events of each page.
Nothing here imports MkDocs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.builders.mkdocs.build import MkSite, environment, live_reload_server
from generator.builders.mkdocs.changes import Changes
from generator.builders.mkdocs.config import CONFIG_FILE, OVERRIDES
from generator.builders.mkdocs.render import render_pages
from generator.builders.mkdocs.serve_hooks import ServeIndexing
from generator.errors import BuildError, os_errors

log = logging.getLogger(__name__)

SERVED_SITE = ".served-site"
"""Where the served HTML goes, inside the generated project, instead of a temporary folder
deleted on exit: deleting thousands of pages (and the search bundle) took seconds of a
Ctrl-C. Emptied when serve starts: the served pages of another session may be out of date."""

SMALL = 64 * 1024
"""Pages of less Markdown than this (bytes) are rendered first after an edit, and the open
pages reloaded as soon as they are: a paper's page takes milliseconds, the listings that
show the paper (a topic of hundreds of papers) seconds each at 10,000 papers."""


class ServedSite:
    """The served site: an MkSite kept from one rebuild to the next, with each page's
    conversion and the digest of the Markdown it was converted from."""

    def __init__(self, config_file: Path, site_dir: Path, addr: str, indexing: Any) -> None:
        self.config_file, self.site_dir, self.addr = config_file, site_dir, addr
        self.indexing = indexing
        self.site: MkSite | None = None
        self.serve_url = ""
        self.kept: dict[str, tuple[str, dict[str, Any]]] = {}
        """Each page's Markdown digest and its conversion, by src_uri."""
        self.markdown = ""
        """A digest of the Markdown extensions and their options the conversions were made
        with: the owner may change them in mkdocs.yml, and then no conversion is kept."""
        self.reload: Any = None
        """Called once the first pages of a rebuild are written: reloads the open pages."""

    def load(self) -> MkSite:
        site = MkSite.load(self.config_file, self.site_dir, strict=False, dev_addr=self.addr)
        site.config.plugins["readinglist-serve"] = self.indexing
        host, port = site.config.dev_addr
        mount_path = urlsplit(site.config.site_url or "/").path
        self.serve_url = f"http://{f'[{host}]' if ':' in host else host}:{port}{mount_path}"
        site.config.site_url = self.serve_url
        site.serve_url = self.serve_url
        return site

    def rebuild_all(self) -> None:
        """Gather the site again and render every page, reusing the conversions of the
        pages whose Markdown did not change."""
        started = time.perf_counter()
        site = self.load()
        with site.building():
            site.gather()
            self.site = site
            markdown = _markdown_digest(site.config)
            if markdown != self.markdown:
                self.kept, self.markdown = {}, markdown
            digests = {src: _digest(site.source(src)) for src in site.pages}
            for src, converted in site.read_nav().items():
                self.kept[src] = (digests[src], converted)
            kept = {s: c for s, (d, c) in self.kept.items() if digests.get(s) == d}
            site.env_ready()
            site.copy_static(dirty=True)
            render_pages(site, list(site.pages), kept=kept, keep=True)
            if self.reload is not None:
                self.reload()
            self.kept = {
                src: (digests[src], site.converted(src))
                for src, page in site.pages.items()
                if page.content is not None
            }
            site.finish()
        log.info("served site rebuilt in %.1fs", time.perf_counter() - started)

    def rebuild_pages(self, docs: set[str]) -> None:
        """Render the changed pages of docs/ and copy its changed static files."""
        site = self.site
        assert site is not None
        started = time.perf_counter()
        sizes = {src: len(site.source(src)) for src in docs if src in site.pages}
        pages = sorted(sizes, key=lambda src: (sizes[src], src))
        first = [src for src in pages if sizes[src] < SMALL]
        rest = [src for src in pages if sizes[src] >= SMALL]
        shared = site.site_digest(None)
        with site.building():
            site.start_build()
            for src in sorted(docs - set(pages)):
                file = site.files.get_file_from_path(src)
                if file is not None:
                    file.copy_file(dirty=False)
            for part in (first, rest):
                render_pages(site, part, keep=True)
                for src in part:
                    self.kept[src] = (_digest(site.source(src)), site.converted(src))
                if part and self.reload is not None:
                    self.reload()
            site.finish()
        log.info("%d page(s) rebuilt in %.2fs", len(pages), time.perf_counter() - started)
        if site.site_digest(None) != shared:
            # A page of the navigation has a new title or meta, which every page shows.
            self.rebuild_all()

    def rebuild(self, changed: set[str], everything: bool) -> None:
        """Bring the served site up to date with the project paths `changed`."""
        site = self.site
        docs = {path[len("docs/") :] for path in changed if path.startswith("docs/")}
        docs_dir = self.config_file.parent / "docs"
        shared = (
            everything
            or site is None
            or CONFIG_FILE in changed
            or any(path.startswith(f"{OVERRIDES}/") for path in changed)
            # A page or file added or removed: the files and links change.
            or any((src in site.files.src_uris) != (docs_dir / src).is_file() for src in docs)
        )
        if shared:
            log.debug("served site: rebuilding every page for %s", sorted(changed)[:5])
            self.rebuild_all()
        elif docs:
            self.rebuild_pages(docs)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def serve_html(
    config_file: Path,
    addr: str,
    guard: threading.Lock,
    source_date_epoch: int | None,
    changes: Changes,
) -> None:
    """Serve the generated project with live reload until interrupted, rebuilding what
    `changes` reports, and the search index beside every rebuild (serve_hooks.py)."""
    indexing = ServeIndexing(config_file.parent, guard)
    # Absolute: ProperDocs reads a relative site_dir from the config file's folder.
    site_dir = _clear_served_site(config_file.parent).resolve()
    served = ServedSite(config_file, site_dir, addr, indexing)
    with environment(source_date_epoch):
        log.info("Building documentation...")
        changes.take()  # what the first generation wrote: all of it is built now
        served.rebuild_all()
        site = served.site
        assert site is not None
        host, port = site.config.dev_addr
        mount_path = urlsplit(site.config.site_url or "/").path

        def rebuild() -> None:
            # The pages stay served while they are rebuilt (the server would hold every
            # request until the end), and the open pages reload when their HTML is written
            # (served.reload), not when the downloads are copied or the search indexed.
            _hold_reload(server)
            changed, everything = changes.take()
            if changed or everything:
                # Search first: the edited records are indexed alone while pages render.
                indexing.edited(changed)
                try:
                    served.rebuild(changed, everything)
                except BuildError as exc:
                    log.error("%s", exc)

        server = live_reload_server(
            builder=rebuild, host=host, port=port, root=str(site_dir), mount_path=mount_path
        )
        server.build_delay = 0  # serve's watcher already waited for the edits to settle
        _inject_reload_script(server, Path(site.config.docs_dir))
        server.error_handler = lambda code: _error_page(site_dir, code)
        served.reload = lambda: _reload(server)
        changes.wake = lambda: _request_rebuild(server)
        try:
            server = site.config.plugins.on_serve(server, config=site.config, builder=rebuild)
            try:
                server.serve()
            except KeyboardInterrupt:
                log.info("Shutting down...")
            finally:
                changes.wake = None
                server.shutdown()
        finally:
            site.config.plugins.on_shutdown()


def _request_rebuild(server: Any) -> None:
    # What the server's own file watcher does on a change.
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def _inject_reload_script(server: Any, docs: Path) -> None:
    # The server adds its reload script to the pages only while it watches a path, and this
    # one polls none (serve's watcher says what it wrote): without this entry no open page
    # ever reloaded. Counted as no watch, so a plugin's watch of docs/ adds no polling.
    server._watched_paths.setdefault(str(docs.resolve()), 0)


def _hold_reload(server: Any) -> None:
    with server._epoch_cond:
        server._wanted_epoch = server._visible_epoch
        server._epoch_cond.notify_all()


def _reload(server: Any) -> None:
    # What the server does after a build (the open pages poll for a newer epoch), in the
    # middle of one: pages are served again once the visible epoch is the wanted one.
    with server._epoch_cond:
        server._wanted_epoch = server._visible_epoch = round(time.monotonic() * 1000)
        server._epoch_cond.notify_all()


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


def _markdown_digest(config: Any) -> str:
    extensions = [config.markdown_extensions, config.mdx_configs]
    return _digest(json.dumps(extensions, sort_keys=True, default=repr).encode())
