"""Reading content/'s files into parsed YAML, every failure recorded as a Problem."""

from __future__ import annotations

import os
from dataclasses import dataclass

from generator.content.files import (
    Found,
    Unreadable,
    decode_text,
    locate,
    locate_folder,
    read_bytes,
)
from generator.content.yamlio import Located, YamlSyntaxError, parse_yaml
from generator.errors import Problem

EXTENSIONS = (".yaml", ".yml")
"""Paper file names end in one of these, in lower case; `.YAML` is refused, not skipped."""


@dataclass(frozen=True)
class ContentRoot:
    """The content folder: as given, its real path (links must stay inside), as shown."""

    path: str
    real: str
    shown: str


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


def parse_file(found: Found, name: str, limit: int, problems: list[Problem]) -> Located | None:
    """The file's YAML, or None with the problem recorded."""
    try:
        text = decode_text(read_bytes(found, limit))
    except Unreadable as exc:
        problems.append(Problem(name, exc.line, "file", exc.message, exc.hint))
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
