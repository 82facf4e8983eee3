"""`readinglist build`: generate the Markdown project, then build it into a fresh folder and
swap that into site/ only if everything succeeded."""

from __future__ import annotations

import calendar
import logging
import shutil
import time
from pathlib import Path

from generator.builders import DEFAULT_BUILDER, get_builder
from generator.builders.base import SiteBuilder
from generator.builders.pagefind import RECORDS, Indexer
from generator.errors import BuildError
from generator.incremental.generator import Generator
from generator.incremental.related_process import RelatedProcess
from generator.incremental.write import WriteReport
from generator.model import ReadingList

log = logging.getLogger(__name__)


def generate(
    content: Path, templates: Path, out: Path, builder: SiteBuilder | None = None
) -> tuple[ReadingList, WriteReport]:
    """Validate everything first, then write the Markdown project (only changed files)."""
    started = time.perf_counter()
    generator = Generator(content, templates, out, builder)
    with RelatedProcess() as child:
        reading_list = generator.load()
        report = generator.relate_and_write(reading_list, child)
    if report.written or report.removed or generator.loaded_fresh:
        generator.save()
    log.info(
        "generated %d papers, %d topics in %.2fs",
        len(reading_list.papers),
        len(reading_list.topics),
        time.perf_counter() - started,
    )
    return reading_list, report


def content_epoch(reading_list: ReadingList) -> int:
    """A build date that depends only on the content: the newest `added` date (or 2000-01-01)."""
    dates = [p.added for p in reading_list.papers if p.added]
    newest = max(dates).timetuple() if dates else time.struct_time((2000, 1, 1, 0, 0, 0, 5, 1, 0))
    return calendar.timegm(newest)


def build_site(
    content: Path, templates: Path, out: Path, site: Path, builder_name: str = DEFAULT_BUILDER
) -> None:
    """Generate and build into a fresh folder; replace `site` only if all of that succeeded."""
    builder = get_builder(builder_name)
    reading_list, _ = generate(content, templates, out, builder)
    fresh = site.parent / f".{site.name}.new"
    old = site.parent / f".{site.name}.old"
    search_bundle = site.parent / f".{site.name}.pagefind"
    for leftover in (fresh, old, search_bundle):
        shutil.rmtree(leftover, ignore_errors=True)
    log.info("building the site with %s, and the search index beside it...", builder.name)
    indexer = Indexer(out / RECORDS, search_bundle)
    try:
        builder.build(out, fresh.resolve(), content_epoch(reading_list))
        indexer.finish()
        search_bundle.rename(fresh / "pagefind")
    except BaseException:
        indexer.cancel()
        shutil.rmtree(search_bundle, ignore_errors=True)
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if not (fresh / "index.html").is_file():
        shutil.rmtree(fresh, ignore_errors=True)
        raise BuildError("the builder produced no index.html; the previous site is kept")
    if site.exists():
        site.rename(old)
    fresh.rename(site)
    shutil.rmtree(old, ignore_errors=True)
    log.info("site written to %s", site)
