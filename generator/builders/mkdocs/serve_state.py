"""What `readinglist serve`'s watcher and the MkDocs hooks share, in a module both import
(MkDocs loads the hooks file anew for each rebuild's config, so its globals do not last)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class ServeState:
    project: threading.Lock = field(default_factory=threading.Lock)
    """Held while the generator writes the project, and while MkDocs builds it: a build
    that saw a page unchanged when reading it and changed when writing it failed with a
    traceback, and a regeneration half written was built as it stood."""
    building: bool = False
    """Whether MkDocs' build (always on the server's main thread) holds `project`."""
    indexing: list[threading.Thread] = field(default_factory=list)
    """The Pagefind run of the last build, joined before the next starts."""

    def start_build(self) -> None:
        self.project.acquire()
        self.building = True

    def end_build(self) -> None:
        if self.building:
            self.building = False
            self.project.release()


STATE = ServeState()

SERVED_SITE = ".served-site"
"""Where the served HTML goes, inside the generated project, instead of the temporary folder
MkDocs deletes on exit: deleting thousands of pages (and the search bundle) took seconds of
a Ctrl-C. `serve` empties it when it starts, as the served pages of another session may be
out of date in ways a dirty build does not see."""
