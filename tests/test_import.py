"""`readinglist import`: both seed formats, de-duplication, and re-import keeping user edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.load import load_list
from generator.content.yamlio import parse_yaml
from generator.importers.seeds import parse_seed, parse_titles

from .conftest import SEEDS, Runner


def papers(project: Path) -> dict[str, dict[str, object]]:
    folder = project / "content" / "papers"
    return {p.stem: parse_yaml(p.read_text()).value for p in sorted(folder.glob("*.yaml"))}


def one(imported: dict[str, dict[str, object]], prefix: str) -> dict[str, object]:
    [key] = [k for k in imported if k.startswith(prefix)]
    return imported[key]


def test_abstract_only_lists_take_titles_by_their_declared_opening() -> None:
    titles, problems = parse_titles("titles.yaml", (SEEDS / "titles.yaml").read_text())
    assert problems == []
    parsed = parse_seed("abstracts_a.txt", (SEEDS / "abstracts_a.txt").read_text(), titles)
    entries = parsed.drafts
    assert parsed.warnings == []
    # Three abstracts that all open with "Large" (two on one line) stay three papers.
    assert [e.title for e in entries] == [
        "Improving Dynamic Object Interactions in Text-to-Video Generation with AI Feedback",
        "Many-Shot In-Context Learning",
        "Open X-Embodiment: Robotic Learning Datasets and RT-X Models",
    ]
    assert [e.year for e in entries] == [2024, 2024, 2023]
    assert str(entries[0].abstract).startswith("Large text-to-video models hold immense potential")
    assert "[robotics-transformer-x.github.io](https://robotics-transformer-x.github.io)" in str(
        entries[2].abstract
    )


def test_abstract_without_a_known_title_is_left_out_with_a_warning() -> None:
    parsed = parse_seed("abstracts_a.txt", (SEEDS / "abstracts_a.txt").read_text(), [])
    assert parsed.drafts == []
    assert len(parsed.warnings) == 3 and parsed.skipped == 3
    assert "no title for the abstract 'Large text-to-video models" in parsed.warnings[0]


def test_listing_dump_skips_chrome_and_pairs_titles_with_abstracts() -> None:
    entries = parse_seed("listing_a.txt", (SEEDS / "listing_a.txt").read_text(), []).drafts
    assert [e.title for e in entries] == [
        "ACE: Off-Policy Actor-Critic with Causality-Aware Entropy Regularization",
        "Scaling Up Models and Data with `t5x` and `seqio`",
        "STEVE-1: A Generative Model for Text-to-Behavior in Minecraft",
        "AgentVerse: Facilitating Multi-Agent Collaboration and Exploring Emergent Behaviors",
        "Interactive Learning from Policy-Dependent Human Feedback",
    ]
    assert all(e.year is None for e in entries)  # the listing gives no years: none invented
    steve = str(entries[2].abstract)
    assert r"costs just \$60 to train" in steve
    assert "*Convergent Actor-Critic by Humans*" in str(entries[4].abstract)
    assert "\\framework" not in str(entries[3].abstract)
    assert [e.where for e in entries] == [f"listing_a.txt:{n}" for n in (3, 5, 7, 9, 11)]


def test_listing_with_a_title_and_no_abstract_is_an_error(project: Path, run: Runner) -> None:
    (project / "dump.txt").write_text(
        "chrome\nchrome\nSubscribeA title\nIts abstract.\nA lonely title\n"
    )
    status, _, err = run("import", "dump.txt")
    assert status == 1
    assert "dump.txt:5: listing: title 'A lonely title' has no abstract" in err


def test_unknown_format_is_an_error(project: Path, run: Runner) -> None:
    (project / "notes.txt").write_text("just some notes\n")
    status, _, err = run("import", "notes.txt")
    assert status == 1 and "notes.txt:1: format: unknown format" in err


def test_import_merges_duplicates_and_records_every_source(
    shipped_topics: Path, run: Runner
) -> None:
    files = [
        str(SEEDS / n)
        for n in ("abstracts_a.txt", "abstracts_b.txt", "listing_a.txt", "listing_b.txt")
    ]
    status, out, _ = run("import", *files, "--added", "2026-01-02")
    assert status == 0
    # 3 + 1 abstract-only papers (one repeated), 5 + 2 listed papers (ACE in both).
    assert out.strip() == "added 11, merged 0, unchanged 0, skipped 0, conflicts 0"
    imported = papers(shipped_topics)
    assert len(imported) == 11
    ace = imported["ace-off-policy-actor-critic-with-causality-aware-entropy-regularization"]
    assert ace["sources"] == ["listing_a.txt", "listing_b.txt"]
    video = one(imported, "improving-dynamic-object-interactions-in-text-to-video")
    assert video["sources"] == ["abstracts_a.txt", "abstracts_b.txt"]
    assert video["year"] == "2024" and video["added"] == "2026-01-02"
    assert "year" not in ace and "authors" not in ace and "links" not in ace
    assert all(p["status"] == "to-read" and p["topics"] for p in imported.values())
    assert len(load_list(shipped_topics / "content").papers) == 11


def test_reimport_adds_only_new_papers_and_keeps_user_edits(
    shipped_topics: Path, run: Runner
) -> None:
    run("import", str(SEEDS / "listing_a.txt"), "--added", "2026-01-02")
    folder = shipped_topics / "content" / "papers"
    steve = folder / "steve-1-a-generative-model-for-text-to-behavior-in-minecraft.yaml"
    ace = folder / "ace-off-policy-actor-critic-with-causality-aware-entropy-regularization.yaml"
    # The user corrects a title, re-files topics, starts reading and writes notes.
    edited = (
        steve.read_text()
        .replace("title: 'STEVE-1: A Generative", "title: 'STEVE-1: a generative")
        .replace("status: to-read", "status: reading")
        + "notes: |\n  Compare with VPT.  # my comment\n"
    )
    steve.write_text(edited)
    ace.write_text(ace.read_text().replace("status: to-read", "status: read") + "# keep me\n")

    status, out, _ = run("import", str(SEEDS / "listing_a.txt"))
    assert status == 0
    assert out.strip() == "added 0, merged 0, unchanged 5, skipped 0, conflicts 0"
    assert steve.read_text() == edited

    status, out, _ = run("import", str(SEEDS / "listing_b.txt"))
    assert status == 0
    assert out.strip() == "added 2, merged 1, unchanged 0, skipped 0, conflicts 0"
    assert steve.read_text() == edited
    ace_text = ace.read_text()
    assert ace_text.endswith("# keep me\n") and "status: read\n" in ace_text
    assert parse_yaml(ace_text).value["sources"] == ["listing_a.txt", "listing_b.txt"]
    assert len(list(folder.glob("*.yaml"))) == 7


def test_reimport_matches_a_retitled_paper_by_its_abstract(
    shipped_topics: Path, run: Runner, caplog: pytest.LogCaptureFixture
) -> None:
    run("import", str(SEEDS / "listing_a.txt"))
    [path] = (shipped_topics / "content/papers").glob("agentverse-*.yaml")
    path.write_text(
        path.read_text().replace("AgentVerse: Facilitating", "AgentVerse (ICLR): Facilitating")
    )
    before = path.read_bytes()
    status, out, _ = run("import", str(SEEDS / "listing_a.txt"))
    assert status == 0
    # The user's title is kept; the title offered is reported as a conflict.
    assert out.strip() == "added 0, merged 0, unchanged 5, skipped 0, conflicts 1"
    assert "title: kept 'AgentVerse (ICLR): Facilitating" in caplog.text
    assert path.read_bytes() == before


def test_same_title_twice_in_one_file_is_one_paper(shipped_topics: Path, run: Runner) -> None:
    text = (SEEDS / "listing_b.txt").read_text()
    first_pair = "\n".join(text.splitlines()[2:4]).removeprefix("Subscribe")
    (shipped_topics / "twice.txt").write_text(text + "\n" + first_pair + "\n")
    status, out, _ = run("import", "twice.txt")
    assert status == 0
    assert out.strip() == "added 3, merged 0, unchanged 0, skipped 0, conflicts 0"


def test_distinct_papers_whose_abstracts_open_alike_stay_apart(
    shipped_topics: Path, run: Runner
) -> None:
    opening = "Large language models are increasingly used as agents. "
    (shipped_topics / "alike.txt").write_text(
        "chrome\nchrome\nSubscribeFirst Paper On Agents\n"
        + opening
        + "We study planning.\nSecond Paper On Agents\n"
        + opening
        + "We study memory.\n"
    )
    status, out, _ = run("import", "alike.txt")
    assert status == 0
    assert out.strip() == "added 2, merged 0, unchanged 0, skipped 0, conflicts 0"


def test_import_reports_progress_on_stderr(shipped_topics: Path, run: Runner) -> None:
    _, _, err = run("import", str(SEEDS / "listing_a.txt"))
    assert "import: 5/5" in err
