"""The serve edit loop as a user feels it: `readinglist serve`, a paper page open in Chromium,
a title edit saved in that paper's file; seconds until the open page shows it (live reload)
and until the header search finds it; then an edit to topics.yaml and to a template.

Every time is from just before the save to when Chromium has it: the page is watched by
Playwright (polling each animation frame); the search is asked again, each time in a fresh
browser context (as a reader who opens the search after the edit, with nothing cached),
until its results hold the edited paper under its new title.
"""

from __future__ import annotations

import re
import shutil
import socket
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from .bench_build import BIN, ROOT, retitle, save_as_editor
from .bench_memory import Measured
from .bench_report import edit_median
from .bench_search import chromium_path
from .chromium import CHROMIUM_FLAGS

WORDS = ("Quokka", "Axolotl", "Pangolin", "Narwhal", "Okapi", "Tapir", "Wombat")
"""Words in no shipped title or abstract: each edit's title starts with one."""
STARTUP_WAIT_S = 1200.0
EDIT_WAIT_S = 120.0
"""How long an edit may take to show before it counts as never (a FAIL)."""
REBUILD_WAIT_S = 300.0
"""How long a topics or template edit may take (it rebuilds every page)."""
BACKGROUND_WAIT_S = 900.0
"""How long serve may take to render every page after such an edit, beside the server."""
QUIET_S = 3.0
"""Serve is idle once its log has not grown for this long and no Pagefind runs."""

SEARCH_FOUND = """([id, word]) => {
  const list = document.querySelector("#readinglist-search-results");
  const found = [...document.querySelectorAll(".readinglist-search-result a")].some(
    (a) => a.href.endsWith(`/papers/${id}/`) && a.textContent.includes(word));
  return found ? "found" : list && list.dataset.state === "done" ? "done" : null;
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_up(url: str, serving: Measured, seconds: float) -> float:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if serving.process.poll() is not None:
            raise SystemExit(f"serve exited early:\n{serving.log_file.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return time.perf_counter() - serving.started
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"serve did not answer {url} within {seconds:.0f} s")


BACKGROUND = re.compile(r"served site: (\d+ page\(s\) to render|background done)")
"""serve's lines when it starts and ends rendering, in the background, the pages an edit
changed beside the open ones (after a topics.yaml or template edit: every page, minutes at
10,000 papers, logging nothing meanwhile)."""


def _wait_quiet(serving: Measured, limit: float = BACKGROUND_WAIT_S) -> None:
    """Until serve has finished what the last edit started (rebuilds, the pages rendered in
    the background, indexing): the next edit is measured on an idle serve."""
    deadline = time.monotonic() + limit
    size, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now_size = serving.log_file.stat().st_size
        indexing = _pagefind_running(serving) or _background_running(serving)
        if now_size != size or indexing:
            size, since = now_size, time.monotonic()
        elif time.monotonic() - since >= QUIET_S:
            return
        time.sleep(0.25)


def _background_running(serving: Measured) -> bool:
    marks = BACKGROUND.findall(serving.log_file.read_text(encoding="utf-8", errors="replace"))
    return bool(marks) and marks[-1] != "background done"


def _pagefind_running(serving: Measured) -> bool:
    import psutil  # type: ignore[import-untyped]

    try:
        children = psutil.Process(serving.process.pid).children(recursive=True)
        return any("pagefind" in " ".join(child.cmdline()) for child in children)
    except psutil.Error:
        return False


def _until_page(page: Any, script: str, arg: Any, started: float, wait_s: float) -> float | None:
    """Seconds from `started` until `script` holds in the open page; None if it never did."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(script, arg=arg, timeout=wait_s * 1000)
    except PlaywrightTimeout:
        return None
    return round(time.perf_counter() - started, 3)


def _until_found(
    browser: Any, url: str, paper: str, title: str, word: str, started: float
) -> float | None:
    """Seconds from `started` until the header search, asked for `title` in a fresh page,
    lists `paper` with `word` in its title; None if not within EDIT_WAIT_S."""
    from playwright.sync_api import Error as PlaywrightError

    while time.perf_counter() - started < EDIT_WAIT_S:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(f"{url}papers/{paper}/", wait_until="load")
            page.keyboard.press("/")
            page.locator(".readinglist-search-field").fill(title)
            handle = page.wait_for_function(SEARCH_FOUND, arg=[paper, word], timeout=30000)
            if handle.json_value() == "found":
                return round(time.perf_counter() - started, 3)
        except PlaywrightError:
            pass  # an index being replaced, a page reloading: ask again
        finally:
            context.close()
        time.sleep(0.2)
    return None


def _retopic(topics_file: Path, topic: str, word: str) -> str:
    """Append `word` to a topic's title in topics.yaml, saved as an editor does; returns
    the new title."""
    lines = topics_file.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {topic}")
    title_at = next(i for i in range(at + 1, len(lines)) if lines[i].startswith("  title:"))
    old = str(yaml.safe_load(lines[title_at].strip()[len("title:") :]) or "")
    new = f"{old} {word}"
    lines[title_at] = "  title: '" + new.replace("'", "''") + "'\n"
    save_as_editor(topics_file, "".join(lines))
    return new


NAV_HAS = """(text) => [...document.querySelectorAll("nav")].some(
  (nav) => nav.textContent.includes(text))"""
H1_HAS = """(word) => (document.querySelector("h1")?.textContent || "").includes(word)"""
BODY_HAS = """(text) => (document.body?.textContent || "").includes(text)"""


def serve_loop(content: Path, work: Path, edits: int, say: Any) -> dict[str, Any]:
    """The edit loop's figures (medians over `edits` title edits) and serve's peak memory."""
    from playwright.sync_api import sync_playwright

    templates = work / "templates"
    shutil.copytree(ROOT / "templates", templates, dirs_exist_ok=True)
    port = free_port()
    papers = sorted(p.stem for p in (content / "papers").glob("*.yaml"))
    command = [str(BIN / "readinglist"), "serve", "--content", str(content)]
    command += ["--templates", str(templates), "--out", str(work / "serve-build")]
    say("serve: starting (a full generation and build first)")
    serving = Measured([*command, "--addr", f"127.0.0.1:{port}"], work / "serve.log", ROOT)
    loop = _Loop(f"http://127.0.0.1:{port}/", content, serving, say)
    figures: dict[str, Any] = {}
    try:
        up = _wait_up(f"{loop.url}papers/{papers[0]}/", serving, STARTUP_WAIT_S)
        figures["startup_s"] = round(up, 1)
        _wait_quiet(serving)
        say(f"serve: up in {figures['startup_s']} s")
        with sync_playwright() as playwright:
            loop.browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_FLAGS
            )
            loop.page = loop.browser.new_page()
            shown, found = [], []
            for n in range(edits):
                paper = papers[(n + 1) * len(papers) // (edits + 1)]
                on_screen, in_search = loop.title_edit(paper, WORDS[n])
                shown.append(on_screen)
                found.append(in_search)
                say(f"serve: edit {n + 1}: on screen {on_screen} s, found by search {in_search} s")
            figures["edits_on_screen_s"], figures["edits_found_s"] = shown, found
            figures["edit_on_screen_s"] = edit_median(shown)
            figures["edit_found_s"] = edit_median(found)
            paper = papers[len(papers) // 2]
            figures["topics_edit_s"] = loop.topics_edit(paper, WORDS[-1])
            say(f"serve: topics.yaml edit in the navigation after {figures['topics_edit_s']} s")
            figures["template_edit_s"] = loop.template_edit(paper, templates / "paper.md.j2")
            say(f"serve: template edit on screen after {figures['template_edit_s']} s")
            loop.browser.close()
    finally:
        memory = serving.stop()
    return {"serve": figures, "memory_serve_mb": memory}


class _Loop:
    """One served list and the Chromium page open on it."""

    def __init__(self, url: str, content: Path, serving: Measured, say: Any) -> None:
        self.url, self.content, self.serving, self.say = url, content, serving, say
        self.browser: Any = None
        self.page: Any = None

    def _open(self, paper: str) -> None:
        self.page.goto(f"{self.url}papers/{paper}/", wait_until="load")
        self.page.wait_for_timeout(1000)  # let live reload connect

    def title_edit(self, paper: str, word: str) -> tuple[float | None, float | None]:
        self._open(paper)
        started = time.perf_counter()
        title = retitle(self.content / "papers" / f"{paper}.yaml", word)
        shown = _until_page(self.page, H1_HAS, word, started, EDIT_WAIT_S)
        found = _until_found(self.browser, self.url, paper, title, word, started)
        _wait_quiet(self.serving)
        return shown, found

    def topics_edit(self, paper: str, word: str) -> float | None:
        """A topic of the open paper renamed: seconds until its navigation shows it."""
        self._open(paper)
        fields = yaml.safe_load((self.content / "papers" / f"{paper}.yaml").read_text())
        started = time.perf_counter()
        title = _retopic(self.content / "topics.yaml", fields["topics"][0], word)
        seconds = _until_page(self.page, NAV_HAS, title, started, REBUILD_WAIT_S)
        _wait_quiet(self.serving)
        return seconds

    def template_edit(self, paper: str, template: Path) -> float | None:
        """A line added to the paper template: seconds until the open paper page shows it."""
        self._open(paper)
        marker = f"Bench template marker {WORDS[-2]}"
        started = time.perf_counter()
        save_as_editor(template, template.read_text() + f"\n{marker}\n")
        seconds = _until_page(self.page, BODY_HAS, marker, started, REBUILD_WAIT_S)
        _wait_quiet(self.serving)
        return seconds


if __name__ == "__main__":
    sys.exit("run `python -m scripts.bench` (make bench)")
