"""Check every file an import would write as `check` would, then write them all or none."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from generator.content.load import MAX_FILE_BYTES, load_list, paper_problems
from generator.content.yamlio import Located
from generator.errors import ContentError, Problem, display_path


def validate_and_write(
    content: Path,
    writes: dict[Path, tuple[str, str]],
    read: Mapping[Path, Located] | None = None,
) -> None:
    """Write {path: (text, `file:line` it comes from)} once every paper passes `check`;
    `read`: for texts the direct writer wrote, what the strict reader reads from them."""
    read = read or {}
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
    topic_ids = _topic_ids(content, writes)
    for path, (text, where) in writes.items():
        if path.parent.name != "papers":
            continue
        # Checked in memory, as `check` reads a file: the strict YAML reader, then every
        # field's rules. Its name is spelled out only for a problem (10,000 papers import).
        for p in paper_problems(f"papers/{path.name}", text, topic_ids, read.get(path)):
            message = f"{p.message} (in the {display_path(path)} it would write)"
            problems.append(_at(where, p.field, message, p.hint))
    if problems:
        raise ContentError(problems)
    ordered = sorted(writes, key=lambda p: p.name == "topics.yaml")  # papers first
    for path in ordered:
        _write_atomic(path, writes[path][0])


def _topic_ids(content: Path, writes: dict[Path, tuple[str, str]]) -> frozenset[str]:
    """The topics the papers may use: topics.yaml as the import would leave it, read as
    `check` reads it (a trial list with no papers)."""
    topics = content / "topics.yaml"
    with tempfile.TemporaryDirectory(prefix="readinglist-import-") as tmp:
        trial = Path(tmp) / "content"
        (trial / "papers").mkdir(parents=True)
        if topics in writes:
            (trial / "topics.yaml").write_text(writes[topics][0], encoding="utf-8")
        else:
            shutil.copyfile(topics, trial / "topics.yaml")
        try:
            return frozenset(t.id for t in load_list(trial).topics)
        except ContentError as exc:
            shown = display_path(topics)
            after = f" (in the {shown} it would write)"
            raise ContentError(
                [Problem(shown, p.line, p.field, p.message + after, p.hint) for p in exc.problems]
            ) from None


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
