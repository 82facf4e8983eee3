"""Atom feeds: recently added papers, and one per topic, linked from the pages, valid Atom."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"


def check_atom(path: Path) -> list[ET.Element]:
    """The entries of a feed, after checking what RFC 4287 requires of feed and entries."""
    feed = ET.parse(path).getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{required}")) == 1, required
    entries = feed.findall(f"{ATOM}entry")
    authored = all(e.find(f"{ATOM}author") is not None for e in entries)
    assert authored or feed.find(f"{ATOM}author") is not None
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{required}"), required
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None and link.get("href", "").endswith("/")
        assert entry.findtext(f"{ATOM}updated", "").endswith("T00:00:00Z")
    return entries


def test_site_feed_lists_recently_added_papers_newest_first(golden_site: Path) -> None:
    entries = check_atom(golden_site / "feed.xml")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles[0] == "Regret Bounds for Everything: A t5x Study"  # added 2026-01-05
    assert str(titles[1]).startswith("<script>alert('title')</script>")  # text, safely escaped
    assert len(entries) == 2  # the title-only paper has no `added` date


@pytest.mark.parametrize("topic", ["rl-theory", "hostile-topic"])
def test_topic_feeds_are_valid_and_linked_from_their_pages(golden_site: Path, topic: str) -> None:
    check_atom(golden_site / f"feed-{topic}.xml")
    page = (golden_site / "topics" / topic / "index.html").read_text()
    atom = 'type="application/atom+xml"'
    assert f'{atom} title="Recently added in this topic" href="../../feed-{topic}.xml"' in page
    assert 'type="application/atom+xml" title="Recently added papers" href="../../feed.xml"' in page


def test_shipped_feed_is_valid(shipped_site: Path) -> None:
    assert len(check_atom(shipped_site / "feed.xml")) == 50
    for feed in sorted(shipped_site.glob("feed-*.xml")):
        assert check_atom(feed), feed.name
