"""The terms a related-paper link shows are distinctive words both papers use: never a stop
word or filler, and leaving filler out changes which papers are related not at all."""

from __future__ import annotations

import numpy as np
import pytest

from generator.content.load import load_list
from generator.relate import filler, similar
from generator.relate.tfidf import analyse, stop_words

from .conftest import CORPUS

SHIPPED = load_list(CORPUS).papers


def test_shown_terms_are_shared_distinctive_words() -> None:
    related = similar.find_related(SHIPPED)
    words = {p.id: analyse(similar.paper_text(p)) for p in SHIPPED}
    stop = stop_words()
    shown = [t for found in related.values() for n in found for t in n.terms]
    assert len(shown) > 1000
    for paper_id, found in related.items():
        for neighbour in found:
            assert neighbour.terms, (paper_id, neighbour.id)
            for term in neighbour.terms:
                assert term in words[paper_id] and term in words[neighbour.id]
                assert term not in stop and not filler.is_filler(term), term
    # The filler the issue saw on the shipped list's pages.
    assert not {"seemingly", "confirm", "wide"} & set(shown)


def test_filler_changes_the_terms_shown_not_the_related_papers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with_filter = similar.find_related(SHIPPED)
    monkeypatch.setattr(similar, "shown_terms", lambda v: np.ones(len(v), bool))
    without = similar.find_related(SHIPPED)
    ranked = {k: [(n.id, n.score) for n in v] for k, v in with_filter.items()}
    assert ranked == {k: [(n.id, n.score) for n in v] for k, v in without.items()}
    differs = sum(
        a.terms != b.terms
        for k in with_filter
        for a, b in zip(with_filter[k], without[k], strict=True)
    )
    assert differs > 0  # the unfiltered terms did include filler


def test_adverbs_are_filler_and_short_ly_words_are_not() -> None:
    assert filler.is_filler("seemingly") and filler.is_filler("jointly")
    assert not filler.is_filler("family") and not filler.is_filler("early")
    assert not filler.is_filler("decoder-only") and not filler.is_filler("reward")
