"""`readinglist add`: ids to paper files by the import rules, against recorded responses."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import httpx
import pytest

from generator.commands.add import add
from generator.content.load import load_list
from generator.content.yamlio import parse_yaml
from generator.errors import ContentError
from generator.render import sanitize
from generator.services.http import Client, ServiceError
from generator.services.lookup import cache_dir

from .conftest import Runner
from .test_services import FakeClock, body

DAY = dt.date(2026, 1, 2)
ARXIV_FEED = "arxiv/idlist-single-1605.08386.xml"


def recorded(request: httpx.Request) -> httpx.Response:
    """Each service's recorded answer for the one paper it knows; 404 for anything else."""
    if request.url.host == "export.arxiv.org" and "1605.08386" in str(request.url):
        return httpx.Response(200, content=body(ARXIV_FEED))
    if request.url.host == "api.crossref.org" and "SAMOS" in str(request.url):
        name = "crossref/works-doi-10.1109-SAMOS.2013.6621096-proceedings-article.json"
        return httpx.Response(200, content=body(name))
    return httpx.Response(404, text="Resource not found.")


def fake_client(handler: object = recorded) -> Client:
    clock = FakeClock()
    return Client(transport=httpx.MockTransport(handler), clock=clock, sleep=clock.sleep)  # type: ignore[arg-type]


def papers(project: Path) -> dict[str, dict[str, object]]:
    folder = project / "content" / "papers"
    return {p.stem: parse_yaml(p.read_text()).value for p in sorted(folder.glob("*.yaml"))}


def test_add_writes_one_paper_per_id_with_only_the_services_facts(project: Path) -> None:
    ids = ["https://arxiv.org/abs/1605.08386v1", "https://doi.org/10.1109/SAMOS.2013.6621096"]
    report = add(ids, project / "content", added=DAY, client=fake_client())
    assert sorted(report.added) == [
        "heat-bath-random-walks-with-markov-bases",
        "rethinking-computer-architecture-for-throughput-computing",
    ]
    written = papers(project)
    walk = written["heat-bath-random-walks-with-markov-bases"]
    assert walk["authors"] == ["Caprice Stanley", "Tobias Windisch"]
    assert walk["links"] == {"arxiv": "1605.08386"} and walk["sources"] == ["arxiv"]
    assert walk["year"] == "2016" and walk["added"] == "2026-01-02"
    assert "venue" not in walk  # the arXiv entry gives none
    samos = written["rethinking-computer-architecture-for-throughput-computing"]
    assert samos["links"] == {"doi": "10.1109/samos.2013.6621096"} and "abstract" not in samos
    assert len(load_list(project / "content").papers) == 2


def test_add_merges_into_the_users_paper_without_changing_a_field(project: Path) -> None:
    mine = project / "content" / "papers" / "walks.yaml"
    text = (
        "title: Heat-bath random walks with Markov bases\n"
        "authors: [C. Stanley]  # as I cite them\n"
        "topics: [rl-theory]\nstatus: reading\nadded: 2025-01-01\n"
    )
    topics = (project / "content" / "topics.yaml").read_text()
    if "rl-theory" not in topics:
        text = text.replace("[rl-theory]", f"[{parse_yaml(topics).value[0]['id']}]")
    mine.write_text(text)
    report = add(["1605.08386"], project / "content", client=fake_client())
    assert report.added == [] and len(report.merged) == 1
    after = mine.read_text()
    assert all(line in after.splitlines() for line in text.splitlines())  # user lines stay
    merged = parse_yaml(after).value
    assert merged["authors"] == ["C. Stanley"] and merged["status"] == "reading"
    assert merged["links"] == {"arxiv": "1605.08386"} and merged["year"] == "2016"
    assert any("authors" in c and "Caprice Stanley" in c for c in report.conflicts)


def test_one_failing_id_writes_nothing(project: Path) -> None:
    with pytest.raises(
        ServiceError,
        match=r"^crossref, datacite, openalex, semanticscholar: 10\.1234/nothing: no such DOI$",
    ):
        add(["1605.08386", "10.1234/nothing"], project / "content", client=fake_client())
    assert papers(project) == {}


def test_bibtex_on_stdin_is_added_too(project: Path) -> None:
    entry = "@article{k, title={A Paper From stdin}, author={Doe, Jane}, year={2020}}\n"
    report = add(["-"], project / "content", client=fake_client(), stdin=io.StringIO(entry))
    assert report.added == ["a-paper-from-stdin"]
    assert papers(project)["a-paper-from-stdin"]["authors"] == ["Jane Doe"]
    with pytest.raises(ContentError):
        add(
            ["-"],
            project / "content",
            client=fake_client(),
            stdin=io.StringIO("@article{x, title={"),
        )


def test_markup_in_a_response_stays_text(project: Path) -> None:
    feed = (
        body(ARXIV_FEED)
        .decode()
        .replace(
            "Graphs on lattice points",
            "&lt;script&gt;alert(1)&lt;/script&gt; Graphs &lt;img src=x onerror=alert(2)&gt;",
        )
    )
    add(
        ["1605.08386"],
        project / "content",
        client=fake_client(lambda r: httpx.Response(200, text=feed)),
    )
    paper = load_list(project / "content").papers[0]
    assert paper.abstract is not None and paper.abstract.startswith("<script>alert(1)</script>")
    html = sanitize.markdown_block(paper.abstract)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_cli_offline_without_a_cache_is_one_line_and_exit_1(project: Path, run: Runner) -> None:
    status, out, err = run("add", "--offline", "1605.08386")
    assert status == 1 and out == ""
    assert err.strip().splitlines() == [
        "error: arxiv: 1605.08386: not in the cache and --offline is set "
        "(https://export.arxiv.org/api/query?id_list=1605.08386&max_results=1)"
    ]
    assert papers(project) == {}


def test_cli_offline_uses_the_projects_cache(project: Path, run: Runner) -> None:
    (project / "content" / "site.yaml").write_text("title: Mine\ncontact: me@example.org\n")
    cache = cache_dir(project / "content")
    assert cache == project / ".readinglist-http"
    clock = FakeClock()
    warm = Client(
        cache_dir=cache,
        transport=httpx.MockTransport(recorded),
        clock=clock,
        sleep=clock.sleep,
    )
    add(["1605.08386"], project / "content", client=warm)
    (project / "content" / "papers" / "heat-bath-random-walks-with-markov-bases.yaml").unlink()
    status, out, err = run("add", "--offline", "arXiv:1605.08386v1", "--added", "2026-01-02")
    assert status == 0, err
    assert out.strip() == "added 1, merged 0, unchanged 0, skipped 0, conflicts 0"
    assert "heat-bath-random-walks-with-markov-bases" in papers(project)
