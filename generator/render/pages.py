"""Plan the Markdown pages and the other files of the project from the related list.

Two pure steps: `plan_pages` lists every page with the template and the inputs it shows,
and `render_page` (environment.py) fills the template. Inputs are plain frozen data, so the
pipeline can skip a page whose inputs equal the last build's. Where each file goes is
urls.py's.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from generator.model import Paper, Site
from generator.relate.listing import PaperEntry, Related
from generator.render import urls
from generator.render.catalog import catalog_files
from generator.render.environment import (
    STATUS_LABELS,
    make_environment,
    render_page,
    set_front_matter,
)
from generator.render.identity import id_basis


class PagePlan(NamedTuple):
    """One generated file: where it goes, its template, and everything the template shows.
    (A named tuple: a one-paper edit plans all 20,000 pages of a 10,000-paper list again.)"""

    path: str
    """Path inside the generated project (urls.project_path, urls.paper_record...)."""
    template: str
    """Template file name in templates/."""
    context: tuple[tuple[str, Any], ...]
    """Template variables, as comparable frozen data: equal inputs render equal text."""
    shows_related: bool = False
    """Whether the page shows related papers, or anything else computed with them (which a
    build may know only later)."""
    whole_list: bool = False
    """Whether the file holds every paper in full (the downloads): it changes with any edit,
    and under serve is brought up to date in a second write, just after the edit shows."""


def plan_pages(related: Related) -> list[PagePlan]:
    """Every file of the Markdown project that the pipeline renders."""
    return plan_site(related) + [p for e in related.papers for p in plan_paper(e)]


def plan_site(related: Related) -> list[PagePlan]:
    """Every file but the papers' own (see `plan_paper`): home, listings, topics,
    downloads, feeds. (The site builder adds its own configuration: generator/builders/.)"""
    site = related.reading_list.site
    topics = related.topics
    plans = [
        PagePlan(
            urls.project_path(urls.HOME),
            "home.md.j2",
            (
                ("site", site),
                ("paper_count", len(related.papers)),
                ("topics", topics),
                ("recent", related.recent),
                ("status_counts", related.status_counts),
                *_list_context(related, related.recent),
            ),
        ),
        PagePlan(urls.project_path(urls.TOPICS), "topics.md.j2", (("topics", topics),)),
        _stats_plan(related),
        PagePlan(
            urls.project_path(urls.export_file("bibtex")),
            "export.j2",
            (("fmt", "bibtex"), ("papers", related.reading_list.papers)),
            whole_list=True,
        ),
        PagePlan(
            urls.project_path(urls.export_file("csl-json")),
            "export.j2",
            (("fmt", "csl-json"), ("papers", related.reading_list.papers)),
            whole_list=True,
        ),
        PagePlan(
            urls.project_path(urls.SEARCH_PATHS),
            "search_paths.js.j2",
            (("paths", tuple(sorted(urls.search_paths().items()))),),
        ),
        PagePlan(
            urls.project_path(urls.SEARCH_VOCABULARY),
            "vocabulary.json.j2",
            (("words", related.title_words),),
        ),
        PagePlan(
            urls.project_path(urls.SEARCH_COMMON),
            "vocabulary.json.j2",
            (("words", related.common_words),),
            shows_related=True,  # counted with the related papers' terms
        ),
        PagePlan(
            urls.project_path(urls.BY_YEAR),
            "by_year.md.j2",
            (("groups", _counts(related.by_year)),),
        ),
        PagePlan(
            urls.project_path(urls.BY_TITLE),
            "by_title.md.j2",
            (("groups", _counts(related.by_title)),),
        ),
    ]
    plans.append(_feed_plan(urls.feed_file(), site.title, site, urls.HOME, related.feed))
    plans += [
        _feed_plan(
            urls.feed_file(entry.topic.id),
            f"{site.title}: {entry.topic.title}",
            site,
            urls.topic_page(entry.topic.id),
            entry.feed,
        )
        for entry in topics
    ]
    plans += [
        PagePlan(
            urls.project_path(urls.year_page(year)),
            "year.md.j2",
            (("year", year), ("papers", papers), *_list_context(related, papers)),
        )
        for year, papers in related.by_year
    ]
    plans += [
        PagePlan(
            urls.project_path(urls.letter_page(letter)),
            "letter.md.j2",
            (("letter", letter), ("papers", papers), *_list_context(related, papers)),
        )
        for letter, papers in related.by_title
    ]
    plans += [
        PagePlan(
            urls.project_path(urls.topic_page(entry.topic.id)),
            "topic.md.j2",
            (
                ("topic", entry.topic),
                ("papers", entry.papers),
                *_list_context(related, entry.papers),
            ),
        )
        for entry in topics
    ]
    plans += [
        PagePlan(
            urls.topic_record(entry.topic.id),
            "search_record.html.j2",
            (("paper", None), ("topic", entry.topic)),
        )
        for entry in topics
    ]
    plans += [PagePlan(*file[:3], whole_list=file[3]) for file in catalog_files(related)]
    return plans


def _list_context(related: Related, papers: tuple[Paper, ...]) -> tuple[tuple[str, Any], ...]:
    """What a list of papers shows besides the papers: the owner's names to highlight, each
    paper's citation key, and whether statuses are worth showing (more than one is used)."""
    keys = related.cite_keys
    return (
        ("owner", related.reading_list.site.owner_names),
        ("keys", tuple(keys[p.id] for p in papers)),
        ("show_status", len({p.status for p in papers}) > 1),
    )


def plan_paper(entry: PaperEntry) -> tuple[PagePlan, PagePlan]:
    """A paper's search record and its page."""
    return (
        PagePlan(
            urls.paper_record(entry.paper.id),
            "search_record.html.j2",
            (("paper", entry.paper), ("topics", entry.topics)),
        ),
        PagePlan(
            urls.project_path(urls.paper_page(entry.paper.id)),
            "paper.md.j2",
            (
                ("paper", entry.paper),
                ("topics", entry.topics),
                ("entry_related", entry.related),
                ("cite_key", entry.cite_key),
                ("owner", entry.owner),
                ("show_status", entry.show_status),
            ),
            shows_related=True,
        ),
    )


def _stats_plan(related: Related) -> PagePlan:
    papers = related.reading_list.papers
    health = (
        ("a year", sum(p.year is None for p in papers)),
        ("authors", sum(not p.authors for p in papers)),
        ("links", sum(not p.links for p in papers)),
        ("an abstract", sum(not p.abstract for p in papers)),
    )
    return PagePlan(
        urls.project_path(urls.STATS),
        "stats.md.j2",
        (
            ("paper_count", len(papers)),
            ("topic_counts", tuple((e.topic.title, len(e.papers)) for e in related.topics)),
            (
                "year_counts",
                tuple((str(year or "unknown"), len(group)) for year, group in related.by_year),
            ),
            (
                "status_counts",
                tuple((STATUS_LABELS[s], count) for s, count in related.status_counts),
            ),
            ("health", health),
        ),
    )


def _feed_plan(name: str, title: str, site: Site, page: str, papers: tuple[Paper, ...]) -> PagePlan:
    """The Atom feed `name` (a file of docs/) of `papers`, for the page `page`: absolute
    links and ids from the site's address when it is known (identity.py)."""
    updated = papers[0].added.isoformat() if papers and papers[0].added else "2000-01-01"
    return PagePlan(
        urls.project_path(name),
        "atom.xml.j2",
        (
            ("base", site.url),
            ("basis", id_basis(site)),
            ("title", title),
            ("site_title", site.title),
            ("updated", f"{updated}T00:00:00Z"),
            ("page", page),
            ("papers", papers),
        ),
    )


def _counts(groups: tuple[tuple[Any, tuple[Paper, ...]], ...]) -> tuple[tuple[Any, int], ...]:
    # The index pages show only how many papers each group has: editing a title leaves them be.
    return tuple((key, len(papers)) for key, papers in groups)


def render_pages(
    related: Related, templates: Path, front_matter: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """Every page rendered, keyed by path: for tests and small lists."""
    env = make_environment(templates)
    set_front_matter(env, front_matter or {})
    return {plan.path: render_page(env, plan) for plan in plan_pages(related)}
