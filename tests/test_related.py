"""Related papers: good enough to follow (recall on pairs read by a person), stable, explained."""

from __future__ import annotations

import dataclasses
import random
import re
from typing import Any

import yaml

from generator.content.load import load_list
from generator.relate.similar import compute_similarity, find_related, paper_text, update_similarity

from .conftest import CORPUS, ROOT

PAIRS = yaml.safe_load((ROOT / "tests" / "related_pairs.yaml").read_text())


def test_recall_at_five_on_pairs_judged_related_by_reading() -> None:
    assert len(PAIRS) >= 15
    related = find_related(load_list(CORPUS).papers)
    found = [p for p in PAIRS if p["related"] in {n.id for n in related[p["paper"]]}]
    recall = len(found) / len(PAIRS)
    assert recall >= 0.8, [p["paper"] for p in PAIRS if p not in found]


def test_every_paper_gets_five_with_the_terms_both_share() -> None:
    papers = load_list(CORPUS).papers
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
    papers = load_list(CORPUS).papers
    assert find_related(papers) == find_related(tuple(reversed(papers)))


def test_updating_after_edits_gives_what_computing_from_scratch_gives() -> None:
    # serve and build update the related papers after an edit instead of computing them all
    # again; the result must be the very same, scores to the bit, as a fresh computation.
    papers = list(load_list(CORPUS).papers)
    current = compute_similarity(papers)
    rng = random.Random(7)
    updated = moved = 0
    for step in range(24):
        i, j = rng.randrange(len(papers)), rng.randrange(len(papers))
        borrowed = rng.choice(papers[j].title.split())
        edits: list[dict[str, Any]] = [
            {"title": f"{papers[i].title} {borrowed}"},  # a word of another paper's title
            {"title": f"Quokka {papers[i].title}"},  # a word no other paper has
            {"abstract": (papers[i].abstract or "") + f" {papers[j].title}."},
        ]
        papers[i] = dataclasses.replace(papers[i], **edits[step % len(edits)])
        fresh = compute_similarity(papers)
        update = update_similarity(current, papers)
        if update is None:  # too much changed: computed again, as build and serve do
            current = fresh
            continue
        assert update.related == fresh.related, step
        updated += 1
        moved += sum(update.related[p] is not current.related[p] for p in update.ids)
        current = update
    assert updated >= 12 and moved > 0
    assert update_similarity(current, papers) is current  # nothing changed: nothing redone
    assert update_similarity(current, papers[1:]) is None  # a paper went: computed again


def test_common_terms_are_the_words_in_over_a_fifth_of_the_papers() -> None:
    # The search's first answer leaves them out of a query; their shares must be true counts.
    papers = load_list(CORPUS).papers
    similarity = compute_similarity(papers)
    common = dict(similarity.common_terms())
    token = re.compile(r"\b[a-z][a-z0-9-]*[a-z0-9]\b")
    texts = [set(token.findall(paper_text(p).lower())) for p in papers]
    for word in ("learning", "reinforcement", "imitation", "grokking"):
        share = sum(word in words for words in texts) / len(papers)
        assert (word in common) == (share > 0.2), word
        if word in common:
            assert common[word] == round(share, 2), word
    assert "learning" in common and "grokking" not in common
    assert list(common) == sorted(common)
