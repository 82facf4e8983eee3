"""Which open pages a rebuild reloads: those it changed, not every page open.

MkDocs' server answers every open page's live-reload poll with a newer epoch after each build,
so every page reloads. Serve writes an edit in two steps (the edited paper's own page, then
the listings and downloads that show it, a second later), and a page opened between the two
(a reader who goes to search for the edit) was reloaded under the reader's fingers. Here the
poll of a page is answered with a newer epoch only once something that page shows changed:
its HTML, or a file its HTML names (the all-papers page's data); a rebuild of every page
(the navigation, the theme) still reloads them all.
"""

from __future__ import annotations

import posixpath
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

POLL = re.compile(r"/livereload/([0-9]+)/[0-9]+")
"""The live-reload poll of an open page: /livereload/<the epoch it was served at>/<its id>."""
POLL_TIMEOUT_S = 60.0
"""An unanswered poll is answered with its own epoch after this long (MkDocs' server does the
same): the page polls again at once."""


def epoch_now() -> int:
    """An epoch as MkDocs' server counts them: milliseconds of the monotonic clock."""
    return round(time.monotonic() * 1000)


class Reloads:
    """The epoch at which each page last changed, by its path in the site folder, and the one
    at which every page did."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._everything = 0
        self._pages: dict[str, int] = {}

    def mark(self, epoch: int, pages: Iterable[str] | None) -> None:
        """`pages` (site paths) changed at `epoch`; None: every page did."""
        with self._cond:
            if pages is None:
                self._everything = epoch
                self._pages.clear()  # all older than that
            else:
                self._pages.update(dict.fromkeys(pages, epoch))
            self._cond.notify_all()

    def _latest(self, page: str | None) -> int:
        """The epoch of the last change `page` shows (any change, for a page not known)."""
        if page is None:
            return max([self._everything, *self._pages.values()])
        return max(self._everything, self._pages.get(page, 0))

    def wait(self, page: str | None, epoch: int, timeout: float = POLL_TIMEOUT_S) -> int:
        """Wait until `page`, served at `epoch`, has changed since, at most `timeout` s;
        the epoch to answer its poll with (its own when nothing changed: no reload)."""
        with self._cond:
            self._cond.wait_for(lambda: self._latest(page) > epoch, timeout)
            return max(epoch, self._latest(page))


def answer_polls(
    app: Any, reloads: Reloads, page_of: Callable[[dict[str, Any]], str | None]
) -> Any:
    """The server's WSGI app with its live-reload polls answered from `reloads`: each for the
    page `page_of(environ)` names (its Referer)."""

    def serve_request(environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        match = POLL.fullmatch(path)
        if match is None:
            return app(environ, start_response)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"%d" % reloads.wait(page_of(environ), int(match[1]))]

    return serve_request


JSON_URL = re.compile(rb"""["'=]([^"'\s<>=]*\.json)["'\s>]""")
"""A JSON file's URL in an HTML attribute or string."""


def pages_naming(html: dict[str, bytes], files: Iterable[str]) -> set[str]:
    """Those of the pages (site path -> HTML) that show what one of the changed static
    `files` (site paths) holds: their HTML names it, by its file name, or names a JSON file
    of the same folder (data files are read together: the all-papers page names the index
    of its data, which names the shards)."""
    files = list(files)
    names = {path.rsplit("/", 1)[-1].encode() for path in files}
    data = {posixpath.dirname(path) for path in files if path.endswith(".json")}
    shown = set()
    for page, text in html.items():
        if any(name in text for name in names):
            shown.add(page)
            continue
        here = posixpath.dirname(page)
        for url in JSON_URL.findall(text):
            path = urlsplit(url.decode("utf-8", "replace")).path
            if posixpath.dirname(posixpath.normpath(posixpath.join(here, path))) in data:
                shown.add(page)
                break
    return shown
