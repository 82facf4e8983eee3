"""What a one-off `readinglist build` costs: the full build against a plain `mkdocs build` of
the very same Markdown, the build after a one-paper edit, and a build with each builder,
each in a fresh process with the peak memory of every process of it."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from .bench_memory import run_measured

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# Runs in a child process: the phase timings of one generation, done as `readinglist build`
# does it (related papers computed in a forked child meanwhile), then the related papers
# alone, computed again here (scikit-learn's import included).
GENERATE = """
import json, sys, time
from pathlib import Path
from generator.incremental.generator import Generator
from generator.incremental.related_process import RelatedProcess
from generator.relate.similar import find_related
content, out = Path(sys.argv[1]), Path(sys.argv[2])
t0 = time.perf_counter(); generator = Generator(content, Path("templates"), out)
with RelatedProcess() as child:
    reading_list = generator.load(); t1 = time.perf_counter()
    report = generator.relate_and_write(reading_list, child); t2 = time.perf_counter()
generator.save(); t3 = time.perf_counter()
find_related(reading_list.papers); t4 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "relate_render_write": t2 - t1, "save": t3 - t2,
                  "total": t3 - t0, "related_papers": t4 - t3}))
"""


def generation_phases(content: Path, work: Path) -> dict[str, float]:
    """Seconds of each generation phase (no site build), in a fresh process."""
    log = work / "generate.log"
    out = work / "generate-only"
    run_measured([sys.executable, "-c", GENERATE, str(content), str(out)], log, cwd=ROOT)
    lines = [line for line in log.read_text().splitlines() if line.startswith("{")]
    phases: dict[str, float] = json.loads(lines[-1])
    return {k: round(v, 3) for k, v in phases.items()}


def readinglist_build(
    content: Path, out: Path, site: Path, log: Path, builder: str = "mkdocs", echo: bool = False
) -> tuple[float, dict[str, float]]:
    """(seconds, peaks) of `readinglist build`, as a user runs it."""
    command = [str(BIN / "readinglist"), "build", "--content", str(content)]
    command += ["--out", str(out), "--site", str(site), "--builder", builder]
    return run_measured(command, log, cwd=ROOT, echo=echo)


def plain_mkdocs(project: Path, site: Path, log: Path) -> tuple[float, dict[str, float]]:
    """(seconds, peaks) of a plain `mkdocs build` of a generated project: the baseline."""
    command = [str(BIN / "mkdocs"), "build", "-q", "-f", str(project / "mkdocs.yml")]
    return run_measured([*command, "-d", str(site)], log, cwd=ROOT)


def retitle(paper: Path, word: str) -> str:
    """Put `word` before the paper's title, saved as an editor saves (a new file renamed over
    the old one); returns the new title."""
    text = paper.read_text(encoding="utf-8")
    title = str(yaml.safe_load(text)["title"])
    new = f"{word} {title}"
    quoted = "'" + new.replace("'", "''") + "'"
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    # A long title may continue on indented lines: they are replaced too.
    end = at + 1
    while end < len(lines) and lines[end].startswith(" "):
        end += 1
    lines[at:end] = [f"title: {quoted}\n"]
    save_as_editor(paper, "".join(lines))
    return new


def save_as_editor(path: Path, text: str) -> None:
    """Write a new file beside `path` and rename it over `path`, as most editors save."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def builds(content: Path, work: Path, say: Any) -> dict[str, Any]:
    """The full build, the baseline on its Markdown, and the build after a one-paper edit."""
    out, site = work / "build", work / "site"
    say("full `readinglist build` from a cold start")
    full_s, full_peaks = readinglist_build(content, out, site, work / "full-build.log")
    say(f"  {full_s:.1f} s; baseline: plain `mkdocs build` of the same Markdown")
    baseline_s, baseline_peaks = plain_mkdocs(out, work / "baseline-site", work / "baseline.log")
    say(f"  {baseline_s:.1f} s; one-paper edit, then `readinglist build` again")
    paper = sorted((content / "papers").glob("*.yaml"))[len(list(content.glob("papers/*"))) // 2]
    retitle(paper, "Edited")
    time.sleep(0.01)
    after_s, after_peaks = readinglist_build(content, out, site, work / "after-edit.log")
    say(f"  {after_s:.1f} s")
    pages = [p.stat().st_size for p in (site / "papers").glob("*/index.html")]
    return {
        "full_build_s": round(full_s, 2),
        "baseline_mkdocs_s": round(baseline_s, 2),
        "full_build_ratio": round(full_s / baseline_s, 3),
        "build_after_edit_s": round(after_s, 2),
        "paper_page_kb_max": round(max(pages) / 1024, 1),
        "memory_full_build_mb": full_peaks,
        "memory_build_after_edit_mb": after_peaks,
        "memory_baseline_mkdocs_mb": baseline_peaks,
    }
