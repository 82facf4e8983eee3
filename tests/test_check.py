"""`readinglist check`: one golden case per validation error, with its exact message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.content.load import MAX_FILE_BYTES, load_list
from generator.errors import ContentError

from .conftest import FIXTURES, ROOT, Runner, write_files

CASES_FILE = ROOT / "tests" / "cases" / "check_errors.yaml"


class _CaseLoader(yaml.SafeLoader):
    """`!big PREFIX` makes a file just over the size cap."""


def _big(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node) + "x" * (MAX_FILE_BYTES + 1)


_CaseLoader.add_constructor("!big", _big)


def load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.load(CASES_FILE.read_text(), Loader=_CaseLoader)
    return cases


VALID = {"content/papers/fine.yaml": "title: A fine paper\ntopics: [agents]\nyear: 2024\n"}


def run_case(case: dict[str, Any], run: Runner) -> tuple[int, list[str]]:
    write_files(Path.cwd(), {**VALID, **case["files"]})
    status, _, err = run("check")
    return status, err.splitlines()


@pytest.mark.parametrize("case", load_cases(), ids=lambda c: c["name"])
def test_check_reports_exact_problems(case: dict[str, Any], project: Path, run: Runner) -> None:
    status, lines = run_case(case, run)
    assert status == 1
    assert lines == case["expected"]


def test_valid_content_passes(project: Path, run: Runner) -> None:
    write_files(project, VALID)
    status, out, err = run("check")
    assert (status, err) == (0, "")
    assert out == "content: 1 papers, 2 topics, no problems\n"


def test_arxiv_ids_and_no_stay_strings(project: Path) -> None:
    write_files(
        project,
        {"content/papers/p.yaml": "title: no\ntopics: [agents]\nlinks:\n  arxiv: 2310.10010\n"},
    )
    [paper] = load_list(project / "content").papers
    assert paper.title == "no"
    assert paper.links[0].value == "2310.10010"
    assert paper.links[0].url == "https://arxiv.org/abs/2310.10010"


SPLICED = (b"\x00", b"\xff", b"\t", b"[", b"{", b"&a ", b"*a", b"!x ", b"? ", b"---\n", b'"', b"\\")


def test_any_mangling_of_a_valid_file_is_a_list_or_problems(project: Path) -> None:
    """Every prefix of a rich paper, and it with hostile bytes spliced in, loads or reports
    problems: never another exception (a traceback for the user)."""
    source = (FIXTURES / "golden" / "content" / "papers" / "every-field.yaml").read_bytes()
    papers = project / "content" / "papers"
    count = 0
    for cut in range(0, len(source), 11):
        for data in (source[:cut], *(source[:cut] + s + source[cut:] for s in SPLICED)):
            (papers / f"p{count}.yaml").write_bytes(data)
            count += 1
    try:
        listed = load_list(project / "content")
    except ContentError as exc:
        assert exc.problems and all(p.path.startswith("content/papers/p") for p in exc.problems)
        assert all("\n" not in str(p) for p in exc.problems)
    else:
        raise AssertionError(f"{len(listed.papers)} mangled files all loaded")
