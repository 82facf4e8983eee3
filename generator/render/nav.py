"""The site's navigation as data: what the header and sidebar list, for any site builder.

Render owns which pages exist and where they go; a builder only spells this out in its own
configuration format (generator/builders/).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.relate.listing import Related
from generator.render import urls
from generator.render.text import plain_title


@dataclass(frozen=True)
class NavItem:
    """One entry of the navigation: a page, or a section of entries."""

    title: str | None
    """Plain text, never markup (a builder escapes it for its own format); None for the
    page a section opens with, its index."""
    page: str | None = None
    """The page's path inside docs/ (urls.py names them); None for a section."""
    children: tuple[NavItem, ...] = ()
    """A section's entries, in order."""


@dataclass(frozen=True)
class Navigation:
    """The whole navigation, and the pages deliberately left out of it."""

    items: tuple[NavItem, ...]
    unlisted: tuple[str, ...]
    """Gitignore-style patterns (relative to docs/) of pages reached from topics, indexes
    and search only: listing 400+ papers in the navigation would put the whole list into
    every page."""


def site_navigation(related: Related) -> Navigation:
    """Home, the topics in declaration order, the indexes of all papers, the statistics."""
    topics = tuple(
        NavItem(plain_title(entry.topic.title), urls.topic_page(entry.topic.id))
        for entry in related.topics
    )
    items = (
        NavItem("Home", urls.HOME),
        NavItem("Topics", children=(NavItem(None, urls.TOPICS), *topics)),
        NavItem(
            "All papers",
            children=(
                NavItem(None, urls.ALL_PAPERS),
                NavItem("By year", urls.BY_YEAR),
                NavItem("By title", urls.BY_TITLE),
            ),
        ),
        NavItem("Statistics", urls.STATS),
    )
    return Navigation(items, urls.UNLISTED)
