"""The all-papers page and the compact data its filters read (not the page's HTML).

The page itself is small and plain: without JavaScript it leads to the title-letter and year
pages, which list every paper. The site builder's script (papers.js) fetches the index the
page names (one column per filterable fact, a few bytes a paper) and the display rows in
shards of SHARD papers, in the default order (newest year first, then by title), so the
first screen needs the index and the first shard only, at any list size. The index gives
the script every URL it needs (the shards', a paper page's), relative to the index itself.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from generator.model import LINK_KINDS, STATUSES, Paper, Topic
from generator.relate.listing import Related
from generator.render import urls
from generator.render.chars import xml_safe
from generator.render.entries import name_key
from generator.render.text import plain_title

SHARD = 500
"""Papers per display shard: one shard is the first screen's data."""
DISPLAY_LINKS = ("arxiv", "pdf", "code", "slides")


def default_order(related: Related) -> tuple[Paper, ...]:
    """Every paper, newest year first (unknown last), by title within a year."""
    return tuple(p for _, papers in related.by_year for p in papers)


def catalog_files(related: Related) -> list[tuple[str, str, tuple[tuple[str, Any], ...], bool]]:
    """(path, template, context, whole list) of the all-papers page, its index and its
    display shards. Contexts hold the papers, not their JSON: a file is encoded only when
    its papers changed (filters `catalog_index`, `catalog_rows`)."""
    papers = default_order(related)
    shards = max(1, (len(papers) + SHARD - 1) // SHARD)
    topics = tuple(e.topic for e in related.topics)
    files: list[tuple[str, str, tuple[tuple[str, Any], ...], bool]] = [
        (
            urls.project_path(urls.ALL_PAPERS),
            "all_papers.md.j2",
            (
                ("paper_count", len(papers)),
                ("years", tuple((y, len(g)) for y, g in related.by_year)),
                ("letters", tuple((letter, len(g)) for letter, g in related.by_title)),
            ),
            False,
        ),
        (
            urls.project_path(urls.PAPERS_INDEX),
            "catalog.json.j2",
            (
                ("kind", "index"),
                ("papers", papers),
                ("topics", topics),
                ("owner", related.reading_list.site.owner_names),
            ),
            True,
        ),
    ]
    files += [
        (
            urls.project_path(urls.papers_shard(n)),
            "catalog.json.j2",
            (
                ("kind", "rows"),
                ("papers", papers[n * SHARD : (n + 1) * SHARD]),
                ("topics", ()),
                ("owner", ()),
            ),
            False,
        )
        for n in range(shards)
    ]
    return files


def _dumps(value: Any) -> Markup:
    # Compact, key order fixed by construction; json escapes what JSON must, and xml_safe
    # (the templates' finalize) drops what no output may carry.
    return Markup(xml_safe(json.dumps(value, ensure_ascii=False, separators=(",", ":"))))


def catalog_index(
    papers: tuple[Paper, ...], topics: tuple[Topic, ...], owner: tuple[str, ...] = ()
) -> Markup:
    """Facets (topics, statuses, venues), the owner's names as entries.name_key compares
    them, and one column per fact, in `papers`' order."""
    topic_at = {t.id: i for i, t in enumerate(topics)}
    venues = sorted({p.venue for p in papers if p.venue})
    venue_at = {v: i for i, v in enumerate(venues)}
    by_title = sorted(range(len(papers)), key=lambda i: (papers[i].sort_title, papers[i].id))
    rank = [0] * len(papers)
    for position, i in enumerate(by_title):
        rank[i] = position
    shards = max(1, (len(papers) + SHARD - 1) // SHARD)
    dated = [p.added.toordinal() for p in papers if p.added]
    first_day = min(dated, default=0)
    index = {
        "count": len(papers),
        "shard": SHARD,
        "shards": [urls.url_from(urls.PAPERS_INDEX, urls.papers_shard(n)) for n in range(shards)],
        # A paper's page, its id in place of {id} (ids are slugs: nothing to escape).
        "paper_url": urls.url_from(urls.PAPERS_INDEX, urls.paper_page("{id}")),
        "topics": [[t.id, plain_title(t.title)] for t in topics],
        "statuses": list(STATUSES),
        "venues": venues,
        "owner": sorted({name_key(n) for n in owner}),
        "year": [p.year or 0 for p in papers],
        "topic": [sorted(topic_at[t] for t in set(p.topics) if t in topic_at) for p in papers],
        "status": [STATUSES.index(p.status) for p in papers],
        "venue": [venue_at[p.venue] if p.venue else -1 for p in papers],
        "code": [int(any(link.kind == "code" for link in p.links)) for p in papers],
        # Days after the first day any paper was added (-1: not known), newest sorts first.
        "added": [p.added.toordinal() - first_day if p.added else -1 for p in papers],
        "title_rank": rank,
    }
    return _dumps(index)


def catalog_rows(papers: tuple[Paper, ...]) -> Markup:
    """What the list shows of each paper: id, plain title, authors, venue, links."""
    rows = []
    for p in papers:
        links = {link.kind: link.url for link in p.links if link.kind in DISPLAY_LINKS}
        rows.append(
            {
                "id": p.id,
                "title": plain_title(p.title),
                "authors": list(p.authors),
                "venue": p.venue or "",
                "links": [[kind, links[kind]] for kind in LINK_KINDS if kind in links],
            }
        )
    return _dumps(rows)
