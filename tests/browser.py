"""Serving a built site on localhost and driving Debian's Chromium through Playwright."""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from scripts.chromium import CHROMIUM_FLAGS


def chromium_path() -> str:
    """The browser to drive; skips without one on a user's machine, fails under CI=true."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        message = f"no Chromium at {path}: install Debian's chromium (or set CHROMIUM_PATH)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a browser closing a connection early is not a test failure


class PagesHandler(_QuietHandler):
    """Serves as GitHub Pages does: text compressed with gzip when the browser accepts it,
    cacheable for ten minutes."""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the base class redirects a folder to its "/"
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        kind = self.guess_type(str(path))
        if not path.is_file() or not accepts or not kind.startswith(("text/", "application/")):
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve_folder(
    folder: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] = _QuietHandler
) -> Iterator[str]:
    """Serve `folder` on an ephemeral loopback port with `handler_class`; yields the base URL."""
    handler = functools.partial(handler_class, directory=str(folder))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def shipped_url(shipped_site: Path) -> Iterator[str]:
    with serve_folder(shipped_site) as url:
        yield url


BUILDERS = ("mkdocs", "properdocs", "zensical")
"""Every site builder: the search and page tests that take `builder_url` run on each."""


@pytest.fixture(scope="session", params=BUILDERS)
def builder_url(
    request: pytest.FixtureRequest, shipped_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The corpus (the shipped list's frozen copy) built by each builder, served: one build
    per builder and session (the default's is shipped_url's own)."""
    if request.param == "mkdocs":
        yield shipped_url
        return
    from .conftest import CORPUS, build

    dest = tmp_path_factory.mktemp(f"shipped-{request.param}")
    status, err = build(CORPUS, dest, builder=request.param)
    assert status == 0, err
    with serve_folder(dest / "site") as url:
        yield url


@pytest.fixture(scope="session")
def golden_url(golden_site: Path) -> Iterator[str]:
    with serve_folder(golden_site) as url:
        yield url


class Reader:
    """A page plus everything it reported: console errors, page errors, dialogs, requests."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.outside: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)
        page.on("request", self._request)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request: Any) -> None:
        if not request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            self.outside.append(request.url)


@pytest.fixture
def reader(browser: Any) -> Iterator[Reader]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    yield Reader(page)
    context.close()


def follow_home_to_topic_to_paper(reader: Reader) -> None:
    """From the shipped site's home page, open in `reader`, walk as a reader does to the
    Scaling laws topic and its first paper, checking each page shows what its link promised."""
    page = reader.page
    page.get_by_role("link", name="Scaling laws", exact=True).first.click()
    page.wait_for_url("**/topics/scaling-laws/")
    assert page.locator("h1").inner_text() == "Scaling laws"
    first = page.locator("article li strong a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url("**/papers/**")
    assert page.locator("h1").inner_text() == title
    assert page.get_by_role("heading", name="Abstract").is_visible()
