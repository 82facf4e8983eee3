"""`make bench`: what a user of a 1,000- and a 10,000-paper list feels, each figure against
its target (issue #15's table and the README's search targets), PASS or FAIL.

Measured, each in fresh processes on synthetic lists (scripts/synthetic.py):
- the serve edit loop in Chromium: a title edit on the open page, found by the header search,
  a topics.yaml and a template edit (bench_serve.py);
- the one-off `readinglist build` after a one-paper edit, the full build against a plain
  `mkdocs build` of the very same Markdown, the generation phases (bench_build.py);
- the peak memory of every process of those, children included (bench_memory.py);
- the header search on each builder, on the shipped list and the largest list (bench_search.py).

`--quick`: 1,000 papers only, for development. `--size 100000`: only the full build of that
many papers, its time, peak memory and where it breaks if it does (run once, by hand).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .bench_build import builds, generation_phases, readinglist_build
from .bench_import import import_seconds
from .bench_report import Verdict, all_verdicts, figures_table, verdict_table
from .bench_search import search_speed
from .bench_serve import serve_loop
from .synthetic import make_list

ROOT = Path(__file__).resolve().parent.parent
BUILDERS = ("mkdocs", "properdocs", "zensical")
STARTED = time.monotonic()


def say(text: str) -> None:
    minutes, seconds = divmod(int(time.monotonic() - STARTED), 60)
    print(f"[{minutes:3d}:{seconds:02d}] {text}", file=sys.stderr, flush=True)


def measure(size: int, work: Path, edits: int, search: bool) -> dict[str, Any]:
    def said(text: str) -> None:
        say(f"{size} papers: {text}")

    said("making the synthetic list")
    content = make_list(ROOT / "content", work, size)
    row: dict[str, Any] = {"papers": size}
    said("generation phases (load, relate, render, write)")
    row["phases"] = generation_phases(content, work)
    row.update(builds(content, work, said))
    if search:
        row["search"] = {"mkdocs": _search(work / "site", said, "mkdocs")}
        row["builder_build_s"] = {"mkdocs": row["full_build_s"]}
        for builder in BUILDERS[1:]:
            said(f"`readinglist build --builder {builder}`")
            site = work / f"site-{builder}"
            seconds, peaks = readinglist_build(
                content, work / f"build-{builder}", site, work / f"{builder}.log", builder
            )
            row["builder_build_s"][builder] = round(seconds, 2)
            row[f"memory_{builder}_build_mb"] = peaks
            row["search"][builder] = _search(site, said, builder)
    row.update(serve_loop(content, work, edits, said))
    return row


def _search(site: Path, said: Callable[[str], None], builder: str) -> dict[str, float]:
    said(f"search in Chromium ({builder})")
    figures = search_speed(site)
    said(f"  {figures}")
    return figures


def shipped_search(work: Path) -> dict[str, dict[str, float]]:
    """The header search on the shipped list, built by each builder as a user builds it."""
    figures = {}
    for builder in BUILDERS:
        say(f"shipped list: `readinglist build --builder {builder}`, then search")
        site = work / f"site-{builder}"
        readinglist_build(
            ROOT / "content", work / f"build-{builder}", site, work / f"{builder}.log", builder
        )
        figures[builder] = search_speed(site)
        say(f"  {figures[builder]}")
    return figures


def one_size(size: int, work: Path) -> dict[str, Any]:
    """The full build of `size` papers: its time and every process's peak memory, or
    where it broke."""
    say(f"{size} papers: making the synthetic list")
    content = make_list(ROOT / "content", work, size)
    say(f"{size} papers: full `readinglist build` (its log follows)")
    row: dict[str, Any] = {"papers": size}
    log = work / "full-build.log"
    try:
        seconds, peaks = readinglist_build(content, work / "build", work / "site", log, echo=True)
        row.update(full_build_s=round(seconds, 1), memory_full_build_mb=peaks)
    except SystemExit as failure:
        row["broke"] = str(failure)[-3000:]
    return row


def machine() -> dict[str, Any]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 papers only")
    parser.add_argument("--sizes", type=int, nargs="+", help="list sizes (default 1000 10000)")
    parser.add_argument("--size", type=int, help="only the full build of this many papers")
    parser.add_argument("--edits", type=int, default=3, help="title edits under serve")
    parser.add_argument("--no-shipped", action="store_true", help="skip the shipped list")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    os.chdir(ROOT)
    report: dict[str, Any] = {"machine": machine()}
    if args.size:
        with tempfile.TemporaryDirectory(prefix=f"bench-{args.size}-") as work:
            row = one_size(args.size, Path(work))
        report["results"] = [row]
        print(json.dumps(row, indent=2))
    else:
        sizes = args.sizes or ([1000] if args.quick else [1000, 10000])
        shipped = None
        if not args.no_shipped:
            with tempfile.TemporaryDirectory(prefix="bench-shipped-") as work:
                shipped = shipped_search(Path(work))
        results = []
        for size in sizes:
            with tempfile.TemporaryDirectory(prefix=f"bench-{size}-") as work:
                results.append(measure(size, Path(work), args.edits, size == max(sizes)))
        entries = max(sizes)
        say(f"`readinglist import` of {entries} BibTeX entries")
        imported = import_seconds(entries)
        say(f"  {imported:.1f} s")
        verdicts = all_verdicts(results, shipped)
        # Issue #13: 10,000 BibTeX entries imported in under 10 s (scaled for --quick).
        what = f"import of {entries} BibTeX entries"
        verdicts.append(Verdict("import", what, round(imported, 2), 10.0 * entries / 10000, " s"))
        print(figures_table(results))
        print(f"\nshipped list search: {shipped}\n")
        print(verdict_table(verdicts))
        report |= {"results": results, "shipped_search": shipped, "import_s": imported}
        report["verdicts"] = [
            {
                "list": v.list_label,
                "what": v.what,
                "value": v.value,
                "target": v.target,
                "unit": v.unit.strip(),
                "passed": v.passed,
            }
            for v in verdicts
        ]
    report["machine"]["load_average_end"] = [round(x, 1) for x in os.getloadavg()]
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
