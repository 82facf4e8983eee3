"""`make bench`: build synthetic lists of 1,000 and 10,000 papers and measure the pipeline.

Every figure is measured in a fresh process, and the full build is reported as a ratio to a
plain `mkdocs build` of the very same generated Markdown (the baseline), so the numbers say
what the generator adds on this machine rather than how fast the machine is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .synthetic import make_list

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGETS = {
    "full_build_ratio": 1.25,
    "peak_memory_mb_10000": 500,
    "paper_page_kb": 40,
    "one_paper_edit_s_10000": 0.5,
    "load_s_10000": 2.0,
}

# Runs in a child process: prints JSON with the phase timings of one generation.
GENERATE = """
import json, sys, time
from pathlib import Path
from generator.load import load_list
from generator.pipeline import Generator
from generator.relate import relate
content, out = Path(sys.argv[1]), Path(sys.argv[2])
t0 = time.perf_counter(); generator = Generator(content, Path("templates"), out)
reading_list = generator.load(); t1 = time.perf_counter()
related = relate(reading_list); t2 = time.perf_counter()
report = generator.write(related); t3 = time.perf_counter()
generator.save()
print(json.dumps({"load": t1 - t0, "relate": t2 - t1, "render_write": t3 - t2,
                  "total": t3 - t0, "written": len(report.written)}))
"""

# Runs in a child process: edits one paper, regenerates twice in one process (the second as
# `readinglist serve` does, with its in-memory cache warm) and prints both timings.
EDIT = """
import json, os, sys, time
from pathlib import Path
from generator.pipeline import Generator
from generator.relate import relate
content, out = Path(sys.argv[1]), Path(sys.argv[2])
def edit(n):
    paper = sorted((content / "papers").glob("*.yaml"))[n]
    paper.write_text(paper.read_text().replace("title: '", "title: 'Edited ", 1))
    old = time.time() - 60
    os.utime(paper, (old, old))
t0 = time.perf_counter(); generator = Generator(content, Path("templates"), out)
edit(7); generator.write(relate(generator.load())); t1 = time.perf_counter()
edit(8); t2 = time.perf_counter(); report = generator.write(relate(generator.load()))
t3 = time.perf_counter()
print(json.dumps({"cold_process": t1 - t0, "serve_warm": t3 - t2, "written": report.written}))
"""


def timed(command: list[str], cwd: Path = ROOT) -> tuple[float, int, str]:
    """(seconds, peak RSS in KB, stdout) of a command run in a fresh process."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "elapsed = time.perf_counter() - t\n"
        "sys.stderr.write(r.stderr)\n"
        "if r.returncode: sys.exit(r.returncode)\n"
        "print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(r.stdout, end='')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", wrapper, *command], cwd=cwd, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stderr[-3000:]}")
    first, _, rest = result.stdout.partition("\n")
    seconds, rss = first.split()
    return float(seconds), int(rss), rest


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure(size: int, work: Path) -> dict[str, Any]:
    say = lambda text: print(f"[{size} papers] {text}", file=sys.stderr, flush=True)  # noqa: E731
    say("making the synthetic list")
    content = make_list(ROOT / "content", work, size)
    env_python = [sys.executable, "-c"]

    say("generating Markdown (load, relate, render, write)")
    _, _, out = timed([*env_python, GENERATE, str(content), str(work / "gen")])
    phases = json.loads(out)

    say("building the site with MkDocs (generated project, strict)")
    build_s, _, _ = timed(
        [
            *env_python,
            "from generator.site_builder import build_html; import sys, pathlib; "
            "build_html(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]))",
            str(work / "gen" / "mkdocs.yml"),
            str(work / "mkdocs-site"),
        ]
    )

    say("baseline: plain `mkdocs build` of the same Markdown")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    subprocess.run(
        [
            str(BIN / "mkdocs"),
            "build",
            "-q",
            "-f",
            str(work / "gen" / "mkdocs.yml"),
            "-d",
            str(work / "baseline-site"),
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    baseline_s = time.perf_counter() - start

    say("full `readinglist build` from a cold start")
    full_s, full_rss, _ = timed(
        [
            str(BIN / "readinglist"),
            "build",
            "--content",
            str(content),
            "--out",
            str(work / "full-build"),
            "--site",
            str(work / "site"),
        ]
    )

    say("one-paper edit")
    _, _, out = timed([*env_python, EDIT, str(content), str(work / "full-build")])
    edit = json.loads(out)

    pages = [p.stat().st_size for p in (work / "site" / "papers").glob("*/index.html")]
    return {
        "papers": size,
        "load_s": round(phases["load"], 3),
        "relate_s": round(phases["relate"], 3),
        "render_write_s": round(phases["render_write"], 3),
        "generate_s": round(phases["total"], 3),
        "mkdocs_build_s": round(build_s, 2),
        "baseline_mkdocs_s": round(baseline_s, 2),
        "full_build_s": round(full_s, 2),
        "full_build_ratio": round(full_s / baseline_s, 3),
        "peak_memory_mb": round(full_rss / 1024, 1),
        "paper_page_kb_mean": round(sum(pages) / len(pages) / 1024, 1),
        "paper_page_kb_max": round(max(pages) / 1024, 1),
        "site_mb": round(folder_bytes(work / "site") / 1e6, 1),
        "search_index_mb": round((work / "site/search/search_index.json").stat().st_size / 1e6, 1),
        "edit_regen_cold_process_s": round(edit["cold_process"], 3),
        "edit_regen_serve_s": round(edit["serve_warm"], 3),
        "edit_pages_written": len(edit["written"]),
    }


def verdicts(results: list[dict[str, Any]]) -> list[str]:
    lines = []
    for row in results:
        n = row["papers"]
        checks = [
            (
                f"full build <= {TARGETS['full_build_ratio']}x baseline",
                row["full_build_ratio"] <= TARGETS["full_build_ratio"],
                f"{row['full_build_ratio']}x",
            ),
            (
                f"paper page <= {TARGETS['paper_page_kb']} KB",
                row["paper_page_kb_max"] <= TARGETS["paper_page_kb"],
                f"max {row['paper_page_kb_max']} KB",
            ),
        ]
        if n >= 10000:
            checks += [
                (
                    f"peak memory <= {TARGETS['peak_memory_mb_10000']} MB",
                    row["peak_memory_mb"] <= TARGETS["peak_memory_mb_10000"],
                    f"{row['peak_memory_mb']} MB",
                ),
                (
                    f"one-paper edit <= {TARGETS['one_paper_edit_s_10000']} s (serve)",
                    row["edit_regen_serve_s"] <= TARGETS["one_paper_edit_s_10000"],
                    f"{row['edit_regen_serve_s']} s",
                ),
                (
                    f"one-paper edit <= {TARGETS['one_paper_edit_s_10000']} s (cold `build`)",
                    row["edit_regen_cold_process_s"] <= TARGETS["one_paper_edit_s_10000"],
                    f"{row['edit_regen_cold_process_s']} s",
                ),
                (
                    f"load <= {TARGETS['load_s_10000']} s",
                    row["load_s"] <= TARGETS["load_s_10000"],
                    f"{row['load_s']} s",
                ),
            ]
        lines += [
            f"{n:>6} papers  {'MET ' if ok else 'MISS'}  {name}: {value}"
            for name, ok, value in checks
        ]
    return lines


def table(results: list[dict[str, Any]]) -> str:
    keys = list(results[0])
    width = max(len(k) for k in keys)
    header = " " * width + "".join(f"{r['papers']:>14}" for r in results)
    rows = [f"{k:<{width}}" + "".join(f"{r[k]!s:>14}" for r in results) for k in keys[1:]]
    return "\n".join([header, *rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    os.chdir(ROOT)
    results = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-{size}-") as work:
            results.append(measure(size, Path(work)))
    print(table(results))
    print()
    print("\n".join(verdicts(results)))
    if args.out:
        report = {
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            "targets": TARGETS,
            "results": results,
            "verdicts": verdicts(results),
        }
        args.out.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
