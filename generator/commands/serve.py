"""`readinglist serve`: regenerate on every content or template edit; the builder live-reloads.

Two loops, one direction: a watcher (watch.py) follows content/, templates/ and the owner's
settings for the builder (beside content/, and the files they name) and regenerates the
Markdown project (only changed files are written); the site builder's server watches that
project, rebuilds and reloads the open page. A broken edit keeps the last good pages and shows
the problems in the terminal and in a banner on every page until the file is fixed. Nothing an
edit does (a file vanishing mid-scan, a folder deleted, a disk full) stops the watching.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from generator.builders import DEFAULT_BUILDER, get_builder
from generator.builders.base import SiteBuilder
from generator.children import trim_heap
from generator.commands.build import content_epoch
from generator.commands.lock import project_lock
from generator.commands.watch import snapshot, watch
from generator.errors import ContentError, ReadingListError
from generator.incremental.generator import Generator
from generator.relate.listing import Related

log = logging.getLogger(__name__)

SHOWN_WAIT_S = 1.0
"""How long, at most, the full write after an edit waits for the open pages to show the
edited papers' own pages (written first, alone): milliseconds when the served site is idle."""

__all__ = ["Regenerator", "serve", "snapshot", "watch"]


class Regenerator:
    """Keeps the generated project in step with the content, remembering the last good list."""

    def __init__(self, content: Path, templates: Path, out: Path, builder: SiteBuilder) -> None:
        self.content, self.templates, self.builder = content, templates, builder
        self.generator = Generator(content, templates, out, builder, kept=True)
        self.last_good: Related | None = None
        self.guard = threading.Lock()
        """Held while this writes the project, and by the builder while it builds it."""

    def watched_files(self) -> list[Path]:
        """The owner's settings for the builder, and the files they name: an edit of them
        regenerates like an edit of the content."""
        generator = self.generator
        return [*self.builder.owner_files(generator.folder), *generator.owner.watched]

    def regenerate(self) -> ReadingListError | None:
        """Regenerate; on errors show them on the last good pages and return them."""
        self.builder.regenerating(True)
        try:
            return self._regenerate()
        finally:
            self.builder.regenerating(False)
            # What rendering the edit freed goes back to the system: otherwise serve keeps
            # every edit's high-water mark (the first generation's: 500 MB at 10,000 papers).
            trim_heap()

    def _regenerate(self) -> ReadingListError | None:
        try:
            related = self.generator.relate(self.generator.load(), defer=True)
        except ReadingListError as exc:
            problems = (
                [str(p) for p in exc.problems] if isinstance(exc, ContentError) else [f"{exc}"]
            )
            for problem in problems:
                log.error("%s", problem)
            log.error("%d problem(s): the site shows the last good version", len(problems))
            if self.last_good is not None:
                self._write(self.last_good, tuple(problems))
            return exc
        edit, self.last_good = self.last_good is not None, related
        if not self.generator.related_pending:
            if edit:
                # The edited papers' own pages and search records first, on their own: the
                # open page shows the edit, and search finds it, without waiting for the
                # listings that show the paper (0.3-0.4 s of rendering at 10,000 papers).
                self._write(related, (), papers=True)
                self.builder.wait_shown(SHOWN_WAIT_S)
            # Everything, downloads included: the builder renders the changed pages first.
            self._write(related, ())
            return None
        self._write(related, (), downloads=False)
        # The edit is on screen; now the related papers, which had to be computed from
        # scratch (seconds at 10,000 papers), and the whole-list downloads, in a second write.
        self.last_good = self.generator.settle_related() or related
        self._write(self.last_good, ())
        return None

    def _write(
        self,
        related: Related,
        errors: tuple[str, ...],
        downloads: bool = True,
        papers: bool = False,
    ) -> None:
        # Not while the builder builds the project, nor it while this writes.
        with self.guard:
            if papers:
                report = self.generator.write_papers(related)
            else:
                report = self.generator.write(related, errors, downloads=downloads)
            self.builder.after_write(self.generator.out, report.written + report.removed)
        if report.written or report.removed:
            log.info("regenerated: %s", ", ".join(report.written + report.removed)[:200])


def serve(
    content: Path, templates: Path, out: Path, addr: str, builder_name: str = DEFAULT_BUILDER
) -> None:
    """Generate, then serve with live reload until interrupted (Ctrl-C or SIGTERM)."""
    builder = get_builder(builder_name)
    with project_lock(out, "serve"):
        regenerator = Regenerator(content, templates, out, builder)
        error = regenerator.regenerate()
        if error is not None or regenerator.last_good is None:
            raise error or ContentError([])
        epoch = content_epoch(regenerator.last_good.reading_list)
        stop = threading.Event()
        watcher = threading.Thread(target=watch, args=(regenerator, stop), daemon=True)
        watcher.start()
        own = ", ".join(str(p) for p in regenerator.watched_files()[:1])
        log.info("watching %s, %s and %s for edits", content, templates, own or "nothing else")
        try:
            builder.serve(out, addr, regenerator.guard, epoch)
        finally:
            stop.set()
            watcher.join(timeout=1)
