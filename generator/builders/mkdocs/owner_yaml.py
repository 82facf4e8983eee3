"""Reading the list owner's mkdocs.yml as YAML, safely: typed values (MkDocs' own reading),
the line of every key, and only the tags that do not run code.

Allowed tags: YAML's plain types (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!seq`,
`!!map`), `!ENV` (an environment variable, resolved when the file is read, as MkDocs does:
`!ENV NAME` or `!ENV [NAME, OTHER, default]`) and `!relative $config_dir` (the folder of the
file, as an absolute path). Refused, with the line: `!!python/...` tags (reading them
imports and runs Python: Material's emoji options are written so), bare `!relative` and
`!relative $docs_dir` (the docs folder is the generator's), any other tag, anchors and
aliases (`&x`, `*x`: "billion laughs"), nesting past MAX_DEPTH, a second document and
duplicate keys (which PyYAML would let the last one win silently). Nothing here imports
MkDocs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_DEPTH = 20
"""Nesting allowed: Material's palettes and extension options need 5 levels or so."""

PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
)
ENV_TAG, RELATIVE_TAG = "!ENV", "!relative"
CONFIG_DIR = "$config_dir"


@dataclass
class OwnerYaml:
    """The owner's file as data, with the line of each dotted key path and what is wrong."""

    value: Any = None
    lines: dict[str, int] = field(default_factory=dict)
    """1-based line of each dotted path (`theme.palette.0.scheme`), '' for the document."""
    problems: list[tuple[int, str, str, str]] = field(default_factory=list)
    """(line, field, message, hint) of every problem found."""


def read_owner_yaml(text: str, folder: str) -> OwnerYaml:
    """Parse `text` (the file in `folder`, a real path); problems are collected, not raised."""
    out = OwnerYaml()
    try:
        _check_events(text, out)
    except yaml.MarkedYAMLError as exc:
        out.problems.append((_line(exc), "yaml", _one_line(exc.problem or str(exc)), ""))
    if out.problems:
        return out
    loader = _Loader(text)
    loader.folder = folder
    try:
        node = loader.get_single_node()
        if node is not None:
            _note_lines(node, "", out)
            if not out.problems:
                out.value = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        out.problems.append((_line(exc), "yaml", _one_line(exc.problem or str(exc)), ""))
    finally:
        loader.dispose()
    return out


def _check_events(text: str, out: OwnerYaml) -> None:
    """Tags, anchors, depth and documents, from the parser's events: nothing is built, so
    no tag is constructed and no deep nesting recursed into."""
    depth = documents = 0
    aliased = False
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                out.problems.append((line, "yaml", "a second YAML document starts here", ""))
        elif not aliased and (
            isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None
        ):
            aliased = True  # once: an anchor's aliases would repeat it
            hint = "write the value out each time"
            out.problems.append((line, "yaml", "YAML anchors and aliases are not allowed", hint))
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                message = f"nested more than {MAX_DEPTH} levels deep"
                out.problems.append((line, "yaml", message, ""))
                return
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in PLAIN_TAGS and tag not in (ENV_TAG, RELATIVE_TAG):
            out.problems.append((line, "yaml", *_tag_refusal(tag)))


def _tag_refusal(tag: str) -> tuple[str, str]:
    shown = tag.replace("tag:yaml.org,2002:", "!!", 1)
    shown = shown if len(shown) <= 60 else shown[:60] + "..."
    if shown.startswith("!!python/"):
        return (
            f"the tag '{shown}' is not allowed: reading it would import and run Python",
            "leave the option out: its default needs no tag",
        )
    return f"the YAML tag '{shown}' is not allowed", "allowed: !ENV, !relative $config_dir"


def _note_lines(node: yaml.Node, path: str, out: OwnerYaml) -> None:
    """Record the line of every key path, and duplicate keys as problems."""
    out.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
            line = key.start_mark.line + 1
            sub = f"{path}.{name}" if path else name
            if name in seen:
                message = f"duplicate key (first set on line {seen[name]})"
                out.problems.append((line, sub, message, ""))
                continue
            seen[name] = line
            out.lines[sub] = line
            _note_lines(value, sub, out)
    elif isinstance(node, yaml.SequenceNode) and node.tag != ENV_TAG:
        for index, item in enumerate(node.value):
            _note_lines(item, f"{path}.{index}" if path else str(index), out)


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader (the types MkDocs reads) with MkDocs' two tags."""

    folder = ""


def _construct_env(loader: _Loader, node: yaml.Node) -> Any:
    """`!ENV NAME` or `!ENV [NAME, ..., default]`: the first variable set, typed as YAML
    would type it, else the default (None without one), as MkDocs' pyyaml-env-tag does."""
    default = None
    if isinstance(node, yaml.ScalarNode):
        names = [loader.construct_scalar(node)]
    elif isinstance(node, yaml.SequenceNode) and node.value:
        items = node.value
        if len(items) > 1:
            default = loader.construct_object(items[-1])
            items = items[:-1]
        names = [loader.construct_scalar(item) for item in items]
    else:
        raise yaml.constructor.ConstructorError(
            None, None, "!ENV takes a variable's name or a list of them", node.start_mark
        )
    for name in names:
        if name in os.environ:
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


def _construct_relative(loader: _Loader, node: yaml.Node) -> Any:
    value = loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if value == CONFIG_DIR:
        return loader.folder
    raise yaml.constructor.ConstructorError(
        None,
        None,
        f"only '!relative {CONFIG_DIR}' (this file's folder) is allowed: the pages and "
        "their folder are the generator's",
        node.start_mark,
    )


_Loader.add_constructor(ENV_TAG, _construct_env)
_Loader.add_constructor(RELATIVE_TAG, _construct_relative)


def _line(exc: yaml.MarkedYAMLError) -> int:
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark else 0


def _one_line(text: str) -> str:
    return " ".join(text.split())
