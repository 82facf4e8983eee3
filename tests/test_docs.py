"""The README tells the truth: its commands exist with help, its set-up is what CI runs."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.commands.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text()


def readme_commands() -> list[str]:
    return sorted(set(re.findall(r"`readinglist (\w[\w-]*)", README)))


def test_readme_names_the_commands() -> None:
    assert readme_commands() == [
        "add",
        "build",
        "check",
        "enrich",
        "export",
        "import",
        "new",
        "serve",
        "suggest-topics",
    ]


@pytest.mark.parametrize("command", readme_commands())
def test_every_readme_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: readinglist {command}")
    assert len(out.splitlines()) > 4


def readme_setup_commands() -> list[str]:
    setup = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    block = setup.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def stub(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)


def run_ci(tmp_path: Path, present: tuple[str, ...]) -> list[str]:
    """Run .ci/run with `present` on PATH and make and apt-get recorded, not run."""
    tools = tmp_path / "bin"
    tools.mkdir()
    log = tmp_path / "commands"
    for name in ("make", "apt-get"):
        stub(tools, name, f'echo "{name} $*" >> {log}')
    stub(tools, "sudo", '"$@"')  # as root, .ci/run calls apt-get itself
    for name in present:
        stub(tools, name, "exit 0")
    for name in ("dirname", "id"):  # all .ci/run needs besides what it installs
        (tools / name).symlink_to(shutil.which(name) or name)
    env = {"PATH": str(tools), "HOME": str(tmp_path), "CI": "true"}
    result = subprocess.run(
        ["/bin/bash", str(ROOT / ".ci" / "run")], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return log.read_text().splitlines()


def test_readme_setup_is_make_site_and_make_test() -> None:
    assert readme_setup_commands() == ["make site", "make test"]


def test_ci_runs_the_readmes_make_test_and_nothing_else(tmp_path: Path) -> None:
    assert run_ci(tmp_path, ("chromium", "node", "npm")) == ["make test"]
    assert "make test" in readme_setup_commands()


def test_ci_installs_chromium_node_and_npm_from_debian_when_missing(tmp_path: Path) -> None:
    commands = run_ci(tmp_path, ())
    assert commands[-1] == "make test"
    installs = [c for c in commands if " install " in c]
    assert len(installs) == 1, commands
    assert installs[0].split()[-3:] == ["chromium", "nodejs", "npm"], commands
    assert commands.index(installs[0]) > commands.index("apt-get update -qq")


def test_ci_installs_only_npm_where_nodejs_came_without_it(tmp_path: Path) -> None:
    commands = run_ci(tmp_path, ("chromium", "node"))
    installs = [c for c in commands if " install " in c]
    assert len(installs) == 1 and installs[0].split()[-1] == "npm", commands
    assert commands[-1] == "make test"


def make_dry_run(target: str) -> list[str]:
    """The commands `make TARGET` would run, as make itself reads the Makefile."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "-C", str(ROOT), target],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def test_make_test_runs_pytest_ruff_mypy_and_the_js_tests() -> None:
    commands = make_dry_run("test")
    expected = {
        "pytest": "python -m pytest",
        "ruff": "ruff check generator tests scripts",
        "ruff format": "ruff format --check generator tests scripts",
        "mypy": "/mypy",
        "JS unit tests": "--test ",
    }
    for what, command in expected.items():
        assert any(command in line for line in commands), (what, commands)


def test_make_site_builds_with_the_cli() -> None:
    assert make_dry_run("site")[-1].endswith("/readinglist build")


def test_dependencies_are_pinned_in_one_place() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"mkdocs>=1.6.1,<2"' in pyproject
    assert re.search(r'"mkdocs-material==9\.\d+\.\d+"', pyproject)
    assert not list(ROOT.glob("requirements*.txt"))


def test_scripts_do_not_import_the_tests() -> None:
    # The bench is run on its own (`make bench`); what it shares with the tests lives in
    # scripts/ or generator/, so changing a test never breaks it.
    for path in sorted((ROOT / "scripts").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            assert not [n for n in names if n.split(".")[0] == "tests"], (path.name, node.lineno)


def test_security_md_lists_exactly_what_the_sanitizer_allows() -> None:
    from generator.render import sanitize

    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    start = text.index("<!-- sanitizer allow-list")
    block = " ".join(text[start : text.index("<!-- end of the allow-list -->")].split())

    def listed(label: str) -> str:
        found = re.search(rf"- {label}: (.*?)(?= - [a-zA-Z ]+: |$)", block)
        assert found, f"SECURITY.md's allow-list has no '{label}:' line"
        return found.group(1)

    def names(line: str) -> set[str]:
        return set(re.findall(r"`([^`]+)`", line))

    assert names(listed("elements")) == set(sanitize.TAGS)
    assert names(listed("URL schemes")) == set(sanitize.URL_SCHEMES)
    for label, allowed in (("attributes", sanitize.ATTRIBUTES), ("classes", sanitize.CLASSES)):
        line = listed(label)
        pairs = {
            tag: names(values)
            for tag, values in re.findall(r"`(\w+)`: ((?:`[^`]+`(?:, )?)+)", line)
        }
        assert pairs == {tag: set(values) for tag, values in allowed.items()}, label
    assert "trust: false" in text and "maxExpand: 1000" in text
    katex = (ROOT / "generator/builders/mkdocs/assets/readinglist.js").read_text()
    assert "trust: false" in katex and "maxExpand: 1000" in katex
