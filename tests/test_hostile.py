"""The hostile corpus (tests/hostile/*.yaml): every case is built with the real CLI; an
error case must fail cleanly, a render case must build into pages that, opened in Chromium,
run nothing and show no element or attribute that its text injected. So must its site's
all-papers list (drawn from JSON) and, where its text is in a search record, the results of
the header search for it. The `banner: true` cases are shown by serve in
tests/test_hostile_banner.py.

Render cases that can share a content folder are built together (one MkDocs build for most
of the corpus), and a group that fails to build is built again case by case, so that a
failure is always the failing case's own. See tests/hostile/harness.py for the case format.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .browser import serve_folder
from .hostile.harness import (
    Case,
    ErrorRun,
    Job,
    Outcome,
    build_argv,
    lay_out,
    load_corpus,
    run_all,
    run_error_cases,
)
from .hostile.scanner import (
    RESULTS,
    Scanner,
    draw_all_papers,
    indexed_texts,
    marker_re,
    search,
)

CASES = load_corpus()
ALL_PAPERS = "papers/index.html"
BUILD_TIMEOUT = 90.0
CHECK_TIMEOUT = 20.0


def _params(cases: list[Case]) -> list[Any]:
    return [
        pytest.param(
            case,
            id=case.id,
            marks=[pytest.mark.xfail(strict=True, reason=case.known_failure)]
            if case.known_failure
            else [],
        )
        for case in cases
    ]


# --- error cases: check and build fail cleanly, and touch nothing ---------------------------


@pytest.fixture(scope="session")
def error_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ErrorRun]:
    return run_error_cases(CASES, tmp_path_factory.mktemp("hostile-errors"), CHECK_TIMEOUT)


@pytest.mark.parametrize("case", _params([c for c in CASES if c.error is not None]))
def test_error_case_fails_cleanly(case: Case, error_runs: dict[str, ErrorRun]) -> None:
    run = error_runs[case.id]
    for command, outcome in run.outcomes.items():
        said = f"`readinglist {command}` said:\n{outcome.err[-3000:]}"
        assert "Traceback" not in outcome.err, said
        assert outcome.status == 1, f"exit status {outcome.status}; {said}"
        assert run.lines(command) == list(case.error or ()), said
    for what, (before, after) in run.untouched.items():
        assert after == before, f"{what} changed"


# --- render cases: build, valid outputs, then the browser -----------------------------------


@dataclass
class Rendered:
    build: Outcome
    site: Path
    problems: list[str]
    """Outputs that are not what their format requires (feeds not XML, CSL-JSON not JSON)."""
    pages: list[str] = field(default_factory=list)
    """Site-relative pages that show the case's marker."""
    records: list[str] = field(default_factory=list)
    """Search records whose indexed text shows the case's marker: what the header search
    must find."""


def output_problems(site: Path) -> list[str]:
    problems = []
    for feed in sorted(site.glob("*.xml")):
        try:
            ET.parse(feed)
        except ET.ParseError as exc:
            problems.append(f"{feed.name}: not XML ({exc})")
    for export in sorted(site.glob("exports/*.json")):
        try:
            json.loads(export.read_bytes())
        except ValueError as exc:
            problems.append(f"{export.name}: not JSON ({exc})")
    for page in sorted(site.rglob("*.html")):
        try:
            page.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(f"{page.relative_to(site)}: not UTF-8 ({exc})")
    return problems


def _build_groups(
    groups: list[list[Case]], root: Path, offset: int
) -> list[tuple[list[Case], Path, Outcome]]:
    projects = []
    for n, group in enumerate(groups, start=offset):
        project = root / f"group-{n}"
        lay_out(group, project)
        projects.append(project)
    # A group's `before` commands (import, add --offline) run first, in the same fork.
    jobs: list[Job] = [
        ([*[list(argv) for case in group for argv in case.before], build_argv(p)], p)
        for group, p in zip(groups, projects, strict=True)
    ]
    outcomes = run_all(jobs, BUILD_TIMEOUT)
    return list(zip(groups, projects, outcomes, strict=True))


@pytest.fixture(scope="session")
def served_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile-sites")


@pytest.fixture(scope="session")
def rendered(served_root: Path) -> dict[str, Rendered]:
    cases = [case for case in CASES if case.renders]
    # A case known to fail is built alone: it would otherwise send its group to the retry.
    shared = [case for case in cases if case.mergeable and not case.known_failure]
    groups = [shared] + [[case] for case in cases if case not in shared]
    built = _build_groups(groups, served_root, 0)
    result: dict[str, Rendered] = {}
    retry = []
    for group, project, outcome in built:
        problems = output_problems(project / "site") if outcome.status == 0 else []
        if len(group) > 1 and (outcome.status != 0 or problems):
            retry += [[case] for case in group]  # find out which case it was
            continue
        for case in group:
            result[case.id] = Rendered(outcome, project / "site", problems)
    for group, project, outcome in _build_groups(retry, served_root, len(groups)):
        problems = output_problems(project / "site") if outcome.status == 0 else []
        result[group[0].id] = Rendered(outcome, project / "site", problems)
    for site in {r.site for r in result.values()}:
        markers = {case_id: marker_re(case_id) for case_id, r in result.items() if r.site == site}
        for page in sorted(site.rglob("*.html")):
            text = page.read_text(encoding="utf-8", errors="replace")
            for case_id, pattern in markers.items():
                if pattern.search(text):
                    result[case_id].pages.append(str(page.relative_to(site)))
        ok = any(r.site == site and r.build.status == 0 for r in result.values())
        records = indexed_texts(site.parent / "build" / "search") if ok else {}
        assert records or not ok, f"no search records beside {site}"
        for name, text in records.items():
            for case_id, pattern in markers.items():
                if pattern.search(text):
                    result[case_id].records.append(name)
    return result


def _page_url(base: str, site: Path, root: Path, page: str) -> str:
    url = base + str(site.relative_to(root)) + "/" + page
    return url.removesuffix("index.html")


@pytest.fixture(scope="session")
def findings(
    browser: Any, rendered: dict[str, Rendered], served_root: Path
) -> dict[str, list[str]]:
    """Every page that shows a case's text, opened and scanned; findings by case id."""
    found: dict[str, list[str]] = {case_id: [] for case_id in rendered}
    scanner = Scanner(browser)
    with serve_folder(served_root) as base:
        for site in sorted({r.site for r in rendered.values() if r.build.status == 0}):
            shown: dict[str, list[str]] = {}
            for case_id, r in rendered.items():
                for rel in r.pages if r.site == site else ():
                    shown.setdefault(rel, []).append(case_id)
            for rel, markers in sorted(shown.items()):
                url = _page_url(base, site, served_root, rel)
                scanner.forget()
                scanner.page.goto(url, wait_until="load")
                scanner.page.wait_for_timeout(100)
                if scanner.page.url != url:
                    _blame(found, markers, [], f"{rel}: the page went to {scanner.page.url}")
                for named, what in scanner.findings(rel, markers):
                    _blame(found, markers, named, what)
            cases = sorted(case_id for case_id, r in rendered.items() if r.site == site)
            scanner.forget()
            scanner.page.goto(_page_url(base, site, served_root, ALL_PAPERS), wait_until="load")
            rows, count = draw_all_papers(scanner)
            assert rows == count, f"{site}: the all-papers list drew {rows} of {count} papers"
            for named, what in scanner.findings(ALL_PAPERS, cases, ".rl-papers"):
                _blame(found, cases, named, what)
    scanner.close()
    return found


@pytest.fixture(scope="session")
def search_findings(
    browser: Any, rendered: dict[str, Rendered], served_root: Path
) -> dict[str, list[str]]:
    """For each case whose text is in a search record: its marker typed into the header
    search of its site's home page, and the results list scanned; findings by case id."""
    found: dict[str, list[str]] = {case_id: [] for case_id in rendered}
    scanner = Scanner(browser)
    with serve_folder(served_root) as base:
        for site in sorted({r.site for r in rendered.values() if r.build.status == 0}):
            cases = sorted(case_id for case_id, r in rendered.items() if r.site == site)
            scanner.page.goto(_page_url(base, site, served_root, "index.html"), wait_until="load")
            for case_id in cases:
                if not rendered[case_id].records:
                    continue
                scanner.forget()
                where = f"the header search for {case_id!r}"
                texts = search(scanner, case_id)
                if not any(marker_re(case_id).search(text) for text in texts):
                    found[case_id].append(f"{where}: no result shows it ({texts[:3]})")
                for named, what in scanner.findings(where, cases, RESULTS):
                    _blame(found, [case_id], named, what)
    scanner.close()
    return found


def _blame(found: dict[str, list[str]], shown: list[str], named: list[str], what: str) -> None:
    for marker in named or shown:
        found[marker].append(what)


@pytest.mark.browser
@pytest.mark.timeout(900)  # the first one builds and opens the whole corpus
@pytest.mark.parametrize("case", _params([c for c in CASES if c.renders]))
def test_render_case_runs_nothing(
    case: Case, rendered: dict[str, Rendered], findings: dict[str, list[str]]
) -> None:
    r = rendered[case.id]
    assert "Traceback" not in r.build.err, r.build.err[-3000:]
    assert r.build.status == 0, f"build exit status {r.build.status}:\n{r.build.err[-3000:]}"
    assert r.problems == []
    assert bool(r.pages) == case.shown, f"pages showing the case's text: {r.pages}"
    leaked = [
        f"{path.relative_to(r.site)} has {text!r}"
        for path in sorted(r.site.rglob("*"))
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".bib")
        for text in case.absent
        if text in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert leaked == []
    assert findings[case.id] == []


@pytest.mark.browser
@pytest.mark.timeout(900)
@pytest.mark.parametrize("case", _params([c for c in CASES if c.renders and c.searched]))
def test_render_case_runs_nothing_in_search_results(
    case: Case, rendered: dict[str, Rendered], search_findings: dict[str, list[str]]
) -> None:
    r = rendered[case.id]
    assert r.build.status == 0, f"build exit status {r.build.status}:\n{r.build.err[-3000:]}"
    assert r.records, "the case's text is in no search record: mark it `searched: false`"
    assert search_findings[case.id] == []


@pytest.mark.browser
@pytest.mark.timeout(900)
def test_unsearched_cases_are_in_no_search_record(rendered: dict[str, Rendered]) -> None:
    """The cases the header search is not asked for: their text is indeed in no record (a
    record that held it would go unscanned)."""
    unsearched = [c.id for c in CASES if c.renders and not c.searched]
    assert unsearched, "no case is marked `searched: false`"
    assert {case_id: rendered[case_id].records for case_id in unsearched} == {
        case_id: [] for case_id in unsearched
    }


def test_corpus_covers_every_class() -> None:
    classes = {case.cls.split("/")[0] for case in CASES}
    assert len(CASES) >= 80
    assert {"injection", "unicode", "yaml", "files", "jinja", "frontmatter"} <= classes
