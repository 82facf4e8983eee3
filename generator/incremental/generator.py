"""The incremental generator: load -> relate -> render -> write, redoing only what changed.

What to redo is decided by the pure functions of reuse.py; this class holds what they are
fed: the cache (a value, replaced by each step that changes it, so "unsaved" is just whether
it is still the one on disk) and what this process saw, which a kept generator (serve)
reuses from one edit to the next.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from generator.builders import get_builder
from generator.builders.base import OwnerConfig, SiteBuilder
from generator.content.load import load_list_reusing
from generator.errors import BuildError, ContentError
from generator.incremental.cache import CACHE_FILE, load_cache, save_cache
from generator.incremental.related_process import RelatedProcess
from generator.incremental.render_write import log_report, render_and_write, static_copies
from generator.incremental.reuse import paper_plans
from generator.incremental.session import Session
from generator.incremental.write import WriteReport
from generator.model import ReadingList
from generator.relate.listing import Related, relate
from generator.relate.similar import Similarity, compute_similarity, update_similarity
from generator.render.nav import site_navigation
from generator.render.pages import PagePlan, plan_paper, plan_site

log = logging.getLogger(__name__)

__all__ = ["CACHE_FILE", "Generator", "static_copies"]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector off for a while. Loading, relating and rendering 10,000 papers
    make hundreds of thousands of small objects, none of them in cycles, and each collection
    walks everything alive (the whole list, and under serve the whole cache): about a third
    of a one-paper edit's time. Reference counting still frees what is dropped."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Generator:
    """Turns content/ into the Markdown project in `out`, redoing only what changed.

    `readinglist build` uses one for a single run, with the cache kept on disk in `out`;
    `readinglist serve` keeps one alive, with the cache in memory.
    """

    def __init__(
        self,
        content: Path,
        templates: Path,
        out: Path,
        builder: SiteBuilder | None = None,
        site_url: str | None = None,
        *,
        kept: bool = False,
    ) -> None:
        self.content, self.templates, self.out = content, templates, out
        self.builder = builder or get_builder()
        """The site builder whose configuration, front matter and files the project gets."""
        self.site_url = site_url
        """Where the site is published, when site.yaml's `url` does not say (the deploy's
        address, from the build's command line); a checked http(s) URL."""
        self.cache_file = out / CACHE_FILE
        self.saved = load_cache(self.cache_file)
        """The cache as it is on disk."""
        self.cache = self.saved
        """The cache as this process's steps left it."""
        self.session = Session(kept=kept)
        """What this process saw; with `kept` (a generator serve keeps from edit to edit),
        also what its writes left on disk."""
        self.owner = OwnerConfig()
        """The list owner's settings for the builder, as last read without problems."""

    @property
    def folder(self) -> Path:
        """The list's folder: the one holding content/ and the owner's builder settings."""
        return self.content.parent

    @property
    def unsaved(self) -> bool:
        """Whether the cache changed since it was read or saved."""
        return self.cache is not self.saved

    @property
    def related_pending(self) -> bool:
        """Whether relate(defer=True) left the related papers to settle_related()."""
        return self.session.deferred is not None

    @gc_paused()
    def load(self) -> ReadingList:
        """Load and validate the content and the owner's builder settings (raises
        ContentError with the problems of both), reusing papers parsed before."""
        self._check_out()
        try:
            reading_list, papers = load_list_reusing(self.content, self.cache.papers)
        except ContentError as error:
            _, more = self.builder.read_owner(self.folder, None)
            raise ContentError(error.problems + more) from None
        if papers != self.cache.papers:
            self.cache = replace(self.cache, papers=papers)
        site = reading_list.site
        if site.url is None and self.site_url:
            reading_list = replace(reading_list, site=replace(site, url=self.site_url))
        owner, problems = self.builder.read_owner(self.folder, reading_list.site)
        if problems:
            raise ContentError(problems)
        self.owner = owner
        return reading_list

    def _check_out(self) -> None:
        """The project must not be written over the owner's own settings (`--out .`)."""
        own = [p for p in self.builder.owner_files(self.folder) if p.exists()]
        if own and self.out.resolve() == self.folder.resolve():
            raise BuildError(
                f"--out {self.out}: the generated project would overwrite the list's own "
                f"{own[0].name}; generate into another folder (the default: build)"
            )

    def relate(self, reading_list: ReadingList, *, defer: bool = False) -> Related:
        """relate(), with the related papers updated for the texts that changed.

        An edit of a few papers' texts updates the related papers at once, exactly (a
        fraction of a second at 10,000 papers). When they must be computed from scratch
        (papers added or removed, many texts changed: seconds at 10,000 papers), `defer`
        relates the pages with the previous related papers now and leaves the computation
        to `settle_related`, for a second write. `build` never defers: its output is exact.
        """
        self.session.deferred = None
        similarity = self.cache.similarity
        updated = None if similarity is None else update_similarity(similarity, reading_list.papers)
        if updated is None and defer:
            self.session.deferred = reading_list
        elif updated is None:
            started = time.perf_counter()
            self._set_similarity(compute_similarity(reading_list.papers))
            log.info("related papers computed in %.1fs", time.perf_counter() - started)
        elif updated is not similarity:
            log.info("related papers updated for the edited texts")
            self._set_similarity(updated)
        return self._relate(reading_list)

    def settle_related(self) -> Related | None:
        """Compute the related papers a deferred relate() put off; the new Related, if any."""
        reading_list, self.session.deferred = self.session.deferred, None
        if reading_list is None:
            return None
        started = time.perf_counter()
        self._set_similarity(compute_similarity(reading_list.papers))
        log.info("related papers computed in %.1fs", time.perf_counter() - started)
        return self._relate(reading_list)

    def _set_similarity(self, similarity: Similarity) -> None:
        self.cache = replace(self.cache, similarity=similarity)

    @gc_paused()
    def _relate(self, reading_list: ReadingList) -> Related:
        similarity, last = self.cache.similarity, self.session.related
        if similarity is None:
            related = relate(reading_list, {}, last)
        else:
            related = relate(reading_list, similarity.related, last, similarity.common_terms())
        self.session.related = related
        return related

    def relate_and_write(
        self,
        reading_list: ReadingList,
        child: RelatedProcess,
        papers_written: Callable[[WriteReport], None] | None = None,
    ) -> WriteReport:
        """relate() and write() for a one-off generation, exact like them. When the related
        papers must be computed from scratch, `child` computes them (a few seconds at 10,000
        papers) while every page that does not show them is rendered here; the paper pages
        follow once they are known.

        Otherwise, with `papers_written`, the papers' own files (their pages and search
        records) are written first, and `papers_written` told of them, before the rest (the
        listings and downloads: about 1.8 s at 10,000 papers): a build starts its search
        index then. The files end as one write() leaves them."""
        related = self.relate(reading_list, defer=True)
        pending, self.session.deferred = self.session.deferred, None
        if pending is None and papers_written is not None:
            return self._papers_then_rest(related, papers_written)
        if pending is None:
            return self.write(related)
        child.compute(pending.papers)
        previous = self.session.produced
        # Nothing is removed until the second part: its plans are not known yet.
        plans = [p for p in self._plans(related) if not p.shows_related]
        copies = static_copies(self.templates, self.builder, self.owner)
        config = self._config(related, ())
        early = self._write(plans, copies, set(), set(), False, config)
        started = time.perf_counter()
        log.info("waiting for the related papers...")
        self._set_similarity(child.result())
        log.info("related papers ready (waited %.1fs)", time.perf_counter() - started)
        plans = [p for p in self._plans(self._relate(pending)) if p.shows_related]
        return _joined(early, self._write(plans, {}, early.produced, previous, False))

    @gc_paused()
    def _papers_then_rest(
        self, related: Related, papers_written: Callable[[WriteReport], None]
    ) -> WriteReport:
        """relate_and_write()'s two writes: the papers' own files, nothing removed; then
        every file (each rewritten only if it differs), the files no longer produced (a
        deleted paper's) removed as write() removes them."""
        previous = self.session.produced
        early = self._write(self._plans(related, site=False), {}, set(), set(), False)
        papers_written(early)
        copies = static_copies(self.templates, self.builder, self.owner)
        config = self._config(related, ())
        return _joined(
            early, self._write(self._plans(related), copies, set(), previous, False, config)
        )

    @gc_paused()
    def write(
        self, related: Related, errors: tuple[str, ...] = (), *, downloads: bool = True
    ) -> WriteReport:
        """Render the pages whose inputs changed and write those that differ on disk.

        Without `downloads`, or while a deferred relate() has related papers to settle, the
        downloads of the whole list (megabytes at 10,000 papers) keep their last version:
        serve shows an edit first and brings them up to date in a second write."""
        postpone = self.related_pending or not downloads
        plans = self._plans(related)
        copies = static_copies(self.templates, self.builder, self.owner)
        config = self._config(related, errors)
        report = self._write(plans, copies, set(), self.session.produced, postpone, config)
        log_report(report)
        return report

    @gc_paused()
    def write_papers(self, related: Related) -> WriteReport:
        """Render and write the papers' own files alone (their pages and search records),
        every other file kept as the last write left it: serve's first write after an edit,
        so that the edited paper's page and its search record wait for none of the listings
        that show it (hundreds of kilobytes each at 10,000 papers). A full write() follows."""
        previous = self.session.produced
        if previous is None:  # nothing written yet: there is no last write to keep
            return self.write(related)
        known = self.session.paper_plans.values()
        last = {plan.path for _, plans in known for plan in plans}
        papers = self._plans(related, site=False)
        # A deleted paper's files are removed here already; nothing else is.
        keep = previous - last - {plan.path for plan in papers}
        report = self._write(papers, {}, keep, previous, False)
        log.debug("papers' own files: %d written", len(report.written))
        return report

    @gc_paused()
    def _write(
        self,
        plans: list[PagePlan],
        copies: dict[str, Path],
        keep: set[str],
        previous: set[str] | None,
        postpone: bool,
        config: dict[str, str] | None = None,
    ) -> WriteReport:
        """render_and_write() with this generator's project, cache and session."""
        report, self.cache = render_and_write(
            plans,
            config or {},
            copies,
            self.cache,
            self.session,
            out=self.out,
            templates=self.templates,
            builder=self.builder,
            keep=keep,
            previous=previous,
            postpone=postpone,
        )
        return report

    def _plans(self, related: Related, *, site: bool = True) -> list[PagePlan]:
        """plan_pages(), with the plans of the papers relate() did not touch kept as they were;
        without `site`, the papers' plans alone."""
        known = paper_plans(related.papers, self.session.paper_plans, plan_paper)
        self.session.paper_plans = known
        papers = [plan for _, plans in known.values() for plan in plans]
        return plan_site(related) + papers if site else papers

    def _config(self, related: Related, errors: tuple[str, ...]) -> dict[str, str]:
        """The builder's configuration files; `errors` shown on every page while serving."""
        site = related.reading_list.site
        return self.builder.config_files(site, site_navigation(related), errors, self.owner)

    def save(self) -> bool:
        """Write the cache to disk if it changed; whether it did."""
        if not self.unsaved:
            return False
        save_cache(self.cache, self.cache_file)
        self.saved = self.cache
        return True


def _joined(early: WriteReport, report: WriteReport) -> WriteReport:
    """`report` of a second write, counting the files the first (`early`) wrote; logged."""
    report.written[:0] = early.written
    report.unchanged = len(report.produced) - len(report.written)
    log_report(report)
    return report
