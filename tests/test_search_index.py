"""The sharded search index: which shard a record belongs to (stable, one shard per edit),
and an incremental re-index that writes the same bytes as a clean one."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from generator.builders.search import index as index_module
from generator.builders.search.index import CACHE, DIGESTS, RECORDS, SHARDS_FILE, SearchIndex
from generator.builders.search.shards import plan_shards, shard_count, shard_of
from generator.incremental.write import RACY_NS

from .conftest import ROOT


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def record(title: str, text: str) -> str:
    return f'<html lang="en"><body data-pagefind-body><h1>{title}</h1><p>{text}</p></body></html>\n'


def write_records(project: Path, count: int) -> None:
    for i in range(count):
        path = project / RECORDS / "papers" / f"paper-{i:03d}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(record(f"Paper {i} zebra{i}", f"words about topic {i % 7}"))
    topic = project / RECORDS / "topics" / "agents.html"
    topic.parent.mkdir(parents=True, exist_ok=True)
    topic.write_text(record("Agents", "a topic"))


def test_shard_count_is_the_fewest_powers_of_two() -> None:
    assert shard_count(0) == shard_count(1) == shard_count(3000) == 1
    assert shard_count(3001) == 2
    assert shard_count(10_000) == 4
    assert shard_count(10, per_shard=3) == 4


def test_a_records_shard_is_the_same_in_every_process() -> None:
    names = [f"papers/paper-{i}.html" for i in range(50)]
    here = [shard_of(name, 16) for name in names]
    assert len(set(here)) > 4  # spread, not all in one
    code = (
        "import json, sys; from generator.builders.search.shards import shard_of; "
        "print(json.dumps([shard_of(n, 16) for n in json.loads(sys.argv[1])]))"
    )
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run(
            [sys.executable, "-c", code, json.dumps(names)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert json.loads(result.stdout) == here


def test_an_edit_an_addition_or_a_removal_changes_one_shard() -> None:
    records = {f"papers/p{i}.html": f"digest {i}" for i in range(40)}
    before = {s.number: s.digest for s in plan_shards(records, "salt", per_shard=8)}
    assert len(before) == 8
    edited = dict(records, **{"papers/p7.html": "edited"})
    added = dict(records, **{"papers/new.html": "new"})
    removed = {k: v for k, v in records.items() if k != "papers/p3.html"}
    for changed in (edited, added, removed):
        after = {s.number: s.digest for s in plan_shards(changed, "salt", per_shard=8)}
        assert len([n for n in after if after[n] != before.get(n)]) == 1
    # How records are indexed is part of every shard's identity.
    other = {s.number: s.digest for s in plan_shards(records, "other", per_shard=8)}
    assert all(other[n] != before[n] for n in before)


def test_an_incremental_reindex_is_byte_identical_to_a_clean_one(tmp_path: Path) -> None:
    project, clean = tmp_path / "project", tmp_path / "clean"
    write_records(project, 40)
    index = SearchIndex(project, per_shard=8)
    first = index.update(tmp_path / "site" / "pagefind")
    assert len(first) == 8  # all indexed
    bundle = tmp_path / "site" / "pagefind"
    folders = json.loads((bundle / SHARDS_FILE).read_text())["shards"]
    assert len(folders) == 7 and all(
        (bundle / f / "pagefind-entry.json").is_file() for f in folders
    )
    assert (bundle / "pagefind.js").is_file()
    # One record edited: one shard indexed again, from a fresh process's point of view too.
    (project / RECORDS / "papers" / "paper-007.html").write_text(record("Edited quokka", "x"))
    again = SearchIndex(project, per_shard=8).update(bundle)
    assert [s.records for s in again] == [
        s.records for s in index.plan() if "papers/paper-007.html" in s.records
    ]
    shutil.copytree(project / RECORDS, clean / RECORDS)
    SearchIndex(clean, per_shard=8).update(tmp_path / "clean-site" / "pagefind")
    assert tree_digest(bundle) == tree_digest(tmp_path / "clean-site" / "pagefind")
    # The cache holds the current shards only, and nothing half-written is left.
    assert sorted(p.name for p in (project / CACHE).iterdir()) == sorted(
        s.digest for s in index.plan()
    )
    assert not list(tmp_path.rglob("*.partial")) and not list(tmp_path.rglob("*.old"))
    # Nothing changed: nothing indexed, the same bytes.
    before = tree_digest(bundle)
    assert SearchIndex(project, per_shard=8).update(bundle) == ()
    assert tree_digest(bundle) == before


def test_a_small_list_is_one_plain_pagefind_bundle(tmp_path: Path) -> None:
    write_records(tmp_path, 5)
    bundle = tmp_path / "site" / "pagefind"
    SearchIndex(tmp_path).update(bundle)
    assert json.loads((bundle / SHARDS_FILE).read_text()) == {"shards": []}
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 6


def test_a_removal_cut_short_never_leaves_a_shard_bundle_to_reuse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Serve stopped while an update removed an unused shard: when the records come back to
    that state, the shard is indexed again, not taken half-deleted from the cache."""
    write_records(tmp_path, 4)
    bundle = tmp_path / "site"
    SearchIndex(tmp_path).update(bundle)
    first = {p.name for p in (tmp_path / CACHE).iterdir()}
    original = (tmp_path / RECORDS / "papers" / "paper-001.html").read_text()
    (tmp_path / RECORDS / "papers" / "paper-001.html").write_text(record("Edited", "x"))
    rmtree = shutil.rmtree

    def cut_short(path: Path, ignore_errors: bool = False) -> None:
        # An unused bundle's first file goes, then the process is killed.
        if Path(path).parent == tmp_path / CACHE and not str(path).endswith(".records"):
            next(p for p in Path(path).rglob("*") if p.is_file()).unlink()
            raise KeyboardInterrupt
        rmtree(path, ignore_errors=ignore_errors)

    monkeypatch.setattr(shutil, "rmtree", cut_short)
    with pytest.raises(KeyboardInterrupt):
        SearchIndex(tmp_path).update(bundle)
    monkeypatch.setattr(shutil, "rmtree", rmtree)
    (tmp_path / RECORDS / "papers" / "paper-001.html").write_text(original)
    assert SearchIndex(tmp_path).update(bundle)  # indexed again: the cached one was cut short
    assert {p.name for p in (tmp_path / CACHE).iterdir()} == first
    assert (bundle / "wasm.en.pagefind").is_file()


def test_a_bundle_started_from_the_last_one_keeps_its_links_and_ends_as_a_clean_one(
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    write_records(project, 40)
    bundle = tmp_path / "site" / "pagefind"
    SearchIndex(project, per_shard=8).update(bundle)
    cached = tree_digest(project / CACHE)
    # As a build does with the spare site's bundle: it becomes the staging folder, here with
    # a file of no shard's and a shards list that must not be written through its link.
    staging = bundle.with_name(bundle.name + ".partial")
    bundle.rename(staging)
    (staging / "stray.txt").write_text("not in any shard")
    kept = (staging / "pagefind-entry.json").stat().st_ino
    edited = SearchIndex(project, per_shard=8).plan()[-1].records[0]  # not the first shard's
    (project / RECORDS / edited).write_text(record("Edited quokka", "x"))
    again = SearchIndex(project, per_shard=8).update(bundle)
    assert len(again) == 1 and not staging.exists()
    clean = tmp_path / "clean"
    shutil.copytree(project / RECORDS, clean / RECORDS)
    SearchIndex(clean, per_shard=8).update(tmp_path / "clean-site" / "pagefind")
    assert tree_digest(bundle) == tree_digest(tmp_path / "clean-site" / "pagefind")
    assert (bundle / "pagefind-entry.json").stat().st_ino == kept  # the first shard's, kept
    # The cache's unchanged shards are as they were: nothing was written through a link.
    unchanged = {p: d for p, d in cached.items() if p.split("/")[0] in os.listdir(project / CACHE)}
    assert {p: d for p, d in tree_digest(project / CACHE).items() if p in unchanged} == unchanged


def test_an_edits_lone_shard_is_indexed_at_normal_priority(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import children
    from generator.builders.search import index as index_module

    asked: list[int] = []
    real = children.child_setup

    def recording(nice: int = 0) -> Any:
        asked.append(nice)
        return real(nice)

    monkeypatch.setattr(index_module, "child_setup", recording)
    write_records(tmp_path, 20)
    bundle = tmp_path / "site" / "pagefind"
    SearchIndex(tmp_path, nice=10, per_shard=8).update(bundle)
    assert len(asked) > 1 and set(asked) == {10}  # a full index leaves the cores to the build
    asked.clear()
    (tmp_path / RECORDS / "papers" / "paper-003.html").write_text(record("Edited", "x"))
    assert len(SearchIndex(tmp_path, nice=10, per_shard=8).update(bundle)) == 1
    assert asked == [0]


def test_a_new_process_hashes_only_the_records_changed_since_the_last_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_records(tmp_path, 20)
    long_ago = time.time_ns() - 10 * RACY_NS
    for path in (tmp_path / RECORDS).rglob("*.html"):
        os.utime(path, ns=(long_ago, long_ago))
    first = SearchIndex(tmp_path, per_shard=8).plan()
    hashed: list[str] = []
    real = index_module.hash_file

    def counting(path: str) -> str:
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(index_module, "hash_file", counting)
    assert SearchIndex(tmp_path, per_shard=8).plan() == first  # a new process: nothing read
    assert hashed == []
    edited = tmp_path / RECORDS / "papers" / "paper-004.html"
    edited.write_text(record("Paper 4 edited", "other words"))
    (tmp_path / RECORDS / "papers" / "paper-007.html").unlink()
    again = SearchIndex(tmp_path, per_shard=8).plan()
    assert len(hashed) == 1  # the edited one alone (its stamp changed)
    assert again != first
    saved = json.loads((tmp_path / DIGESTS).read_text())["records"]
    assert "papers/paper-007.html" not in saved and "papers/paper-004.html" in saved
    # A record written just before its digest was saved is not trusted: hashed again.
    hashed.clear()
    SearchIndex(tmp_path, per_shard=8).plan()
    assert len(hashed) == 1
