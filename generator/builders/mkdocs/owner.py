"""The list owner's own mkdocs.yml, beside content/: read safely, its files located, and
checked against what the generator needs (merge.py), every problem one line naming the file,
the line and the key.

It is optional. Its settings are the owner's (theme: palette, features, logo, favicon, font;
markdown_extensions, extra, extra_css, extra_javascript, plugins, hooks, copyright...), merged
into the generated project's mkdocs.yml by config.py. Files it names (the logo, the favicon,
stylesheets, scripts) are paths relative to its folder, or URLs: each must be a regular file
inside that folder, and is copied into the project's docs/ (urls.owner_file); hooks are
Python files inside it too, named by their real path, since the generated mkdocs.yml lives in
the project. The file is read like content: a symbolic link out of its folder, a FIFO, a
file over MAX_BYTES are refused (files.py), and so are the YAML tags that run code
(owner_yaml.py). Like a Makefile, the file is the owner's code otherwise: its hooks and
plugins run in the build. Nothing here imports MkDocs.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from generator.builders.base import OwnerConfig
from generator.builders.mkdocs.merge import merge_config
from generator.builders.mkdocs.owner_yaml import read_owner_yaml
from generator.content.files import Unreadable, decode_text, locate, read_bytes
from generator.errors import Problem, display_path
from generator.render import urls

OWNER_FILE = "mkdocs.yml"
"""The owner's file, in the list's folder (the one that holds content/)."""
MAX_BYTES = 256 * 1024
"""A hand-kept mkdocs.yml is a few kilobytes."""
MAX_ASSET_BYTES = 8 * 1024 * 1024
"""A logo, a favicon, a stylesheet or a script: far less than this."""

_URL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def owner_file(folder: Path) -> Path:
    return folder / OWNER_FILE


def read_owner(folder: Path, generated: dict[str, Any] | None) -> tuple[OwnerConfig, list[Problem]]:
    """The owner's settings in `folder` (empty when there is no file) and every problem,
    conflicts with `generated` (the generator's configuration, as merge.py reads it) among
    them; without `generated` (the content has errors), the file's own problems only."""
    path = owner_file(folder)
    shown = display_path(path)
    real = os.path.realpath(folder)
    problems: list[Problem] = []
    try:
        found = locate(str(path), real, display_path(folder))
        text = decode_text(read_bytes(found, MAX_BYTES))
    except FileNotFoundError:
        return OwnerConfig(), []
    except Unreadable as exc:
        return OwnerConfig(), [Problem(shown, exc.line, "file", exc.message, exc.hint)]
    parsed = read_owner_yaml(text, real)
    problems += [Problem(shown, *problem) for problem in parsed.problems]
    data = parsed.value
    if problems:
        return OwnerConfig(), problems
    if data is None:
        return OwnerConfig(watched=(path,)), []
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        message = "expected settings (key: value), one per line"
        return OwnerConfig(watched=(path,)), [Problem(shown, 1, "yaml", message)]

    def problem(key: str, message: str, hint: str = "") -> None:
        problems.append(Problem(shown, _line_of(parsed.lines, key), key, message, hint))

    files: dict[str, Path] = {}
    settings = _with_files(data, real, files, problem)
    if generated is not None:
        for conflict in merge_config(settings, generated)[1]:
            problem(conflict.path, conflict.message, conflict.hint)
    watched = (path, *sorted(set(files.values())))
    return OwnerConfig(settings, files, watched), sorted(problems)


def _line_of(lines: dict[str, int], key: str) -> int:
    """The line of `key`, or of the nearest key above it that has one."""
    while key and key not in lines:
        key = key.rpartition(".")[0]
    return lines.get(key, 0)


def _with_files(data: dict[str, Any], real: str, files: dict[str, Path], problem: Any) -> Any:
    """The settings with each local file the site serves put in the project (its path
    in docs/, the file to copy into `files`) and each hook at its real path."""

    def asset(value: Any, key: str) -> Any:
        if not isinstance(value, str) or _URL.match(value):
            return value
        source = _inside(value, real, key, problem, MAX_ASSET_BYTES)
        if source is None:
            return value
        name = urls.owner_file(Path(os.path.relpath(source, real)).as_posix())
        files[urls.project_path(name)] = Path(source)
        return name

    settings = dict(data)
    theme = settings.get("theme")
    if isinstance(theme, dict):
        theme = settings["theme"] = dict(theme)
        for key in ("logo", "favicon"):
            if key in theme:
                theme[key] = asset(theme[key], f"theme.{key}")
    for key in ("extra_css", "extra_javascript"):
        items = settings.get(key)
        if isinstance(items, list):
            settings[key] = [_script(item, f"{key}.{i}", asset) for i, item in enumerate(items)]
    hooks = settings.get("hooks")
    if isinstance(hooks, list):
        settings["hooks"] = [
            _hook(hook, f"hooks.{i}", real, problem) for i, hook in enumerate(hooks)
        ]
    return settings


def _script(item: Any, key: str, asset: Any) -> Any:
    """A stylesheet or script: a path, or (scripts) {path: ..., type: module, defer: ...}."""
    if isinstance(item, dict) and "path" in item:
        return {**item, "path": asset(item["path"], f"{key}.path")}
    return asset(item, key)


def _hook(hook: Any, key: str, real: str, problem: Any) -> Any:
    if not isinstance(hook, str) or _URL.match(hook):
        problem(key, f"expected a Python file's path, got {hook!r}")
        return hook
    source = _inside(hook, real, key, problem, MAX_BYTES)
    return hook if source is None else source


def _inside(value: str, real: str, key: str, problem: Any, limit: int) -> str | None:
    """The real path of the regular file `value` names, relative to the owner's folder
    `real`; None, with the problem, if it is not one inside that folder."""
    where = "the folder of mkdocs.yml"
    if os.path.isabs(value):
        problem(key, f"'{value}' is an absolute path", f"write a path relative to {where}")
        return None
    path = os.path.join(real, value)
    try:
        target = os.path.realpath(path, strict=True)
    except OSError:
        problem(key, f"'{value}' is not a file", f"paths are relative to {where}")
        return None
    if os.path.commonpath((real, target)) != real:
        problem(key, f"'{value}' is outside {where}", "copy the file in instead")
        return None
    try:
        found = locate(target, real, where)
        if found.stat.st_size > limit:
            raise Unreadable(f"{found.stat.st_size} bytes is over the {limit}-byte limit")
    except Unreadable as exc:
        problem(key, f"'{value}' {exc.message}", exc.hint)
        return None
    return found.path
