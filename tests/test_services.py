"""The HTTP client and each service's reader, against recorded real responses (no network)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from generator.services.arxiv import fetch_arxiv
from generator.services.crossref import fetch_crossref
from generator.services.datacite import fetch_datacite
from generator.services.http import Client, ServiceError
from generator.services.ids import Identifier, parse_identifier
from generator.services.lookup import lookup
from generator.services.openalex import fetch_openalex
from generator.services.semanticscholar import fetch_semanticscholar

RECORDED = Path(__file__).parent / "fixtures" / "api-responses"
Handler = Callable[[httpx.Request], httpx.Response]


def body(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


class FakeClock:
    """Time that moves only when slept: spacing and backoff are checked without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def client(handler: Handler, tmp_path: Path | None = None, **kw: object) -> Client:
    clock = FakeClock()
    return Client(
        cache_dir=tmp_path,
        transport=httpx.MockTransport(handler),
        clock=clock,
        sleep=clock.sleep,
        **kw,  # type: ignore[arg-type]
    )


def serve(status: int, name: str, content_type: str = "application/json") -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body(name), headers={"content-type": content_type})

    return handler


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2104.12255v1", Identifier("arxiv", "2104.12255")),
        ("1605.08386", Identifier("arxiv", "1605.08386")),
        ("astro-ph/0601001", Identifier("arxiv", "astro-ph/0601001")),
        ("https://arxiv.org/abs/1605.08386v2", Identifier("arxiv", "1605.08386")),
        ("https://arxiv.org/pdf/2104.12255v1.pdf", Identifier("arxiv", "2104.12255")),
        ("arXiv:math/0211159", Identifier("arxiv", "math/0211159")),
        ("10.48550/arXiv.2312.07559", Identifier("arxiv", "2312.07559")),
        (
            "https://doi.org/10.1371/journal.pone.0033693",
            Identifier("doi", "10.1371/journal.pone.0033693"),
        ),
        (
            "https://dx.doi.org/10.1023%2Fa:1007154515475",
            Identifier("doi", "10.1023/a:1007154515475"),
        ),
        ("doi:10.5438/4k3m-nyvg", Identifier("doi", "10.5438/4k3m-nyvg")),
        ("not an id", None),
        ("12345", None),
    ],
)
def test_identifiers_in_every_usual_spelling(text: str, expected: Identifier | None) -> None:
    assert parse_identifier(text) == expected


@pytest.mark.parametrize(
    ("name", "arxiv_id", "title", "first_author"),
    [
        (
            "idlist-single-1605.08386.xml",
            "1605.08386",
            "Heat-bath random walks with Markov bases",
            "Caprice Stanley",
        ),
        ("idlist-single-versioned-2104.12255v1.xml", "2104.12255", None, None),
        ("idlist-single-old-style-astro-ph-0601001.xml", "astro-ph/0601001", None, None),
        ("legacy-2019-idlist-single-astro-ph-9812133.xml", "astro-ph/9812133", None, None),
    ],
)
def test_arxiv_entry_becomes_a_draft(
    name: str, arxiv_id: str, title: str | None, first_author: str | None
) -> None:
    draft = fetch_arxiv(client(serve(200, f"arxiv/{name}", "application/atom+xml")), arxiv_id)
    assert draft.links["arxiv"] == arxiv_id and draft.title and draft.authors and draft.year
    assert draft.abstract and "  " not in draft.abstract
    if title:
        assert (draft.title, draft.authors[0], draft.year) == (title, first_author, 2016)
        assert draft.venue is None and "doi" not in draft.links  # nothing invented


def test_arxiv_unknown_and_rejected_ids_are_one_line_errors() -> None:
    with pytest.raises(ServiceError, match=r"^arxiv: 0000\.0000: no such paper$"):
        fetch_arxiv(client(serve(200, "arxiv/idlist-zero-results-0000.0000.xml")), "0000.0000")
    with pytest.raises(ServiceError, match=r"^arxiv: abc: the API rejected the id \(HTTP 400\)"):
        fetch_arxiv(client(serve(400, "arxiv/error-400-incorrect-id-format-abc.xml")), "abc")
    two = serve(200, "arxiv/idlist-two-ids-one-unknown-0808.05394-1707.08567.xml")
    assert len(fetch_arxiv(client(two), "1707.08567").authors) == 34


def test_malformed_and_hostile_xml_is_refused() -> None:
    def bomb(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text='<!DOCTYPE x [<!ENTITY a "aaaa">]><feed>&a;</feed>')

    with pytest.raises(ServiceError, match=r"^arxiv: 1605\.08386: malformed response"):
        fetch_arxiv(client(bomb), "1605.08386")
    with pytest.raises(ServiceError, match="malformed"):
        fetch_arxiv(client(lambda r: httpx.Response(200, text="<feed><entry>")), "1605.08386")


def test_crossref_work_and_its_plain_text_404() -> None:
    ok = serve(200, "crossref/works-doi-10.1109-SAMOS.2013.6621096-proceedings-article.json")
    draft = fetch_crossref(client(ok), "10.1109/SAMOS.2013.6621096")
    assert draft is not None
    assert draft.title == "Rethinking computer architecture for throughput computing"
    assert draft.authors == ("Wen-mei W. Hwu",) and draft.year == 2013
    assert draft.venue is not None and draft.venue.endswith("(SAMOS)")
    assert draft.abstract is None  # the record has none
    missing = serve(404, "crossref/works-doi-404-10.1371-notarealdoi.txt", "text/plain")
    assert fetch_crossref(client(missing), "10.1371/notarealdoi") is None
    bad = serve(400, "crossref/works-doi-400-field-query-not-allowed.json")
    with pytest.raises(ServiceError, match=r"^crossref: 10\.1/x: HTTP 400$"):
        fetch_crossref(client(bad), "10.1/x")
    with pytest.raises(ServiceError, match=r"^crossref: 10\.1/x: malformed response"):
        fetch_crossref(client(lambda r: httpx.Response(200, text="<html>")), "10.1/x")


def test_crossref_gets_the_contact_as_mailto_and_user_agent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return serve(200, "crossref/works-doi-10.1371-journal.pone.0033693-journal-article.json")(
            request
        )

    fetch_crossref(client(handler, contact="me@example.org"), "10.1371/journal.pone.0033693")
    assert seen[0].url.params["mailto"] == "me@example.org"
    assert seen[0].headers["user-agent"].endswith("(mailto:me@example.org)")
    assert seen[0].url.raw_path.startswith(b"/works/10.1371%2Fjournal.pone.0033693?")


def test_datacite_record_and_404() -> None:
    ok = serve(200, "datacite/dois-10.5438-4k3m-nyvg-include-media-client.json")
    draft = fetch_datacite(client(ok), "10.5438/4k3m-nyvg")
    assert draft is not None
    assert (draft.title, draft.authors, draft.year) == (
        "Eating your own Dog Food",
        ("Martin Fenner",),
        2016,
    )
    assert draft.venue is None  # DataCite's publisher is not a venue
    assert fetch_datacite(client(serve(404, "datacite/dois-404-not-found.json")), "10.1/x") is None


def test_a_doi_crossref_lacks_is_asked_of_datacite() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "api.crossref.org":
            return serve(404, "crossref/works-doi-404-10.1371-notarealdoi.txt", "text/plain")(
                request
            )
        return serve(200, "datacite/dois-10.5438-4k3m-nyvg-include-media-client.json")(request)

    assert lookup(client(handler), "https://doi.org/10.5438/4K3M-NYVG").source == "datacite"
    with pytest.raises(ServiceError, match="expected an arXiv id"):
        lookup(client(handler), "nonsense")


def test_429_with_retry_after_then_success_waits_as_asked() -> None:
    replies = iter([httpx.Response(429, headers={"retry-after": "7"}), httpx.Response(503)])

    def handler(request: httpx.Request) -> httpx.Response:
        return next(replies, None) or serve(200, "arxiv/idlist-single-1605.08386.xml")(request)

    c = client(handler)
    assert fetch_arxiv(c, "1605.08386").title.startswith("Heat-bath")
    slept = c.sleep.__self__.slept  # type: ignore[attr-defined]
    assert 7.0 in slept and 2.0 in slept  # Retry-After honoured, then exponential backoff


def test_persistent_5xx_and_timeouts_fail_in_one_line_after_retries() -> None:
    calls: list[int] = []

    def down(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(502)

    with pytest.raises(ServiceError, match=r"^crossref: 10\.1/x: HTTP 502 after 5 attempts"):
        fetch_crossref(client(down), "10.1/x")
    assert len(calls) == 5

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(ServiceError, match=r"^arxiv: 1605\.08386: timed out after 5 attempts"):
        fetch_arxiv(client(slow), "1605.08386")


def test_a_long_retry_after_fails_rather_than_hangs() -> None:
    c = client(lambda r: httpx.Response(429, headers={"retry-after": "3600"}))
    with pytest.raises(ServiceError, match="asked to wait 3600 s"):
        fetch_crossref(c, "10.1/x")


def test_arxiv_requests_are_three_seconds_apart() -> None:
    c = client(serve(200, "arxiv/idlist-single-1605.08386.xml"))
    clock = c.sleep.__self__  # type: ignore[attr-defined]
    starts: list[float] = []
    for _ in range(3):
        c.get("arxiv", f"https://export.arxiv.org/api/query?n={len(starts)}", "x")
        starts.append(clock.now)
    assert [round(b - a, 6) for a, b in itertools.pairwise(starts)] == [3.0, 3.0]


def test_cache_serves_a_second_run_and_offline(tmp_path: Path) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return serve(200, "arxiv/idlist-single-1605.08386.xml")(request)

    first = fetch_arxiv(client(handler, tmp_path), "1605.08386")
    offline = client(handler, tmp_path, offline=True)
    assert fetch_arxiv(offline, "1605.08386") == first
    assert len(calls) == 1
    stored = list(tmp_path.iterdir())
    assert len(stored) == 1 and stored[0].suffix == ".json"
    with pytest.raises(ServiceError, match=r"^arxiv: 2104\.12255: not in the cache and --offline"):
        fetch_arxiv(offline, "2104.12255")
    assert len(calls) == 1


def test_a_damaged_cache_entry_is_fetched_again(tmp_path: Path) -> None:
    handler = serve(200, "arxiv/idlist-single-1605.08386.xml")
    fetch_arxiv(client(handler, tmp_path), "1605.08386")
    entry = next(tmp_path.iterdir())
    entry.write_text("{not json")
    assert fetch_arxiv(client(handler, tmp_path), "1605.08386").title.startswith("Heat-bath")


def test_openalex_is_the_last_resort_for_a_doi_and_its_html_404_is_none() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "api.openalex.org" and "1007154515475" in str(request.url):
            return serve(200, "openalex/works-doi-10.1023-a-1007154515475.json")(request)
        if request.url.host == "api.openalex.org":
            return serve(404, "openalex/works-doi-404-not-found.html", "text/html")(request)
        return httpx.Response(404, text="Resource not found.")

    draft = lookup(client(handler), "10.1023/a:1007154515475")
    assert (
        draft.source == "openalex"
        and draft.title
        and draft.links["doi"].lower() == "10.1023/a:1007154515475"
    )
    assert draft.year is not None and draft.authors
    assert fetch_openalex(client(handler), "10.1046/j.1365-2699.2003.00795") is None


def test_semantic_scholar_is_asked_last_and_its_json_404_is_none() -> None:
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.host)
        if request.url.host == "api.semanticscholar.org":
            assert request.url.path == "/graph/v1/paper/DOI:10.1093/mind/lix.236.433"
            name = "semanticscholar/paper-doi-10.1093-mind-lix.236.433-fields-title.json"
            return serve(200, name)(request)
        return httpx.Response(404, text="Resource not found.")

    draft = lookup(client(handler), "10.1093/mind/lix.236.433")
    assert asked[:3] == ["api.crossref.org", "api.datacite.org", "api.openalex.org"]
    assert asked[3:] == ["api.semanticscholar.org"]
    assert (
        draft.source == "semanticscholar" and draft.title == "Computing Machinery and Intelligence"
    )

    # An arXiv paper's record, as fetched by its arXiv DOI.
    name = "semanticscholar/paper-doi-arxiv-10.48550-arxiv.2312.07559-many-fields.json"
    arxiv = fetch_semanticscholar(client(serve(200, name)), "10.48550/arxiv.2312.07559")
    assert arxiv is not None and arxiv.title.startswith("PaperQA: Retrieval")
    assert arxiv.authors[0] == "Jakub L'ala" and len(arxiv.authors) == 6
    assert arxiv.year == 2023 and arxiv.links["arxiv"] == "2312.07559"
    assert arxiv.venue is None  # "arXiv.org" is the server the arXiv link names
    assert arxiv.abstract is None  # the record has none: nothing is made up

    missing = serve(404, "semanticscholar/paper-doi-404-not-found.json")
    assert fetch_semanticscholar(client(missing), "10.1101/2024.04.01.587366") is None


def test_semantic_scholar_failures_name_the_service_and_its_base_is_configurable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("READINGLIST_S2_API", "http://mirror.test/s2/")
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(str(request.url))
        return serve(400, "semanticscholar/paper-400-unsupported-fields.json")(request)

    with pytest.raises(ServiceError, match=r"^semanticscholar: 10\.1/x: HTTP 400$"):
        fetch_semanticscholar(client(handler), "10.1/x")
    assert hosts[0].startswith("http://mirror.test/s2/paper/DOI:10.1/x?fields=")
    title_only = serve(200, "semanticscholar/paper-doi-10.1093-mind-lix.236.433-fields-title.json")
    draft = fetch_semanticscholar(client(title_only), "10.1093/mind/lix.236.433")
    assert draft is not None and draft.title == "Computing Machinery and Intelligence"
    assert (
        draft.authors == ()
        and draft.year is None
        and draft.links == {"doi": "10.1093/mind/lix.236.433"}
    )
    not_json = httpx.Response(200, text="<html>", headers={"content-type": "text/html"})
    with pytest.raises(ServiceError, match=r"^semanticscholar: 10\.1/x: malformed response"):
        fetch_semanticscholar(client(lambda r: not_json), "10.1/x")
