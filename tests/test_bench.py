"""The bench's pure parts: what a process is called, the peaks per process, the verdicts and
their table. No timing is asserted: benchmarks measure, tests assert behaviour."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil  # type: ignore[import-untyped]
import pytest

from scripts.bench_build import retitle
from scripts.bench_memory import TreeMonitor, merge_peaks, process_label
from scripts.bench_report import all_verdicts, edit_median, flat, verdict_table


def test_processes_are_named_by_what_they_run() -> None:
    build = ["/x/.venv/bin/python", "/x/.venv/bin/readinglist", "build", "--content", "c"]
    assert process_label(build) == "readinglist build"
    assert process_label(build, build) == "readinglist build (forked child)"
    assert process_label(["/usr/bin/python3.11", "-m", "pagefind", "--site", "s"]) == (
        "python -m pagefind"
    )
    assert process_label(["/x/pagefind_bin/pagefind", "--site", "/a/b"], build) == "pagefind"
    assert process_label(["python", "-c", "print(1)"]) == "python -c"
    assert process_label([]) == "?"


def test_the_peak_per_process_is_the_largest_of_its_samples_largest_first() -> None:
    samples = [("pagefind", 120.0), ("readinglist build", 300.0), ("pagefind", 900.5)]
    assert merge_peaks(samples) == {"pagefind": 900.5, "readinglist build": 300.0}
    assert list(merge_peaks([("b", 1.0), ("a", 1.0), ("c", 2.0)])) == ["c", "a", "b"]


def test_the_monitor_sees_this_process() -> None:
    monitor = TreeMonitor(os.getpid())
    peaks = monitor.stop()
    assert len(peaks) >= 1 and all(mb > 0 for mb in peaks.values())


def test_a_process_without_a_command_line_is_left_out_unless_seen_with_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An exiting process shows no command line (and, once a zombie, no memory): one first
    # seen so is left out, not reported as "?" at 0 MB; one seen alive keeps its label.
    monitor = TreeMonitor(os.getpid())
    monitor.stop()
    wait = [sys.executable, "-c", "import sys; sys.stdin.read()"]
    seen = subprocess.Popen(wait, stdin=subprocess.PIPE)
    unseen = subprocess.Popen(wait, stdin=subprocess.PIPE)
    exiting = {unseen.pid}
    cmdline = psutil.Process.cmdline
    monkeypatch.setattr(
        psutil.Process,
        "cmdline",
        lambda self: [] if self.pid in exiting else cmdline(self),
    )
    try:
        _wait_started(seen.pid)
        monitor.sample()
        assert seen.pid in monitor.per_pid and unseen.pid not in monitor.per_pid
        label, peak = monitor.per_pid[seen.pid]
        assert label == "python -c" and peak > 0
        exiting.add(seen.pid)
        monitor.sample()
        assert monitor.per_pid[seen.pid][0] == label
        assert "?" not in monitor.peaks
    finally:
        for process in (seen, unseen):
            process.kill()
            process.wait()


def _wait_started(pid: int) -> None:
    """Until the child runs Python (its command line is no longer the parent's)."""
    deadline = time.monotonic() + 10
    while "-c" not in psutil.Process(pid).cmdline():
        assert time.monotonic() < deadline, f"process {pid} did not start"
        time.sleep(0.01)


def test_a_wait_that_ran_out_counts_as_the_longest_edit() -> None:
    assert edit_median([0.5, None, 0.2]) == 0.5
    assert edit_median([None, None, 0.2]) is None
    assert edit_median([3.0, 1.0, 2.0]) == 2.0
    assert edit_median([]) is None


def row(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "papers": 10000,
        "full_build_ratio": 0.9,
        "build_after_edit_s": 7.5,
        "serve": {"edit_on_screen_s": 0.8, "edit_found_s": None},
        "phases": {"load": 1.0},
        "memory_full_build_mb": {"pagefind": 1070.0, "readinglist build": 380.0},
        "memory_baseline_mkdocs_mb": {"mkdocs build": 9999.0},
        "search": {"zensical": {"typed_s": 0.2, "query_kb": 350.0}},
    }
    return base | overrides


def test_every_figure_is_judged_against_its_target() -> None:
    verdicts = {v.what: v for v in all_verdicts([row()], None)}
    assert verdicts["full build vs plain mkdocs"].passed
    assert not verdicts["build after a one-paper edit"].passed
    assert verdicts["serve: one-paper edit on screen"].passed
    assert not verdicts["serve: edit found by the header search"].passed  # never found
    assert not verdicts["peak memory, full build: pagefind"].passed
    assert verdicts["peak memory, full build: readinglist build"].passed
    assert verdicts["search: first result while typing (zensical)"].passed
    assert not verdicts["search: bytes fetched for a query (zensical)"].passed
    # Plain MkDocs is the reference, not judged; figures not measured are left out.
    assert not any("baseline" in what for what in verdicts)
    assert "serve: topics.yaml edit on screen" not in verdicts


def test_targets_for_large_lists_only_apply_to_them() -> None:
    small = {v.what for v in all_verdicts([row(papers=1000)], None)}
    assert "load (YAML to model)" not in small
    assert "search: bytes fetched for a query (zensical)" not in small
    shipped = all_verdicts([], {"mkdocs": {"typed_s": 0.35, "query_kb": 500.0}})
    assert [(v.list_label, v.passed) for v in shipped] == [("shipped list", False)]


def test_the_table_says_pass_fail_and_never() -> None:
    table = verdict_table(all_verdicts([row()], None))
    lines = table.splitlines()
    assert any("FAIL" in line and "never" in line and "header search" in line for line in lines)
    assert any("PASS" in line and "0.9x" in line for line in lines)
    passed = sum("PASS" in line for line in lines[:-1])
    assert lines[-1] == f"{passed} of {len(lines) - 1} targets met"


def test_nested_figures_flatten_to_dotted_keys() -> None:
    assert flat({"a": 1, "b": {"c": 2, "d": [1, 2]}}) == {"a": 1, "b.c": 2}


def test_a_title_edit_is_saved_whole_and_quoted(tmp_path: Path) -> None:
    paper = tmp_path / "p.yaml"
    paper.write_text("title: 'It''s a long\n  title'\nyear: 2020\n")
    assert retitle(paper, "Quokka") == "Quokka It's a long title"
    assert paper.read_text() == "title: 'Quokka It''s a long title'\nyear: 2020\n"
    assert [p.name for p in tmp_path.iterdir()] == ["p.yaml"]
