"""`readinglist serve` with MkDocs: the site kept in memory, and only what an edit changed
rendered again, then the open pages reloaded.

MkDocs' own `serve --dirty` re-read the configuration, every file and the navigation at each
change (20 s at 10,000 pages), and watched 10,000 files by polling them. Here the served
site's configuration, files, navigation and theme environment stay alive, and serve's watcher
says what it wrote (MkDocsBuilder.after_write -> Changes):

- pages of docs/ only (a paper edit, a template edit): the pages open in a browser and the
  short ones (a paper's; up to FOREGROUND of them) are converted and rendered, and the open
  pages reloaded; the others (the long listings, or every paper after a template edit) wait;
- static files of docs/ (the downloads): copied;
- anything every page shows (mkdocs.yml: the navigation, the error banner; the theme
  overrides; a page added or removed): the site is gathered again, the open pages rendered
  and reloaded, and every other page waits, each to be rendered from its conversion kept in
  memory when its Markdown is unchanged.

Waiting pages (serve_pending.Pending) are rendered one at a time in the background, and a
request for one renders it first (serve_server.py): no page is served out of date once the
open pages have reloaded. A rebuild pauses the background first and takes over what it left.

Every rebuild runs the plugins' on_pre_build and on_post_build (ServeIndexing holds the
project guard between the two and indexes search after), and the page events of each page.
Nothing here imports MkDocs.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import threading
import time
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.builders.mkdocs.build import MkSite
from generator.builders.mkdocs.config import CONFIG_FILE, OVERRIDES
from generator.builders.mkdocs.render import render_pages
from generator.builders.mkdocs.serve_pending import Pending, Readers
from generator.builders.mkdocs.serve_reload import pages_naming

log = logging.getLogger(__name__)

SERVED_SITE = ".served-site"
"""Where the served HTML goes, inside the generated project, instead of a temporary folder
deleted on exit: deleting thousands of pages (and the search bundle) took seconds of a
Ctrl-C. Emptied when serve starts: the served pages of another session may be out of date."""


SMALL = 64 * 1024
"""Pages of less Markdown than this (bytes) are rendered first after an edit, and the open
pages reloaded as soon as they are: a paper's page takes milliseconds, the listings that
show the paper (a topic of hundreds of papers) seconds each at 10,000 papers."""

FOREGROUND = 100
"""At most this many short pages are rendered before the open pages reload (a paper edit's
related pages, its year's); more (a template edit: every paper) wait in the background."""


class ServedSite:
    """The served site: an MkSite kept from one rebuild to the next, with each page's
    conversion and the digest of the Markdown it was converted from."""

    def __init__(
        self,
        config_file: Path,
        site_dir: Path,
        addr: str,
        indexing: Any,
        generating: threading.Event | None = None,
    ) -> None:
        self.config_file, self.site_dir, self.addr = config_file, site_dir, addr
        self.indexing = indexing
        self.site: MkSite | None = None
        self.serve_url = ""
        self.kept: dict[str, tuple[str, dict[str, Any]]] = {}
        """Each page's Markdown digest and its conversion (packed: _pack), by src_uri."""
        self.reusable: dict[str, tuple[str, dict[str, Any]]] = {}
        """What `kept` held of the pages waiting to be rendered when they began to wait."""
        self.markdown = ""
        """A digest of the Markdown extensions and their options the conversions were made
        with: the owner may change them in mkdocs.yml, and then no conversion is kept."""
        self.reload: Any = None
        """Called once the first pages of a rebuild are written, with the site paths of the
        pages it changed (None: every page): reloads those of them that are open."""
        self.readers = Readers("/")
        """Which pages are open in a browser: set by the server's requests."""
        self.pending = Pending(self._render_one, generating)
        self.holding = False

    def load(self) -> MkSite:
        site = MkSite.load(self.config_file, self.site_dir, strict=False, dev_addr=self.addr)
        site.config.plugins["readinglist-serve"] = self.indexing
        host, port = site.config.dev_addr
        mount_path = urlsplit(site.config.site_url or "/").path
        self.serve_url = f"http://{f'[{host}]' if ':' in host else host}:{port}{mount_path}"
        site.config.site_url = self.serve_url
        site.serve_url = self.serve_url
        return site

    def rebuild_all(self, now: bool = False) -> None:
        """Gather the site again and render the open pages, reusing the conversions of the
        pages whose Markdown did not change, then reload them; the other pages are left to
        the background (`now`: render every page first, on both cores: serve's start)."""
        started = time.perf_counter()
        self.pending.pause()
        self._hold()
        try:
            site = self.load()
            with site.building():
                site.gather()
                self.site = site
                # Every page of the new site is rendered again: waiting from now on, until
                # it is (by the background, if this rebuild stops half way).
                self.pending.clear()
                self.pending.add((site.dest(src), src) for src in site.pages)
                markdown = _markdown_digest(site.config)
                if markdown != self.markdown:
                    self.kept, self.markdown = {}, markdown
                for src, converted in site.read_nav().items():
                    self.kept[src] = (_digest(site.source(src)), _pack(converted))
                # Whether a page's Markdown is unchanged is known when it is rendered (its
                # digest then): reading every page's now would keep the open ones waiting.
                self.kept = {s: v for s, v in self.kept.items() if s in site.pages}
                self.reusable = dict(self.kept)
                site.env_ready()
                site.copy_static(dirty=True)
                first = list(site.pages) if now else self._open(list(site.pages))
                self._render_first(site, first)
                self._reload_and_release(None)
                site.finish()
        finally:
            self._release()
            self.pending.resume()
        log.info(
            "served site rebuilt in %.1fs (%d open page(s) first, %d in the background)",
            time.perf_counter() - started,
            0 if now else len(first),
            len(self.pending.todo),
        )

    def rebuild_pages(self, docs: set[str]) -> None:
        """Render the changed pages of docs/ (the open ones and the short ones first, then
        the open pages reloaded; the rest in the background) and copy its changed static
        files."""
        site = self.site
        assert site is not None
        started = time.perf_counter()
        self.pending.pause()
        self._hold()
        try:
            sizes = {src: len(site.source(src)) for src in docs if src in site.pages}
            pages = sorted(sizes, key=lambda src: (sizes[src], src))
            for src in pages:
                self.reusable.pop(src, None)  # converted from its new Markdown
            self.pending.add((site.dest(src), src) for src in pages)
            open_now = self._open(pages)
            # Short pages (a paper's) take milliseconds each: few of them are rendered
            # before the reload, many (a template edit) would keep the open page waiting.
            short = [src for src in pages if sizes[src] < SMALL and src not in open_now]
            first = open_now + (short if len(short) <= FOREGROUND else [])
            shared = site.site_digest(None)
            with site.building():
                site.start_build()
                for src in sorted(docs - set(pages)):
                    file = site.files.get_file_from_path(src)
                    if file is not None:
                        file.copy_file(dirty=False)
                self._render_first(site, first)
                # What every page shows of the pages of the navigation (titles, meta), read
                # now even for those rendered later: a change is every page's.
                site.read_nav(only=set(pages) - set(first))
                changed_nav = site.site_digest(None) != shared
                if not changed_nav:
                    shown = {site.dest(src) for src in pages}
                    self._reload_and_release(shown | self._naming(sorted(docs - set(pages))))
                site.finish()
        finally:
            self._release()
            self.pending.resume()
        log.info("%d page(s) rebuilt in %.2fs", len(first), time.perf_counter() - started)
        if changed_nav:
            self.rebuild_all()

    def _render_first(self, site: MkSite, first: list[str]) -> None:
        """Render `first` now (on both cores if many), no longer waiting."""
        digests = {src: _digest(site.source(src)) for src in first}
        reusable = ((src, self.reusable.get(src)) for src in first)
        kept = {src: _unpack(e[1]) for src, e in reusable if e is not None and e[0] == digests[src]}
        render_pages(site, first, kept=kept, keep=True)
        for src in first:
            converted = site.converted(src)
            if converted["content"] is not None:
                self.kept[src] = (digests[src], _pack(converted))
                site.forget(src, markdown=True)  # kept packed: the page need not hold it
            else:  # converted by the second process (render.py): not kept in this one
                self.kept.pop(src, None)
            self.reusable.pop(src, None)
        self.pending.discard(site.dest(src) for src in first)

    def _reload_and_release(self, pages: set[str] | None) -> None:
        """Reload the open pages among `pages` (site paths; None: every open page), and let
        requests and the background render the rest."""
        if self.reload is not None:
            self.reload(pages)
        self._release()
        self.pending.resume()

    def _naming(self, files: list[str]) -> set[str]:
        """The open pages whose HTML names one of the static `files` (the all-papers page
        names its data): they show what the files hold."""
        if not files:
            return set()
        html = {}
        for path in self.readers.open_pages():
            with contextlib.suppress(OSError):  # not written yet: it is waiting
                html[path] = (self.site_dir / path).read_bytes()
        return pages_naming(html, files)

    def _hold(self) -> None:
        # Held by a rebuild until the open pages reload: no request renders a page meanwhile.
        self.pending.lock.acquire()
        self.holding = True

    def _release(self) -> None:
        if self.holding:
            self.holding = False
            self.pending.lock.release()

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

    def _open(self, pages: list[str]) -> list[str]:
        """Those of `pages` (src_uris) open in a browser, the most recently seen first."""
        site = self.site
        assert site is not None
        wanted = set(pages)
        by_path = {site.dest(src): src for src in pages}
        found = [by_path.get(path) for path in self.readers.open_pages()]
        return [src for src in found if src is not None and src in wanted]

    def _render_one(self, src: str) -> None:
        """Render one waiting page of the served site (Pending's background or a request)."""
        site = self.site
        assert site is not None
        if src not in site.pages:
            return
        digest = _digest(site.source(src))  # before converting: never newer than the text
        kept = self.reusable.pop(src, None)
        if kept is not None and kept[0] == digest:
            site.reuse(src, _unpack(kept[1]))
        else:
            site.convert(src)
        site.render(src)
        self.kept[src] = (digest, _pack(site.converted(src)))
        site.forget(src, markdown=True)


PACKED = ("markdown", "content")
"""The texts of a kept conversion kept compressed: a page's Markdown and HTML. At 10,000 pages
they were most of serve's memory (several hundred megabytes), and they are read again only
when a page is rendered from its kept conversion (a few milliseconds more each)."""


def _pack(converted: dict[str, Any]) -> dict[str, Any]:
    return {
        name: zlib.compress(value.encode(), 1)
        if name in PACKED and isinstance(value, str)
        else value
        for name, value in converted.items()
    }


def _unpack(packed: dict[str, Any]) -> dict[str, Any]:
    return {
        name: zlib.decompress(value).decode()
        if name in PACKED and isinstance(value, bytes)
        else value
        for name, value in packed.items()
    }


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _markdown_digest(config: Any) -> str:
    extensions = [config.markdown_extensions, config.mdx_configs]
    return _digest(json.dumps(extensions, sort_keys=True, default=repr).encode())
