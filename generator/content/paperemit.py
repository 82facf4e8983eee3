"""Paper files written directly, in the bytes yaml.dump writes, with what they read back as.

PyYAML's representer costs more than the rest of writing 10,000 imported papers, and the strict
reader's second look at each text as much again. For what a new paper holds (one-line strings,
lists of them, a links mapping, a year) the emitter's choices follow from a short rule:
a string is plain unless it would read back as another type, or starts or holds what YAML
reads as syntax; then single-quoted; prose is folded. Lines break at a single space once past
the width. Whatever the rule does not cover (line breaks, controls and other characters
Python does not call printable, empty values, other types) makes `emit_paper` return None,
and yaml.dump writes that paper. tests/test_paperemit.py holds both to the same bytes on every
fixture and a random corpus, and the Located returned to what parse_yaml reads from the text.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml

from generator.content.yamlio import Located

WIDTH = 92
"""yaml.dump's `width` for paper files: a line breaks at the first single space past it."""

_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_SINGLE_SPACE = re.compile("(?<! ) (?! )")
_LAST_SPACE = re.compile(" (?! )")
# What makes a one-line string unfit for a plain block scalar, by PyYAML's analysis: a leading
# indicator, `-`, `?` or `:` then a space (or alone), `: ` or a final `:`, ` #`, a document
# marker, a space at either end.
_NOT_PLAIN = re.compile(r"""^[#,\[\]{}&*!|>'"%@`]|^[-?:](?: |$)|: |:$| #|^---|^\.\.\.|^ | $""")
_KEY = re.compile(r"^[a-z][a-z_]*$")


def emit_paper(fields: dict[str, Any], folded: frozenset[str]) -> tuple[str, Located] | None:
    """The YAML text of `fields` (keys `folded` as folded prose), and the document the
    strict reader reads from it; None when the rule above does not cover a value."""
    out: list[str] = []
    value: dict[str, Any] = {}
    lines: dict[str, int] = {"": 1}
    line = 1
    # Outside the Basic Multilingual Plane libyaml quotes a string with escapes, so such a
    # paper has PyYAML's bytes (see paper_yaml), whose folded prose keeps a run of spaces.
    runs_whole = any(_astral(v) for v in fields.values())
    for key, item in fields.items():
        if not _is_key(key):
            return None
        lines[key] = line
        if isinstance(item, str):
            text = _folded(item, runs_whole) if key in folded else _scalar(item, len(key) + 1, 2)
            if text is None:
                return None
            out += (key, ":", text, "\n")
            value[key] = item
            line += text.count("\n") + 1
        elif type(item) is int and _resolves(str(item)) == _INT:
            out.append(f"{key}: {item}\n")
            value[key] = str(item)
            line += 1
        elif isinstance(item, list) and item:
            out.append(f"{key}:\n")
            line += 1
            read: list[str] = []
            for index, entry in enumerate(item):
                text = _scalar(entry, 1, 2) if isinstance(entry, str) else None
                if text is None:
                    return None
                lines[f"{key}.{index}"] = line
                out += ("-", text, "\n")
                read.append(entry)
                line += text.count("\n") + 1
            value[key] = read
        elif isinstance(item, dict) and item:
            out.append(f"{key}:\n")
            line += 1
            inner: dict[str, str] = {}
            for name, entry in item.items():
                text = _scalar(entry, len(name) + 3, 4) if isinstance(entry, str) else None
                if text is None or not _is_key(name):
                    return None
                lines[f"{key}.{name}"] = line
                out += ("  ", name, ":", text, "\n")
                inner[name] = entry
                line += text.count("\n") + 1
            value[key] = inner
        else:
            return None
    if not out:
        return None
    return "".join(out), Located(value=value, lines=lines)


def _astral(value: object) -> bool:
    if isinstance(value, str):
        return not value.isascii() and max(value) > "\uffff"
    if isinstance(value, list):
        return any(_astral(v) for v in value)
    if isinstance(value, dict):
        return any(_astral(v) for v in value.values())
    return False


@functools.lru_cache(maxsize=256)  # a paper's dozen keys, 10,000 times over
def _is_key(key: object) -> bool:
    return isinstance(key, str) and bool(_KEY.match(key)) and _plain(key)


def _plain(text: str) -> bool:
    """Whether yaml.dump writes this one-line printable string plain."""
    if _NOT_PLAIN.search(text):
        return False
    return _resolves(text) == _STR


def _resolves(text: str) -> str:
    """The tag a plain scalar `text` reads back with, by the resolver yaml.dump asks."""
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag


def _scalar(text: str, column: int, indent: int) -> str | None:
    """A value after its indicator (`key:` or `-`, ending at `column`), from its space on."""
    if not text or not text.isprintable():
        return None
    if _plain(text):
        return " " + _flow(text, column + 1, indent, quoted=False)
    return " '" + _flow(text, column + 2, indent, quoted=True) + "'"


def _folded(text: str, runs_whole: bool) -> str | None:
    """Prose as a folded block (`>-`), lines at two spaces; yaml.dump quotes one that ends or
    starts with a space, and a text with breaks is not one this writer takes."""
    if not text or not text.isprintable() or text[0] == " " or text[-1] == " ":
        return None
    return " >-\n  " + _flow(text, 2, 2, quoted=False, folded=not runs_whole)


def _flow(text: str, column: int, indent: int, *, quoted: bool, folded: bool = False) -> str:
    """`text` from `column` on, a single space past WIDTH becoming a line break (never the
    first or last character of a quoted text); `'` doubled when quoted. In folded prose the
    last space of a longer run breaks too, after the others are written (libyaml's rule,
    whose bytes paper files have; PyYAML's own emitter keeps such a run whole)."""
    if quoted:
        text = text.replace("'", "''")
    breaks = _LAST_SPACE if folded else _SINGLE_SPACE
    out: list[str] = []
    start, end = 0, len(text) - 1 if quoted else len(text)
    while True:
        # The first space where the column, all of text[start:at] written, is past WIDTH.
        at = max(start + WIDTH - column + 1, start, 1 if quoted else 0)
        found = breaks.search(text, at)
        if found is None or found.start() >= end:
            break
        out += (text[start : found.start()], "\n", " " * indent)
        start, column = found.end(), indent
    out.append(text[start:])
    return "".join(out)
