"""The keyword rules' fast path (a substring test before each regex) scores exactly as one
IGNORECASE regex search per keyword does."""

from __future__ import annotations

import re
import string

from generator.content.load import load_list
from generator.model import Topic
from generator.relate.topics import CASE_FIXES, TopicRules, compile_rules, score_topics

from .conftest import FIXTURES

CORPUS = load_list(FIXTURES / "corpus" / "content")


def reference_scores(rules: TopicRules, title: str, abstract: str | None) -> list[tuple[int, str]]:
    """The rules as they read: every keyword's pattern searched in both texts."""
    scored = []
    for index, (topic, patterns) in enumerate(zip(rules.topics, rules.patterns, strict=True)):
        in_title = sum(1 for p in patterns if p.search(title))
        in_abstract = sum(1 for p in patterns if abstract and p.search(abstract))
        if 3 * in_title + in_abstract:
            scored.append((3 * in_title + in_abstract, -index, topic.id))
    scored.sort(reverse=True)
    return [(score, topic_id) for score, _, topic_id in scored]


def test_every_character_ignorecase_matches_to_a_letter_lowers_to_it() -> None:
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for letter in string.ascii_lowercase + string.digits + " -":
        for found in set(re.findall(re.escape(letter), everything, re.IGNORECASE)):
            assert found.translate(CASE_FIXES).lower() == letter, (letter, hex(ord(found)))


def test_scores_equal_one_regex_search_per_keyword_on_a_real_list() -> None:
    rules = compile_rules(CORPUS.topics)
    assert sum(len(t.keywords) for t in CORPUS.topics) > 100
    assigned, papers = 0, CORPUS.papers[::3]  # the reference is the slow way: a third is 142
    for paper in papers:
        scores = score_topics(rules, paper.title, paper.abstract)
        assert scores == reference_scores(rules, paper.title, paper.abstract), paper.id
        assigned += bool(scores)
    assert assigned > len(papers) * 0.9


def test_scores_equal_the_regexes_on_case_and_script_oddities() -> None:
    topic = Topic(
        id="t",
        title="T",
        description="d",
        keywords=("kit", "gui", "session", "ünïcode", "i-vector", "ai feedback"),
    )
    rules = compile_rules([topic])
    texts = [
        "KIT and \u212aIT (Kelvin) and a guidance GUIs",
        "SE\u017f\u017fION, se\u017fsion, \u0130-VECTOR, \u0131-vector",
        "ÜNÏCODE, AI\u00a0feedback, AI feedback, ai Feedbacks",
        "none of them: kitten? guidances sessional",
    ]
    for title in texts:
        for abstract in (None, "", *texts):
            expected = reference_scores(rules, title, abstract)
            assert score_topics(rules, title, abstract) == expected, (title, abstract)
    assert score_topics(rules, texts[1], None)[0][0] == 3 * 2  # long s is s, dotless i is i
