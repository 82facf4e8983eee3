"""Keyword rules that assign topics to papers from their title and abstract."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import ahocorasick

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
    keywords: tuple[tuple[int, str, re.Pattern[str]], ...]
    """Every keyword as (its topic's index, the lowered keyword a text must contain for its
    pattern to match or "" for one that is not ASCII, whose pattern is always tried, the
    pattern)."""
    automaton: Any
    """Aho-Corasick automaton of the lowered ASCII keywords: every one a text contains, in
    one pass over it, each mapped to the indexes in `keywords` that have it."""
    always: tuple[int, ...]
    """Indexes in `keywords` of those not in the automaton (not ASCII): always tried."""


SHORT_KEYWORD = 4
"""Keywords this short match whole words (plural allowed): `gui` must not find `guidance`."""


def compile_rules(topics: tuple[Topic, ...] | list[Topic]) -> TopicRules:
    """Keywords match at the start of a word, so `agent` also finds `agents` and `agentic`."""
    patterns = tuple(tuple(_keyword_pattern(k) for k in t.keywords) for t in topics)
    keywords = tuple(
        (index, keyword.lower() if keyword.isascii() else "", pattern)
        for index, topic in enumerate(topics)
        for keyword, pattern in zip(topic.keywords, patterns[index], strict=True)
    )
    automaton = ahocorasick.Automaton()
    by_needle: dict[str, list[int]] = {}
    for index, (_, needle, _) in enumerate(keywords):
        if needle:
            by_needle.setdefault(needle, []).append(index)
    for needle, indexes in by_needle.items():
        automaton.add_word(needle, tuple(indexes))
    if by_needle:
        automaton.make_automaton()
    always = tuple(i for i, (_, needle, _) in enumerate(keywords) if not needle)
    return TopicRules(tuple(topics), patterns, keywords, automaton, always)


CASE_FIXES = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
"""The characters re.IGNORECASE matches to an ASCII letter that lower() does not turn into
it (U+0130 and U+0131 match i, U+017F matches s): with them mapped first, a lowered text
contains every ASCII keyword a pattern can find in it (tests/test_topic_rules.py checks
this against re itself)."""


def _lowered(text: str) -> str:
    return text.translate(CASE_FIXES).lower()


def _counts(rules: TopicRules, text: str) -> list[int]:
    """How many keywords of each topic match `text`. A regex search per keyword was most of
    an import's time (hundreds of keywords, and IGNORECASE defeats re's literal scan); one
    Aho-Corasick pass over the lowered text finds the few keywords it contains, and only
    their patterns are searched."""
    counts = [0] * len(rules.topics)
    found = set(rules.always)
    if rules.automaton.kind == ahocorasick.AHOCORASICK:
        for _, indexes in rules.automaton.iter(_lowered(text)):
            found.update(indexes)
    for index in sorted(found):
        topic, _, pattern = rules.keywords[index]
        if pattern.search(text):
            counts[topic] += 1
    return counts


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    tail = r"s?\b" if len(keyword) <= SHORT_KEYWORD else ""
    return re.compile(r"\b" + re.escape(keyword) + tail, re.IGNORECASE)


def score_topics(rules: TopicRules, title: str, abstract: str | None) -> list[tuple[int, str]]:
    """(score, topic id) for every topic with a positive score, best first, ties by order."""
    scored = []
    in_title = _counts(rules, title)
    in_abstract = _counts(rules, abstract) if abstract else [0] * len(rules.topics)
    for index, topic in enumerate(rules.topics):
        score = TITLE_WEIGHT * in_title[index] + in_abstract[index]
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
