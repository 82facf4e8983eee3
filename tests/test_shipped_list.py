"""The shipped list's own tests: the one file that reads the repository's content/.

A project that replaces content/ with its own list deletes this file (or lets it fail);
every other test runs on tests/fixtures/corpus/ or on lists the tests write.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

from generator.content.load import load_list
from generator.content.slug import MAX_SLUG, SLUG_RE, normalize_title, slugify
from generator.importers.bibtex import parse_bibtex
from generator.importers.identity import title_key
from generator.importers.merge import import_drafts
from generator.model import Paper

from .conftest import ROOT, Runner, build

CONTENT = ROOT / "content"
SHIPPED = load_list(CONTENT)


def metadata_bib() -> Path:
    """The published facts the shipped list was merged with: a copy of
    ../shared/seeds/metadata.bib kept with the seed fixtures, so a clean clone has it."""
    return ROOT / "tests" / "fixtures" / "seeds" / "metadata.bib"


def arxiv(paper: Paper) -> str | None:
    return next((link.value for link in paper.links if link.kind == "arxiv"), None)


def test_committed_content_passes_check_with_426_papers(run: Runner) -> None:
    status, out, err = run("check", "--content", str(CONTENT))
    assert (status, err) == (0, "")
    assert "426 papers" in out
    assert len(SHIPPED.papers) == 426


def test_every_paper_has_a_topic_and_topics_are_balanced() -> None:
    papers = SHIPPED.papers
    counts = Counter(t for p in papers for t in set(p.topics))
    assert all(p.topics for p in papers)
    assert 10 <= len(SHIPPED.topics) <= 20
    for topic in SHIPPED.topics:
        assert 5 <= counts[topic.id] <= 0.35 * len(papers), topic.id
        assert len(topic.description.split()) >= 20, f"{topic.id}: describe it in a few sentences"


def test_papers_are_distinct_and_nothing_is_invented() -> None:
    papers = SHIPPED.papers
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
    for paper in SHIPPED.papers:
        assert SLUG_RE.match(paper.id) and len(paper.id) <= MAX_SLUG, paper.id
        base = slugify(paper.title, MAX_SLUG - 4)
        assert re.fullmatch(re.escape(base) + r"(-[2-9]|-[1-9]\d+)?", paper.id), (paper.id, base)


def test_the_facts_of_metadata_bib_were_imported(tmp_path: Path) -> None:
    # Each entry names one paper of the list by its title; that paper holds the entry's
    # authors, arXiv id and venue, and its year where the entry gives one, so importing the
    # file again finds nothing to add, merge or dispute and changes no byte.
    bib = metadata_bib()
    parsed = parse_bibtex(bib.name, bib.read_text(encoding="utf-8"))
    assert parsed.problems == [] and parsed.skipped == 0
    by_title = {title_key(p.title): p for p in SHIPPED.papers}
    matched = [(by_title[title_key(d.title)], d) for d in parsed.drafts]
    assert len({paper.id for paper, _ in matched}) == len(parsed.drafts)
    for paper, draft in matched:
        assert "metadata.bib" in paper.sources, paper.id
        assert paper.authors == draft.authors, paper.id
        assert arxiv(paper) == draft.links.get("arxiv"), paper.id
        assert paper.venue == draft.venue, paper.id
        if draft.year is not None:
            assert paper.year == draft.year, paper.id
    papers = SHIPPED.papers
    assert sum(bool(p.authors) for p in papers) == sum(bool(d.authors) for d in parsed.drafts)
    assert sum(arxiv(p) is not None for p in papers) == sum(
        "arxiv" in d.links for d in parsed.drafts
    )
    assert sum(p.venue is not None for p in papers) == sum(
        d.venue is not None for d in parsed.drafts
    )
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    report = import_drafts(parsed, content)
    assert (report.added, report.merged, report.conflicts) == ([], [], [])
    assert len(report.unchanged) == len(parsed.drafts)
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before


def test_the_shipped_list_builds_a_page_per_paper(tmp_path: Path) -> None:
    status, err = build(CONTENT, tmp_path)
    assert status == 0, err
    pages = {p.parent.name for p in (tmp_path / "site" / "papers").glob("*/index.html")}
    assert pages == {p.id for p in SHIPPED.papers}
