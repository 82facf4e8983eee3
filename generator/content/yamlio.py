"""Strict YAML reading: every scalar stays the string it is written as, with its line.

Content is read with the YAML *base* resolver, so `2310.10010` stays a string, `no` and `on`
are not booleans and `2024-01-01` is not a date: the loader decides types, field by field.

The document is built from the parser's events, not by PyYAML's composer, which recurses once
per nesting level (2,000 levels raise RecursionError, 100,000 crash libyaml's binding): here
nesting is counted and refused past MAX_DEPTH before anything deep is built. Anchors, aliases
and merge keys are refused (they hide what a file says, and aliases make "billion laughs"
bombs), as are tags (`!!python/object`, `!x`) and a second document. Duplicate keys are
reported, which PyYAML would otherwise let the last one win silently. Text must be text:
control characters other than tab and newline, lone surrogates and the noncharacters
U+FFFE/U+FFFF are refused (they make XML invalid); U+2028 and U+2029 are read as spaces:
YAML counts them as line breaks that editors do not show (so line numbers would drift), and
older JavaScript string literals and str.splitlines() break on them downstream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

# libyaml's C parser when the wheel has it; the pure-Python one otherwise.
_Loader: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

MAX_DEPTH = 10
"""Nesting allowed: a paper needs 2 levels (links), topics.yaml 3; the rest is hostile."""

MAX_KEY_CHARS = 100
"""Field names are short words; a longer one would only flood the messages that name it."""

# In the file itself CR is a line break; in a value (written as "\r") it is refused too.
_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_VALUE_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_VALUE_SPECIAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_SEPARATORS = str.maketrans({"\u2028": " ", "\u2029": " "})

# libyaml's words for a "\uD800" escape leave the reader guessing; say what would be right.
_HINTS = {
    "found invalid Unicode character escape code": "a lone surrogate such as \\uD800 is not a "
    "character; write the character itself",
}


@dataclass
class Located:
    """A parsed YAML document: plain values plus the line of every key path."""

    value: Any
    """Nested dicts, lists and strings; None for an empty or comment-only file."""
    lines: dict[str, int] = field(default_factory=dict)
    """1-based line of each dotted key path (`links.arxiv`, `topics.2`), '' for the root."""
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    """(line, field, message) for duplicate keys and bad characters found while reading."""


class YamlSyntaxError(Exception):
    """The text is not YAML this project reads; carries the line and what is wrong."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


@dataclass(slots=True)
class _Open:
    """A sequence or mapping being built, with where its items go."""

    value: list[Any] | dict[str, Any]
    is_map: bool
    path: str
    keep: bool
    """False inside a value that is dropped (a duplicate key's, a non-text key's)."""
    key: str | None = None
    """Mapping: the key read, awaiting its value; None while a key is expected."""
    key_path: str = ""
    """Mapping: the dotted path of `key`."""
    drop_value: bool = False
    """Mapping: the key just read was refused, so its value is dropped."""


def parse_yaml(text: str) -> Located:
    """Parse one YAML document into strings, lists and dicts, remembering lines."""
    raw = _RAW_CONTROL.search(text)
    if raw:
        line = text.count("\n", 0, raw.start()) + 1
        raise YamlSyntaxError(line, _refusal(raw.group(), "in the file"))
    if "\u2028" in text or "\u2029" in text:
        text = text.translate(_SEPARATORS)
    out = Located(value=None)
    try:
        _build(yaml.parse(text, Loader=_Loader), out)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = _one_line(exc.problem or str(exc))
        hint = _HINTS.get(message)
        raise YamlSyntaxError(
            mark.line + 1 if mark else 0, f"{message} ({hint})" if hint else message
        ) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(0, _one_line(str(exc))) from None
    return out


def _build(events: Any, out: Located) -> None:
    stack: list[_Open] = []
    documents = 0
    # Dispatch on the exact class, scalars first: this loop runs once per value of 10,000 files.
    for event in events:
        cls = type(event)
        if cls is yaml.ScalarEvent:
            line = event.start_mark.line + 1
            if event.anchor is not None or event.tag is not None:
                _refuse_node(event, line)
            _place(stack, out, event.value, line, built=False)
        elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
            line = event.start_mark.line + 1
            if event.anchor is not None or event.tag is not None:
                _refuse_node(event, line)
            if len(stack) >= MAX_DEPTH:
                raise YamlSyntaxError(line, f"nested more than {MAX_DEPTH} levels deep")
            path, keep = _start(stack, out, line)
            is_map = cls is yaml.MappingStartEvent
            stack.append(_Open({} if is_map else [], is_map, path, keep))
        elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
            done = stack.pop()
            _place(stack, out, done.value, 0, built=True)
        elif cls is yaml.AliasEvent:
            _refuse_node(event, event.start_mark.line + 1)
        elif cls is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                line = event.start_mark.line + 1
                raise YamlSyntaxError(line, "a second YAML document starts here; one per file")


def _refuse_node(event: Any, line: int) -> None:
    if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
        raise YamlSyntaxError(line, "YAML anchors and aliases are not allowed (&x, *x)")
    tag = event.tag.replace("tag:yaml.org,2002:", "!!", 1)
    shown = tag if len(tag) <= 40 else tag[:40] + "..."
    raise YamlSyntaxError(line, f"YAML tags are not allowed, found '{shown}'")


def _start(stack: list[_Open], out: Located, line: int) -> tuple[str, bool]:
    """Path and keep-flag of a collection starting here; a key must not be one."""
    if not stack:
        out.lines.setdefault("", line)
        return "", True
    parent = stack[-1]
    if parent.is_map and parent.key is None and not parent.drop_value:
        if parent.keep:
            out.problems.append((line, parent.path or "yaml", "keys must be text"))
        return parent.path, False
    if not parent.keep or parent.drop_value:
        return parent.path, False
    path = parent.key_path if parent.is_map else _join(parent.path, str(len(parent.value)))
    out.lines.setdefault(path, line)
    return path, True


def _place(stack: list[_Open], out: Located, value: Any, line: int, built: bool) -> None:
    """Put a finished value (a scalar, or a `built` collection) where its parent expects it."""
    if not stack:
        if not built:
            out.lines.setdefault("", line)
            value = _checked_text(value, "", line, out)
        out.value = value
        return
    parent = stack[-1]
    if not parent.is_map:
        assert isinstance(parent.value, list)
        if parent.keep and not built:
            path = _join(parent.path, str(len(parent.value)))
            out.lines.setdefault(path, line)
            value = _checked_text(value, path, line, out)
        parent.value.append(value)
    elif parent.key is not None:
        assert isinstance(parent.value, dict)
        if not built:
            value = _checked_text(value, parent.key_path, line, out)
        parent.value[parent.key] = value
        parent.key = None
    elif parent.drop_value:
        parent.drop_value = False
    else:
        _take_key(parent, out, None if built else value, line)


def _take_key(parent: _Open, out: Located, key: str | None, line: int) -> None:
    if key is None or not parent.keep:
        # A non-text key was reported when it started; its value goes with it.
        parent.drop_value = True
        return
    path = _join(parent.path, key)
    problem = ""
    if key == "<<":
        problem = "YAML merge keys are not allowed"
    elif not key.isprintable():
        problem = "field names must be printable text"
    elif len(key) > MAX_KEY_CHARS:
        path = _join(parent.path, key[:MAX_KEY_CHARS] + "...")
        problem = f"field names are at most {MAX_KEY_CHARS} characters"
    elif key in parent.value:
        problem = f"duplicate key (first set on line {out.lines.get(path, 0)})"
    if problem:
        out.problems.append((line, _shown(path), problem))
        parent.drop_value = True
        return
    out.lines[path] = line
    parent.key = key
    parent.key_path = path


def _checked_text(value: str, path: str, line: int, out: Located) -> str:
    if _VALUE_SPECIAL.search(value) is None:
        return value
    bad = _VALUE_CONTROL.search(value)
    if bad:
        out.problems.append((line, path or "yaml", _refusal(bad.group(), "in text")))
    return value.translate(_SEPARATORS)


def _refusal(char: str, where: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"the lone surrogate U+{code:04X} is not allowed {where} (write the character)"
    if code in (0xFFFE, 0xFFFF):
        return f"the noncharacter U+{code:04X} is not allowed {where}"
    return f"the control character U+{code:04X} is not allowed {where} (only tab and newline)"


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _shown(path: str) -> str:
    return path if path.isprintable() else ascii(path)[1:-1]


def _one_line(text: str) -> str:
    return " ".join(text.split())
