"""`readinglist check` warns about probable duplicates with the evidence, and merges nothing."""

from __future__ import annotations

from pathlib import Path

from .conftest import Runner, write_files

OPENING = "Large language models are increasingly deployed as autonomous agents in open worlds. "
KAPLAN = (
    "We study empirical scaling laws for language model performance on the cross-entropy loss. "
    "The loss scales as a power-law with model size, dataset size, and the amount of compute "
    "used for training, with some trends spanning more than seven orders of magnitude."
)


def paper(title: str, abstract: str) -> str:
    return f"title: '{title}'\ntopics: [agents]\nabstract: '{abstract}'\n"


def test_check_warns_about_probable_duplicates_only(project: Path, run: Runner) -> None:
    write_files(
        project,
        {
            "content/papers/kaplan.yaml": paper("Scaling Laws for Neural Language Models", KAPLAN),
            "content/papers/kaplan-copy.yaml": paper(
                "Scaling laws for neural language-models", "Other text."
            ),
            "content/papers/kaplan-typo.yaml": paper(
                "Scaling Laws for Neural Languag Models", "Different."
            ),
            "content/papers/retitled.yaml": paper("Power Laws of Loss", KAPLAN),
            "content/papers/planning.yaml": paper(
                "Agents That Plan", OPENING + "We teach them to plan with search over world models."
            ),
            "content/papers/memory.yaml": paper(
                "Agents That Remember", OPENING + "We give them episodic memory across long tasks."
            ),
        },
    )
    status, out, err = run("check")
    assert status == 0
    assert out.strip().endswith("4 probable duplicate(s)")
    tail = "; merge them by hand if they are one paper"
    assert err.splitlines() == [
        "content/papers/kaplan-copy.yaml: warning: probable duplicate of content/papers/kaplan.yaml"
        " (the same title once case and punctuation are ignored)" + tail,
        "content/papers/kaplan-typo.yaml: warning: probable duplicate of"
        " content/papers/kaplan-copy.yaml (titles 99% alike)" + tail,
        "content/papers/kaplan-typo.yaml: warning: probable duplicate of content/papers/kaplan.yaml"
        " (titles 99% alike)" + tail,
        "content/papers/retitled.yaml: warning: probable duplicate of content/papers/kaplan.yaml"
        " (abstracts 1.00 alike as a whole)" + tail,
    ]  # the two agent papers that only open alike are not among them
    assert len(list((project / "content" / "papers").glob("*.yaml"))) == 6  # nothing merged
    assert run("check", "--strict")[0] == 1
