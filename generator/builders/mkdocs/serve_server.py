"""`readinglist serve` with MkDocs' development server (its LiveReloadServer) around the
served site (serve.py): which pages it serves fresh, when the open pages reload, its error
pages.

The server is used as it is; its request handling is wrapped (its WSGI app: each request
notes the page it shows, and a page still waiting for its rebuild is rendered before it is
read), and its reload state (the epochs the open pages poll for) is set as its own build
loop sets it. Nothing here imports MkDocs.
"""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.builders.mkdocs.build import environment, live_reload_server
from generator.builders.mkdocs.changes import Changes
from generator.builders.mkdocs.serve import SERVED_SITE, ServedSite
from generator.builders.mkdocs.serve_hooks import ServeIndexing
from generator.builders.mkdocs.serve_pending import Pending, Readers
from generator.builders.mkdocs.serve_reload import Reloads, answer_polls, epoch_now
from generator.errors import BuildError, os_errors

log = logging.getLogger(__name__)


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
    site_dir = clear_served_site(config_file.parent).resolve()
    served = ServedSite(config_file, site_dir, addr, indexing, changes.generating)
    with environment(source_date_epoch):
        log.info("Building documentation...")
        changes.take()  # what the first generation wrote: all of it is built now
        served.rebuild_all(now=True)
        site = served.site
        assert site is not None
        host, port = site.config.dev_addr
        mount_path = urlsplit(site.config.site_url or "/").path

        def rebuild() -> None:
            # The pages stay served while they are rebuilt (the server would hold every
            # request until the end), and the open pages reload when their HTML is written
            # (served.reload), not when the downloads are copied or the search indexed.
            hold_reload(server)
            changed, everything = changes.take()
            if changed or everything:
                # Search first: the edited records are indexed alone while pages render.
                indexing.edited(changed)
                try:
                    served.rebuild(changed, everything)
                except BuildError as exc:
                    log.error("%s", exc)
                finally:
                    changes.shown()  # a rebuild that reloaded no page (records only)

        server = live_reload_server(
            builder=rebuild, host=host, port=port, root=str(site_dir), mount_path=mount_path
        )
        server.build_delay = 0  # serve's watcher already waited for the edits to settle
        inject_reload_script(server, Path(site.config.docs_dir))
        server.error_handler = lambda code: error_page(site_dir, code)
        served.readers = Readers(server.mount_path)
        readers, reloads = served.readers, Reloads()
        polls = answer_polls(server.serve_request, reloads, readers.referer)
        server.set_app(fresh_pages(polls, readers, served.pending))

        def reload_open(pages: set[str] | None) -> None:
            reload(server, reloads, pages)
            changes.shown()

        served.reload = reload_open
        changes.wake = lambda: request_rebuild(server)
        try:
            server = site.config.plugins.on_serve(server, config=site.config, builder=rebuild)
            try:
                server.serve()
            except KeyboardInterrupt:
                log.info("Shutting down...")
            finally:
                changes.wake = None
                server.shutdown()
                served.pending.pause()
        finally:
            site.config.plugins.on_shutdown()


def clear_served_site(project: Path) -> Path:
    """An empty served-site folder, the last session's deleted while this one starts up."""
    served, trash = project / SERVED_SITE, project / f"{SERVED_SITE}.old"
    shutil.rmtree(trash, ignore_errors=True)  # a session stopped before it was deleted
    with os_errors("clear", served):
        if served.exists():
            served.rename(trash)
        served.mkdir(parents=True)
    threading.Thread(target=shutil.rmtree, args=(trash, True), daemon=True).start()
    return served


def fresh_pages(app: Any, readers: Readers, pending: Pending) -> Any:
    """The server's WSGI app, noting which pages are open and rendering a page still waiting
    for its rebuild before the server reads it from the site folder."""

    def serve_request(environ: dict[str, Any], start_response: Any) -> Any:
        asked = readers.saw_request(environ)
        if asked is not None:
            pending.fresh(asked)
        return app(environ, start_response)

    return serve_request


def request_rebuild(server: Any) -> None:
    # What the server's own file watcher does on a change.
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def inject_reload_script(server: Any, docs: Path) -> None:
    # The server adds its reload script to the pages only while it watches a path, and this
    # one polls none (serve's watcher says what it wrote): without this entry no open page
    # ever reloaded. Counted as no watch, so a plugin's watch of docs/ adds no polling.
    server._watched_paths.setdefault(str(docs.resolve()), 0)


def hold_reload(server: Any) -> None:
    with server._epoch_cond:
        server._wanted_epoch = server._visible_epoch
        server._epoch_cond.notify_all()


def reload(server: Any, reloads: Reloads, pages: set[str] | None) -> None:
    # What the server does after a build, in the middle of one: pages are served again once
    # the visible epoch is the wanted one. The open pages among `pages` are answered with
    # that epoch (serve_reload.py), and reload.
    epoch = epoch_now()
    with server._epoch_cond:
        server._wanted_epoch = server._visible_epoch = epoch
        server._epoch_cond.notify_all()
    reloads.mark(epoch, pages)


def error_page(site_dir: Path, code: int) -> bytes | None:
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
