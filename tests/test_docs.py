"""The README tells the truth: its commands exist with help, its set-up is what CI runs."""

from __future__ import annotations

import re

import pytest

from generator.commands.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text()


def readme_commands() -> list[str]:
    return sorted(set(re.findall(r"`readinglist (\w[\w-]*)", README)))


def test_readme_names_the_commands() -> None:
    assert readme_commands() == ["build", "check", "export", "import", "serve", "suggest-topics"]


@pytest.mark.parametrize("command", readme_commands())
def test_every_readme_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: readinglist {command}")
    assert len(out.splitlines()) > 4


def test_setup_is_make_site_and_make_test_and_ci_runs_make_test() -> None:
    setup = README.split("## Set-up", 1)[1].split("##", 1)[0]
    assert re.findall(r"^make \w+", setup, re.M) == ["make site", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^site: install$", makefile, re.M)
    assert re.search(r"^test: install lint$", makefile, re.M)


def test_dependencies_are_pinned_in_one_place() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"mkdocs>=1.6.1,<2"' in pyproject
    assert re.search(r'"mkdocs-material==9\.\d+\.\d+"', pyproject)
    assert not list(ROOT.glob("requirements*.txt"))
