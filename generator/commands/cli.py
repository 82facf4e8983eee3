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
from generator.errors import ContentError, FileSystemError, ReadingListError
from generator.shipped import templates_folder

if TYPE_CHECKING:
    from generator.importers.merge import ImportReport

log = logging.getLogger("readinglist")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (1 on any reported error, no traceback)."""
    parser = _parser()
    args = parser.parse_args(argv)
    status = _run(args)
    if args.run is _serve:
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

    check = command("check", _check, "Validate content/ and report every problem, one per line.")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")

    imp = command(
        "import",
        _import,
        "Import BibTeX, CSL-JSON, RIS, Markdown collections (folders) or seed lists.",
    )
    imp.add_argument("files", nargs="+", type=Path, help="files or collection folders")
    imp.add_argument(
        "--titles", type=Path, help="titles for abstract-only lists (default: titles.yaml beside)"
    )
    imp.add_argument("--added", type=dt.date.fromisoformat, help="date to record (default: today)")

    add = command("add", _add, "Add papers by arXiv id, DOI or URL ('-': BibTeX on stdin).")
    add.add_argument("ids", nargs="+", help="arXiv ids, DOIs, arxiv.org or doi.org URLs, or -")
    add.add_argument("--offline", action="store_true", help="use only the response cache")
    add.add_argument("--added", type=dt.date.fromisoformat, help="date to record (default: today)")

    enrich = command("enrich", _enrich, "Fill papers' absent ids, authors, year, venue by title.")
    enrich.add_argument("papers", nargs="*", help="paper ids (default: every paper)")
    enrich.add_argument("--dry-run", action="store_true", help="report, change nothing")
    enrich.add_argument("--offline", action="store_true", help="use only the response cache")

    suggest = command(
        "suggest-topics", _suggest, "Rank topics for each paper and flag doubtful assignments."
    )
    suggest.add_argument(
        "--apply", action="store_true", help="write the suggested topics into the files"
    )

    exp = command("export", _export, "Write the whole list as BibTeX or CSL-JSON.")
    exp.add_argument("--format", choices=("bibtex", "csl-json"), default="bibtex")
    exp.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")

    build = command("build", _build, "Generate Markdown and build the site into site/.")
    _build_options(build)

    serve = command("serve", _serve, "Build, serve locally and rebuild on every content change.")
    _build_options(serve)
    serve.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on")

    text = "Start a list of one's own in DIR: content, Makefile, README, GitHub workflows."
    new = commands.add_parser("new", help=text, description=text)
    new.set_defaults(run=_new)
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
    sub.add_argument("--out", type=Path, default=Path("build"), help="generated Markdown project")
    sub.add_argument("--site", type=Path, default=Path("site"), help="built site folder")
    sub.add_argument(
        "--builder",
        choices=sorted(BUILDERS),
        default=DEFAULT_BUILDER,
        help=f"site builder (default: {DEFAULT_BUILDER})",
    )


def _check(args: argparse.Namespace) -> int:
    from generator.content.load import load_list
    from generator.relate.duplicates import find_duplicates

    reading_list = load_list(args.content)
    duplicates = find_duplicates(reading_list.papers)
    for duplicate in duplicates:
        print(duplicate, file=sys.stderr)
    print(
        f"{args.content}: {len(reading_list.papers)} papers, "
        f"{len(reading_list.topics)} topics, no problems"
        + (f", {len(duplicates)} probable duplicate(s)" if duplicates else "")
    )
    return 1 if duplicates and args.strict else 0


def _import(args: argparse.Namespace) -> int:
    from generator.importers.merge import import_files

    report = import_files(
        args.files, args.content, titles=args.titles, added=args.added, progress=_progress("import")
    )
    return _import_summary(report)


def _import_summary(report: ImportReport) -> int:
    for line in report.added:
        log.info("added papers/%s.yaml", line)
    for line in report.warnings:
        log.warning("warning: %s", line)
    for line in report.merged:
        log.info("merged %s", line)
    for line in report.conflicts:
        log.warning("conflict: %s", line)
    if report.review:
        log.warning(
            "%d new paper(s) fit no topic and were filed under 'to-review': %s",
            len(report.review),
            ", ".join(report.review),
        )
    print(
        f"added {len(report.added)}, merged {len(report.merged)}, "
        f"unchanged {len(report.unchanged)}, skipped {report.skipped}, "
        f"conflicts {len(report.conflicts)}"
    )
    return 0


def _add(args: argparse.Namespace) -> int:
    from generator.commands.add import add

    report = add(args.ids, args.content, offline=args.offline, added=args.added)
    return _import_summary(report)


def _enrich(args: argparse.Namespace) -> int:
    from generator.commands.enrich import enrich

    report = enrich(args.content, args.papers, dry_run=args.dry_run, offline=args.offline)
    for line in report.rejected:
        log.warning("rejected: %s", line)
    for line in report.filled:
        print(f"{'would fill' if args.dry_run else 'filled'} {line}")
    print(f"searched {report.searched} paper(s), {len(report.filled)} fact(s)")
    return 0


def _suggest(args: argparse.Namespace) -> int:
    from generator.content.load import load_list
    from generator.relate.suggest import apply_suggestions, suggest_topics

    reading_list = load_list(args.content)
    suggestions = suggest_topics(reading_list)
    for suggestion in suggestions:
        print(suggestion)
    print(
        f"{len(suggestions)} of {len(reading_list.papers)} papers have doubtful topics"
        + ("; files updated." if args.apply and suggestions else "")
        + ("" if args.apply or not suggestions else "; run with --apply to write the suggestions.")
    )
    if args.apply:
        apply_suggestions(suggestions)
    return 0


def _export(args: argparse.Namespace) -> int:
    from generator.content.load import load_list
    from generator.incremental.write import replace_file
    from generator.render.export import export

    text = export(load_list(args.content).papers, args.format)
    if args.output:
        replace_file(args.output, text.encode("utf-8"))
        log.info("wrote %s", args.output)
    else:
        sys.stdout.write(text)
    return 0


def _build(args: argparse.Namespace) -> int:
    import resource

    from generator.commands.build import build_site

    build_site(args.content, args.templates, args.out, args.site, args.builder)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    log.info("peak memory %.0f MB (this process; Pagefind indexes in its own)", peak)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from generator.commands.serve import serve

    serve(args.content, args.templates, args.out, args.addr, args.builder)
    return 0


def _new(args: argparse.Namespace) -> int:
    from generator.commands.new import new_list

    written = new_list(args.dir, title=args.title, source=args.source)
    print(f"wrote {len(written)} files into {args.dir}; next: cd {args.dir} && make site")
    return 0


def _progress(label: str) -> Callable[[int, int], None]:
    """A counter on stderr: redrawn in place on a terminal, every tenth otherwise."""
    tty = sys.stderr.isatty()

    def report(done: int, total: int) -> None:
        if tty:
            end = "\n" if done == total else ""
            print(f"\r{label}: {done}/{total}", end=end, file=sys.stderr, flush=True)
        elif done == total or done % max(1, total // 10) == 0:
            print(f"{label}: {done}/{total}", file=sys.stderr)

    return report


if __name__ == "__main__":
    raise SystemExit(main())
