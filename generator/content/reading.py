"""Reading content/'s files into parsed YAML, every failure recorded as a Problem."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from generator.content.files import (
    MAX_FILE_BYTES,
    VANISHED,
    Found,
    Unreadable,
    decode_text,
    locate,
    locate_folder,
    read_bytes,
)
from generator.content.yamlio import Located, YamlSyntaxError, parse_yaml
from generator.errors import ContentError, Problem, display_path

EXTENSIONS = (".yaml", ".yml")
"""Paper file names end in one of these, in lower case; `.YAML` is refused, not skipped."""


@dataclass(frozen=True)
class ContentRoot:
    """The content folder: as given, its real path (links must stay inside), as shown."""

    path: str
    real: str
    shown: str


def content_root(content: Path) -> ContentRoot:
    return ContentRoot(str(content), os.path.realpath(content), display_path(content))


def locate_file(
    root: ContentRoot,
    path: str,
    name: str,
    problems: list[Problem],
    lstat: os.stat_result | None = None,
) -> Found | None:
    """The regular file to read, or None with the problem recorded; FileNotFoundError if absent."""
    try:
        return locate(path, root.real, root.shown, lstat)
    except Unreadable as exc:
        problems.append(Problem(name, exc.line, "file", exc.message, exc.hint))
    except FileNotFoundError:
        raise
    except OSError as exc:
        problems.append(Problem(name, 0, "file", f"cannot be read: {exc.strerror}"))
    return None


def read_text(found: Found, name: str, limit: int, problems: list[Problem]) -> str | None:
    """The file's text, or None with the problem recorded."""
    try:
        return decode_text(read_bytes(found, limit))
    except Unreadable as exc:
        problems.append(Problem(name, exc.line, "file", exc.message, exc.hint))
        return None


def parse_file(found: Found, name: str, limit: int, problems: list[Problem]) -> Located | None:
    """The file's YAML, or None with the problem recorded."""
    text = read_text(found, name, limit, problems)
    if text is None:
        return None
    try:
        return parse_yaml(text)
    except YamlSyntaxError as exc:
        problems.append(Problem(name, exc.line, "yaml", exc.message))
        return None


def read_top(root: ContentRoot, file: str, limit: int, problems: list[Problem]) -> Located | bool:
    """site.yaml or topics.yaml parsed; False when absent, True when it had problems."""
    name = f"{root.shown}/{file}"
    try:
        found = locate_file(root, os.path.join(root.path, file), name, problems)
    except FileNotFoundError:
        return False
    located = None if found is None else parse_file(found, name, limit, problems)
    return True if located is None else located


def paper_entries(root: ContentRoot, problems: list[Problem]) -> tuple[str, list[os.DirEntry[str]]]:
    """The papers folder as shown and its YAML entries by name; dotfiles are editors' own."""
    shown = f"{root.shown}/papers"
    try:
        folder = locate_folder(os.path.join(root.path, "papers"), root.real, root.shown)
        # scandir: names and link status without a Path per file, which matters at 10,000.
        with os.scandir(folder) as listing:
            entries = [
                e
                for e in listing
                if e.name.lower().endswith(EXTENSIONS) and not e.name.startswith(".")
            ]
    except FileNotFoundError:
        problems.append(Problem(shown, 0, "file", "missing folder"))
        return shown, []
    except Unreadable as exc:
        problems.append(Problem(shown, 0, "file", exc.message, exc.hint))
        return shown, []
    except OSError as exc:
        problems.append(Problem(shown, 0, "file", f"cannot be read: {exc.strerror}"))
        return shown, []
    return shown, sorted(entries, key=lambda e: e.name)


def read_content_text(content: Path, file: str, limit: int) -> str:
    """A top-level file's text (topics.yaml), read as load reads it; ContentError if not."""
    root = content_root(content)
    name = f"{root.shown}/{file}"
    problems: list[Problem] = []
    try:
        found = locate_file(root, os.path.join(root.path, file), name, problems)
    except FileNotFoundError:
        raise ContentError([Problem(name, 0, "file", VANISHED, "run again")]) from None
    text = None if found is None else read_text(found, name, limit, problems)
    if text is None:
        raise ContentError(problems)
    return text


def read_paper_texts(content: Path) -> dict[Path, str]:
    """Every paper file's text by its path under content/papers/, read as load reads them
    (regular files inside content/ only, within the size cap, editors' dotfiles ignored):
    what an import edits. ContentError with every problem."""
    root = content_root(content)
    problems: list[Problem] = []
    shown, entries = paper_entries(root, problems)
    texts: dict[Path, str] = {}
    for entry in entries:
        if not entry.name.endswith(EXTENSIONS):
            continue  # load refuses `.YAML`; an import does not edit what it refuses
        name = f"{shown}/{entry.name}"
        try:
            lstat = entry.stat(follow_symlinks=False)
            found = locate_file(root, entry.path, name, problems, lstat)
        except FileNotFoundError:
            problems.append(Problem(name, 0, "file", VANISHED, "run again"))
            continue
        text = None if found is None else read_text(found, name, MAX_FILE_BYTES, problems)
        if text is not None:
            texts[content / "papers" / entry.name] = text
    if problems:
        raise ContentError(problems)
    return texts
