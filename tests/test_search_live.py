"""Serve's live search bundle: which records it holds (plain data), and the bundle Pagefind
writes over just those records, with the manifest the header search reads."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from generator.builders.mkdocs.serve_hooks import ServeIndexing
from generator.builders.search.index import (
    PAGEFIND_OPTIONS,
    RECORDS,
    SHARDS_FILE,
    SearchIndex,
    _executable,
)
from generator.builders.search.live import (
    LIVE_FILE,
    LIVE_FOLDER,
    LIVE_LIMIT,
    LiveEdits,
    LiveIndex,
    changed_records,
    live_manifest,
)

from .test_search_index import record, write_records


def test_only_written_records_count_as_edited() -> None:
    paths = ["search/papers/a.html", "docs/papers/a.md", "search/topics/t.html", "search/x.json"]
    assert changed_records(paths, RECORDS) == {"papers/a.html", "topics/t.html"}
    assert changed_records(["searching/papers/a.html"], RECORDS) == set()


def test_a_record_stays_live_until_a_full_index_read_it_after_its_last_edit() -> None:
    edits = LiveEdits()
    edits.edit(["papers/a.html"], 1)
    edits.edit(["papers/b.html"], 2)
    edits.edit(["papers/a.html"], 3)  # a edited again
    assert edits.names() == ("papers/a.html", "papers/b.html")
    assert edits.indexed(2)  # the full index of rebuild 2 holds b, but a's older version
    assert edits.names() == ("papers/a.html",)
    assert not edits.indexed(2)
    assert edits.indexed(3)
    assert edits.names() == ()


def test_forgetting_records_says_whether_any_was_live() -> None:
    edits = LiveEdits()
    edits.edit(["papers/a.html", "papers/b.html"], 1)
    assert not edits.forget(["papers/c.html"])
    assert edits.forget(["papers/a.html", "papers/c.html"])
    assert edits.names() == ("papers/b.html",)


def test_the_manifest_supersedes_pagefinds_urls_of_the_records_sorted() -> None:
    manifest = live_manifest("4/", ["en_2", "en_1"], ["papers/b.html", "papers/a.html"])
    assert manifest == {
        "bundle": "4/",
        "pages": ["en_1", "en_2"],
        "supersedes": ["/papers/a.html", "/papers/b.html"],
    }


def live_index(project: Path) -> LiveIndex:
    return LiveIndex(project / RECORDS, project / "site", _executable(), PAGEFIND_OPTIONS)


def manifest_of(project: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((project / "site" / LIVE_FOLDER / LIVE_FILE).read_text())
    return data


def test_the_live_bundle_holds_the_staged_records_and_names_their_pages(tmp_path: Path) -> None:
    write_records(tmp_path, 5)
    live = live_index(tmp_path)
    live.start()
    assert manifest_of(tmp_path) == {"bundle": None, "pages": [], "supersedes": []}
    staged, names = live.stage(["papers/paper-001.html", "papers/paper-003.html"])
    # The record is rewritten after staging: the live bundle holds what was staged.
    (tmp_path / RECORDS / "papers" / "paper-001.html").write_text(record("Later", "text"))
    live.index(staged, names)
    manifest = manifest_of(tmp_path)
    assert manifest["supersedes"] == ["/papers/paper-001.html", "/papers/paper-003.html"]
    bundle = tmp_path / "site" / LIVE_FOLDER / str(manifest["bundle"])
    fragments = sorted(p.stem for p in (bundle / "fragment").glob("*.pf_fragment"))
    assert manifest["pages"] == fragments and len(fragments) == 2
    assert (bundle / "pagefind-entry.json").is_file()
    assert not staged.exists()


def test_a_deleted_record_is_superseded_by_no_bundle(tmp_path: Path) -> None:
    write_records(tmp_path, 2)
    live = live_index(tmp_path)
    (tmp_path / RECORDS / "papers" / "paper-000.html").unlink()
    live.index(*live.stage(["papers/paper-000.html"]))
    assert manifest_of(tmp_path) == {
        "bundle": None,
        "pages": [],
        "supersedes": ["/papers/paper-000.html"],
    }


def test_an_older_live_index_never_replaces_a_newer_one(tmp_path: Path) -> None:
    write_records(tmp_path, 3)
    live = live_index(tmp_path)
    older = live.stage(["papers/paper-000.html"])
    newer = live.stage(["papers/paper-000.html", "papers/paper-001.html"])
    for staged in (newer, older):  # their threads ran in this order
        live.index(*staged)
    assert len(manifest_of(tmp_path)["supersedes"]) == 2  # type: ignore[arg-type]
    for _ in range(3):
        live.index(*live.stage(["papers/paper-002.html"]))
    kept = sorted(p.name for p in (tmp_path / "site" / LIVE_FOLDER).iterdir() if p.is_dir())
    assert kept == ["4", "5"]  # the newest and the one before


def test_the_shards_file_names_the_live_folder_under_serve_only(tmp_path: Path) -> None:
    write_records(tmp_path, 3)
    SearchIndex(tmp_path).update(tmp_path / "built")
    assert json.loads((tmp_path / "built" / SHARDS_FILE).read_text()) == {"shards": []}
    SearchIndex(tmp_path, live=LIVE_FOLDER).update(tmp_path / "served")
    listed = json.loads((tmp_path / "served" / SHARDS_FILE).read_text())
    assert listed == {"shards": [], "live": LIVE_FOLDER}


def wait_for(check: object, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.05)


def test_serve_indexes_a_rebuilds_records_live_then_drops_them_once_fully_indexed(
    tmp_path: Path,
) -> None:
    write_records(tmp_path, 4)
    indexing = ServeIndexing(tmp_path, threading.Lock())
    config = {"site_dir": str(tmp_path / "site")}
    indexing.on_pre_build(config)
    indexing.on_post_build(config)  # the first build: every shard, and an empty manifest
    assert indexing.running is not None
    indexing.running.join()
    (tmp_path / RECORDS / "papers" / "paper-002.html").write_text(record("Edited", "now"))
    indexing.edited({"search/papers/paper-002.html", "docs/papers/paper-002.md"})
    wait_for(lambda: manifest_of(tmp_path)["supersedes"] == ["/papers/paper-002.html"])
    assert manifest_of(tmp_path)["bundle"] is not None
    indexing.on_pre_build(config)
    indexing.on_post_build(config)  # the full index of that rebuild holds the edit
    indexing.running.join()
    wait_for(lambda: manifest_of(tmp_path)["supersedes"] == [])
    # A change of more records than the live limit is left to the full index.
    many = {f"search/papers/paper-{i:03d}.html" for i in range(LIVE_LIMIT + 1)}
    indexing.edited(many)
    assert indexing.edits.names() == ()
