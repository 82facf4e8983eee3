"""Related papers: good enough to follow (recall on pairs read by a person), stable, explained."""

from __future__ import annotations

import yaml

from generator.load import load_list
from generator.similar import find_related, paper_text

from .conftest import ROOT

PAIRS = yaml.safe_load((ROOT / "tests" / "related_pairs.yaml").read_text())


def test_recall_at_five_on_pairs_judged_related_by_reading() -> None:
    assert len(PAIRS) >= 15
    related = find_related(load_list(ROOT / "content").papers)
    found = [p for p in PAIRS if p["related"] in {n.id for n in related[p["paper"]]}]
    recall = len(found) / len(PAIRS)
    assert recall >= 0.8, [p["paper"] for p in PAIRS if p not in found]


def test_every_paper_gets_five_with_the_terms_both_share() -> None:
    papers = load_list(ROOT / "content").papers
    related = find_related(papers)
    texts = {p.id: paper_text(p).lower() for p in papers}
    for paper in papers:
        neighbours = related[paper.id]
        assert len(neighbours) == 5 and paper.id not in {n.id for n in neighbours}
        assert [n.score for n in neighbours] == sorted((n.score for n in neighbours), reverse=True)
        for neighbour in neighbours:
            assert neighbour.terms, (paper.id, neighbour.id)
            first_word = neighbour.terms[0].split()[0]
            assert first_word in texts[paper.id] and first_word in texts[neighbour.id]


def test_related_papers_are_deterministic() -> None:
    papers = load_list(ROOT / "content").papers
    assert find_related(papers) == find_related(tuple(reversed(papers)))
