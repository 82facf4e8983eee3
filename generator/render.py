"""Render the related list into Markdown pages and a mkdocs.yml, as a dict of path -> text.

Pure: nothing here touches the disk beyond reading templates, so tests compare the result
with golden files directly. Autoescaping is on: any value a template prints without one of
the filters below is HTML-escaped, and the filters are the only way to emit Markdown.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import jinja2
from markupsafe import Markup

from . import mdtext
from .cite import bibtex_entry
from .relate import Related

LINK_LABELS = {"arxiv": "arXiv", "doi": "DOI", "pdf": "PDF", "code": "Code", "url": "Web page"}
STATUS_LABELS = {"to-read": "To read", "reading": "Reading", "read": "Read"}


def make_environment(templates: Path) -> jinja2.Environment:
    """The Jinja environment with the Markdown-safe filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        text=lambda s: Markup(mdtext.escape_text(str(s))),
        title=lambda s: Markup(mdtext.escape_title(s)),
        md=lambda s: Markup(mdtext.sanitize_markdown(s)),
        url=lambda s: Markup(mdtext.md_url(s)),
        excerpt=lambda s: Markup(mdtext.escape_text(mdtext.excerpt(s))),
        page_title=lambda s: Markup(json.dumps(mdtext.html_attr_text(mdtext.plain_title(s)))),
        status=lambda s: STATUS_LABELS[s],
        verbatim=Markup,
    )
    return env


def render_pages(related: Related, templates: Path, errors: tuple[str, ...] = ()) -> dict[str, str]:
    """Every generated file of the Markdown project, keyed by its path inside it.

    `errors` are content problems to show on every page (while serving a broken edit).
    """
    env = make_environment(templates)
    site = related.reading_list.site
    topic_entries = related.topics
    pages: dict[str, str] = {
        "mkdocs.yml": env.get_template("mkdocs.yml.j2").render(
            site=site, topics=topic_entries, errors=list(errors)
        ),
        "docs/index.md": env.get_template("home.md.j2").render(
            site=site,
            papers=related.papers,
            topics=topic_entries,
            recent=related.recent,
            status_counts=related.status_counts,
        ),
        "docs/topics/index.md": env.get_template("topics.md.j2").render(topics=topic_entries),
        "docs/browse/by-year.md": env.get_template("by_year.md.j2").render(groups=related.by_year),
        "docs/browse/by-title.md": env.get_template("by_title.md.j2").render(
            groups=related.by_title
        ),
    }
    topic_template = env.get_template("topic.md.j2")
    for entry in topic_entries:
        pages[f"docs/topics/{entry.topic.id}.md"] = topic_template.render(
            topic=entry.topic, papers=entry.papers
        )
    paper_template = env.get_template("paper.md.j2")
    for paper_entry in related.papers:
        paper = paper_entry.paper
        pages[f"docs/papers/{paper.id}.md"] = paper_template.render(
            paper=paper, topics=paper_entry.topics, **_paper_extras(paper)
        )
    return pages


def _paper_extras(paper: Any) -> dict[str, Any]:
    query = quote_plus(mdtext.plain_title(paper.title))
    bibtex = bibtex_entry(paper)
    return {
        "link_labels": LINK_LABELS,
        "find": {
            "arxiv": f"https://arxiv.org/search/?query={query}&searchtype=title",
            "semantic_scholar": f"https://www.semanticscholar.org/search?q={query}",
            "google_scholar": f"https://scholar.google.com/scholar?q={query}",
        },
        "bibtex": bibtex,
        "fence": mdtext.fence_for(bibtex),
    }
