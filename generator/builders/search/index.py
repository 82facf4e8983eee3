"""The search index: Pagefind over one small HTML record per paper and per topic, in shards.

The records (templates/search_record.html.j2, generated into build/search/ beside the
Markdown) hold just what should be found: titles, authors, abstract and notes, a topic's
description; listing pages, never indexed, cannot drown the papers they list. Indexing them
needs nothing from the site builder, so it runs beside any builder's build.

The index is split into shards (shards.py), each a Pagefind bundle of its own, kept in the
project's cache folder (build/.search-index/, one folder per shard named by its digest) and
built by Pagefind's CLI over a folder of just that shard's records. An edit re-indexes its
shard alone; the others are reused; a clean build indexes every shard the same way, so the
bundle is the same bytes either way. The site's bundle (site/pagefind/) is the first shard's,
Pagefind's scripts with it, each other shard in a folder of its own (shard-NN/) and a list of
those folders (SHARDS_FILE) that the header search merges at query time (search-engine.js).
With a list of up to 3,000 records, there is one shard: Pagefind's own bundle, as it writes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import logging
import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from generator.builders.reuse_folder import link_or_copy, sync_folder
from generator.builders.search import shards as sharding
from generator.builders.search.shards import Shard, plan_shards, stale_shards
from generator.children import child_setup
from generator.errors import BuildError, os_errors
from generator.incremental.write import RACY_NS, Stamp, file_stamp, replace_file
from generator.render import urls

log = logging.getLogger(__name__)

RECORDS = "search"
"""The folder of the generated project that holds the search records."""
CACHE = ".search-index"
"""The folder of the generated project that holds each shard's bundle."""
DIGESTS = ".search-digests.json"
"""In the generated project: each record's digest and the stamp of its file when hashed,
so that a new process (a `build` after an edit) hashes only the records that changed: all
10,000 of them took a second before Pagefind could start."""
SHARDS_FILE = urls.SEARCH_SHARDS.removeprefix(urls.SEARCH_BUNDLE)
"""In the site's bundle: the folders of the shards merged into the first one."""
MERGED_PARTS = ("pagefind-entry.json", "index", "fragment", "filter")
"""What a merged shard's bundle needs (with its .pf_meta file): the first shard's scripts
and WebAssembly serve every shard."""
PAGEFIND_OPTIONS = ("--force-language", "en", "--quiet")


def _salt() -> str:
    """What, besides the records, a shard's bundle depends on: Pagefind and its options."""
    try:
        version = importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return f"pagefind {version} {' '.join(PAGEFIND_OPTIONS)}"


def _executable() -> str:
    from pagefind.service import get_executable

    path = get_executable()
    if path is None:
        raise BuildError("Pagefind is not installed: pip install 'pagefind[bin]' (make install)")
    return str(path)


def pagefind_command(executable: str, site: Path, output: Path) -> list[str]:
    """Pagefind's command line over the records folder `site`, into the bundle `output`."""
    return [executable, "--site", str(site.resolve()), "--output-path", str(output.resolve())]


def pagefind_env() -> dict[str, str]:
    """Pagefind's environment: one thread. Beside a site build the builder is the longer
    job, and with more threads Pagefind only spent more time in the kernel."""
    return dict(os.environ, RAYON_NUM_THREADS="1")


def _files(source: Path, prefix: str) -> dict[str, str]:
    """The files of `source` (a file, or a folder's files at any depth) by their path
    under `prefix`, each with its own path."""
    if not source.is_dir():
        return {prefix: str(source)}
    files = {}
    for folder, _, names in os.walk(source):
        inside = os.path.relpath(folder, source).replace(os.sep, "/")
        for name in names:
            path = name if inside == "." else f"{inside}/{name}"
            files[f"{prefix}/{path}" if prefix else path] = f"{folder}/{name}"
    return files


def hash_file(path: str) -> str:
    """A record's digest."""
    with open(path, "rb") as file:
        return hashlib.blake2b(file.read(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class Prepared:
    """What SearchIndex.prepare() found: every shard, the stale ones (their records linked
    into a folder each), and when it started."""

    shards: tuple[Shard, ...]
    stale: tuple[Shard, ...]
    started: float


class SearchIndex:
    """The sharded index of one generated project: `update(bundle)` re-indexes the shards
    whose records changed and writes the merged bundle; `cancel()` stops it from another
    thread. One instance may serve many updates (serve keeps one): what it hashed is
    remembered by file identity, so an update reads only the records that changed."""

    def __init__(
        self, project: Path, nice: int = 0, per_shard: int | None = None, live: str | None = None
    ) -> None:
        self.records = project / RECORDS
        self.live = live
        """Under serve: the folder of the live bundles (live.py), named in the shards file."""
        self.cache = project / CACHE
        self.nice = nice
        self.per_shard = per_shard
        self._hashed: dict[str, tuple[Stamp, str]] = self._load_digests()
        self._rehashed = 0
        self._process: subprocess.Popen[str] | None = None
        self._cancelled = threading.Event()

    def plan(self) -> tuple[Shard, ...]:
        """The shards of the records as they are on disk now."""
        per_shard = self.per_shard or sharding.SHARD_RECORDS  # read here: tests change it
        hashed_at = time.time_ns()
        digests = self._record_digests()
        if self._rehashed or len(self._hashed) != len(digests):
            self._hashed = {name: self._hashed[name] for name in digests}  # the records now
            self._save_digests(hashed_at)
        return plan_shards(digests, _salt(), per_shard)

    def _load_digests(self) -> dict[str, tuple[Stamp, str]]:
        """The record digests a last update saved, those it could trust (see RACY_NS)."""
        try:
            data = json.loads((self.records.parent / DIGESTS).read_text(encoding="utf-8"))
            since = int(data["hashed_at"]) - RACY_NS
            return {
                name: ((int(mtime), int(size), int(ino)), str(digest))
                for name, (mtime, size, ino, digest) in data["records"].items()
                if int(mtime) < since
            }
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return {}  # none yet, or not one this version wrote: every record is hashed

    def _save_digests(self, hashed_at: int) -> None:
        records = {name: [*stamp, digest] for name, (stamp, digest) in self._hashed.items()}
        text = json.dumps({"hashed_at": hashed_at, "records": records}, sort_keys=True)
        with os_errors("write", self.records.parent / DIGESTS):
            replace_file(self.records.parent / DIGESTS, text.encode())
        self._rehashed = 0

    def update(self, bundle: Path) -> tuple[Shard, ...]:
        """Index what changed and make `bundle` the site's search bundle (built beside it,
        then renamed in place); the shards indexed. BuildError if Pagefind fails."""
        return self.run(self.prepare(), bundle)

    def prepare(self) -> Prepared:
        """update()'s first part, all of it file system calls (tens of thousands at 10,000
        papers): the shards, and a folder of records for each stale one. Run in a thread
        beside a busy one, each call waited for the other's hold on the interpreter, so
        a build does this in its main thread and leaves only Pagefind's run to another."""
        started = time.perf_counter()
        shards = self.plan()
        if not shards:
            raise BuildError(f"no search records in {self.records}: nothing to index")
        with os_errors("create", self.cache):
            self.cache.mkdir(parents=True, exist_ok=True)
        self._remove_unfinished()
        cached = [p.name for p in self.cache.iterdir() if p.is_dir()]
        stale = stale_shards(shards, cached)
        for shard in stale:
            self._link_records(shard)
        return Prepared(shards, stale, started)

    def run(self, prepared: Prepared, bundle: Path) -> tuple[Shard, ...]:
        """update()'s second part: Pagefind over each stale shard, then the bundle."""
        stale = prepared.stale
        for shard in stale:
            # An edit's one shard is indexed at the builder's priority: its pages render in
            # seconds, and a niced Pagefind on a busy machine ended long after them.
            self._index(shard, self.nice if len(stale) > 1 else 0)
        self._write_bundle(prepared.shards, bundle)
        self._remove_unused({shard.digest for shard in prepared.shards})
        log.info(
            "search index: %d of %d shards indexed in %.1fs",
            len(stale),
            len(prepared.shards),
            time.perf_counter() - prepared.started,
        )
        return stale

    def cancel(self) -> None:
        """Stop the update under way (from another thread): Pagefind is killed at once."""
        self._cancelled.set()
        process = self._process
        if process is not None:
            with contextlib.suppress(OSError):
                process.kill()

    def _record_digests(self) -> dict[str, str]:
        digests: dict[str, str] = {}
        base = str(self.records)
        with os_errors("read", self.records):
            for folder, subfolders, files in os.walk(base):
                subfolders.sort()
                for file in sorted(files):
                    if not file.endswith(".html"):
                        continue
                    path = f"{folder}/{file}"
                    name = os.path.relpath(path, base).replace(os.sep, "/")
                    digests[name] = self._digest_of(name, path)
        return digests

    def _digest_of(self, name: str, path: str) -> str:
        stamp = file_stamp(path)
        known = self._hashed.get(name)
        if known is not None and known[0] == stamp:
            return known[1]
        digest = hash_file(path)
        self._hashed[name] = (stamp, digest)
        self._rehashed += 1
        return digest

    def _link_records(self, shard: Shard) -> None:
        """The folder Pagefind indexes for `shard`: hard links to its records, which are
        only read while it is indexed."""
        site = self.cache / f"{shard.digest}.records"
        with os_errors("write", site):
            for name in shard.records:
                target = site / name
                target.parent.mkdir(parents=True, exist_ok=True)
                link_or_copy(str(self.records / name), str(target))

    def _index(self, shard: Shard, nice: int) -> None:
        """Pagefind over the shard's folder of records (_link_records), into the cache."""
        site = self.cache / f"{shard.digest}.records"
        output = self.cache / f"{shard.digest}.partial"
        if self._cancelled.is_set():
            shutil.rmtree(site, ignore_errors=True)
            raise BuildError("search indexing was stopped")
        self._process = subprocess.Popen(
            [*pagefind_command(_executable(), site, output), *PAGEFIND_OPTIONS],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=pagefind_env(),
            # Killed with the thread that started it: a killed build leaves no indexer.
            preexec_fn=child_setup(nice=nice) if os.name == "posix" else None,
        )
        try:
            if self._cancelled.is_set():  # cancelled while it started: kill() missed it
                self._process.kill()
            output_text, _ = self._process.communicate()
            status = self._process.returncode
        finally:
            self._process = None
            shutil.rmtree(site, ignore_errors=True)
        if self._cancelled.is_set() or status != 0:
            # Nothing half-built stays behind, even when the next update never comes.
            shutil.rmtree(output, ignore_errors=True)
        if self._cancelled.is_set():
            raise BuildError("search indexing was stopped")
        if status != 0:
            raise BuildError(f"Pagefind failed: {output_text.strip()[-2000:]}")
        with os_errors("move", output):
            output.rename(self.cache / shard.digest)

    def _write_bundle(self, shards: tuple[Shard, ...], bundle: Path) -> None:
        staging = bundle.with_name(bundle.name + ".partial")
        old = bundle.with_name(bundle.name + ".old")
        with os_errors("write", staging):
            # The staging folder may hold the last build's bundle (commands/build.py puts the
            # spare site's there): the files of unchanged shards stay, links to the cache.
            first, *merged = shards
            files = _files(self.cache / first.digest, "")
            folders = []
            for shard in merged:
                folder = f"shard-{shard.number:02d}"
                for part in sorted((self.cache / shard.digest).iterdir()):
                    if part.name in MERGED_PARTS or part.suffix == ".pf_meta":
                        files.update(_files(part, f"{folder}/{part.name}"))
                folders.append(f"{folder}/")
            files.pop(SHARDS_FILE, None)  # written below, as a new file
            sync_folder(staging, files)
            listed: dict[str, object] = {"shards": folders}
            if self.live is not None:
                listed["live"] = self.live
            text = json.dumps(listed, indent=1) + "\n"
            (staging / SHARDS_FILE).write_text(text, encoding="utf-8")
        with os_errors("replace", bundle):
            shutil.rmtree(old, ignore_errors=True)
            if bundle.exists():
                bundle.rename(old)
            staging.rename(bundle)
            shutil.rmtree(old, ignore_errors=True)

    def _remove_unfinished(self) -> None:
        """What a killed update left in the cache: half-built bundles, record folders."""
        for path in self.cache.iterdir():
            if path.suffix in (".partial", ".records"):
                shutil.rmtree(path, ignore_errors=True)

    def _remove_unused(self, digests: set[str]) -> None:
        with os_errors("clean", self.cache):
            for path in self.cache.iterdir():
                if path.name not in digests:
                    # Renamed first: a removal cut short (serve stopped mid-way) left a
                    # half-deleted folder under its digest, taken later for that shard's
                    # bundle (no wasm file: the search failed). A .partial one is cleared.
                    doomed = path.with_name(f"{path.name}.partial")
                    if path.suffix != ".partial":
                        path.rename(doomed)
                    shutil.rmtree(doomed if doomed.exists() else path, ignore_errors=True)


class Indexer:
    """An update of the project's index (the records folder's parent) into `bundle`, run
    in a thread while the caller builds the pages: `finish()` waits for it and raises what
    it raised; `cancel()` stops it."""

    def __init__(
        self,
        records: Path,
        bundle: Path,
        nice: int = 10,
        live: str | None = None,
        *,
        prepare_here: bool = False,
    ) -> None:
        """`prepare_here`: do SearchIndex.prepare() in the caller's thread before starting
        (the caller goes on with other work in Python: see prepare())."""
        self.index = SearchIndex(records.parent, nice=nice, live=live)
        self.bundle = bundle
        self.error: BaseException | None = None
        prepared = self.index.prepare() if prepare_here else None
        self.thread = threading.Thread(
            target=self._run, args=(prepared,), name="search-index", daemon=True
        )
        self.thread.start()

    def _run(self, prepared: Prepared | None) -> None:
        try:
            self.index.run(prepared or self.index.prepare(), self.bundle)
        except BaseException as error:  # handed to finish(), in the caller's thread
            self.error = error

    def finish(self) -> None:
        """Wait for the index; raise BuildError (or the OS problem) if it failed."""
        self.thread.join()
        if self.error is not None:
            raise self.error

    def cancel(self) -> None:
        self.index.cancel()
        self.thread.join()
        shutil.rmtree(self.bundle.with_name(self.bundle.name + ".partial"), ignore_errors=True)
