"""Write the rendered project to disk: only changed files, nothing outside the folder."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BuildError

log = logging.getLogger(__name__)


@dataclass
class WriteReport:
    """Which generated files a write touched, by path inside the project."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def write_tree(pages: dict[str, str], assets: Path | None, out: Path) -> WriteReport:
    """Make `out` hold exactly `pages` plus `assets` under docs/assets; rewrite only changes.

    Unchanged files keep their modification time, so a builder that watches the folder
    rebuilds only what an edit touched.
    """
    root = out.resolve()
    files: dict[str, bytes] = {path: text.encode("utf-8") for path, text in pages.items()}
    if assets is not None and assets.is_dir():
        for asset in sorted(assets.rglob("*")):
            if asset.is_file():
                files[f"docs/assets/{asset.relative_to(assets).as_posix()}"] = asset.read_bytes()
    report = WriteReport()
    for rel, data in sorted(files.items()):
        target = (root / rel).resolve()
        if not target.is_relative_to(root):
            raise BuildError(f"refusing to write {rel!r}: it is outside {out}")
        if target.is_file() and target.read_bytes() == data:
            report.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        report.written.append(rel)
    docs = root / "docs"
    if docs.is_dir():
        for stale in sorted(docs.rglob("*")):
            rel = stale.relative_to(root).as_posix()
            if stale.is_file() and rel not in files:
                stale.unlink()
                report.removed.append(rel)
    log.info(
        "generated %d files: %d written, %d unchanged, %d removed",
        len(files),
        len(report.written),
        report.unchanged,
        len(report.removed),
    )
    return report
