"""Time `readinglist import` of a synthetic BibTeX file into an empty list, in a fresh process.

Run on its own with `python -m scripts.bench_import [--entries N]`; `make bench` includes it.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.content.load import load_list

from .synthetic import VARIANTS

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def make_bibtex(size: int, seed: int = 0) -> str:
    """`size` entries built from the shipped abstracts, with the usual BibTeX constructs."""
    papers = load_list(ROOT / "content").papers
    rng = random.Random(seed)
    parts = ['@string{conf = "Proceedings of the " # "Conference"}\n']
    for i in range(size):
        base = papers[i % len(papers)]
        title = base.title.replace("{", "").replace("}", "")
        abstract = (base.abstract or "").replace("{", "(").replace("}", ")").replace("%", "\\%")
        parts.append(
            f"@inproceedings{{key{i},\n"
            f"  title = {{{title}: {rng.choice(VARIANTS)} {i}}},\n"
            f'  author = {{M{{\\"u}}ller, J{{\\"o}}rg and Doe, Jane{i} and others}},\n'
            f'  booktitle = conf # " {2015 + i % 11}",\n'
            f"  year = {2015 + i % 11}, month = {MONTHS[i % 12]},\n"
            f"  eprint = {{{2101 + i % 12:04d}.{i:05d}v2}}, archivePrefix = {{arXiv}},\n"
            f"  abstract = {{{abstract}}}\n}}\n"
        )
    return "\n".join(parts)


def import_seconds(size: int) -> float:
    """Seconds `readinglist import` takes for `size` BibTeX entries (a fresh process)."""
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        work = Path(tmp)
        (work / "content" / "papers").mkdir(parents=True)
        shutil.copy(ROOT / "content" / "topics.yaml", work / "content" / "topics.yaml")
        (work / "list.bib").write_text(make_bibtex(size), encoding="utf-8")
        start = time.perf_counter()
        subprocess.run(
            [str(BIN / "readinglist"), "import", "list.bib", "--added", "2026-01-01"],
            cwd=work,
            check=True,
            capture_output=True,
        )
        seconds = time.perf_counter() - start
        written = len(list((work / "content" / "papers").glob("*.yaml")))
        if written != size:
            raise SystemExit(f"import wrote {written} papers, expected {size}")
        return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=10000)
    args = parser.parse_args()
    print(f"import of {args.entries} BibTeX entries: {import_seconds(args.entries):.2f} s")


if __name__ == "__main__":
    main()
