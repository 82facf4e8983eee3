"""Shared fixtures: paths, a content folder builder, and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from generator.commands.cli import main

# Browser fixtures (a Chromium, the built sites served on localhost, a Reader) live there.
from .browser import (  # noqa: F401
    browser,
    builder_url,
    golden_url,
    reader,
    shipped_url,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = FIXTURES / "seeds"
CORPUS = FIXTURES / "corpus" / "content"
"""A frozen copy of the shipped list (426 papers, 20 topics): the real list the product's
tests run on. They never read the repository's own content/, so a project that replaces it
with a list of its own keeps them green; the shipped list's tests are test_shipped_list.py."""

BASE_TOPICS = """\
- id: rl-theory
  title: RL theory
  description: Convergence and sample complexity.
  keywords: [regret, convergence]
- id: agents
  title: Agents
  description: Systems that act.
  keywords: [agent]
"""


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder as the working directory, with a small topics.yaml."""
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"content/topics.yaml": BASE_TOPICS})
    (tmp_path / "content" / "papers").mkdir()
    return tmp_path


@pytest.fixture
def shipped_topics(project: Path) -> Path:
    """The project folder with the corpus's topics.yaml, for importing."""
    shutil.copy(CORPUS / "topics.yaml", project / "content" / "topics.yaml")
    return project


Runner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Runner:
    """Run the CLI in-process; returns (status, stdout, stderr)."""

    def runner(*args: str) -> tuple[int, str, str]:
        status = main(list(args))
        out = capsys.readouterr()
        return status, out.out, out.err

    return runner


def build(
    content: Path, dest: Path, templates: Path = ROOT / "templates", builder: str = "mkdocs"
) -> tuple[int, str]:
    """Run `readinglist build` into dest/site (Markdown in dest/build); (status, stderr)."""
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(
            [
                "build",
                "--content",
                str(content),
                "--templates",
                str(templates),
                "--out",
                str(dest / "build"),
                "--site",
                str(dest / "site"),
                "--builder",
                builder,
            ]
        )
    return status, err.getvalue()


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus (the shipped list's frozen copy), built once per test session."""
    dest = tmp_path_factory.mktemp("shipped")
    status, err = build(CORPUS, dest)
    assert status == 0, err
    return dest / "site"


@pytest.fixture(scope="session")
def golden_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden fixture list (every field, title only, hostile), built once."""
    dest = tmp_path_factory.mktemp("golden")
    status, err = build(FIXTURES / "golden" / "content", dest)
    assert status == 0, err
    return dest / "site"
