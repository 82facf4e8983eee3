"""`readinglist import`: seed files in, one YAML file per distinct paper out, never clobbering.

Re-running is safe: a paper already in content/ (same normalized title, or the same abstract
under a title the user corrected) is never rewritten; at most the new source's name is added
to its `sources` list, by a textual edit that keeps the rest of the file byte for byte.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.content.load import load_list
from generator.content.slug import SLUG_RE, normalize_title, unique_slug
from generator.content.yamlio import YamlSyntaxError, parse_yaml
from generator.errors import SeedError, display_path
from generator.importers.seeds import KnownTitle, SeedPaper, load_titles, parse_seed
from generator.relate.topics import assign_topics, compile_rules

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


@dataclass
class ImportReport:
    """What an import did, by paper id."""

    added: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    """Papers already in content/ that gained a source."""
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Incoming:
    """One distinct paper gathered from the seeds, before it meets content/."""

    title: str
    abstract: str
    year: int | None
    sources: list[str]


@dataclass(frozen=True)
class _Existing:
    id: str
    path: Path
    sources: tuple[str, ...]


def import_seeds(
    files: Iterable[Path],
    content: Path,
    *,
    titles: Path | None = None,
    added: dt.date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import seed files into content/papers/, merging duplicates and keeping user edits."""
    files = list(files)
    known = _titles_for(files, titles)
    report = ImportReport()
    seeds: list[SeedPaper] = []
    for path in files:
        if not path.is_file():
            raise SeedError(f"{display_path(path)}: no such file")
        parsed, warnings = parse_seed(path, known)
        seeds.extend(parsed)
        report.warnings.extend(warnings)
    incoming = _merge(seeds)
    reading_list = load_list(content)  # topics must be valid; existing papers must load
    rules = compile_rules(reading_list.topics)
    existing, by_title, by_abstract = _index(content / "papers")
    taken = set(existing)
    date = added or dt.date.today()
    for done, paper in enumerate(incoming, 1):
        match = by_title.get(normalize_title(paper.title)) or by_abstract.get(
            _abstract_key(paper.abstract)
        )
        if match is None:
            paper_id = unique_slug(paper.title, taken)
            taken.add(paper_id)
            topics = assign_topics(rules, paper.title, paper.abstract)
            _write_new(content / "papers" / f"{paper_id}.yaml", paper, topics, date)
            report.added.append(paper_id)
        else:
            missing = [s for s in paper.sources if s not in match.sources]
            if missing:
                _add_sources(match.path, missing)
                report.merged.append(match.id)
            else:
                report.unchanged.append(match.id)
        if progress:
            progress(done, len(incoming))
    return report


def _titles_for(files: list[Path], titles: Path | None) -> list[KnownTitle]:
    """The titles file given, else a titles.yaml beside the first seed file that has one."""
    if titles is not None:
        return load_titles(titles)
    for path in files:
        beside = path.parent / "titles.yaml"
        if beside.is_file():
            return load_titles(beside)
    return []


def _merge(seeds: list[SeedPaper]) -> list[_Incoming]:
    """One entry per normalized title, sources in first-seen order."""
    merged: dict[str, _Incoming] = {}
    for seed in seeds:
        key = normalize_title(seed.title)
        if key not in merged:
            merged[key] = _Incoming(seed.title, seed.abstract, seed.year, [seed.source])
            continue
        paper = merged[key]
        if seed.source not in paper.sources:
            paper.sources.append(seed.source)
        paper.year = paper.year or seed.year
        if len(seed.abstract) > len(paper.abstract):
            paper.abstract = seed.abstract
    return list(merged.values())


def _abstract_key(abstract: str | None) -> str:
    return " ".join((abstract or "").lower().split())


def _index(
    folder: Path,
) -> tuple[dict[str, _Existing], dict[str, _Existing], dict[str, _Existing]]:
    existing: dict[str, _Existing] = {}
    by_title: dict[str, _Existing] = {}
    by_abstract: dict[str, _Existing] = {}
    for path in sorted(folder.glob("*.y*ml")):
        try:
            data = parse_yaml(path.read_text(encoding="utf-8")).value
        except YamlSyntaxError as exc:
            raise SeedError(f"{display_path(path)}:{exc.line}: yaml: {exc.message}") from None
        data = data if isinstance(data, dict) else {}
        sources = data.get("sources")
        entry = _Existing(path.stem, path, tuple(sources) if isinstance(sources, list) else ())
        existing[path.stem] = entry
        if isinstance(data.get("title"), str):
            by_title.setdefault(normalize_title(data["title"]), entry)
        if isinstance(data.get("abstract"), str):
            by_abstract.setdefault(_abstract_key(data["abstract"]), entry)
    return existing, by_title, by_abstract


class _Folded(str):
    """Long prose written as a folded block, so the YAML stays readable and diffable."""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_folded(dumper: yaml.SafeDumper, value: _Folded) -> Any:
    style = "|" if "\n" in value else ">"
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


_Dumper.add_representer(_Folded, _represent_folded)


def paper_yaml(fields: dict[str, Any]) -> str:
    """Serialize a paper's fields in the documented order, prose folded."""
    data = {k: _Folded(v) if k in ("abstract", "notes") else v for k, v in fields.items()}
    text: str = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=92, indent=2
    )
    return text


def _write_new(path: Path, paper: _Incoming, topics: tuple[str, ...], date: dt.date) -> None:
    fields: dict[str, Any] = {"title": paper.title}
    if paper.year is not None:
        fields["year"] = paper.year
    fields |= {
        "topics": list(topics),
        "status": "to-read",
        "added": date.isoformat(),
        "abstract": paper.abstract,
        "sources": paper.sources,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(paper_yaml(fields), encoding="utf-8")


def _add_sources(path: Path, new: list[str]) -> None:
    """Append to the file's `sources` list, touching no other byte of it."""
    _edit_list(path, "sources", new, append=True)


def set_topics(path: Path, topics: list[str]) -> None:
    """Replace the file's `topics` value with `topics`, touching no other byte of it."""
    _edit_list(path, "topics", topics, append=False)


def _edit_list(path: Path, key: str, items: list[str], *, append: bool) -> None:
    """Append `items` to the list under `key`, or replace it with them, by a textual edit:
    comments, order and formatting of everything else stay as the user left them."""
    text = path.read_text(encoding="utf-8")
    root = yaml.compose(text, Loader=yaml.BaseLoader)
    node = None
    if isinstance(root, yaml.MappingNode):
        node = next((v for k, v in root.value if k.value == key), None)
    if node is None:
        ending = "" if not text or text.endswith("\n") else "\n"
        path.write_text(text + ending + f"{key}:\n" + _block(items, ""), encoding="utf-8")
        return
    offset = [0]
    for line in text.splitlines(keepends=True):
        offset.append(offset[-1] + len(line))
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        # A block list: new item lines go after the last item, at the items' indentation.
        first, last = node.value[0].start_mark, node.value[-1].end_mark
        indent = " " * (first.column - 2)
        end = offset[last.line + 1] if last.column else offset[last.line]
        start = end if append else offset[first.line]
        path.write_text(text[:start] + _block(items, indent) + text[end:], encoding="utf-8")
        return
    # A flow list, a scalar or an empty value: replace just that value with a flow list.
    old = [i.value for i in node.value] if isinstance(node, yaml.SequenceNode) else []
    start_mark, end_mark = node.start_mark, node.end_mark
    start = offset[start_mark.line] + start_mark.column
    end = offset[end_mark.line] + end_mark.column
    value = json.dumps((old if append else []) + items)
    path.write_text(text[:start] + value + text[end:], encoding="utf-8")


def _block(items: list[str], indent: str) -> str:
    # Ids are written plain, like the dumper writes them; anything else JSON-quoted (valid YAML).
    return "".join(
        f"{indent}- {item if SLUG_RE.match(item) else json.dumps(item)}\n" for item in items
    )
