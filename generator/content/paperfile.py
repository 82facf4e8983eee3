"""Write paper files, and edit existing ones byte-preservingly: the user's comments, order and
formatting of everything not being added stay exactly as they were."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from generator.content.paperemit import emit_paper
from generator.content.yamlio import Located, parse_yaml


class _Folded(str):
    """Long prose written as a folded block, so the YAML stays readable and diffable."""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_folded(dumper: yaml.representer.SafeRepresenter, value: _Folded) -> yaml.Node:
    style = "|" if "\n" in value else ">"
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


class _FastDumper(yaml.CSafeDumper):
    pass


_Dumper.add_representer(_Folded, _represent_folded)
_FastDumper.add_representer(_Folded, _represent_folded)


_MAY_QUOTE = re.compile(r'(?m)(?:^ *|: |- )"')
"""Where a double-quoted scalar can start in what the dumper writes (a value after `key: ` or
`- `, or a line of its own); prose that merely holds `"` elsewhere is not parsed again."""


FOLDED = frozenset({"abstract", "notes"})


def paper_yaml(fields: dict[str, Any]) -> str:
    """Serialize a paper's fields in the order given, prose folded."""
    return paper_document(fields)[0]


def paper_document(fields: dict[str, Any]) -> tuple[str, Located | None]:
    """paper_yaml's text, and the document the strict reader reads from it when the direct
    writer wrote it (most papers: no need to read it again); None when yaml.dump did."""
    direct = emit_paper(fields, FOLDED)
    if direct is not None:
        return direct
    return _dumped(fields), None


def _dumped(fields: dict[str, Any]) -> str:
    data = {k: _Folded(v) if k in FOLDED else v for k, v in fields.items()}
    options: dict[str, Any] = {"sort_keys": False, "allow_unicode": True, "width": 92, "indent": 2}
    # libyaml writes the same bytes ten times faster, except where it quotes a scalar with
    # escapes (it escapes emoji, folds long quoted lines otherwise): those papers, a few,
    # take the Python emitter, so a file never depends on which one wrote it.
    text: str = yaml.dump(data, Dumper=_FastDumper, **options)
    if _MAY_QUOTE.search(text) and any(
        isinstance(e, yaml.ScalarEvent) and e.style == '"'
        for e in yaml.parse(text, Loader=yaml.CSafeLoader)
    ):
        text = yaml.dump(data, Dumper=_Dumper, **options)
    return text


def _root(text: str) -> yaml.MappingNode | None:
    # PyYAML's composer recurses once per nesting level (2,000 raise RecursionError): the
    # strict reader, which counts levels, refuses such a text (YamlSyntaxError) first.
    parse_yaml(text)
    root = yaml.compose(text, Loader=yaml.BaseLoader)
    return root if isinstance(root, yaml.MappingNode) else None


def _offsets(text: str) -> list[int]:
    offset = [0]
    for line in text.splitlines(keepends=True):
        offset.append(offset[-1] + len(line))
    return offset


def add_fields(text: str, fields: dict[str, Any], order: tuple[str, ...]) -> str:
    """Add top-level fields the file lacks, each where `order` puts it; links merge in."""
    for key, value in fields.items():
        root = _root(text)
        present = {k.value: (k, v) for k, v in root.value} if root else {}
        if key in present:
            if key == "links" and isinstance(value, dict):
                text = _add_links(text, present[key][1], value)
            continue
        later = [present[k][0] for k in order[order.index(key) + 1 :] if k in present]
        block = paper_yaml({key: value})
        if later:
            at = _offsets(text)[min(node.start_mark.line for node in later)]
            text = text[:at] + block + text[at:]
        else:
            text = text + ("" if not text or text.endswith("\n") else "\n") + block
    return text


def _add_links(text: str, node: yaml.Node, links: dict[str, str]) -> str:
    if not isinstance(node, yaml.MappingNode):
        return text  # not a mapping: load reports it; nothing here to merge into
    have = {k.value for k, _ in node.value}
    new = {k: v for k, v in links.items() if k not in have}
    if not new:
        return text
    offset = _offsets(text)
    if node.flow_style or not node.value:
        merged = {k.value: v.value for k, v in node.value} | new
        start = offset[node.start_mark.line] + node.start_mark.column
        end = offset[node.end_mark.line] + node.end_mark.column
        return text[:start] + json.dumps(merged, ensure_ascii=False) + text[end:]
    indent = " " * node.value[0][0].start_mark.column
    last = node.value[-1][1].end_mark
    at = offset[last.line + 1] if last.column else offset[last.line]
    if at > len(text) or (at == len(text) and not text.endswith("\n")):
        text, at = text + "\n", len(text) + 1
    lines = "".join(f"{indent}{line}" for line in paper_yaml(new).splitlines(keepends=True))
    return text[:at] + lines + text[at:]


def edit_list(text: str, key: str, items: list[str], *, append: bool) -> str:
    """Append `items` to the list under `key`, or replace it with them, by a textual edit."""
    root = _root(text)
    node = next((v for k, v in root.value if k.value == key), None) if root else None
    if node is None:
        ending = "" if not text or text.endswith("\n") else "\n"
        return text + ending + f"{key}:\n" + _block(items, "")
    offset = _offsets(text)
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        # A block list: new item lines go after the last item, at the items' indentation.
        first, last = node.value[0].start_mark, node.value[-1].end_mark
        indent = " " * (first.column - 2)
        end = offset[last.line + 1] if last.column else offset[last.line]
        if end == len(text) and not text.endswith("\n"):
            text, end = text + "\n", end + 1
        start = end if append else offset[first.line]
        return text[:start] + _block(items, indent) + text[end:]
    # A flow list, a scalar or an empty value: replace just that value with a flow list.
    old = [i.value for i in node.value] if isinstance(node, yaml.SequenceNode) else []
    start = offset[node.start_mark.line] + node.start_mark.column
    end = offset[node.end_mark.line] + node.end_mark.column
    return text[:start] + json.dumps((old if append else []) + items) + text[end:]


def _block(items: list[str], indent: str) -> str:
    # Each item written as the dumper writes it (plain when YAML allows), so edits match.
    return "".join(
        indent + yaml.safe_dump([item], allow_unicode=True, width=10**6) for item in items
    )


def set_topics(path: Path, topics: list[str]) -> None:
    """Replace the file's `topics` value with `topics`, touching no other byte of it."""
    text = path.read_text(encoding="utf-8")
    path.write_text(edit_list(text, "topics", topics, append=False), encoding="utf-8")
