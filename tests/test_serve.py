"""`readinglist serve` in a real browser: an edit shows up, a broken edit is reported and
serving goes on, and fixing the file recovers."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import CHROMIUM_FLAGS, chromium_path
from .conftest import FIXTURES, ROOT

pytestmark = pytest.mark.browser

EDIT_VISIBLE_WITHIN_MS = 3000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited early:\n{process.communicate()[0]}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"serve did not answer at {url}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "golden" / "content", content)
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator.cli",
            "serve",
            "--content",
            str(content),
            "--templates",
            str(ROOT / "templates"),
            "--out",
            str(tmp_path / "build"),
            "--addr",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, process)
        yield url, content
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser.new_page()
        browser.close()


def test_edit_shows_in_the_open_page_and_errors_are_shown_then_cleared(
    served: tuple[str, Path], page: Any
) -> None:
    url, content = served
    paper = content / "papers" / "title-only.yaml"
    page.goto(url + "papers/title-only/")
    assert page.locator("h1").inner_text() == "A Paper With Only a Title"
    page.wait_for_timeout(500)  # let live reload connect

    paper.write_text(paper.read_text().replace("Only a Title", "A Corrected Title"))
    page.wait_for_function(
        "document.querySelector('h1').innerText === 'A Paper With A Corrected Title'",
        timeout=EDIT_VISIBLE_WITHIN_MS,
    )

    paper.write_text(paper.read_text() + "year: 20x\n")
    banner = page.locator(".readinglist-errors")
    banner.wait_for(timeout=EDIT_VISIBLE_WITHIN_MS * 2)
    assert "title-only.yaml:3: year: expected a year like 2024, got '20x'" in banner.inner_text()
    assert page.locator("h1").inner_text() == "A Paper With A Corrected Title"

    paper.write_text(paper.read_text().replace("year: 20x\n", "year: 2021\n"))
    banner.wait_for(state="detached", timeout=EDIT_VISIBLE_WITHIN_MS * 2)
    assert "2021" in page.locator("article").inner_text()
