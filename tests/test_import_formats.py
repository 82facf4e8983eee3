"""Each import format on its own fixture, against golden YAML, and across formats.

Refresh the golden files after an intended change with:
    READINGLIST_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_import_formats.py
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

from generator.content.load import load_list
from generator.content.yamlio import parse_yaml
from generator.importers.bibtex import parse_bibtex
from generator.importers.normalize import arxiv_id, decode_latex, doi

from .conftest import FIXTURES, Runner

IMPORT = FIXTURES / "import"
GOLDEN = IMPORT / "golden"
FIXTURE_FILES = ["list.bib", "bom.bib", "list.json", "list.ris", "_publications"]


def _copy_in(project: Path, *names: str) -> list[str]:
    for name in names:
        source = IMPORT / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            shutil.copy(source, project / name)
    return list(names)


def _papers(project: Path) -> dict[str, str]:
    folder = project / "content" / "papers"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yaml"))}


@pytest.mark.parametrize("fixture", FIXTURE_FILES)
def test_each_fixture_imports_to_its_golden_yaml(project: Path, run: Runner, fixture: str) -> None:
    _copy_in(project, fixture)
    status, _, err = run("import", fixture, "--added", "2026-01-02")
    assert status == 0, err
    written = _papers(project)
    golden = GOLDEN / fixture.strip("_").replace(".", "-")
    if os.environ.get("READINGLIST_UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        golden.mkdir(parents=True)
        for name, text in written.items():
            (golden / name).write_text(text, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(golden.glob("*.yaml"))}
    assert written == expected
    load_list(project / "content")  # everything written passes `check`


def test_bibtex_hard_cases() -> None:
    parsed = parse_bibtex("list.bib", (IMPORT / "list.bib").read_text(encoding="utf-8"))
    by_title = {d.title: d for d in parsed.drafts}
    cpp = by_title["Finding Bugs in C++ Compilers"]
    # @string and `#` concatenation; accents decoded; "others" is not an author.
    assert cpp.venue == "International Conference on Machine Learning 2020"
    assert cpp.authors == ("Jörg Müller", "Ana García")
    assert cpp.links["doi"] == "10.1145/3385412.3386_001"  # resolver prefix and \_ removed
    assert "pdf" not in cpp.links  # a local file name is dropped, with a note
    assert any("'papers/cpp.pdf' dropped (a local file" in w for w in parsed.warnings)
    assert cpp.tags == ("agents", "testing")
    c = by_title["Finding Bugs in C Compilers"]
    # crossref: year and venue from the proceedings; the proceedings is no paper itself.
    assert (c.year, c.venue) == (2021, "Proceedings of the Workshop on Compilers")
    assert c.links == {"arxiv": "2101.00001"}  # version dropped
    assert (
        c.abstract
        == "We fuzz compilers with $O(n^2)$ programs and find 5% more bugs, costing \\$60."
    )
    attention = by_title["Attention Is All You Need"]
    assert attention.links == {"arxiv": "1706.03762"} and attention.venue is None  # CoRR
    assert len(parsed.drafts) == 3 and parsed.skipped == 1 and parsed.problems == []


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"{\"O}sterreich and Sch{\"o}lkopf", "Österreich and Schölkopf"),
        (r"The {BERT} Model", "The BERT Model"),
        (r"Bounds for $\epsilon$-greedy", r"Bounds for $\epsilon$-greedy"),
        (r"Models~(LLMs) and \framework{} too", "Models (LLMs) and framework too"),
        (r"Scaling \texttt{t5x}", "Scaling `t5x`"),
        (r"{\em Deep} learning", "Deep learning"),
    ],
)
def test_latex_is_decoded_and_math_kept(latex: str, text: str) -> None:
    assert decode_latex(latex) == text


@pytest.mark.parametrize(
    ("values", "found"),
    [
        (("2101.00001v3",), "2101.00001"),
        (("https://arxiv.org/pdf/2101.00001v2.pdf",), "2101.00001"),
        (("arXiv preprint arXiv:1905.12345",), "1905.12345"),
        (("abs/1706.03762",), "1706.03762"),
        (("hep-th/9901001v1",), "hep-th/9901001"),
        (("10.48550/arXiv.2301.00002",), "2301.00002"),
        (("https://example.org/2101.00001",), None),
    ],
)
def test_arxiv_ids_are_found_wherever_sources_put_them(
    values: tuple[str, ...], found: str | None
) -> None:
    assert arxiv_id(*values) == found


def test_dois_are_bare() -> None:
    assert doi("https://doi.org/10.1000/a\\_b") == "10.1000/a_b"
    assert doi("doi:10.1000/XYZ") == "10.1000/XYZ"
    assert doi("not a doi") is None


def test_the_same_list_in_other_formats_adds_no_paper(project: Path, run: Runner) -> None:
    _copy_in(project, "list.bib", "list.json", "list.ris")
    run("import", "list.bib", "--added", "2026-01-02")
    first = set(_papers(project))
    status, out, _ = run("import", "list.ris", "list.json", "--added", "2026-01-02")
    assert status == 0
    # The RIS and CSL-JSON C++ paper is the BibTeX one (same DOI): merged, not added.
    added = set(_papers(project)) - first
    assert added == {
        "policy-regret-in-repeated-games.yaml",
        "scaling-agents-with-convergence-guarantees.yaml",
    }
    cpp = parse_yaml(_papers(project)["finding-bugs-in-c-compilers.yaml"]).value
    assert cpp["sources"] == ["list.bib", "list.ris", "list.json"]
    assert cpp["abstract"] == "An abstract only the CSL-JSON gives."  # filled, was absent
    assert "merged 1" in out


def test_importing_twice_changes_no_byte(project: Path, run: Runner) -> None:
    names = _copy_in(project, *FIXTURE_FILES)
    run("import", *names, "--added", "2026-01-02")
    before = {p: p.read_bytes() for p in (project / "content").rglob("*.yaml")}
    status, out, _ = run("import", *names, "--added", "2030-01-01")
    assert status == 0
    assert out.startswith("added 0, merged 0, ")
    assert {p: p.read_bytes() for p in (project / "content").rglob("*.yaml")} == before


def test_papers_no_topic_fits_go_to_one_review_topic(
    project: Path, run: Runner, caplog: pytest.LogCaptureFixture
) -> None:
    _copy_in(project, "list.bib")
    status, _, _ = run("import", "list.bib")
    assert status == 0
    topics = parse_yaml((project / "content/topics.yaml").read_text()).value
    assert [t["id"] for t in topics] == ["rl-theory", "agents", "to-review"]
    review = [
        name
        for name, text in _papers(project).items()
        if parse_yaml(text).value["topics"] == ["to-review"]
    ]
    assert sorted(review) == [
        "attention-is-all-you-need.yaml",
        "finding-bugs-in-c-compilers-2.yaml",
    ]
    assert "filed under 'to-review': finding-bugs-in-c-compilers-2, attention" in caplog.text
    # A second import does not declare the review topic twice.
    _copy_in(project, "list.ris")
    assert run("import", "list.ris")[0] == 0
    assert (project / "content/topics.yaml").read_text().count("id: to-review") == 1


def test_a_large_import_names_twenty_papers_and_counts_the_rest(
    project: Path, run: Runner, caplog: pytest.LogCaptureFixture
) -> None:
    entries = [
        f"@article{{k{n},\n  title = {{Zyzzyva number {n} of a list}},\n  year = {{2020}}\n}}\n"
        for n in range(25)
    ]
    (project / "many.bib").write_text("\n".join(entries), encoding="utf-8")
    before = set(_papers(project))
    caplog.set_level(logging.INFO)
    status, out, _ = run("import", "many.bib")
    assert status == 0
    assert out.startswith("added 25, ")
    added = [r.getMessage() for r in caplog.records if r.getMessage().startswith("added papers/")]
    assert len(added) == 20
    assert "added 5 more papers/*.yaml files" in caplog.text
    review = next(r.getMessage() for r in caplog.records if "to-review" in r.getMessage())
    assert review.startswith("25 new paper(s) fit no topic")
    assert review.endswith(" and 5 more")
    assert review.count(", ") == 19
    assert len(set(_papers(project)) - before) == 25  # every paper is written, named or not
