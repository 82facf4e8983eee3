"""Strict YAML reading: every scalar stays the string it is written as, with its line.

Content is read with the YAML *base* resolver, so `2310.10010` stays a string, `no` and `on`
are not booleans and `2024-01-01` is not a date: the loader decides types, field by field.
Aliases are rejected (they hide what a file says) and duplicate keys are reported, which
PyYAML would otherwise let the last one win silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

# libyaml's C parser when the wheel has it; the pure-Python one otherwise.
_Loader: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


@dataclass
class Located:
    """A parsed YAML document: plain values plus the line of every key path."""

    value: Any
    """Nested dicts, lists and strings."""
    lines: dict[str, int] = field(default_factory=dict)
    """1-based line of each dotted key path (`links.arxiv`, `topics.2`), '' for the root."""
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    """(line, field, message) for duplicate keys and aliases found while converting."""


class YamlSyntaxError(Exception):
    """The text is not YAML; carries the line and the parser's own words."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


def parse_yaml(text: str) -> Located:
    """Parse one YAML document into strings, lists and dicts, remembering lines."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlSyntaxError(line, _one_line(exc.problem or str(exc))) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(0, _one_line(str(exc))) from None
    located = Located(value=None)
    if node is not None:
        located.value = _convert(node, "", located, set())
    return located


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _convert(node: yaml.Node, path: str, out: Located, seen: set[int]) -> Any:
    # A key's line was recorded by its mapping; an alias node would report its anchor's line.
    line = out.lines.setdefault(path, node.start_mark.line + 1)
    if id(node) in seen:
        # The composer hands back the very same node object for an alias.
        out.problems.append((line, path or "yaml", "YAML aliases are not allowed"))
        return None
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, _join(path, str(i)), out, seen) for i, item in enumerate(node.value)]
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            out.problems.append((key_node.start_mark.line + 1, path or "yaml", "keys must be text"))
            continue
        key = key_node.value
        key_path = _join(path, key)
        if key in result:
            first = out.lines.get(key_path, 0)
            out.problems.append(
                (
                    key_node.start_mark.line + 1,
                    key_path,
                    f"duplicate key (first set on line {first})",
                )
            )
            continue
        out.lines[key_path] = key_node.start_mark.line + 1
        result[key] = _convert(value_node, key_path, out, seen)
    return result


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
