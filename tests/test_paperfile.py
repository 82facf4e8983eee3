"""paper_yaml writes a paper file with libyaml where that gives the Python emitter's bytes, so
a file never depends on which emitter wrote it."""

from __future__ import annotations

import datetime as dt

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


@pytest.mark.parametrize("value", VALUES)
def test_the_fast_path_writes_the_python_emitters_bytes(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fields = {
        "title": value,
        "authors": [value, "Ada Lovelace"],
        "year": 2024,
        "links": {"pdf": "https://example.org/x.pdf"},
        "added": dt.date(2026, 1, 1),
        "abstract": f"{value} {LONG} {value}",
        "sources": [value],
    }
    written = paper_yaml(fields)
    assert yaml.safe_load(written)["title"] == value
    # The same call with libyaml's emitter replaced by PyYAML's: the bytes must not change.
    monkeypatch.setattr(paperfile, "_FastDumper", paperfile._Dumper)
    assert paper_yaml(fields) == written
