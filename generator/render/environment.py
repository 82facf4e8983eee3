"""The templates' Jinja environment: the Markdown-safe filters, the `urls` the templates link
with, and rendering one planned page.

Autoescaping is on: any value a template prints without one of the filters below is
HTML-escaped, and the filters are the only way to emit Markdown.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

import jinja2
import yaml
from markupsafe import Markup

from generator.render import text as mdtext
from generator.render import urls
from generator.render.catalog import catalog_index, catalog_rows
from generator.render.chars import xml_safe
from generator.render.charts import bar_chart
from generator.render.cite import bibtex_entry
from generator.render.entries import all_authors, buttons, byline
from generator.render.export import export
from generator.render.identity import atom_id
from generator.render.sanitize import has_math, markdown_block

if TYPE_CHECKING:
    from generator.render.pages import PagePlan

LINK_LABELS = {
    "arxiv": "arXiv",
    "doi": "DOI",
    "pdf": "PDF",
    "code": "Code",
    "slides": "Slides",
    "url": "Web page",
}
STATUS_LABELS = {"to-read": "To read", "reading": "Reading", "read": "Read"}
FRONT_MATTER = "---\n"
"""How a page's text starts: its front matter (every page template opens with it)."""
SEARCH_URLS = {
    "arxiv": "https://arxiv.org/search/?query={}&searchtype=title",
    "semantic_scholar": "https://www.semanticscholar.org/search?q={}",
    "google_scholar": "https://scholar.google.com/scholar?q={}",
}


def render_page(env: jinja2.Environment, plan: PagePlan) -> str:
    """Fill one page's template with its inputs; a page that shows math says so in its
    front matter (`math: true`), so that only such pages link KaTeX's stylesheet."""
    # `here`, the page's own path inside docs/, is what its links start from (urls.link).
    text = env.get_template(plan.template).render(
        dict(plan.context), here=plan.path.removeprefix(urls.DOCS)
    )
    if text.startswith(FRONT_MATTER) and has_math(text):
        text = f"{FRONT_MATTER}math: true\n{text.removeprefix(FRONT_MATTER)}"
    return text


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
        meta_description=lambda s: Markup(mdtext.meta_description(s)),
        excerpt=mdtext.excerpt,
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
    env.globals["urls"] = urls
    env.globals["atom_id"] = atom_id
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
