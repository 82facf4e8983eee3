"""One write of the generator: render the pages reuse.choose_pages() picks, write them with
the builder's files, and return the cache as the write leaves it."""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path

from generator.builders.base import OwnerConfig, SiteBuilder
from generator.incremental.cache import BuildCache, templates_digest
from generator.incremental.digest import Digester
from generator.incremental.reuse import (
    MISSING,
    UNKNOWN_INPUTS,
    Key,
    choose_pages,
    records_after_write,
)
from generator.incremental.session import Session
from generator.incremental.write import WriteReport, write_tree
from generator.render import urls
from generator.render.environment import make_environment, render_page, set_front_matter
from generator.render.pages import PagePlan

log = logging.getLogger(__name__)


def render_and_write(
    plans: list[PagePlan],
    files: dict[str, str],
    copies: dict[str, Path],
    cache: BuildCache,
    session: Session,
    *,
    out: Path,
    templates: Path,
    builder: SiteBuilder,
    keep: set[str],
    previous: set[str] | None,
    postpone: bool,
) -> tuple[WriteReport, BuildCache]:
    """Render what choose_pages() says of `plans` and write it with the builder's `files`
    and `copies`; `keep` and `previous` as write_tree's. Returns the report and the cache
    as the write leaves it (the very `cache` when nothing in it changed); `session` learns
    what was seen and produced."""
    front_matter = builder.front_matter()
    # The builder's front matter is in every page, as the templates are.
    builder_keys = f"{builder.name}:{sorted(front_matter.items())!r}"
    digest = f"{templates_digest(templates)} {builder_keys}"
    if digest != cache.templates:
        cache = replace(cache, pages={}, templates=digest)
    if session.environment is None or session.environment[0] != digest:
        # No bytecode cache on disk: Jinja's holds code it would run, planted or not.
        env = make_environment(templates)
        set_front_matter(env, front_matter)
        session.environment = (digest, env)
    env = session.environment[1]
    root = str(out.resolve())
    digester = Digester(cache.paper_digests)

    def on_disk(path: str) -> Key:
        return disk_key(f"{root}/{path}")

    def inputs(plan: PagePlan) -> bytes:
        return digester.page(plan.template, plan.context)

    seen = session.seen
    choice = choose_pages(plans, cache.pages, seen, on_disk, inputs, postpone_whole_list=postpone)
    pages = {plan.path: render_page(env, plan) for plan in choice.render}
    report = write_tree(
        {**pages, **files},
        copies,
        out,
        keep=choice.kept | keep,
        previous=previous,
        known=session.written if session.kept else None,
    )
    session.produced = report.produced
    if session.kept:
        # Its cache is never saved, and `seen` now holds these pages' inputs: digests of
        # them (a third of a one-paper edit's writing at 10,000 papers) would go unread.
        rendered = dict.fromkeys((plan.path for plan in choice.render), UNKNOWN_INPUTS)
    else:
        rendered = {plan.path: inputs(plan) for plan in choice.render}
    records = records_after_write(cache.pages, rendered, report.removed, on_disk)
    if records is not cache.pages:
        cache = replace(cache, pages=records)
    seen.update(choice.verified)
    seen.update((plan.path, plan.context) for plan in choice.render)
    for path in report.removed:
        seen.pop(path, None)
    return report, cache


def static_copies(
    templates: Path, builder: SiteBuilder, owner: OwnerConfig | None = None
) -> dict[str, Path]:
    """Files copied verbatim into the generated project: the site's assets (KaTeX), the
    builder's (its theme overrides, JS and CSS) and those the owner's settings name."""
    own = dict(owner.files) if owner is not None else {}
    return {urls.project_path(urls.ASSETS): templates / "assets", **builder.static_files(), **own}


def log_report(report: WriteReport) -> None:
    log.info(
        "generated %d files: %d written, %d unchanged, %d removed",
        len(report.produced),
        len(report.written),
        report.unchanged,
        len(report.removed),
    )


def disk_key(path: str) -> Key:
    """The file's (mtime_ns, size), MISSING if there is none."""
    # A plain string path: at 10,000 pages, building Path objects costs more than the stats.
    try:
        stat = os.stat(path)
    except OSError:
        return MISSING
    return (stat.st_mtime_ns, stat.st_size)
