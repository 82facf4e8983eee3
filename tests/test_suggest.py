"""`readinglist suggest-topics`: a reviewable report, and files changed only with --apply."""

from __future__ import annotations

from pathlib import Path

from generator.content.load import load_list

from .conftest import Runner, write_files

WRONG = """\
# my comment stays
title: Regret Bounds for Bandits
topics:
- agents
status: read
abstract: We prove regret and convergence bounds.
"""
RIGHT = "title: A Learning Agent\ntopics: [agents]\nabstract: An agent that acts.\n"


def test_report_flags_unsupported_topics_and_changes_nothing(project: Path, run: Runner) -> None:
    write_files(project, {"content/papers/wrong.yaml": WRONG, "content/papers/right.yaml": RIGHT})
    status, out, _ = run("suggest-topics")
    assert status == 0
    assert out.splitlines() == [
        "content/papers/wrong.yaml: no keyword of agents in its title or abstract; its strongest"
        " topic rl-theory (score 5) is not assigned",
        "    assigned:  agents",
        "    suggested: rl-theory   (scores: rl-theory 5)",
        "1 of 2 papers have doubtful topics; run with --apply to write the suggestions.",
    ]
    assert (project / "content/papers/wrong.yaml").read_text() == WRONG


def test_apply_rewrites_only_the_topics(project: Path, run: Runner) -> None:
    write_files(project, {"content/papers/wrong.yaml": WRONG, "content/papers/right.yaml": RIGHT})
    status, out, _ = run("suggest-topics", "--apply")
    assert status == 0 and out.strip().endswith("files updated.")
    assert (project / "content/papers/wrong.yaml").read_text() == WRONG.replace(
        "- agents\n", "- rl-theory\n"
    )
    assert (project / "content/papers/right.yaml").read_text() == RIGHT
    papers = {p.id: p for p in load_list(project / "content").papers}
    assert papers["wrong"].topics == ("rl-theory",) and papers["wrong"].status == "read"
    assert run("suggest-topics")[1].startswith("0 of 2 papers")
