"""`make bench`: build synthetic lists of 1,000 and 10,000 papers and measure the pipeline.

Every figure is measured in a fresh process, and the full build is reported as a ratio to a
plain `mkdocs build` of the very same generated Markdown (the baseline), so the numbers say
what the generator adds on this machine rather than how fast the machine is.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

from .chromium import CHROMIUM_FLAGS
from .synthetic import make_list

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGETS = {
    "search_first_result_s_10000": 0.4,
    "search_kb_10000": 300,
    "search_first_result_s_shipped": 0.3,
    "full_build_ratio": 1.25,
    "peak_memory_mb_10000": 500,
    "paper_page_kb": 40,
    "one_paper_edit_s_10000": 0.5,
    "load_s_10000": 2.0,
    "related_s_10000": 5.0,
}

# Runs in a child process: prints JSON with the phase timings of one generation, done as
# `readinglist build` does it (related papers computed in a forked child meanwhile), then
# the related papers alone, computed again here (scikit-learn's import included).
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
                  "total": t3 - t0, "related_papers": t4 - t3, "written": len(report.written)}))
"""

# Runs in a child process: edits one paper, regenerates twice in one process (the first as
# `readinglist build` does, from the cache on disk; the second as `readinglist serve` does,
# with its in-memory cache warm) and prints both timings.
EDIT = """
import json, os, sys, time
from pathlib import Path
from generator.incremental.generator import Generator
from generator.incremental.related_process import RelatedProcess
content, out = Path(sys.argv[1]), Path(sys.argv[2])
def edit(n):
    paper = sorted((content / "papers").glob("*.yaml"))[n]
    paper.write_text(paper.read_text().replace("title: '", "title: 'Edited ", 1))
    old = time.time() - 60
    os.utime(paper, (old, old))
t0 = time.perf_counter(); generator = Generator(content, Path("templates"), out)
edit(7)
with RelatedProcess() as child:
    generator.relate_and_write(generator.load(), child)
t1 = time.perf_counter()
edit(8); t2 = time.perf_counter()
related = generator.relate(generator.load(), defer=True)
report = generator.write(related, downloads=False)
t3 = time.perf_counter()
generator.write(generator.settle_related() or related); t4 = time.perf_counter()
print(json.dumps({"cold_process": t1 - t0, "serve_warm": t3 - t2, "related_settle": t4 - t3,
                  "written": report.written}))
"""


def timed(command: list[str], cwd: Path = ROOT) -> tuple[float, int, str, str]:
    """(seconds, peak RSS in KB of it and its children, stdout, stderr) of a command run in
    a fresh process."""
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "elapsed = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps([r.returncode, elapsed, rss, r.stdout, r.stderr]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", wrapper, *command], cwd=cwd, capture_output=True, text=True
    )
    status, seconds, rss, out, err = json.loads(result.stdout)
    if status or result.returncode:
        raise SystemExit(f"failed: {' '.join(command)}\n{err[-3000:]}{result.stderr[-2000:]}")
    return float(seconds), int(rss), out, err


SEARCH_QUERIES = ("reinforcement learning", "scaling laws", "preference optimization")
SEARCH_RUNS = 3


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files and counts the body bytes sent, whoever asked (page or worker): those
    of the search (the header search's script and data, Pagefind's files) and those of
    everything else."""

    sent: ClassVar[dict[str, int]] = {"search": 0, "page": 0}
    SEARCH_FILES = ("/pagefind/", "/assets/search-", "/assets/search.")

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        self.sent["search" if self.path.startswith(self.SEARCH_FILES) else "page"] += len(data)
        # A run's browser context may close with requests still under way.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            outputfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


# Times taken in the page itself (performance.now(), from navigation start), so the figures
# do not include how often Playwright polls: when the first result is in the document, and
# when the load event fired.
MARK_FIRST_RESULT = """
new MutationObserver((_, observer) => {
  if (document.querySelector(".readinglist-search-result")) {
    window.firstResultAt = performance.now();
    observer.disconnect();
  }
}).observe(document, { subtree: true, childList: true });
"""
PAGE_TIMES = """() => ({
  result: window.firstResultAt,
  load: performance.getEntriesByType("navigation")[0].loadEventStart,
})"""


def search_speed(site: Path) -> dict[str, float]:
    """In Chromium over localhost, for the slowest of a few queries (the median of
    SEARCH_RUNS runs of each, every run in a fresh browser context: a cold cache):
    - opened as a link with the query in it (?q=): seconds from navigation, and
      from the page's load event, to the first result in the document; kilobytes served for
      the search (its worker and all of Pagefind's files, whenever fetched) and for the rest
      of the page (files as stored: Pagefind's are compressed, HTML is not, as this server
      does not compress);
    - typed: the page loaded and left idle for a second, the query typed into the box at
      once, seconds from the keystroke to the first result."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    handler = functools.partial(_CountingHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    sent = _CountingHandler.sent
    per_query = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        for query in SEARCH_QUERIES:
            runs = []
            for _ in range(SEARCH_RUNS):
                context = browser.new_context()  # a cold cache for every run
                context.add_init_script(MARK_FIRST_RESULT)
                page = context.new_page()
                sent.update(search=0, page=0)
                page.goto(f"{url}?q={quote(query)}", wait_until="load")
                page.locator(".readinglist-search-result").first.wait_for(timeout=30000)
                page.wait_for_timeout(300)  # let the last requests finish for the byte count
                times = page.evaluate(PAGE_TIMES)
                runs.append(
                    {
                        "from_navigation_s": times["result"] / 1000,
                        "from_load_s": (times["result"] - times["load"]) / 1000,
                        "query_kb": sent["search"] / 1024,
                        "page_kb": sent["page"] / 1024,
                        "typed_s": typed_search(browser, url, query),
                    }
                )
                context.close()
            per_query.append({k: statistics.median(r[k] for r in runs) for k in runs[0]})
        browser.close()
    server.shutdown()
    worst = {k: max(q[k] for q in per_query) for k in per_query[0]}
    return {k: round(v, 3 if k.endswith("_s") else 1) for k, v in worst.items()}


def typed_search(browser: Any, url: str, query: str) -> float:
    """Seconds from typing `query` into the search box of an idle, loaded page to its first
    result (in a fresh context: nothing of the query is cached)."""
    context = browser.new_context()
    context.add_init_script(MARK_FIRST_RESULT)  # no result shows before the query is typed
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_timeout(1000)
    page.keyboard.press("/")  # the header search's shortcut
    page.evaluate(
        """(query) => {
          const input = document.querySelector(".readinglist-search-field");
          window.typedAt = performance.now();
          input.value = query;
          input.dispatchEvent(new Event("input", { bubbles: true }));
        }""",
        query,
    )
    page.locator(".readinglist-search-result").first.wait_for(timeout=30000)
    seconds = page.evaluate("window.firstResultAt - window.typedAt") / 1000
    context.close()
    return float(seconds)


def _own_peak(log_text: str) -> float:
    """The build process's own peak, as `readinglist build` reports it (MB)."""
    for line in log_text.splitlines():
        if line.startswith("peak memory "):
            return float(line.split()[2])
    return float("nan")


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure(size: int, work: Path) -> dict[str, Any]:
    def say(text: str) -> None:
        print(f"[{size} papers] {text}", file=sys.stderr, flush=True)

    say("making the synthetic list")
    content = make_list(ROOT / "content", work, size)
    env_python = [sys.executable, "-c"]

    say("generating Markdown (load, relate, render, write)")
    _, _, out, _ = timed([*env_python, GENERATE, str(content), str(work / "gen")])
    phases = json.loads(out)

    say("building the site with MkDocs (generated project, strict)")
    build_s, _, _, _ = timed(
        [
            *env_python,
            "from generator.builders import get_builder; import sys, pathlib; "
            "get_builder().build(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]))",
            str(work / "gen"),
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
    full_s, full_rss, _, full_log = timed(
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
    _, _, out, _ = timed([*env_python, EDIT, str(content), str(work / "full-build")])
    edit = json.loads(out)

    say("search speed in Chromium")
    search = search_speed(work / "site")

    pages = [p.stat().st_size for p in (work / "site" / "papers").glob("*/index.html")]
    return {
        "papers": size,
        "load_s": round(phases["load"], 3),
        "related_papers_s": round(phases["related_papers"], 2),
        "relate_render_write_s": round(phases["relate_render_write"], 3),
        "save_cache_s": round(phases["save"], 3),
        "generate_s": round(phases["total"], 3),
        "mkdocs_build_s": round(build_s, 2),
        "baseline_mkdocs_s": round(baseline_s, 2),
        "full_build_s": round(full_s, 2),
        "full_build_ratio": round(full_s / baseline_s, 3),
        "peak_memory_mb": _own_peak(full_log),
        "peak_memory_with_indexer_mb": round(full_rss / 1024, 1),
        "paper_page_kb_mean": round(sum(pages) / len(pages) / 1024, 1),
        "paper_page_kb_max": round(max(pages) / 1024, 1),
        "site_mb": round(folder_bytes(work / "site") / 1e6, 1),
        "search_index_mb": round((work / "site/search/search_index.json").stat().st_size / 1e6, 1),
        "edit_regen_cold_process_s": round(edit["cold_process"], 3),
        "edit_regen_serve_s": round(edit["serve_warm"], 3),
        "edit_related_settle_s": round(edit["related_settle"], 3),
        "edit_pages_written": len(edit["written"]),
        "search_first_result_s": search["from_load_s"],
        "search_from_navigation_s": search["from_navigation_s"],
        "search_query_kb": search["query_kb"],
        "search_typed_s": search["typed_s"],
        "page_load_kb": search["page_kb"],
    }


def shipped_search(work: Path) -> dict[str, Any]:
    """Search speed on the shipped reading list, built as `make site` builds it."""
    print("[shipped list] building and timing search", file=sys.stderr, flush=True)
    subprocess.run(
        [
            str(BIN / "readinglist"),
            "build",
            "--out",
            str(work / "build"),
            "--site",
            str(work / "site"),
        ],
        check=True,
        capture_output=True,
    )
    return {"papers": "shipped", **search_speed(work / "site")}


# (what, result key, target key, unit, smallest list the target applies to)
CHECKS = (
    ("full build vs baseline", "full_build_ratio", "full_build_ratio", "x", 0),
    ("largest paper page", "paper_page_kb_max", "paper_page_kb", " KB", 0),
    (
        "first search result after load",
        "search_first_result_s",
        "search_first_result_s_10000",
        " s",
        10000,
    ),
    ("search download", "search_query_kb", "search_kb_10000", " KB", 10000),
    ("peak memory (build process)", "peak_memory_mb", "peak_memory_mb_10000", " MB", 10000),
    # The edit loop is `serve`, which keeps everything in memory; a one-off `build` process
    # (edit_regen_cold_process_s, in the table) first imports its libraries and reads its cache.
    ("one-paper edit (serve)", "edit_regen_serve_s", "one_paper_edit_s_10000", " s", 10000),
    ("load", "load_s", "load_s_10000", " s", 10000),
    ("related papers", "related_papers_s", "related_s_10000", " s", 10000),
)


def verdict(label: str, what: str, value: float, target: float, unit: str) -> str:
    met = "MET " if value <= target else "MISS"
    return f"{label:>14}  {met}  {what}: {value}{unit} (target <= {target}{unit})"


def verdicts(results: list[dict[str, Any]], shipped: dict[str, Any] | None = None) -> list[str]:
    lines = []
    if shipped:
        target = TARGETS["search_first_result_s_shipped"]
        what = "first search result after load"
        lines.append(verdict("shipped papers", what, shipped["from_load_s"], target, " s"))
    for row in results:
        label = f"{row['papers']} papers"
        for what, key, target_key, unit, smallest in CHECKS:
            if row["papers"] >= smallest:
                lines.append(verdict(label, what, row[key], TARGETS[target_key], unit))
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
    with tempfile.TemporaryDirectory(prefix="bench-shipped-") as work:
        shipped = shipped_search(Path(work))
    results = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-{size}-") as work:
            results.append(measure(size, Path(work)))
    print(table(results))
    print(f"\nshipped list search: {shipped}\n")
    print("\n".join(verdicts(results, shipped)))
    if args.out:
        report = {
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            "targets": TARGETS,
            "results": results,
            "shipped_search": shipped,
            "verdicts": verdicts(results, shipped),
        }
        args.out.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
