"""`readinglist enrich`: title searches against recorded responses; only proven facts land."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest

from generator.commands.enrich import enrich
from generator.content.load import load_list
from generator.content.yamlio import parse_yaml
from generator.services.http import Client, ServiceError

from .conftest import Runner
from .test_services import FakeClock, body

COPPER = (
    "Effect of native oxide layers on copper thin-film tensile properties: "
    "A reactive molecular dynamics study"
)
PAPERQA = "PaperQA: Retrieval-Augmented Generative Agent for Scientific Research"
DAY = dt.date(2026, 1, 2)


def recorded(request: httpx.Request) -> httpx.Response:
    url = str(request.url)
    if request.url.host == "export.arxiv.org":
        return httpx.Response(200, content=body("arxiv/idlist-zero-results-0000.0000.xml"))
    if request.url.host == "api.crossref.org":
        name = "native-oxide-copper" if "copper" in url else "paperqa"
        return httpx.Response(200, content=body(f"crossref/works-query.title-{name}-rows1.json"))
    name = "native-oxide-copper" if "copper" in url else "paperqa"
    return httpx.Response(200, content=body(f"openalex/works-filter-title.search-{name}.json"))


def fake() -> Client:
    clock = FakeClock()
    return Client(transport=httpx.MockTransport(recorded), clock=clock, sleep=clock.sleep)


def write(project: Path, name: str, title: str, extra: str = "") -> Path:
    topic = parse_yaml((project / "content" / "topics.yaml").read_text()).value[0]["id"]
    path = project / "content" / "papers" / f"{name}.yaml"
    path.write_text(f"title: '{title}'\ntopics: [{topic}]\n{extra}")
    return path


def test_enrich_fills_only_absent_fields_and_records_their_provenance(project: Path) -> None:
    copper = write(project, "copper", COPPER, "year: 2014  # my note\n")
    before = copper.read_text()
    report = enrich(project / "content", today=DAY, client=fake())
    after = parse_yaml(copper.read_text()).value
    assert after["year"] == "2014"  # the user's year stays; Crossref says 2015
    assert after["venue"] == "Journal of Applied Physics"
    assert after["links"] == {"doi": "10.1063/1.4938384"}
    assert after["authors"][0].endswith("Skarlinski")
    assert "authors: crossref 2026-01-02" in after["provenance"]
    assert "links.doi: crossref 2026-01-02" in after["provenance"]
    assert all(line in copper.read_text().splitlines() for line in before.splitlines())
    assert any("copper.yaml: venue (crossref)" in line for line in report.filled)
    paper = load_list(project / "content").papers[0]
    assert paper.venue == "Journal of Applied Physics" and paper.provenance


def test_a_paper_file_named_yml_is_enriched_in_place(project: Path) -> None:
    yaml_path = write(project, "copper", COPPER)
    path = yaml_path.rename(yaml_path.with_suffix(".yml"))
    report = enrich(project / "content", today=DAY, client=fake())
    assert not yaml_path.exists()
    assert parse_yaml(path.read_text()).value["venue"] == "Journal of Applied Physics"
    assert any(line.startswith("papers/copper.yml: venue") for line in report.filled)


def test_a_different_paper_at_the_top_of_the_results_is_not_taken(project: Path) -> None:
    # Crossref's top hit for the PaperQA title is another paper; OpenAlex has the right one.
    path = write(project, "paperqa", PAPERQA)
    enrich(project / "content", today=DAY, client=fake())
    after = parse_yaml(path.read_text()).value
    assert after["links"] == {"doi": "10.48550/arxiv.2312.07559"}
    assert all("openalex" in line for line in after["provenance"])
    assert after["year"] == "2023" and "venue" not in after


def test_disagreeing_abstracts_reject_a_title_match(project: Path) -> None:
    path = write(
        project,
        "copper",
        COPPER,
        "abstract: A study of how bees choose flowers in spring meadows.\n",
    )
    before = path.read_text()
    report = enrich(project / "content", today=DAY, client=fake())
    assert path.read_text() == before
    assert report.rejected and "another abstract" in report.rejected[0]


def test_dry_run_changes_nothing(project: Path) -> None:
    path = write(project, "copper", COPPER)
    before = path.read_text()
    report = enrich(project / "content", dry_run=True, today=DAY, client=fake())
    assert report.filled and path.read_text() == before


def test_a_failing_service_names_itself_and_the_paper_and_writes_nothing(project: Path) -> None:
    first = write(project, "copper", COPPER)
    write(project, "paperqa", PAPERQA)
    before = first.read_text()
    clock = FakeClock()

    def handler(request: httpx.Request) -> httpx.Response:
        if "PaperQA" in str(request.url) and request.url.host == "api.crossref.org":
            return httpx.Response(400, json={"status": "failed"})
        return recorded(request)

    client = Client(transport=httpx.MockTransport(handler), clock=clock, sleep=clock.sleep)
    with pytest.raises(ServiceError, match=r"^crossref: PaperQA.*: HTTP 400 \(paper paperqa\)$"):
        enrich(project / "content", today=DAY, client=client)
    assert first.read_text() == before


def test_cli_offline_failure_is_one_line_naming_service_and_paper(
    project: Path, run: Runner
) -> None:
    path = write(project, "copper", COPPER)
    before = path.read_text()
    status, out, err = run("enrich", "--offline", "copper")
    assert status == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: arxiv: ")
    assert lines[0].endswith("(paper copper)") and "--offline" in lines[0]
    assert path.read_text() == before
    status, _, err = run("enrich", "nosuch")
    assert status == 1 and "no paper with id nosuch" in err
