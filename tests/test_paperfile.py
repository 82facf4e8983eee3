"""paper_yaml writes a paper file with libyaml where that gives the Python emitter's bytes, so
a file never depends on which emitter wrote it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

from generator.content import paperfile
from generator.content.paperfile import paper_yaml

LONG = "A study of " + "very " * 30 + "long titles"
VALUES = [
    "Plain title",
    "Emoji in a title \U0001f600",
    'A "quoted" word',
    '"Starts with a quote"',
    "Colon: and a dash - here",
    "Bell \x07 and escape \x1b",
    LONG + " \U0001f680",
    "yes",
    "2024",
    "- looks like a list",
    "# looks like a comment",
    "tab\tinside",
]


def _python_emitter(fields: dict[str, Any]) -> str:
    data = {k: paperfile._Folded(v) if k in ("abstract", "notes") else v for k, v in fields.items()}
    options: dict[str, Any] = {"sort_keys": False, "allow_unicode": True, "width": 92, "indent": 2}
    text: str = yaml.dump(data, Dumper=paperfile._Dumper, **options)
    return text


@pytest.mark.parametrize("value", VALUES)
def test_the_fast_path_writes_the_python_emitters_bytes(value: str) -> None:
    fields = {
        "title": value,
        "authors": [value, "Ada Lovelace"],
        "year": 2024,
        "links": {"pdf": "https://example.org/x.pdf"},
        "added": dt.date(2026, 1, 1),
        "abstract": f"{value} {LONG} {value}",
        "sources": [value],
    }
    assert paper_yaml(fields) == _python_emitter(fields)
    assert yaml.safe_load(paper_yaml(fields))["title"] == value
