"""Every error the generator reports, in one small hierarchy the CLI turns into exit status 1."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the content, located as precisely as the source allows."""

    path: str
    """The file, relative to the project when possible."""
    line: int
    """1-based line of the offending key or value; 0 when the whole file is at fault."""
    field: str
    """Dotted field name (`links.arxiv`), or `yaml`/`file` for problems with the file itself."""
    message: str
    """What is wrong, naming the value found."""
    hint: str = ""
    """What would be right, or the nearest valid name."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.field}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class ReadingListError(Exception):
    """Base of every error the CLI reports cleanly instead of with a traceback."""


class ContentError(ReadingListError):
    """The content has problems; all of them, sorted, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SeedError(ReadingListError):
    """A seed file cannot be imported (unknown format, unmatched title list, ...)."""


class BuildError(ReadingListError):
    """The site builder failed; the previous site is left in place."""


class FileSystemError(ReadingListError):
    """The operating system refused a file operation (read-only folder, permission, disk full,
    a file where a folder should be...): one line naming the path and the reason."""

    def __init__(self, action: str, path: str | os.PathLike[str], reason: str) -> None:
        self.action, self.path, self.reason = action, display_path(Path(path)), reason
        super().__init__(f"cannot {action} {self.path}: {reason}")

    @classmethod
    def from_os_error(
        cls, error: OSError, action: str = "access", path: str | os.PathLike[str] | None = None
    ) -> FileSystemError:
        """The error's own file name when it has one (a write that fills the disk has none,
        hence `path`; a rename has two, and `path` says which one matters), and its reason
        without the errno number."""
        if path is not None and (error.filename is None or error.filename2 is not None):
            where = path
        else:
            where = error.filename
        if isinstance(where, bytes):
            where = os.fsdecode(where)
        reason = error.strerror or str(error) or type(error).__name__
        return cls(action, str(where) if where is not None else "?", reason)


@contextlib.contextmanager
def os_errors(action: str, path: str | os.PathLike[str] | None = None) -> Iterator[None]:
    """Turn an OSError raised inside into a FileSystemError that says what was being done."""
    try:
        yield
    except OSError as error:
        raise FileSystemError.from_os_error(error, action, path) from None


def display_path(path: Path) -> str:
    """Path relative to the working directory when it lies below it, for short messages."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
