"""Which open pages a serve rebuild reloads, and when serve's second write may start
(serve_reload.py, changes.py): data in, answers out, threads where the code has them."""

from __future__ import annotations

import threading
import time
from typing import Any

from generator.builders.mkdocs.changes import Changes
from generator.builders.mkdocs.serve_reload import Reloads, answer_polls, pages_naming


def test_a_page_is_answered_with_a_newer_epoch_only_once_it_changed() -> None:
    reloads = Reloads()
    reloads.mark(100, {"papers/a/index.html"})
    assert reloads.wait("papers/a/index.html", 50, timeout=0) == 100  # changed since: reload
    assert reloads.wait("papers/a/index.html", 100, timeout=0) == 100  # served after it: no
    assert reloads.wait("papers/b/index.html", 50, timeout=0) == 50  # not changed: no reload
    assert reloads.wait(None, 50, timeout=0) == 100  # a page not known: any change counts
    reloads.mark(200, None)  # every page (the navigation changed)
    assert reloads.wait("papers/b/index.html", 150, timeout=0) == 200
    assert reloads.wait("papers/a/index.html", 0, timeout=0) == 200


def test_a_waiting_poll_is_answered_when_its_page_changes_and_not_before() -> None:
    reloads = Reloads()
    answers: list[int] = []
    poll = threading.Thread(target=lambda: answers.append(reloads.wait("x.html", 10, 5)))
    poll.start()
    reloads.mark(20, {"y.html"})  # another page: the poll goes on waiting
    time.sleep(0.2)
    assert answers == []
    reloads.mark(30, {"x.html"})
    poll.join(timeout=5)
    assert answers == [30]


def test_the_server_answers_polls_from_the_reloads_and_passes_everything_else_on() -> None:
    reloads = Reloads()
    reloads.mark(70, {"papers/a/index.html"})
    passed: list[str] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        passed.append(environ["PATH_INFO"])
        return [b"page"]

    serve = answer_polls(app, reloads, lambda environ: environ.get("page"))
    statuses: list[str] = []

    def start(status: str, headers: Any) -> None:
        statuses.append(status)

    poll = {"PATH_INFO": "/livereload/60/123", "page": "papers/a/index.html"}
    assert serve(poll, start) == [b"70"]
    assert serve({"PATH_INFO": "/papers/a/"}, start) == [b"page"]
    assert passed == ["/papers/a/"] and statuses == ["200 OK"]


def test_pages_show_the_static_files_their_html_names_or_the_data_beside_those() -> None:
    html = {
        "papers/index.html": b'<div data-index="../assets/papers-index.json"></div>',
        "index.html": b'<a href="exports/reading-list.bib">BibTeX</a>',
        "papers/a/index.html": b'<link href="../../assets/readinglist.css">',
    }
    # A data shard: named by the index the all-papers page names, in the same folder.
    assert pages_naming(html, ["assets/papers-3.json"]) == {"papers/index.html"}
    assert pages_naming(html, ["exports/reading-list.bib"]) == {"index.html"}
    assert pages_naming(html, ["exports/reading-list.json"]) == set()
    assert pages_naming(html, ["assets/readinglist.css"]) == {"papers/a/index.html"}
    assert pages_naming(html, []) == set()


def test_the_second_write_waits_until_the_open_pages_show_the_first() -> None:
    changes = Changes()
    assert changes.wait_shown(0)  # nothing added: nothing to wait for
    changes.add(["docs/papers/a.md"])
    assert not changes.wait_shown(0.05)  # not taken by a rebuild yet
    changes.take()
    changes.add(["docs/papers/b.md"])  # after the take: the next rebuild's
    changes.shown()
    assert not changes.wait_shown(0.05)

    def rebuild() -> None:
        changes.take()
        changes.shown()

    threading.Timer(0.1, rebuild).start()
    assert changes.wait_shown(5)
    changes.add([])  # an empty write adds nothing to wait for
    assert changes.wait_shown(0)
