"""The hostile corpus' `banner: true` cases under `readinglist serve`: each case's files are
put into the content of one running serve, and the page already open must show the case's
errors in its banner, as text: nothing runs, nothing is injected (hooks.js and scan.js, as
for the built pages). The case's files are then taken out again and the banner goes, so the
next case starts from a good list."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .hostile.harness import BASE_TOPICS, ROOT, Case, load_corpus
from .hostile.scanner import Scanner
from .test_serve import free_port, wait_until_up

pytestmark = pytest.mark.browser

CASES = [case for case in load_corpus() if case.banner]
BANNER = ".readinglist-errors"
SUMMARY = re.compile(r"^\d+ problem\(s\) found; nothing was changed\.$")
BANNER_WAIT_S = 60.0
"""How long a case waits for serve to rebuild and the open page to reload: what is shown
matters here, not how fast (the machine may be busy)."""
GOOD_PAPER = "title: A good paper\ntopics: [hostile]\n"

# What the banner says now ("" for none), or null while the page loads: read without
# Playwright's waits, which run their code through eval and would be reported by the hooks
# (the script says hostile-scan).
BANNER_TEXT = f"""() => {{ /* hostile-scan */
  if (document.readyState !== "complete") return null;
  const banner = document.querySelector("{BANNER}");
  return banner ? banner.innerText : "";
}}"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """One `readinglist serve` of a good list (its base topics and a paper), run in its
    project folder so that errors name `content/...` as `check` does; (URL, project)."""
    project = tmp_path_factory.mktemp("hostile-serve")
    (project / "content" / "papers").mkdir(parents=True)
    (project / "content" / "topics.yaml").write_text(BASE_TOPICS, encoding="utf-8")
    (project / "content" / "papers" / "a-good-paper.yaml").write_text(GOOD_PAPER)
    port = free_port()
    argv = ["serve", "--templates", str(ROOT / "templates"), "--addr", f"127.0.0.1:{port}"]
    with (project / "serve.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator.commands.cli", *argv],
            cwd=project,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url + "papers/a-good-paper/", process)
        yield url, project
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def scanner(browser: Any, served: tuple[str, Path]) -> Iterator[Scanner]:
    scanner = Scanner(browser)
    scanner.page.goto(served[0] + "papers/a-good-paper/", wait_until="load")
    scanner.page.wait_for_timeout(500)  # let live reload connect
    yield scanner
    scanner.close()


def banner_text(scanner: Scanner) -> str | None:
    """What the open page's banner says ("" for none); None while the page reloads."""
    try:
        text: str | None = scanner.page.evaluate(BANNER_TEXT)
    except Exception:  # the page reloaded mid-call: its context went away
        return None
    return text


def wait_banner(scanner: Scanner, project: Path, shown: bool) -> str:
    """Wait until the open page shows a banner (or shows none); its text."""
    deadline = time.monotonic() + BANNER_WAIT_S
    while True:
        text = banner_text(scanner)
        if text is not None and bool(text) == shown:
            return text
        log = (project / "serve.log").read_text()[-2000:]
        assert time.monotonic() < deadline, f"banner {'never came' if shown else 'stayed'}: {log}"
        time.sleep(0.2)


def put_in(case: Case, content: Path) -> list[Path]:
    """Write the case's files into `content`; the files to take out again."""
    assert not (case.outside or case.symlinks or case.fifos or case.directories), case.id
    for rel, data in case.files.items():
        (content / rel).write_bytes(data)
    if case.topics:
        (content / "topics.yaml").write_text(BASE_TOPICS + case.topics, encoding="utf-8")
    return [content / rel for rel in case.files]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_banner_case_shows_its_errors_as_text(
    case: Case, served: tuple[str, Path], scanner: Scanner
) -> None:
    _, project = served
    content = project / "content"
    wait_banner(scanner, project, shown=False)  # the previous case's banner has gone
    scanner.forget()
    written = put_in(case, content)
    try:
        text = wait_banner(scanner, project, shown=True)
        found = scanner.findings("the serve banner", [case.id], BANNER)
        assert [what for _, what in found] == []
        expected = [line for line in case.error or () if not SUMMARY.match(line)]
        assert expected, "a banner case names its errors"
        missing = [line for line in expected if line not in text]
        assert missing == [], f"the banner says:\n{text}"
    finally:
        for path in written:
            path.unlink()
        (content / "topics.yaml").write_text(BASE_TOPICS, encoding="utf-8")
