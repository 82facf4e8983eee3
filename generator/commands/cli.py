"""The `readinglist` command: a thin shell over load, relate, render and the site builder."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from generator.builders import BUILDERS, DEFAULT_BUILDER
from generator.commands.handlers import (
    run_add,
    run_build,
    run_check,
    run_enrich,
    run_export,
    run_import,
    run_new,
    run_serve,
    run_suggest,
)
from generator.errors import ContentError, FileSystemError, ReadingListError
from generator.shipped import templates_folder

if TYPE_CHECKING:
    pass

log = logging.getLogger("readinglist")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (1 on any reported error, no traceback)."""
    parser = _parser()
    args = parser.parse_args(argv)
    status = _run(args)
    if args.run is run_serve:
        # Ctrl-C must stop serve within two seconds; tearing down the interpreter (the
        # list, the cache, NumPy, MkDocs) took one of them. Everything is closed by now.
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status


def _run(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(message)s",
        stream=sys.stderr,
    )
    try:
        with _terminate_as_interrupt():
            status: int = args.run(args)
        return status
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found; nothing was changed.", file=sys.stderr)
        return 1
    except ReadingListError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # one the command did not name more precisely
        print(f"error: {FileSystemError.from_os_error(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a service manager, `kill`) cleans up as Ctrl-C does: the half-built folders
    are removed and the children stopped on the way out."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="readinglist",
        description="Keep a research reading list as YAML and publish it as a searchable site.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    def command(
        name: str, run: Callable[[argparse.Namespace], int], text: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.set_defaults(run=run)
        sub.add_argument(
            "--content",
            type=Path,
            default=Path("content"),
            help="content folder (default: content)",
        )
        return sub

    check = command("check", run_check, "Validate content/ and report every problem, one per line.")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")

    imp = command(
        "import",
        run_import,
        "Import BibTeX, CSL-JSON, RIS, Markdown collections (folders) or seed lists.",
    )
    imp.add_argument("files", nargs="+", type=Path, help="files or collection folders")
    imp.add_argument(
        "--titles", type=Path, help="titles for abstract-only lists (default: titles.yaml beside)"
    )
    imp.add_argument("--added", type=dt.date.fromisoformat, help="date to record (default: today)")

    add = command("add", run_add, "Add papers by arXiv id, DOI or URL ('-': BibTeX on stdin).")
    add.add_argument("ids", nargs="+", help="arXiv ids, DOIs, arxiv.org or doi.org URLs, or -")
    add.add_argument("--offline", action="store_true", help="use only the response cache")
    add.add_argument("--added", type=dt.date.fromisoformat, help="date to record (default: today)")

    enrich = command(
        "enrich", run_enrich, "Fill papers' absent ids, authors, year, venue by title."
    )
    enrich.add_argument("papers", nargs="*", help="paper ids (default: every paper)")
    enrich.add_argument("--dry-run", action="store_true", help="report, change nothing")
    enrich.add_argument("--offline", action="store_true", help="use only the response cache")

    suggest = command(
        "suggest-topics", run_suggest, "Rank topics for each paper and flag doubtful assignments."
    )
    suggest.add_argument(
        "--apply", action="store_true", help="write the suggested topics into the files"
    )

    exp = command("export", run_export, "Write the whole list as BibTeX or CSL-JSON.")
    exp.add_argument("--format", choices=("bibtex", "csl-json"), default="bibtex")
    exp.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")

    build = command("build", run_build, "Generate Markdown and build the site into site/.")
    _build_options(build)
    build.add_argument(
        "--site",
        type=Path,
        default=Path("site"),
        help="built site folder (default: site, in the current folder)",
    )
    build.add_argument(
        "--site-url",
        help=(
            "the address the site is published at, used when site.yaml has no url "
            "(default: $READINGLIST_SITE_URL, which the deploy workflow sets)"
        ),
    )

    serve = command(
        "serve", run_serve, "Build into the --out folder and serve it, rebuilding on every change."
    )
    _build_options(serve)
    serve.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on")

    text = "Start a list of one's own in DIR: content, Makefile, README, GitHub workflows."
    new = commands.add_parser("new", help=text, description=text)
    new.set_defaults(run=run_new)
    new.add_argument("dir", type=Path, help="a folder that does not exist yet, or is empty")
    new.add_argument("--title", help="the site's title (default: the folder's name)")
    new.add_argument(
        "--source",
        help="pip requirement the list installs the tool from (default: this one's, pinned)",
    )
    return parser


def _build_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--templates",
        type=Path,
        default=templates_folder(),
        help="Jinja templates (default: the ones the tool ships)",
    )
    sub.add_argument(
        "--out",
        type=Path,
        default=Path("build"),
        help="generated Markdown project (default: build, in the current folder)",
    )
    sub.add_argument(
        "--builder",
        choices=sorted(BUILDERS),
        default=DEFAULT_BUILDER,
        help=f"site builder (default: {DEFAULT_BUILDER})",
    )


if __name__ == "__main__":
    raise SystemExit(main())
