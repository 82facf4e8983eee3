"""What the served site renders after the open pages: the pages still out of date after a
rebuild, rendered one by one in the background, and first whenever one is asked for.

Rendering 10,000 pages into the theme takes minutes on this machine, and an edit of
topics.yaml or a template changes every one; the reader waits for the pages open in the
browser only. Which pages those are, the server sees: each open page polls it for live
reload (the poll's Referer names the page) and was served shortly before (`Readers`). The
rest (`Pending`) are rendered by a background thread while the site is served, and a request
for one not yet rendered renders it before it is served, so no out-of-date page is ever
served once its rebuild has begun to reload. Nothing here imports MkDocs.
"""

from __future__ import annotations

import logging
import posixpath
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from generator.children import trim_heap

log = logging.getLogger(__name__)

OPEN_S = 75.0
"""A page polled or served within this many seconds counts as open: an open page's live
reload poll is answered after at most 60 s and made again at once."""

OPEN_MAX = 16
"""At most this many pages count as open (the newest): each costs the reload a few ms."""


class Readers:
    """The pages the readers have open, by their path inside the site folder, newest first."""

    def __init__(self, mount_path: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.mount_path = mount_path
        self.clock = clock
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def site_path(self, url_path: str) -> str | None:
        """The file a request path names inside the site folder, as the server finds it;
        None outside the mount path."""
        if not (url_path + "/").startswith(self.mount_path):
            return None
        rel = url_path[len(self.mount_path) :]
        if url_path.endswith("/"):
            rel += "index.html"
        return posixpath.normpath("/" + rel).lstrip("/")

    def saw(self, path: str) -> None:
        with self._lock:
            self._seen.pop(path, None)
            self._seen[path] = self.clock()
            while len(self._seen) > OPEN_MAX:
                del self._seen[next(iter(self._seen))]

    def saw_request(self, environ: dict[str, Any]) -> str | None:
        """Note the page a request shows (a live-reload poll's Referer, or an HTML page
        asked for); returns the site path of an HTML page asked for, else None."""
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "ignore")
        if path.startswith("/livereload/"):
            referer = self.referer(environ)
            if referer is not None and referer.endswith(".html"):
                self.saw(referer)
            return None
        asked = self.site_path(path)
        if asked is None or not asked.endswith(".html"):
            return None
        self.saw(asked)
        return asked

    def referer(self, environ: dict[str, Any]) -> str | None:
        """The site path of the page a request comes from (its Referer), if it names one."""
        return self.site_path(urlsplit(environ.get("HTTP_REFERER") or "").path or "-")

    def open_pages(self) -> list[str]:
        """The site paths of the pages open now, the most recently seen first."""
        now = self.clock()
        with self._lock:
            seen = list(self._seen.items())
        return [path for path, when in reversed(seen) if now - when <= OPEN_S]


class Pending:
    """Pages to render, by site path: one at a time, by a background thread or by the
    request that asks for one first. `render(src)` renders one (its src_uri)."""

    def __init__(
        self, render: Callable[[str], None], wait_for: threading.Event | None = None
    ) -> None:
        self.render = render
        self.wait_for = wait_for
        """While set (serve's watcher regenerating), the background renders nothing: the
        regeneration of the next edit would share the interpreter with it."""
        self.lock = threading.RLock()
        """Held while a page is rendered: MkDocs' objects serve one thread at a time."""
        self.todo: dict[str, str] = {}
        """src_uri by site path, in the order the background renders them."""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = 0.0
        self._asking = 0
        """How many requests wait for the lock."""
        self._asking_lock = threading.Lock()

    def pause(self) -> None:
        """Stop the background thread after its current page; what it left stays to do.
        Called before the served site changes (a rebuild)."""
        thread = self._thread
        if thread is not None:
            self._stop.set()
            thread.join()
            self._stop.clear()
            self._thread = None

    def add(self, pages: Iterable[tuple[str, str]]) -> None:
        """(site path, src_uri) pages to render, after those already waiting."""
        with self.lock:
            for path, src in pages:
                self.todo.pop(path, None)
                self.todo[path] = src

    def discard(self, paths: Iterable[str]) -> None:
        with self.lock:
            for path in paths:
                self.todo.pop(path, None)

    def clear(self) -> None:
        with self.lock:
            self.todo.clear()

    def resume(self) -> None:
        """Render what is waiting, in a background thread."""
        if self._thread is None and self.todo:
            self._started = time.perf_counter()
            log.info("served site: %d page(s) to render in the background", len(self.todo))
            self._thread = threading.Thread(target=self._run, name="served-pages", daemon=True)
            self._thread.start()

    def fresh(self, path: str) -> None:
        """Render the page at site path `path` now if it is waiting: it is about to be
        served."""
        if path not in self.todo:  # the usual case, without waiting for the lock
            return
        with self._asking_lock:
            self._asking += 1
        try:
            with self.lock:
                src = self.todo.pop(path, None)
                if src is not None:
                    self._render(src)
        finally:
            with self._asking_lock:
                self._asking -= 1

    def _run(self) -> None:
        done = 0
        while not self._stop.is_set():
            while self._asking or (self.wait_for is not None and self.wait_for.is_set()):
                # A request waits for the lock: the background, which would take it
                # straight back (locks are not fair), lets it go first; so with the
                # watcher's regeneration.
                if self._stop.wait(0.001):
                    break
            with self.lock:
                if self._stop.is_set() or not self.todo:
                    break
                path = next(iter(self.todo))
                self._render(self.todo.pop(path))
            done += 1
        if not self.todo:
            seconds = time.perf_counter() - self._started
            log.info("served site: background done, %d page(s) rendered in %.1fs", done, seconds)
            trim_heap()  # what rendering them freed (their Markdown, their HTML)

    def _render(self, src: str) -> None:
        try:
            self.render(src)
        except Exception as error:  # one page's failure must not stop the others
            log.error("served site: %s not rendered (%s: %s)", src, type(error).__name__, error)
