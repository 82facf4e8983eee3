"""Show what `readinglist check` and `build` print for every error case of the corpus, and
with --update write it into the cases as their expected `error:` lines.

    .venv/bin/python -m tests.hostile.update [--update] [CASE-ID...]

Review every line it writes: a traceback, a crash or a vague message is a product bug to
report (it is never written), not a golden to accept.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from .harness import CORPUS, Case, ErrorRun, load_corpus, run_error_cases


def verdict(case: Case, run: ErrorRun) -> tuple[str, list[str]]:
    """('ok' | 'differs' | 'broken: why', the lines the (first) command printed)."""
    names = list(run.outcomes)
    lines = run.lines(names[0])
    for name, outcome in run.outcomes.items():
        if "Traceback" in outcome.err or outcome.status != 1:
            return f"broken: {name} exit status {outcome.status}", outcome.err.splitlines()[-6:]
        if run.lines(name) != lines:
            return f"broken: {name} printed other lines than {names[0]}", run.lines(name)
    changed = [what for what, (before, after) in run.untouched.items() if before != after]
    if changed:
        return f"broken: changed {', '.join(changed)}", lines
    return ("ok" if tuple(lines) == case.error else "differs"), lines


def rewrite(path: Path, case_id: str, lines: list[str]) -> None:
    """Replace the `error:` list of one case in its file, leaving the rest byte for byte."""
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = text.index(f"- id: {case_id}\n")
    at = next(i for i in range(start + 1, len(text)) if text[i] == "  error:\n")
    end = at + 1
    while end < len(text) and text[end].startswith(("  - ", "    ")):
        end += 1
    new = [
        f"  - {json.dumps(line.replace(case_id, '@ID@'), ensure_ascii=False)}\n" for line in lines
    ]
    path.write_text("".join(text[: at + 1] + new + text[end:]), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", action="store_true", help="write the lines into the cases")
    parser.add_argument("ids", nargs="*", help="only these cases")
    args = parser.parse_args()
    cases = [c for c in load_corpus() if c.error is not None and (not args.ids or c.id in args.ids)]
    with tempfile.TemporaryDirectory() as tmp:
        runs = run_error_cases(cases, Path(tmp), timeout=20)
    for case in cases:
        status, lines = verdict(case, runs[case.id])
        known = f" known: {case.known_failure}" if case.known_failure else ""
        print(f"{status:8} {case.id} [{case.cls}]{known}")
        if status != "ok":
            for line in lines:
                print(f"           {line}")
        if args.update and status == "differs":
            rewrite(CORPUS / case.source, case.id, lines)


if __name__ == "__main__":
    main()
