"""`readinglist build`: generate the Markdown project, then build it into a fresh folder and
swap that into site/ only if everything succeeded."""

from __future__ import annotations

import calendar
import contextlib
import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from generator.builders import DEFAULT_BUILDER, get_builder
from generator.builders.base import SiteBuilder
from generator.builders.pagefind import RECORDS, Indexer
from generator.commands.lock import project_lock
from generator.errors import BuildError, os_errors
from generator.incremental.generator import Generator
from generator.incremental.related_process import RelatedProcess
from generator.incremental.write import WriteReport
from generator.model import ReadingList
from generator.render import urls

log = logging.getLogger(__name__)


def generate(
    content: Path,
    templates: Path,
    out: Path,
    builder: SiteBuilder | None = None,
    site_url: str | None = None,
) -> tuple[ReadingList, WriteReport]:
    """Validate everything first, then write the Markdown project (only changed files).
    `site_url`, where the site is published (the deploy's), is used if site.yaml has none."""
    generator, reading_list, report = _generate(content, templates, out, builder, site_url)
    _save(generator)
    return reading_list, report


def _generate(
    content: Path,
    templates: Path,
    out: Path,
    builder: SiteBuilder | None,
    site_url: str | None,
    papers_written: Callable[[WriteReport], None] | None = None,
) -> tuple[Generator, ReadingList, WriteReport]:
    """generate(), the cache not saved yet; `papers_written` as relate_and_write's."""
    started = time.perf_counter()
    generator = Generator(content, templates, out, builder, site_url)
    with RelatedProcess() as child:
        reading_list = generator.load()
        if reading_list.site.url is None:
            log.warning(
                "warning: %s: url: not set (nor --site-url or READINGLIST_SITE_URL): feeds "
                "link relatively, the sitemap is empty, the 404 page is styled only at a "
                "domain's root, and feed ids come from %s; set it to the site's address",
                content / "site.yaml",
                "repo_url" if reading_list.site.repo_url else "the title (two lists may share it)",
            )
        report = generator.relate_and_write(reading_list, child, papers_written)
    log.info(
        "generated %d papers, %d topics in %.2fs",
        len(reading_list.papers),
        len(reading_list.topics),
        time.perf_counter() - started,
    )
    return generator, reading_list, report


def _save(generator: Generator) -> None:
    with os_errors("write", generator.cache_file):
        generator.save()  # if anything changed


def content_epoch(reading_list: ReadingList) -> int:
    """A build date that depends only on the content: the newest `added` date (or 2000-01-01)."""
    dates = [p.added for p in reading_list.papers if p.added]
    newest = max(dates).timetuple() if dates else time.struct_time((2000, 1, 1, 0, 0, 0, 5, 1, 0))
    return calendar.timegm(newest)


def build_site(
    content: Path,
    templates: Path,
    out: Path,
    site: Path,
    builder_name: str = DEFAULT_BUILDER,
    site_url: str | None = None,
) -> None:
    """Generate and build into a fresh folder; replace `site` only if all of that succeeded.
    `site_url`: where the site is published, when site.yaml does not say (see generate).

    One build at a time (see lock); whatever stops it (an error, Ctrl-C, SIGTERM) leaves
    `site` as it was and no half-built folder beside it."""
    builder = get_builder(builder_name)
    with project_lock(out, "build"):
        folders = _Folders(site)
        folders.recover()
        try:
            _build_locked(content, templates, out, folders, builder, site_url)
        except BaseException:
            folders.remove_partial()
            _remove_temporary(out)
            raise


class _Folders:
    """site/ and the folders a build makes beside it, all on the same file system so that
    putting the new site in place is two renames."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.fresh = site.parent / f".{site.name}.new"
        self.old = site.parent / f".{site.name}.old"
        self.search = site.parent / f".{site.name}.pagefind"
        self.spare = site.parent / f".{site.name}.spare"
        """The site before the last, kept by the swap (hard links to the last site's files,
        mostly) for the next build to start from: see builders/reuse_folder.py."""

    def recover(self) -> None:
        """Undo what a killed build left: its half-built folders, and the previous site
        if the build was killed between the two renames of the swap."""
        if self.old.is_dir() and not self.site.exists():
            with os_errors("restore", self.site):
                self.old.rename(self.site)
        self.remove_partial()
        self._keep_old(True)

    def take_spare(self) -> None:
        """Start the fresh folder from the spare site, if there is one, and the search
        bundle's staging folder from the spare's bundle (the search index makes it right)."""
        if self.spare.is_dir() and not self.spare.is_symlink():
            with os_errors("move", self.spare):
                self.spare.rename(self.fresh)
            bundle = self.fresh / urls.SEARCH_BUNDLE
            if bundle.is_dir() and not bundle.is_symlink():
                with os_errors("move", bundle):
                    bundle.rename(self.staging)

    @property
    def staging(self) -> Path:
        """Where the search index builds its bundle before renaming it to `search`."""
        return self.search.with_name(self.search.name + ".partial")

    def _keep_old(self, keep: bool) -> None:
        """The replaced site becomes the spare, or is removed (`keep` false)."""
        if not (self.old.exists() or self.old.is_symlink()):
            return
        with os_errors("remove", self.spare):
            _remove_tree(self.spare)
        if keep and self.old.is_dir() and not self.old.is_symlink():
            with os_errors("move", self.old):
                self.old.rename(self.spare)
        with os_errors("remove", self.old):
            _remove_tree(self.old)

    def remove_partial(self) -> None:
        for folder in (self.fresh, self.search, self.staging):
            with os_errors("remove", folder):
                _remove_tree(folder)

    def swap(self, keep_spare: bool) -> None:
        """Put the fresh site in place of the old one; the old one back if that fails. The
        old one is then kept as the spare (`keep_spare`) or removed."""
        with os_errors("replace", self.site):
            if self.site.exists():
                self.site.rename(self.old)
            try:
                self.fresh.rename(self.site)
            except BaseException:
                if self.old.exists() and not self.site.exists():
                    self.old.rename(self.site)
                raise
        self._keep_old(keep_spare)


def _build_locked(
    content: Path,
    templates: Path,
    out: Path,
    folders: _Folders,
    builder: SiteBuilder,
    site_url: str | None,
) -> None:
    search = _SearchStart(out, folders, builder)
    try:
        generator, reading_list, report = _generate(
            content, templates, out, builder, site_url, search.start
        )
        indexer = search.after(report)
        log.info("building the site with %s, and the search index beside it...", builder.name)
        # The last site, from which the builder may take the pages that did not change.
        previous = folders.site.resolve() if folders.site.is_dir() else None
        with os_errors("write", folders.fresh):
            builder.update(out, folders.fresh.resolve(), previous, content_epoch(reading_list))
        # While Pagefind finishes (it often ends last): the pages and the search index no
        # longer wait for this (0.7 s at 10,000 papers). A build that fails before here
        # leaves the last cache, which finds the files written since changed on disk.
        _save(generator)
        indexer.finish()
        with os_errors("move", folders.search):
            folders.search.rename(folders.fresh / urls.SEARCH_BUNDLE)
    except BaseException:
        search.cancel()
        raise
    if not (folders.fresh / "index.html").is_file():
        raise BuildError("the builder produced no index.html; the previous site is kept")
    folders.swap(builder.builds_into_spare)
    log.info("site written to %s", folders.site)


class _SearchStart:
    """Starts the search index's update as soon as the search records are written. After
    an edit that is once the papers' own files are (`start`, relate_and_write's
    papers_written): Pagefind then runs on the other core while this process writes the
    listings and downloads. Otherwise, once the whole project is (`after`)."""

    def __init__(self, out: Path, folders: _Folders, builder: SiteBuilder) -> None:
        self.out = out
        self.folders = folders
        self.builder = builder
        self.indexer: Indexer | None = None
        self.early: set[str] = set()
        """The files written before the indexer started."""

    def start(self, papers: WriteReport) -> None:
        """relate_and_write's papers_written: the papers' own files are written."""
        self._start(set(papers.written), prepare_here=True)

    def _start(self, early: set[str], prepare_here: bool) -> Indexer:
        # The fresh folder and the bundle's staging folder first: the indexer builds there.
        if self.builder.builds_into_spare:
            self.folders.take_spare()
        else:
            with os_errors("remove", self.folders.spare):
                _remove_tree(self.folders.spare)
        self.early = early
        return self._new_indexer(prepare_here)

    def _new_indexer(self, prepare_here: bool) -> Indexer:
        # Prepared here when this process goes on writing: see SearchIndex.prepare().
        with os_errors("start the search indexer for", self.out / RECORDS):
            self.indexer = Indexer(
                self.out / RECORDS, self.folders.search, prepare_here=prepare_here
            )
        return self.indexer

    def after(self, report: WriteReport) -> Indexer:
        """The indexer, once the whole project is written: started now if it was not, and
        started again if a search record changed after it started (a topic's)."""
        if self.indexer is None:
            return self._start(set(), prepare_here=False)
        later = (set(report.written) - self.early) | set(report.removed)
        if not any(path.startswith(f"{RECORDS}/") for path in later):
            return self.indexer
        log.debug("search records written after the papers': indexing them again")
        self.indexer.cancel()
        return self._new_indexer(prepare_here=False)

    def cancel(self) -> None:
        if self.indexer is not None:
            self.indexer.cancel()


def _remove_tree(folder: Path) -> None:
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder)
    elif folder.exists() or folder.is_symlink():
        folder.unlink()


def _remove_temporary(out: Path) -> None:
    """The temporary files a failed write of the project may leave (the cache's)."""
    for partial in [*out.glob("*.tmp"), *out.glob(".*.tmp")]:
        with contextlib.suppress(OSError):
            partial.unlink()
