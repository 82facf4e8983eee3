"""What each `readinglist` command does, once cli.py has parsed its arguments: each takes the
parsed arguments and returns the exit status. Heavy modules are imported inside each, so that
`readinglist --help` and a mistyped option answer at once."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.importers.merge import ImportReport

log = logging.getLogger("readinglist")


def run_check(args: argparse.Namespace) -> int:
    from generator.builders import get_builder
    from generator.content.load import load_list
    from generator.errors import ContentError
    from generator.relate.duplicates import find_duplicates

    # The owner's builder settings beside content/ are checked too, as a build reads them.
    builder, folder = get_builder(), args.content.parent
    try:
        reading_list = load_list(args.content)
    except ContentError as error:
        raise ContentError(error.problems + builder.read_owner(folder, None)[1]) from None
    problems = builder.read_owner(folder, reading_list.site)[1]
    if problems:
        raise ContentError(problems)
    duplicates = find_duplicates(reading_list.papers)
    for duplicate in duplicates:
        print(duplicate, file=sys.stderr)
    print(
        f"{args.content}: {len(reading_list.papers)} papers, "
        f"{len(reading_list.topics)} topics, no problems"
        + (f", {len(duplicates)} probable duplicate(s)" if duplicates else "")
    )
    return 1 if duplicates and args.strict else 0


def run_import(args: argparse.Namespace) -> int:
    from generator.importers.merge import import_files

    report = import_files(
        args.files, args.content, titles=args.titles, added=args.added, progress=_progress("import")
    )
    return _import_summary(report)


LISTED = 20
"""At most this many papers are named one by one in an import's summary (the added files,
those filed under 'to-review'); the rest are counted: an import of 10,000 entries printed
10,000 lines and a line of 10,000 ids."""


def _named(ids: list[str]) -> str:
    shown = ", ".join(ids[:LISTED])
    return shown if len(ids) <= LISTED else f"{shown} and {len(ids) - LISTED:,} more"


def _import_summary(report: ImportReport) -> int:
    for line in report.added[:LISTED]:
        log.info("added papers/%s.yaml", line)
    if len(report.added) > LISTED:
        log.info("added %s more papers/*.yaml files", f"{len(report.added) - LISTED:,}")
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
            _named(report.review),
        )
    print(
        f"added {len(report.added)}, merged {len(report.merged)}, "
        f"unchanged {len(report.unchanged)}, skipped {report.skipped}, "
        f"conflicts {len(report.conflicts)}"
    )
    return 0


def run_add(args: argparse.Namespace) -> int:
    from generator.commands.add import add

    report = add(args.ids, args.content, offline=args.offline, added=args.added)
    return _import_summary(report)


def run_enrich(args: argparse.Namespace) -> int:
    from generator.commands.enrich import enrich

    report = enrich(args.content, args.papers, dry_run=args.dry_run, offline=args.offline)
    for line in report.rejected:
        log.warning("rejected: %s", line)
    for line in report.filled:
        print(f"{'would fill' if args.dry_run else 'filled'} {line}")
    print(f"searched {report.searched} paper(s), {len(report.filled)} fact(s)")
    return 0


def run_suggest(args: argparse.Namespace) -> int:
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


def run_export(args: argparse.Namespace) -> int:
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


def run_build(args: argparse.Namespace) -> int:
    import resource

    from generator.commands.build import build_site

    site_url = _site_url(args.site_url)
    build_site(args.content, args.templates, args.out, args.site, args.builder, site_url)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    log.info("peak memory %.0f MB (this process; Pagefind indexes in its own)", peak)
    return 0


def _site_url(option: str | None) -> str | None:
    """The site's address from --site-url or READINGLIST_SITE_URL (the deploy's, from
    actions/configure-pages: no trailing slash), checked as site.yaml's url is, as a root
    folder's address; a bad one is one problem line naming where it came from."""
    from urllib.parse import urlsplit

    from generator.content.fields import quoted, url_hint
    from generator.errors import ContentError, Problem

    source, value = "--site-url", option
    if value is None:
        source, value = "READINGLIST_SITE_URL", os.environ.get("READINGLIST_SITE_URL")
    if not value:
        return None
    hint = url_hint(value)
    parts = urlsplit(value) if hint is None else None
    if parts is not None and (parts.query or parts.fragment):
        hint = "a site's address has no query or fragment"
    if hint is not None:
        message = f"{quoted(value)} is not an http(s) URL"
        raise ContentError([Problem(source, 0, "url", message, hint)])
    return value if value.endswith("/") else value + "/"


def run_serve(args: argparse.Namespace) -> int:
    from generator.commands.serve import serve

    serve(args.content, args.templates, args.out, args.addr, args.builder)
    return 0


def run_new(args: argparse.Namespace) -> int:
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
