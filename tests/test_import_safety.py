"""Import never loses a paper, reports every problem of every input, and writes all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.load import MAX_FILE_BYTES, load_list, paper_problems
from generator.content.paperfile import add_fields, edit_list
from generator.content.yamlio import parse_yaml
from generator.errors import ContentError
from generator.importers.draft import Draft, Parsed
from generator.importers.identity import Index, Record, title_key
from generator.importers.normalize import add_link
from generator.model import ReadingList

from .conftest import BASE_TOPICS, Runner, write_files
from .test_check import VALID, load_cases

GOOD_BIB = "@article{ok, title={Regret of Agents}, year={2020}}\n"


def _snapshot(project: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (project / "content").rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Finding Bugs in C++ Compilers", "Finding Bugs in C Compilers"),
        ("Learning in C#", "Learning in C"),
        ("A* Search Revisited", "A Search Revisited"),
        ("Q-learning with 2 agents", "Q-learning with 3 agents"),
    ],
)
def test_titles_that_differ_in_meaningful_characters_stay_apart(a: str, b: str) -> None:
    assert title_key(a) != title_key(b)


def test_titles_that_differ_only_in_case_accents_and_separators_are_one() -> None:
    assert title_key("ACE : Off-Policy Actor\N{EN DASH}Critic") == title_key(
        "ace: off policy actor critic"
    )
    assert title_key("Schölkopf's {BERT}") == title_key("Scholkopf's BERT")
    assert title_key("A *Deep* Look") == title_key("A Deep Look")


def test_c_and_cpp_papers_both_survive_an_import(project: Path, run: Runner) -> None:
    write_files(
        project,
        {
            "two.bib": "@misc{a, title={Finding Bugs in C++ Compilers}}\n"
            "@misc{b, title={Finding Bugs in C Compilers}}\n"
        },
    )
    status, out, _ = run("import", "two.bib")
    assert status == 0 and out.startswith("added 2,")
    titles = {
        parse_yaml(p.read_text()).value["title"]
        for p in (project / "content/papers").glob("*.yaml")
    }
    assert titles == {"Finding Bugs in C++ Compilers", "Finding Bugs in C Compilers"}


def test_identity_rules() -> None:
    index = Index()
    published = Record("Deep Agents", year=2021, doi="10.1/x")
    index.add(published)
    # A DOI match wins over a different title.
    assert index.find("Deep Agents (extended)", None, "10.1/X", None, None) is published
    # Same title, a different DOI: another work.
    assert index.find("Deep Agents", 2021, "10.1/y", None, None) is None
    # Same title, years two apart: another work; a preprint a year before: the same.
    assert index.find("Deep Agents", 2019, None, None, None) is None
    assert index.find("Deep Agents", 2020, None, "2001.00001", None) is published
    # Abstracts that only open alike never make two papers one.
    opening = "Large language models are increasingly used as agents. " * 5
    index.add(Record("First", abstract=opening + "We study planning."))
    assert index.find("Second", None, None, None, opening + "We study memory.") is None


def test_preprint_and_published_version_merge_into_one_file(project: Path, run: Runner) -> None:
    write_files(
        project,
        {
            "pre.bib": "@misc{p, title={Deep Agents}, year={2020}, eprint={2001.00001v2},"
            " archivePrefix={arXiv}}\n",
            "pub.json": '[{"title": "Deep Agents", "DOI": "10.1000/deep",'
            ' "issued": {"date-parts": [[2021]]}, "container-title": "Journal of Agents"}]',
        },
    )
    assert run("import", "pre.bib")[0] == 0
    status, out, _ = run("import", "pub.json")
    assert status == 0 and out.startswith("added 0, merged 1,")
    [path] = (project / "content/papers").glob("*.yaml")
    data = parse_yaml(path.read_text()).value
    assert data["links"] == {"arxiv": "2001.00001", "doi": "10.1000/deep"}
    assert data["year"] == "2020"  # the file's year is kept; the venue was absent: filled
    assert data["venue"] == "Journal of Agents"
    assert data["sources"] == ["pre.bib", "pub.json"]


def test_a_merge_never_changes_what_the_user_set_and_reports_conflicts(
    project: Path, run: Runner, caplog: pytest.LogCaptureFixture
) -> None:
    write_files(
        project,
        {
            "content/papers/mine.yaml": "# my entry\ntitle: Regret of Agents\nyear: 2019\n"
            "topics: [agents]  # keep\nnotes: mine\n",
            "in.bib": "@article{x, title={Regret of Agents}, year={2019}, journal={J},"
            " author={Roe, B.}}\n@article{y, title={Regret of Agents}, year={2019},"
            " journal={K}}\n",
        },
    )
    status, out, _ = run("import", "in.bib")
    assert status == 0
    text = (project / "content/papers/mine.yaml").read_text()
    assert text.startswith("# my entry\ntitle: Regret of Agents\nauthors:\n- B. Roe\n")
    assert "topics: [agents]  # keep\nnotes: mine\n" in text
    assert parse_yaml(text).value["venue"] == "J"
    assert "conflicts 1" in out
    assert "mine.yaml: venue: kept 'J', offered 'K' (in.bib:2)" in caplog.text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bin.bib", b"\x89PNG\r\n\x1a\n\x00\x00", "bin.bib:3: file: binary data"),
        (
            "latin.bib",
            "@misc{a, title={Caf\xe9}}\n".encode("latin-1"),
            "latin.bib:1: file: not UTF-8",
        ),
        ("utf16.ris", "TY  - JOUR\n".encode("utf-16"), "utf16.ris:1: file: UTF-16 text"),
        ("broken.bib", b"@misc{a, title={x}\n@misc{b, title={y}}\n", "broken.bib:1: bibtex:"),
        ("bad.json", b'[{"title": "x",]', "bad.json:1: json:"),
        ("open.ris", b"TY  - JOUR\nTI  - x\n", "open.ris:1: ris: record has no ER line"),
        ("year.bib", b"@misc{a, title={x}, year={20xx}}\n", "year.bib:1: year: expected a year"),
        ("notes.txt", b"just notes\n", "notes.txt:1: format: unknown format"),
        ("fake.bib", b"[]\n", "fake.bib:1: format: named like BibTeX but"),
        ("undef.bib", b"@misc{a, title=nope # {x}}\n", "undef.bib:1: title: undefined @string"),
    ],
)
def test_every_bad_input_is_one_located_line_and_nothing_is_written(
    project: Path, run: Runner, name: str, data: bytes, message: str
) -> None:
    write_files(project, {name: data, "good.bib": GOOD_BIB})
    before = _snapshot(project)
    status, _, err = run("import", "good.bib", name)
    assert status == 1
    assert message in err
    assert "Traceback" not in err and "nothing was changed" in err
    assert _snapshot(project) == before  # the good file was not imported either


def test_every_problem_of_every_file_is_reported_at_once(project: Path, run: Runner) -> None:
    write_files(
        project,
        {
            "a.bib": "@misc{a, title={x}, year={abc}}\n@misc{b, title={y}, year={zz}}\n",
            "b.txt": "nothing known\n",
            "c.json": "{",
        },
    )
    status, _, err = run("import", "a.bib", "b.txt", "c.json", "missing.ris")
    assert status == 1
    for where in (
        "a.bib:1: year",
        "a.bib:2: year",
        "b.txt:1: format",
        "c.json:1: json",
        "missing.ris: file: no such file",
    ):
        assert where in err
    assert "5 problem(s) found" in err


@pytest.mark.parametrize(
    ("titles", "message"),
    [
        (
            "- &a {abstract_starts_with: x, title: y}\n- *a\n",
            "YAML anchors and aliases are not allowed",
        ),
        (
            "- &a [x, x, x, x, x, x, x, x, x]\n- &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "- &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n- [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
            "YAML anchors and aliases are not allowed",
        ),
        ("- {abstract_starts_with: x, title: y, year: 20x4}\n", "titles.yaml:1: 0.year"),
        ("[unclosed\n", "titles.yaml:2: yaml:"),
    ],
)
def test_a_bad_titles_file_is_a_located_error(
    project: Path, run: Runner, titles: str, message: str
) -> None:
    write_files(project, {"titles.yaml": titles, "list.txt": "Abstract: x marks the spot.\n"})
    status, _, err = run("import", "list.txt")
    assert status == 1 and message in err and err.startswith("titles.yaml:")
    assert list((project / "content/papers").iterdir()) == []


def test_a_paper_over_the_file_size_cap_is_an_import_error(project: Path, run: Runner) -> None:
    huge = "word " * (MAX_FILE_BYTES // 5 + 10)
    write_files(project, {"big.bib": f"@misc{{a,\n  title={{Big}},\n  abstract={{{huge}}}}}\n"})
    status, _, err = run("import", "big.bib")
    assert status == 1
    assert "big.bib:1: file: content/papers/big.yaml would be" in err
    assert list((project / "content/papers").iterdir()) == []


def test_every_paper_written_passes_check(project: Path, run: Runner) -> None:
    write_files(project, {"any.bib": "@misc{a, title={Nothing about any topic}}\n"})
    assert run("import", "any.bib")[0] == 0
    [paper] = load_list(project / "content").papers
    assert paper.topics == ("to-review",)


def test_an_entry_without_a_title_is_skipped_and_counted(project: Path, run: Runner) -> None:
    write_files(project, {"a.bib": "@misc{a, author={X}}\n" + GOOD_BIB})
    status, out, _ = run("import", "a.bib")
    assert status == 0 and out.startswith("added 1, merged 0, unchanged 0, skipped 1,")


def test_byte_preserving_edits() -> None:
    text = "title: T  # mine\nlinks:\n  pdf: https://a.org/x.pdf\ntopics:\n- a\n"
    order = ("title", "authors", "year", "links", "topics", "sources")
    edited = add_fields(text, {"year": 2020, "links": {"arxiv": "2001.00001"}}, order)
    assert edited == (
        "title: T  # mine\nyear: 2020\nlinks:\n  pdf: https://a.org/x.pdf\n"
        "  arxiv: '2001.00001'\ntopics:\n- a\n"
    )
    flow = "title: T\nlinks: {pdf: 'https://a.org/x.pdf'}\nsources: [a.txt]"
    edited = edit_list(
        add_fields(flow, {"links": {"doi": "10.1/x"}}, order), "sources", ["b.bib"], append=True
    )
    assert parse_yaml(edited).value == {
        "title": "T",
        "links": {"pdf": "https://a.org/x.pdf", "doi": "10.1/x"},
        "sources": ["a.txt", "b.bib"],
    }


def test_import_checks_a_file_in_memory_as_check_reads_it_from_disk(tmp_path: Path) -> None:
    """An import checks each paper file it would write with paper_problems, not by writing
    and loading a trial list: for every paper case of `check`, the two give the same."""
    topic_ids = frozenset(t.id for t in _base_list(tmp_path).topics)
    compared = 0
    for case in load_cases():
        files = case["files"]
        if len(files) != 1 or not next(iter(files)).startswith("content/papers/"):
            continue
        ((name, text),) = files.items()
        if not isinstance(text, str):
            continue
        folder = tmp_path / f"case-{compared}"
        write_files(folder, {"content/topics.yaml": BASE_TOPICS, name: text})
        with pytest.raises(ContentError) as raised:
            load_list(folder / "content")
        on_disk = sorted((p.line, p.field, p.message) for p in raised.value.problems)
        in_memory = paper_problems(name.removeprefix("content/"), text, topic_ids)
        assert sorted((p.line, p.field, p.message) for p in in_memory) == on_disk, case["name"]
        compared += 1
    assert compared >= 10


def _base_list(tmp_path: Path) -> ReadingList:
    write_files(tmp_path / "base", {"content/topics.yaml": BASE_TOPICS, **VALID})
    return load_list(tmp_path / "base" / "content")


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("javascript:alert(1)", "only http(s) links are kept"),
        ("ftp://example.org/paper.pdf", "only http(s) links are kept"),
        ("C:\\papers\\cpp.pdf", "a local file"),
        ("papers/cpp.pdf", "a local file"),
        ('https://example.org/a"onmouseover="x', "not a well-formed http(s) URL"),
        ("https://localhost", "not a well-formed http(s) URL"),
    ],
)
def test_a_link_that_is_not_kept_is_named_for_what_it_is(value: str, why: str) -> None:
    draft, parsed = Draft(title="T", source="list.bib", where="list.bib:3"), Parsed()
    add_link(draft, "url", value, parsed)
    assert "url" not in draft.links
    assert len(parsed.warnings) == 1
    assert parsed.warnings[0].startswith("list.bib:3: url: '")
    assert f"dropped ({why}" in parsed.warnings[0]


def test_an_http_link_is_kept_without_a_warning() -> None:
    draft, parsed = Draft(title="T", source="list.bib", where="list.bib:3"), Parsed()
    add_link(draft, "url", "https://example.org/paper?id=1", parsed)
    assert draft.links == {"url": "https://example.org/paper?id=1"}
    assert parsed.warnings == []
