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


SHORT_KEYWORD = 4
"""Keywords this short match whole words (plural allowed): `gui` must not find `guidance`."""


def compile_rules(topics: tuple[Topic, ...] | list[Topic]) -> TopicRules:
    """Keywords match at the start of a word, so `agent` also finds `agents` and `agentic`."""
    patterns = tuple(tuple(_keyword_pattern(k) for k in t.keywords) for t in topics)
    return TopicRules(tuple(topics), patterns)


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    tail = r"s?\b" if len(keyword) <= SHORT_KEYWORD else ""
    return re.compile(r"\b" + re.escape(keyword) + tail, re.IGNORECASE)


def score_topics(rules: TopicRules, title: str, abstract: str | None) -> list[tuple[int, str]]:
    """(score, topic id) for every topic with a positive score, best first, ties by order."""
    scored = []
    for index, (topic, patterns) in enumerate(zip(rules.topics, rules.patterns, strict=True)):
        in_title = sum(1 for p in patterns if p.search(title))
        in_abstract = sum(1 for p in patterns if abstract and p.search(abstract))
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
