"""Related papers computed in a forked child process, while the parent renders other pages."""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import cast

from generator.children import child_setup
from generator.errors import BuildError
from generator.model import Paper
from generator.relate.similar import Similarity, compute_similarity
from generator.relate.tfidf import stop_words


class RelatedProcess:
    """compute_similarity() in a forked child process, started before the list is even
    loaded (so the fork copies little). It is sent the papers and sends their related
    papers back through the pipe, or is stopped if not needed."""

    def __init__(self) -> None:
        self.process: BaseProcess | None = None
        self.pipe: Connection | None = None
        self.papers: tuple[Paper, ...] | None = None
        self.sender: threading.Thread | None = None
        self.received = False
        # Fork only on Linux: unsafe on macOS, missing on Windows, where result() computes
        # the related papers in this process.
        if sys.platform == "linux":
            context = multiprocessing.get_context("fork")
            self.pipe, child_end = context.Pipe()
            self.process = context.Process(
                target=_related_child, args=(child_end, child_setup()), daemon=True
            )
            self.process.start()
            child_end.close()

    def compute(self, papers: tuple[Paper, ...]) -> None:
        self.papers = papers
        if self.pipe is not None:
            # Sent from a thread: the send blocks until the child, maybe still starting,
            # reads it, and this process has pages to render meanwhile.
            self.sender = threading.Thread(target=self._send, args=(papers,), daemon=True)
            self.sender.start()

    def _send(self, papers: tuple[Paper, ...]) -> None:
        with contextlib.suppress(OSError):  # the child was stopped: close() says why
            if self.pipe is not None:
                self.pipe.send(papers)

    def result(self) -> Similarity:
        if self.papers is None:
            raise ValueError("compute() first")
        if self.pipe is None:
            return compute_similarity(self.papers)
        try:
            if self.sender is not None:
                self.sender.join()
            outcome = self.pipe.recv()
            self.received = True
        except EOFError:
            outcome = BuildError("the process computing related papers ended without a result")
        if isinstance(outcome, BaseException):
            raise outcome
        return cast(Similarity, outcome)

    def close(self) -> None:
        """Stop the child unless its result came (it was not needed, or an error cut the
        generation short: nothing is lost), and reap it."""
        if self.pipe is not None and self.process is not None:
            if not self.received:
                self.process.kill()
            if self.sender is not None:
                self.sender.join()
            self.pipe.close()
            self.process.join()

    def __enter__(self) -> RelatedProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _related_child(pipe: Connection, setup: Callable[[], None]) -> None:
    setup()  # killed with the parent: a killed build leaves no child computing
    stop_words()  # read while waiting for the papers

    try:
        pipe.send(compute_similarity(pipe.recv()))
    except (EOFError, BrokenPipeError):
        pass  # the parent gave up (a content error, an interrupt)
    except Exception as exc:  # sent back, raised in the parent
        pipe.send(BuildError(f"computing related papers failed: {exc!r}"))
    finally:
        pipe.close()
