"""Words that may make two papers similar but do not say what they share: a page that says
two papers "share seemingly, confirm, wide" tells the reader nothing. Used only to choose the
shared terms a related-paper link shows; the similarity itself reads every TF-IDF term, so
the related papers do not change with this list.
"""

from __future__ import annotations

import functools

import numpy as np

# Generic words of academic prose (claims, sizes, qualities, steps), which TF-IDF ranks high
# only because one abstract in a hundred happens to use them.
FILLER = frozenset(
    """
    abilities ability able achieving advance advances affect aim aims allow allowing
    allows analysis analyze applications applied apply aspect aspects attempts available
    based benefit benefits best better big billion boost building capabilities
    capability capture case cases cause challenge challenges challenging changes choice
    choices claim common comparable compare compared complex components comprehensive
    confirm confirms consistent conventional correct crucial current design designed
    detailed develop developed developing different direct diverse easy effect effective
    effects efficient empirical enable enables enhance enhancing evaluate evaluated
    evidence examine example examples exhibit exhibits experiments explore extensive
    fact factor factors fast field finding findings focus follow following future gain
    gains gap general generally generate generates given goal good great help helpful
    high higher highly human humans idea identify impact implications important improve
    improved improvement improvements improves improving include including increase
    increased increasing individual information insight insights instance instead
    investigating issue issues key kind known large larger largest lead leads learns
    level levels like likely limit limited long low lower magnitude main make makes
    making manner many method multiple natural need needs novel number observe observed
    obtain offer offers open order orders overall paradigm particular past perspective
    phenomenon play plays possible potential power powerful practical prior problem
    problems process progress promising properties property provide provides question
    questions range rate real recent reliable remain remains require requires research
    researchers rich role scenarios seemingly series set setting settings several
    significant similar simple single size slow small solution solutions specific stable
    stage step steps strong success suggest suggests support target task tasks technique
    techniques terms test three time together traditional train two type types
    understand understanding unique used useful variety various vast way ways well wide
    widely
    """.split()  # noqa: SIM905 - a block of words reads better than 300 lines
)


def is_filler(term: str) -> bool:
    """A generic word, or an adverb (`seemingly`, `jointly`): none says what two papers
    share. Short -ly words (`family`, `early`, `apply`) are not adverbs, so they stay."""
    return term in FILLER or (term.endswith("ly") and len(term) >= 7 and "-" not in term)


@functools.lru_cache(maxsize=4)
def shown_terms(vocabulary: tuple[str, ...]) -> np.ndarray:
    """Per column of a TF-IDF matrix over `vocabulary`: whether a page may show the term."""
    return np.fromiter((not is_filler(t) for t in vocabulary), bool, len(vocabulary))
