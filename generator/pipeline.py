"""load -> relate -> render -> write -> build: the whole pipeline, and the atomic site swap."""

from __future__ import annotations

import calendar
import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from .errors import BuildError
from .load import load_list
from .model import ReadingList
from .relate import relate
from .render import render_pages
from .write import WriteReport, write_tree

log = logging.getLogger(__name__)


def generate(content: Path, templates: Path, out: Path) -> tuple[ReadingList, WriteReport]:
    """Validate everything first, then write the Markdown project (only changed files)."""
    started = time.perf_counter()
    reading_list = load_list(content)
    pages = render_pages(relate(reading_list), templates)
    report = write_tree(pages, static_copies(templates), out)
    log.info(
        "generated %d papers, %d topics in %.2fs",
        len(reading_list.papers),
        len(reading_list.topics),
        time.perf_counter() - started,
    )
    return reading_list, report


def static_copies(templates: Path) -> dict[str, Path]:
    """Files copied verbatim into the generated project: site assets and theme overrides."""
    return {"docs/assets": templates / "assets", "overrides": templates / "overrides"}


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
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Generate and build into a fresh folder; replace `site` only if all of that succeeded."""
    from .site_builder import build_html

    reading_list, _ = generate(content, templates, out)
    fresh = site.parent / f".{site.name}.new"
    old = site.parent / f".{site.name}.old"
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    log.info("building the site with MkDocs...")
    try:
        build_html(out / "mkdocs.yml", fresh.resolve(), content_epoch(reading_list))
    except BaseException:
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
