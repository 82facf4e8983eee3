"""Render the related list into the Markdown pages and the other files of the project.

Two pure steps: `plan_pages` lists every page with the template and the inputs it shows,
and `render_page` fills the template. Inputs are plain frozen data, so the pipeline can skip
a page whose inputs equal the last build's. Autoescaping is on: any value a template prints
without one of the filters below is HTML-escaped, and the filters are the only way to emit
Markdown.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote_plus

import jinja2
import yaml
from markupsafe import Markup

from generator.model import Paper
from generator.relate.listing import PaperEntry, Related
from generator.render import text as mdtext
from generator.render.catalog import catalog_files, catalog_index, catalog_rows
from generator.render.chars import xml_safe
from generator.render.charts import bar_chart
from generator.render.cite import bibtex_entry
from generator.render.entries import all_authors, buttons, byline
from generator.render.export import export
from generator.render.sanitize import markdown_block

LINK_LABELS = {
    "arxiv": "arXiv",
    "doi": "DOI",
    "pdf": "PDF",
    "code": "Code",
    "slides": "Slides",
    "url": "Web page",
}
STATUS_LABELS = {"to-read": "To read", "reading": "Reading", "read": "Read"}
SEARCH_URLS = {
    "arxiv": "https://arxiv.org/search/?query={}&searchtype=title",
    "semantic_scholar": "https://www.semanticscholar.org/search?q={}",
    "google_scholar": "https://scholar.google.com/scholar?q={}",
}


class PagePlan(NamedTuple):
    """One generated file: where it goes, its template, and everything the template shows.
    (A named tuple: a one-paper edit plans all 20,000 pages of a 10,000-paper list again.)"""

    path: str
    """Path inside the generated project (`docs/papers/<id>.md`, `search/papers/<id>.html`)."""
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
            "docs/index.md",
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
        PagePlan("docs/topics/index.md", "topics.md.j2", (("topics", topics),)),
        _stats_plan(related),
        PagePlan(
            "docs/exports/reading-list.bib",
            "export.j2",
            (("fmt", "bibtex"), ("papers", related.reading_list.papers)),
            whole_list=True,
        ),
        PagePlan(
            "docs/exports/reading-list.json",
            "export.j2",
            (("fmt", "csl-json"), ("papers", related.reading_list.papers)),
            whole_list=True,
        ),
        PagePlan(
            "docs/assets/search-vocabulary.json",
            "vocabulary.json.j2",
            (("words", related.title_words),),
        ),
        PagePlan(
            "docs/assets/search-common.json",
            "vocabulary.json.j2",
            (("words", related.common_words),),
            shows_related=True,  # counted with the related papers' terms
        ),
        PagePlan(
            "docs/browse/by-year.md", "by_year.md.j2", (("groups", _counts(related.by_year)),)
        ),
        PagePlan(
            "docs/browse/by-title.md", "by_title.md.j2", (("groups", _counts(related.by_title)),)
        ),
    ]
    plans.append(_feed_plan("docs/feed.xml", "recent", site.title, site.title, "", related.feed))
    plans += [
        _feed_plan(
            # At the site root, where the sitemap is: a theme may fetch a sitemap beside
            # every rel="alternate" link (Material does, for language versions).
            f"docs/feed-{entry.topic.id}.xml",
            f"topic:{entry.topic.id}",
            f"{site.title}: {entry.topic.title}",
            site.title,
            f"topics/{entry.topic.id}/",
            entry.feed,
        )
        for entry in topics
    ]
    plans += [
        PagePlan(
            f"docs/browse/year/{year or 'unknown'}.md",
            "year.md.j2",
            (("year", year), ("papers", papers), *_list_context(related, papers)),
        )
        for year, papers in related.by_year
    ]
    plans += [
        PagePlan(
            f"docs/browse/title/{'other' if letter == '#' else letter.lower()}.md",
            "letter.md.j2",
            (("letter", letter), ("papers", papers), *_list_context(related, papers)),
        )
        for letter, papers in related.by_title
    ]
    plans += [
        PagePlan(
            f"docs/topics/{entry.topic.id}.md",
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
            f"search/topics/{entry.topic.id}.html",
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
            f"search/papers/{entry.paper.id}.html",
            "search_record.html.j2",
            (("paper", entry.paper), ("topics", entry.topics)),
        ),
        PagePlan(
            f"docs/papers/{entry.paper.id}.md",
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
        "docs/stats.md",
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


def _feed_plan(
    path: str, feed_id: str, title: str, site_title: str, page: str, papers: tuple[Paper, ...]
) -> PagePlan:
    # Hrefs are relative to the feed file, which sits at the site root; a feed reader
    # resolves them against the feed's own address.
    base = ""
    updated = papers[0].added.isoformat() if papers and papers[0].added else "2000-01-01"
    return PagePlan(
        path,
        "atom.xml.j2",
        (
            ("feed_id", feed_id),
            ("title", title),
            ("site_title", site_title),
            ("updated", f"{updated}T00:00:00Z"),
            ("self_href", path.removeprefix("docs/").rsplit("/", 1)[-1]),
            ("page_href", base + page),
            ("base", base),
            ("papers", papers),
        ),
    )


def _counts(groups: tuple[tuple[Any, tuple[Paper, ...]], ...]) -> tuple[tuple[Any, int], ...]:
    # The index pages show only how many papers each group has: editing a title leaves them be.
    return tuple((key, len(papers)) for key, papers in groups)


def render_page(env: jinja2.Environment, plan: PagePlan) -> str:
    """Fill one page's template with its inputs."""
    return env.get_template(plan.template).render(dict(plan.context))


def render_pages(
    related: Related, templates: Path, front_matter: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """Every page rendered, keyed by path: for tests and small lists."""
    env = make_environment(templates)
    set_front_matter(env, front_matter or {})
    return {plan.path: render_page(env, plan) for plan in plan_pages(related)}


def set_front_matter(env: jinja2.Environment, keys: Mapping[str, Any]) -> None:
    """Give the templates `front_matter`: the YAML lines of `keys`, which the site builder
    needs on every page (SiteBuilder.front_matter), for their front matter to print."""
    text = yaml.safe_dump(dict(keys), sort_keys=True, allow_unicode=True) if keys else ""
    env.globals["front_matter"] = Markup(text)


def make_environment(templates: Path, bytecode_cache: Path | None = None) -> jinja2.Environment:
    """The Jinja environment with the Markdown-safe filters (compiled templates kept in
    `bytecode_cache` when given, which saves a short process most of its start-up)."""
    if bytecode_cache is not None:
        bytecode_cache.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=(
            jinja2.FileSystemBytecodeCache(str(bytecode_cache)) if bytecode_cache else None
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # Every printed value, whatever the output (HTML, XML, JSON, BibTeX, YAML), loses
        # the characters none of them can carry.
        finalize=_printable,
    )
    env.filters.update(
        text=lambda s: Markup(mdtext.escape_text(str(s))),
        title=lambda s: Markup(mdtext.escape_title(s)),
        md=lambda s: Markup(markdown_block(s)),
        url=lambda s: Markup(mdtext.md_url(s)),
        page_title=lambda s: Markup(mdtext.page_title(s)),
        plain_title=mdtext.plain_title,
        plain=mdtext.to_plain,
        status=lambda s: STATUS_LABELS[s],
        link_label=LINK_LABELS.__getitem__,
        search_urls=lambda paper: _search_urls(paper.title),
        bibtex=bibtex_entry,
        byline=byline,
        buttons=buttons,
        authors=all_authors,
        catalog_index=catalog_index,
        catalog_rows=catalog_rows,
        fence=mdtext.fence_for,
        verbatim=Markup,
        export=lambda papers, fmt: Markup(export(papers, fmt)),
        bar_chart=lambda rows, title: Markup(bar_chart(title, rows)),
    )
    return env


def _printable(value: Any) -> Any:
    if isinstance(value, Markup):
        return Markup(xml_safe(value))
    return xml_safe(value) if isinstance(value, str) else value


@functools.lru_cache(maxsize=1 << 16)
def _search_urls(title: str) -> dict[str, Markup]:
    """Query URLs that search each engine for the title: never a guessed identifier. The
    title is quoted once and the result is a safe http(s) URL by construction."""
    query = quote_plus(mdtext.plain_title(title))
    return {engine: Markup(mdtext.md_url(url.format(query))) for engine, url in SEARCH_URLS.items()}
