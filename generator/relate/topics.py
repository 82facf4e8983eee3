"""Keyword rules that assign topics to papers from their title and abstract."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.model import Topic

TITLE_WEIGHT = 3
"""A keyword in the title says more about a paper than one in its abstract."""
ASSIGN_AT = 3
"""The score a topic needs to be assigned: one title keyword, or three abstract keywords."""
MAX_TOPICS = 3


@dataclass(frozen=True)
class TopicRules:
    """Compiled keyword patterns of every topic, in declaration order."""

    topics: tuple[Topic, ...]
    patterns: tuple[tuple[re.Pattern[str], ...], ...]
    needles: tuple[tuple[str | None, ...], ...]
    """Each pattern's keyword, lowered, that a text must contain for the pattern to match
    (None for a keyword that is not ASCII: its pattern is always tried)."""


SHORT_KEYWORD = 4
"""Keywords this short match whole words (plural allowed): `gui` must not find `guidance`."""


def compile_rules(topics: tuple[Topic, ...] | list[Topic]) -> TopicRules:
    """Keywords match at the start of a word, so `agent` also finds `agents` and `agentic`."""
    patterns = tuple(tuple(_keyword_pattern(k) for k in t.keywords) for t in topics)
    needles = tuple(tuple(k.lower() if k.isascii() else None for k in t.keywords) for t in topics)
    return TopicRules(tuple(topics), patterns, needles)


CASE_FIXES = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
"""The characters re.IGNORECASE matches to an ASCII letter that lower() does not turn into
it (U+0130 and U+0131 match i, U+017F matches s): with them mapped first, a lowered text
contains every ASCII keyword a pattern can find in it (tests/test_topic_rules.py checks
this against re itself)."""


def _lowered(text: str) -> str:
    return text.translate(CASE_FIXES).lower()


def _count(
    patterns: tuple[re.Pattern[str], ...], needles: tuple[str | None, ...], text: str, lowered: str
) -> int:
    """How many of the keywords match `text`. A regex search per keyword was most of an
    import's time (hundreds of keywords, IGNORECASE defeats re's literal prefix scan); a
    substring test of the lowered text first leaves only the few present to the regex."""
    return sum(
        1
        for pattern, needle in zip(patterns, needles, strict=True)
        if (needle is None or needle in lowered) and pattern.search(text)
    )


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    tail = r"s?\b" if len(keyword) <= SHORT_KEYWORD else ""
    return re.compile(r"\b" + re.escape(keyword) + tail, re.IGNORECASE)


def score_topics(rules: TopicRules, title: str, abstract: str | None) -> list[tuple[int, str]]:
    """(score, topic id) for every topic with a positive score, best first, ties by order."""
    scored = []
    low_title, low_abstract = _lowered(title), _lowered(abstract or "")
    rows = zip(rules.topics, rules.patterns, rules.needles, strict=True)
    for index, (topic, patterns, needles) in enumerate(rows):
        in_title = _count(patterns, needles, title, low_title)
        in_abstract = _count(patterns, needles, abstract, low_abstract) if abstract else 0
        score = TITLE_WEIGHT * in_title + in_abstract
        if score:
            scored.append((score, -index, topic.id))
    scored.sort(reverse=True)
    return [(score, topic_id) for score, _, topic_id in scored]


def assign_topics(rules: TopicRules, title: str, abstract: str | None) -> tuple[str, ...]:
    """Topics whose score reaches ASSIGN_AT (at most MAX_TOPICS); else the single best one."""
    scored = score_topics(rules, title, abstract)
    chosen = [topic_id for score, topic_id in scored if score >= ASSIGN_AT][:MAX_TOPICS]
    if not chosen and scored:
        chosen = [scored[0][1]]
    order = {t.id: i for i, t in enumerate(rules.topics)}
    return tuple(sorted(chosen, key=order.__getitem__))
