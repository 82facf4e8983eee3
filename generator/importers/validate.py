"""Check every file an import would write as `check` would, then write them all or none."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from generator.content.load import MAX_FILE_BYTES, load_list
from generator.errors import ContentError, Problem, display_path


def validate_and_write(content: Path, writes: dict[Path, tuple[str, str]]) -> None:
    """Write {path: (text, `file:line` it comes from)} once every paper passes `check`."""
    problems = []
    for path, (text, where) in writes.items():
        size = len(text.encode("utf-8"))
        if path.parent.name == "papers" and size > MAX_FILE_BYTES:
            problems.append(
                _at(
                    where,
                    "file",
                    f"{display_path(path)} would be {size} bytes, over the "
                    f"{MAX_FILE_BYTES}-byte limit of a paper file (shorten its abstract)",
                )
            )
    if problems:
        raise ContentError(problems)
    with tempfile.TemporaryDirectory(prefix="readinglist-import-") as tmp:
        trial = Path(tmp) / "content"
        (trial / "papers").mkdir(parents=True)
        topics = content / "topics.yaml"
        if topics in writes:
            (trial / "topics.yaml").write_text(writes[topics][0], encoding="utf-8")
        else:
            shutil.copyfile(topics, trial / "topics.yaml")
        origin = {}
        for path, (text, where) in writes.items():
            if path.parent.name == "papers":
                (trial / "papers" / path.name).write_text(text, encoding="utf-8")
                origin[path.name] = (where, display_path(path))
        try:
            load_list(trial)
        except ContentError as exc:
            for p in exc.problems:
                where, shown = origin.get(Path(p.path).name, ("", display_path(topics)))
                message = f"{p.message} (in the {shown} it would write)"
                problems.append(_at(where, p.field, message, p.hint) if where else p)
            raise ContentError(problems) from None
    ordered = sorted(writes, key=lambda p: p.name == "topics.yaml")  # papers first
    for path in ordered:
        _write_atomic(path, writes[path][0])


def _at(where: str, field: str, message: str, hint: str = "") -> Problem:
    # `file:line` for an input file; a service's draft says `doi:10.1000/x`, kept whole.
    name, _, line = where.rpartition(":")
    if not (name and line.isdigit()):
        return Problem(where, 0, field, message, hint)
    return Problem(name, int(line), field, message, hint)


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
