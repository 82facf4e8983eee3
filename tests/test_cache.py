"""The build cache is data that cannot run code when read; a cache that cannot be used is
discarded with one line of notice, and the build redoes everything and writes a good one."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import os
import pickle
import random
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from generator.commands.build import generate
from generator.incremental import cache as cache_module
from generator.incremental.cache import CACHE_FILE, load_cache, save_cache
from generator.incremental.generator import Generator
from generator.relate.similar import compute_similarity, update_similarity

from .conftest import CORPUS, FIXTURES, ROOT


class Payload:
    """What a planted pickle does when unpickled: here, create the file `marker`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[Path]]:
        return (Path.touch, (self.marker,))


def test_the_planted_payload_does_run_when_unpickled(tmp_path: Path) -> None:
    # Without this, the tests below could pass with a payload that never runs.
    marker = tmp_path / "ran"
    pickle.loads(pickle.dumps(Payload(marker)))
    assert marker.exists()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The golden fixture generated once into build/, with a good cache; cwd is the project."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(FIXTURES / "golden" / "content", tmp_path / "content")
    for path in (tmp_path / "content").rglob("*.yaml"):
        os.utime(path, (time.time() - 100, time.time() - 100))
    generate(tmp_path / "content", ROOT / "templates", tmp_path / "build")
    assert (tmp_path / "build" / CACHE_FILE).is_file()
    return tmp_path


def _npz(**arrays: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=True, **arrays)
    return buffer.getvalue()


def _rewrite_json(good: bytes, change: Callable[[dict[str, object]], None]) -> bytes:
    """The good cache with its JSON member changed."""
    with np.load(io.BytesIO(good)) as stored:
        arrays = {name: stored[name] for name in stored.files}
    data = json.loads(arrays["cache"].tobytes())
    change(data)
    arrays["cache"] = np.frombuffer(json.dumps(data).encode(), np.uint8)
    return _npz(**arrays)


def _wrong_year(data: dict[str, object]) -> None:
    files = data["papers"]["files"]  # type: ignore[index]
    files[0][4][5] = "2024"  # a year as text, which no build writes


# Each: what is planted at build/.readinglist-cache.npz, and the notice it must get.
PLANTED: dict[str, tuple[Callable[[bytes, Path], bytes], str]] = {
    "a pickle that would run code": (
        lambda good, marker: pickle.dumps(Payload(marker)),
        "is not a readinglist cache",
    ),
    "garbage": (lambda good, marker: b"\x00\xffnot a cache at all", "is not a readinglist cache"),
    "an empty file": (lambda good, marker: b"", "is not a readinglist cache"),
    "a truncated cache": (lambda good, marker: good[: len(good) // 2], "is damaged"),
    "an npz holding a pickled object": (
        lambda good, marker: _npz(cache=np.array([Payload(marker)], dtype=object)),
        "is damaged",
    ),
    "an npz of something else": (lambda good, marker: _npz(x=np.zeros(3)), "is damaged"),
    "a cache of another version": (
        lambda good, marker: _rewrite_json(good, lambda data: data.update(schema="0" * 16)),
        "is from another version",
    ),
    "a cache with a value of the wrong type": (
        lambda good, marker: _rewrite_json(good, _wrong_year),
        "is damaged",
    ),
}


@pytest.mark.parametrize("planted", PLANTED, ids=str)
def test_an_unusable_cache_runs_nothing_and_is_discarded_with_one_line(
    planted: str,
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    make, notice = PLANTED[planted]
    cache_file = project / "build" / CACHE_FILE
    marker = project / "payload-ran"
    cache_file.write_bytes(make(cache_file.read_bytes(), marker))
    (project / "build" / "docs" / "index.md").write_text("edited by hand")

    def no_unpickling(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cache was unpickled")

    with monkeypatch.context() as patched, caplog.at_level(logging.INFO):
        patched.setattr(pickle, "load", no_unpickling)
        patched.setattr(pickle, "loads", no_unpickling)
        _, report = generate(project / "content", ROOT / "templates", project / "build")
    assert not marker.exists()
    lines = [r.getMessage() for r in caplog.records if r.name == cache_module.__name__]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"cache build/{CACHE_FILE} {notice}")
    assert lines[0].endswith("; rebuilding")
    assert report.written == ["docs/index.md"]  # every page checked again, the right one kept
    # ...and a good cache was written in its place.
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert load_cache(cache_file).pages
    assert caplog.records == []


def test_a_cache_of_the_pickle_era_is_never_read_and_is_removed(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    legacy = project / "build" / ".readinglist-cache.pickle"
    marker = project / "payload-ran"
    legacy.write_bytes(pickle.dumps(Payload(marker)))
    with caplog.at_level(logging.INFO, logger="generator.incremental.cache"):
        generate(project / "content", ROOT / "templates", project / "build")
    assert not marker.exists() and not legacy.exists()
    notices = [r.getMessage() for r in caplog.records if r.name == "generator.incremental.cache"]
    assert notices == ["cache build/.readinglist-cache.pickle is from another version; rebuilding"]


def test_a_fifo_in_place_of_the_cache_is_not_opened(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache_file = project / "build" / CACHE_FILE
    cache_file.unlink()
    os.mkfifo(cache_file)  # opening it for reading would block the build for ever
    with caplog.at_level(logging.INFO, logger="generator.incremental.cache"):
        assert load_cache(cache_file).pages == {}
    assert [r.getMessage() for r in caplog.records] == [
        f"cache build/{CACHE_FILE} is not a regular file; rebuilding"
    ]


def test_a_saved_cache_reads_back_equal_and_updates_exactly(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CORPUS, content)
    for path in content.rglob("*.yaml"):
        os.utime(path, (time.time() - 100, time.time() - 100))
    generator = Generator(content, ROOT / "templates", tmp_path / "build")
    generator.write(generator.relate(generator.load()))
    assert generator.save()
    assert not generator.save()  # nothing changed since: nothing to write
    saved, loaded = generator.cache, load_cache(generator.cache_file)
    assert loaded.papers == saved.papers
    assert loaded.pages == saved.pages and len(loaded.pages) > 800
    assert loaded.templates == saved.templates
    assert saved.similarity is not None and loaded.similarity is not None
    old, new = saved.similarity, loaded.similarity
    assert (new.ids, new.digests, new.related) == (old.ids, old.digests, old.related)
    for name in ("ranked", "scores", "complete"):
        assert np.array_equal(getattr(new, name), getattr(old, name)), name
    assert old.index is not None and new.index is not None
    assert (new.index.terms, new.index.vocabulary) == (old.index.terms, old.index.vocabulary)
    for name in ("counts", "matrix"):
        a, b = getattr(old.index, name), getattr(new.index, name)
        assert a.dtype == b.dtype and (a != b).nnz == 0, name

    # Edits update the read-back related papers to what computing them afresh gives, to
    # the bit, as they do those kept in memory (see test_related).
    papers = list(generator.load().papers)
    current, rng, updated = new, random.Random(3), 0
    for step in range(8):
        i, j = rng.randrange(len(papers)), rng.randrange(len(papers))
        if step % 2 == 0:  # a word no other paper has
            papers[i] = dataclasses.replace(papers[i], title=f"Quokka {papers[i].title}")
        else:
            abstract = (papers[i].abstract or "") + f" {papers[j].title}."
            papers[i] = dataclasses.replace(papers[i], abstract=abstract)
        update, fresh = update_similarity(current, papers), compute_similarity(papers)
        if update is not None:
            assert update.related == fresh.related, step
            updated += 1
        current = fresh if update is None else update
    assert updated >= 3


def test_the_cache_is_a_zip_of_plain_arrays_and_json(project: Path) -> None:
    cache_file = project / "build" / CACHE_FILE
    with zipfile.ZipFile(cache_file) as archive:
        names = archive.namelist()
    assert "cache.npy" in names and all(name.endswith(".npy") for name in names)
    with np.load(cache_file, allow_pickle=False) as stored:
        assert all(stored[name].dtype != object for name in stored.files)
        data = json.loads(stored["cache"].tobytes())
    assert data["format"] == "readinglist-cache"
    assert {f[4][0] for f in data["papers"]["files"]} == {"every-field", "hostile", "title-only"}
    save_cache(load_cache(cache_file), cache_file)
    assert sorted(
        p.name for p in cache_file.parent.iterdir() if p.name.startswith(".readinglist")
    ) == [CACHE_FILE]  # the partial file is gone once in place


def test_every_field_of_a_paper_survives_the_cache() -> None:
    """A paper read back from the cache equals the parsed one, field by field: a field the
    codec forgot (as `provenance` once was) would come back as its default."""
    import datetime as dt

    from generator.incremental.codec import decode_paper, encode_paper
    from generator.model import Link, Paper

    paper = Paper(
        id="p",
        title="T",
        path="papers/p.yaml",
        abstract="A.",
        authors=("Ada", "Bob"),
        year=2020,
        venue="V",
        links=(Link("arxiv", "2001.00001", "https://arxiv.org/abs/2001.00001"),),
        topics=("t",),
        status="read",
        added=dt.date(2021, 2, 3),
        notes="N",
        sources=("s",),
        provenance=("year: crossref 2026-01-01",),
        sort_title="t",
        excerpt="A.",
    )
    defaults = Paper(id="other", title="Other", path="papers/other.yaml")
    for field in dataclasses.fields(Paper):
        assert getattr(paper, field.name) != getattr(defaults, field.name), field.name
    assert decode_paper(json.loads(json.dumps(encode_paper(paper)))) == paper
