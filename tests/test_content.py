"""The committed reading list: it passes check, and its topics are sized as promised."""

from __future__ import annotations

import re
from collections import Counter

from generator.content.load import load_list
from generator.content.slug import MAX_SLUG, SLUG_RE, normalize_title, slugify

from .conftest import ROOT, Runner

CONTENT = ROOT / "content"


def test_committed_content_passes_check_with_426_papers(run: Runner) -> None:
    status, out, err = run("check", "--content", str(CONTENT))
    assert (status, err) == (0, "")
    assert "426 papers" in out


def test_every_paper_has_a_topic_and_topics_are_balanced() -> None:
    reading_list = load_list(CONTENT)
    papers = reading_list.papers
    counts = Counter(t for p in papers for t in set(p.topics))
    assert all(p.topics for p in papers)
    assert 10 <= len(reading_list.topics) <= 20
    for topic in reading_list.topics:
        assert 5 <= counts[topic.id] <= 0.35 * len(papers), topic.id
        assert len(topic.description.split()) >= 20, f"{topic.id}: describe it in a few sentences"


def test_papers_are_distinct_and_nothing_is_invented() -> None:
    papers = load_list(CONTENT).papers
    assert len({normalize_title(p.title) for p in papers}) == len(papers)
    # The seed dumps give titles and abstracts only (and years for the 18 abstract-only
    # papers, from titles.yaml): every author, link and venue came from metadata.bib's merge.
    assert all(p.sources and p.abstract for p in papers)
    from_metadata = [p for p in papers if "metadata.bib" in p.sources]
    for paper in papers:
        if paper.authors or paper.links or paper.venue:
            assert paper in from_metadata, paper.id
    assert sum(1 for p in papers if p.year is not None and p not in from_metadata) <= 18
    # Six papers have no metadata entry: they must still lack what only it could give.
    assert len(papers) - len(from_metadata) == 6


def test_ids_are_readable_slugs_of_titles() -> None:
    # An id is its title's slug (as the importer makes it: room kept for a -2 suffix), or
    # that slug with a number when two titles slug alike; nothing else.
    for paper in load_list(CONTENT).papers:
        assert SLUG_RE.match(paper.id) and len(paper.id) <= MAX_SLUG, paper.id
        base = slugify(paper.title, MAX_SLUG - 4)
        assert re.fullmatch(re.escape(base) + r"(-[2-9]|-[1-9]\d+)?", paper.id), (paper.id, base)
