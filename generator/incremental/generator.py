"""The incremental generator: load -> relate -> render -> write, redoing only what changed."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from generator.builders import get_builder
from generator.builders.base import SiteBuilder
from generator.content.load import load_list
from generator.incremental.cache import BuildCache, load_cache, save_cache, templates_digest
from generator.incremental.related_process import RelatedProcess
from generator.incremental.write import WriteReport, write_tree
from generator.model import ReadingList
from generator.relate.listing import PaperEntry, Related, relate
from generator.relate.similar import compute_similarity, update_similarity
from generator.render.nav import site_navigation
from generator.render.pages import (
    PagePlan,
    make_environment,
    plan_paper,
    plan_site,
    render_page,
    set_front_matter,
)

log = logging.getLogger(__name__)

CACHE_FILE = ".readinglist-cache.pickle"


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
        self, content: Path, templates: Path, out: Path, builder: SiteBuilder | None = None
    ) -> None:
        self.content, self.templates, self.out = content, templates, out
        self.builder = builder or get_builder()
        """The site builder whose configuration, front matter and files the project gets."""
        self.cache_file = out / CACHE_FILE
        self.cache: BuildCache = load_cache(self.cache_file)
        self.loaded_fresh = False
        """Whether the last load parsed any file, so the cache on disk is out of date."""
        self.produced: set[str] | None = None
        """What this generator's last write produced (first write: found by walking)."""
        self.pending: ReadingList | None = None
        """The list whose related papers relate(defer=True) left to settle."""
        self.last: Related | None = None
        """The last relate()'s result, whose unchanged entries the next one reuses."""
        self.paper_plans: dict[str, tuple[PaperEntry, tuple[PagePlan, ...]]] = {}
        """Each paper's entry and page plans at the last write."""
        self.checked: set[str] = set()
        """Pages this generator wrote, or found on disk as the cache says, since it started.
        A generator kept alive (`serve`) takes the generated project as its own: a page whose
        inputs are the very objects it last rendered is not looked at on disk again, which
        at 10,000 papers spares an edit 20,000 stat calls. `build` starts afresh each time
        and checks every page."""

    @gc_paused()
    def load(self) -> ReadingList:
        """Load and validate (raises ContentError), reusing papers parsed before."""
        before = dict(self.cache.papers)
        reading_list = load_list(self.content, self.cache.papers)
        self.loaded_fresh = self.cache.papers != before
        return reading_list

    def relate(self, reading_list: ReadingList, *, defer: bool = False) -> Related:
        """relate(), with the related papers updated for the texts that changed.

        An edit of a few papers' texts updates the related papers at once, exactly (a
        fraction of a second at 10,000 papers). When they must be computed from scratch
        (papers added or removed, many texts changed: seconds at 10,000 papers), `defer`
        relates the pages with the previous related papers now and leaves the computation
        to `settle_related`, for a second write. `build` never defers: its output is exact.
        """
        self.pending = None
        similarity = self.cache.similarity
        updated = None if similarity is None else update_similarity(similarity, reading_list.papers)
        if updated is None:
            if defer:
                self.pending = reading_list
            else:
                self._compute_related(reading_list)
        elif updated is not similarity:
            log.info("related papers updated for the edited texts")
            self.cache.similarity = updated
            self.loaded_fresh = True
        return self._relate(reading_list)

    def settle_related(self) -> Related | None:
        """Compute the related papers a deferred relate() put off; the new Related, if any."""
        if self.pending is None:
            return None
        reading_list, self.pending = self.pending, None
        self._compute_related(reading_list)
        return self._relate(reading_list)

    @gc_paused()
    def _relate(self, reading_list: ReadingList) -> Related:
        similarity = self.cache.similarity
        if similarity is None:
            self.last = relate(reading_list, {}, self.last)
        else:
            common = similarity.common_terms()
            self.last = relate(reading_list, similarity.related, self.last, common)
        return self.last

    def _compute_related(
        self, reading_list: ReadingList, child: RelatedProcess | None = None
    ) -> None:
        started = time.perf_counter()
        if child is None:
            self.cache.similarity = compute_similarity(reading_list.papers)
            log.info("related papers computed in %.1fs", time.perf_counter() - started)
        else:
            log.info("waiting for the related papers...")
            self.cache.similarity = child.result()
            log.info("related papers ready (waited %.1fs)", time.perf_counter() - started)
        self.loaded_fresh = True

    def relate_and_write(self, reading_list: ReadingList, child: RelatedProcess) -> WriteReport:
        """relate() and write() for a one-off generation, exact like them. When the related
        papers must be computed from scratch, `child` computes them (a few seconds at 10,000
        papers) while every page that does not show them is rendered here; the paper pages
        follow once they are known."""
        related = self.relate(reading_list, defer=True)
        if self.pending is None:
            return self.write(related)
        pending, self.pending = self.pending, None
        child.compute(pending.papers)

        def settle() -> Related:
            self._compute_related(pending, child)
            return self._relate(pending)

        return self.write(related, settle=settle)

    @gc_paused()
    def write(
        self,
        related: Related,
        errors: tuple[str, ...] = (),
        settle: Callable[[], Related] | None = None,
        *,
        downloads: bool = True,
    ) -> WriteReport:
        """Render the pages whose inputs changed and write those that differ on disk. With
        `settle`, the pages showing related papers are planned from what it returns, called
        once every other page is rendered.

        Without `downloads`, or while a deferred relate() has related papers to settle, the
        downloads of the whole list (megabytes at 10,000 papers) keep their last version:
        serve shows an edit first and brings them up to date in a second write."""
        front_matter = self.builder.front_matter()
        # The builder's front matter is in every page, as the templates are.
        builder_keys = f"{self.builder.name}:{sorted(front_matter.items())!r}"
        digest = f"{templates_digest(self.templates)} {builder_keys}"
        if digest != self.cache.templates:
            self.cache.pages.clear()
            self.cache.templates = digest
        env = make_environment(self.templates, self.out / ".jinja-cache")
        set_front_matter(env, front_matter)
        root = str(self.out.resolve())
        reused: set[str] = set()

        postpone = self.pending is not None or not downloads

        def render(plans: Iterable[PagePlan]) -> dict[str, str]:
            pages: dict[str, str] = {}
            for plan in plans:
                cached = self.cache.pages.get(plan.path)
                if postpone and plan.whole_list and cached is not None:
                    reused.add(plan.path)  # kept as it is until the second write
                elif cached is not None and cached[0] is plan.context and plan.path in self.checked:
                    reused.add(plan.path)  # the very inputs this generator last saw on disk
                elif (
                    cached is not None
                    and cached[0] == plan.context
                    and _key(f"{root}/{plan.path}") == cached[1]
                ):
                    reused.add(plan.path)
                    self.checked.add(plan.path)
                    self.cache.pages[plan.path] = (plan.context, cached[1])
                else:
                    pages[plan.path] = render_page(env, plan)
                    self.cache.pages[plan.path] = (plan.context, (0, 0))
            return pages

        def written(pages: dict[str, str]) -> None:
            for path in pages:
                self.cache.pages[path] = (self.cache.pages[path][0], _key(f"{root}/{path}"))
            self.checked.update(pages)

        copies = static_copies(self.templates, self.builder)
        site = related.reading_list.site
        config = self.builder.config_files(site, site_navigation(related), errors)
        if settle is None:
            pages = render(self._plans(related))
            report = write_tree(
                {**pages, **config}, copies, self.out, keep=reused, previous=self.produced
            )
        else:
            # The pages that do not show related papers are rendered and written while the
            # related papers are still being computed; nothing is removed until the end.
            first = render(p for p in self._plans(related) if not p.shows_related)
            early = write_tree({**first, **config}, copies, self.out, keep=reused, previous=set())
            written(first)
            pages = render(p for p in self._plans(settle()) if p.shows_related)
            report = write_tree(
                pages, {}, self.out, keep=early.produced | reused, previous=self.produced
            )
            report.written[:0] = early.written
            report.unchanged = len(report.produced) - len(report.written)
        written(pages)
        self.produced = report.produced
        for path in report.removed:
            self.cache.pages.pop(path, None)
            self.checked.discard(path)
        log.info(
            "generated %d files: %d written, %d unchanged, %d removed",
            len(report.produced),
            len(report.written),
            report.unchanged,
            len(report.removed),
        )
        return report

    def _plans(self, related: Related) -> list[PagePlan]:
        """plan_pages(), with the plans of a paper whose entry relate() reused kept as they
        were: their inputs then compare equal by identity, at once."""
        plans = plan_site(related)
        known: dict[str, tuple[PaperEntry, tuple[PagePlan, ...]]] = {}
        for entry in related.papers:
            last = self.paper_plans.get(entry.paper.id)
            if last is None or last[0] is not entry:
                record, page = plan_paper(entry)
                if last is not None and (last[0].paper, last[0].topics) == (
                    entry.paper,
                    entry.topics,
                ):
                    record = last[1][0]  # new related papers only: the search record stays
                last = (entry, (record, page))
            known[entry.paper.id] = last
            plans += last[1]
        self.paper_plans = known
        return plans

    def save(self) -> None:
        save_cache(self.cache, self.cache_file)


def _key(path: str) -> tuple[int, int]:
    # A plain string path: at 10,000 pages, building Path objects costs more than the stats.
    try:
        stat = os.stat(path)
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


def static_copies(templates: Path, builder: SiteBuilder) -> dict[str, Path]:
    """Files copied verbatim into the generated project: the site's assets (KaTeX), and the
    builder's (its theme overrides, JS and CSS)."""
    return {"docs/assets": templates / "assets", **builder.static_files()}
