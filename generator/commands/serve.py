"""`readinglist serve`: regenerate on every content or template edit; the builder live-reloads.

Two loops, one direction: a watcher polls content/ and templates/ and regenerates the
Markdown project (only changed files are written); the site builder's server watches that
project, rebuilds and reloads the open page. A broken edit keeps the last good pages and shows the
problems in the terminal and in a banner on every page until the file is fixed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from pathlib import Path

from generator.builders import DEFAULT_BUILDER, get_builder
from generator.builders.base import SiteBuilder
from generator.commands.build import content_epoch
from generator.errors import ContentError
from generator.incremental.generator import Generator
from generator.relate.listing import Related

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25


def snapshot(folders: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file below the folders: cheap enough to poll 10,000 files."""
    state: dict[str, tuple[int, int]] = {}
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                stat = path.stat()
            except OSError:
                continue  # removed between listing and stat
            if path.is_file():
                state[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return state


class Regenerator:
    """Keeps the generated project in step with the content, remembering the last good list."""

    def __init__(self, content: Path, templates: Path, out: Path, builder: SiteBuilder) -> None:
        self.content, self.templates, self.builder = content, templates, builder
        self.generator = Generator(content, templates, out, builder)
        self.last_good: Related | None = None

    def regenerate(self) -> ContentError | None:
        """Regenerate; on content errors show them on the last good pages and return them."""
        try:
            related = self.generator.relate(self.generator.load(), defer=True)
        except ContentError as exc:
            for problem in exc.problems:
                log.error("%s", problem)
            log.error("%d problem(s): the site shows the last good version", len(exc.problems))
            if self.last_good is not None:
                self._write(self.last_good, tuple(str(p) for p in exc.problems))
            return exc
        self.last_good = related
        self._write(related, (), downloads=False)
        # The edit is on screen; now the whole-list downloads, and the related papers if
        # they had to be computed from scratch, in a second write.
        self.last_good = self.generator.settle_related() or related
        self._write(self.last_good, ())
        return None

    def _write(self, related: Related, errors: tuple[str, ...], downloads: bool = True) -> None:
        report = self.generator.write(related, errors, downloads=downloads)
        self.builder.after_write(self.generator.out, report.written)
        if report.written or report.removed:
            log.info("regenerated: %s", ", ".join(report.written + report.removed)[:200])


def watch(regenerator: Regenerator, stop: threading.Event) -> None:
    """Poll for edits until `stop` is set; regenerate once per settled change."""
    folders = [regenerator.content, regenerator.templates]
    seen = snapshot(folders)
    while not stop.wait(POLL_SECONDS):
        current = snapshot(folders)
        if current != seen:
            seen = current
            regenerator.regenerate()


def serve(
    content: Path, templates: Path, out: Path, addr: str, builder_name: str = DEFAULT_BUILDER
) -> None:
    """Generate, then serve with live reload until interrupted."""
    builder = get_builder(builder_name)
    regenerator = Regenerator(content, templates, out, builder)
    error = regenerator.regenerate()
    if error is not None or regenerator.last_good is None:
        raise error or ContentError([])
    epoch = content_epoch(regenerator.last_good.reading_list)
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(regenerator, stop), daemon=True)
    watcher.start()
    log.info("watching %s and %s for edits", content, templates)
    try:
        builder.serve(out, addr, epoch)
    finally:
        stop.set()
        watcher.join(timeout=2)
