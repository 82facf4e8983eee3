"""`readinglist suggest-topics`: rank topics for each paper from its text and flag the papers
whose assigned topics look wrong. A report first; files change only with --apply."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.model import ReadingList
from generator.relate.topics import ASSIGN_AT, assign_topics, compile_rules, score_topics


@dataclass(frozen=True)
class Suggestion:
    """One paper whose topics the keyword rules would set differently."""

    paper_id: str
    path: str
    assigned: tuple[str, ...]
    suggested: tuple[str, ...]
    ranking: tuple[tuple[str, int], ...]
    """(topic id, score) for every topic with a positive score, best first."""
    reason: str

    def __str__(self) -> str:
        ranked = ", ".join(f"{topic} {score}" for topic, score in self.ranking[:4]) or "none"
        return (
            f"{self.path}: {self.reason}\n"
            f"    assigned:  {', '.join(self.assigned)}\n"
            f"    suggested: {', '.join(self.suggested)}   (scores: {ranked})"
        )


def suggest_topics(reading_list: ReadingList) -> list[Suggestion]:
    """Papers with an assigned topic their text does not support (score 0), or whose
    strongest topic (a title keyword or more) is missing; sorted by file."""
    rules = compile_rules(reading_list.topics)
    suggestions = []
    for paper in reading_list.papers:
        ranking = tuple(
            (topic, score) for score, topic in score_topics(rules, paper.title, paper.abstract)
        )
        scores = dict(ranking)
        unsupported = [t for t in paper.topics if scores.get(t, 0) == 0]
        best = ranking[0] if ranking else None
        missing_best = best is not None and best[1] >= ASSIGN_AT and best[0] not in paper.topics
        if not unsupported and not missing_best:
            continue
        reasons = []
        if unsupported:
            reasons.append(f"no keyword of {', '.join(unsupported)} in its title or abstract")
        if missing_best and best is not None:
            reasons.append(f"its strongest topic {best[0]} (score {best[1]}) is not assigned")
        suggested = assign_topics(rules, paper.title, paper.abstract) or paper.topics
        if suggested == paper.topics:
            continue
        suggestions.append(
            Suggestion(paper.id, paper.path, paper.topics, suggested, ranking, "; ".join(reasons))
        )
    return sorted(suggestions, key=lambda s: s.path)


def apply_suggestions(suggestions: list[Suggestion], root: Path = Path(".")) -> None:
    """Write each suggested topic list into its paper's file, leaving the rest of it as is."""
    from generator.content.paperfile import set_topics

    for suggestion in suggestions:
        set_topics(root / suggestion.path, list(suggestion.suggested))
