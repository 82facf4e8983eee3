"""The direct paper writer against yaml.dump: the same bytes, and the document it says the
strict reader reads is the one parse_yaml reads (so an import need not read its texts again)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.content import paperfile
from generator.content.paperemit import emit_paper
from generator.content.yamlio import parse_yaml

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = sorted((FIXTURES / "import" / "golden").glob("*/*.yaml"))
CORPUS = sorted((FIXTURES / "corpus" / "content" / "papers").glob("*.yaml"))

# Pieces that steer PyYAML's choices: indicators, `: ` and ` #`, quotes, look-alikes of other
# types, runs of spaces, non-ASCII letters, an emoji (libyaml quotes it), and, rarely,
# characters the direct writer leaves to yaml.dump (tab, no-break space, line separator).
PIECES = [
    *"abcdefghij ABC  '\"#:-?,[]{}&*!|>%@`.0123456789 éü中😀\\/=~+",
    ": ",
    " #",
    "---",
    "...",
    "yes",
    "no",
    "null",
    "~",
    "1e3",
    "0x1F",
    "2024-01-01",
    "1:20",
    "word",
    "longerword",
    "a",
    "  ",
    "   ",
]
RARE = ["\t", "\xa0", "\u2028", "\n"]


def _text(rng: random.Random) -> str:
    pieces = PIECES + RARE if rng.random() < 0.03 else PIECES
    words = ("word", "a", "longerword", " ", "x" * rng.randint(1, 12))
    size = rng.choice([1, 2, 3, 5, 10, 40, 90, 150, 300])
    return "".join(
        rng.choice(pieces) if rng.random() < 0.3 else rng.choice(words) for _ in range(size)
    )


def _paper(rng: random.Random) -> dict[str, Any]:
    return {
        "title": _text(rng),
        "authors": [_text(rng) for _ in range(rng.randint(1, 3))],
        "year": rng.choice([2019, 0, 12345]),
        "venue": _text(rng),
        "links": {"arxiv": rng.choice(["2101.00001", "hep-th/9901001"]), "url": _text(rng)},
        "topics": ["agents", "to-review"],
        "status": "to-read",
        "added": "2026-01-01",
        "abstract": _text(rng),
        "sources": [_text(rng)],
    }


def _as_written(path: Path) -> dict[str, Any]:
    """A written paper file's fields as the import passed them (dates as ISO text)."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}


def _assert_same(fields: dict[str, Any]) -> bool:
    """True when the direct writer took the paper; then it must be yaml.dump's paper."""
    direct = emit_paper(fields, paperfile.FOLDED)
    if direct is None:
        return False
    text, located = direct
    assert text == paperfile._dumped(fields), fields
    read = parse_yaml(text)
    assert (read.value, read.lines, read.problems) == (located.value, located.lines, []), text
    return True


@pytest.mark.parametrize("seed", range(4))
def test_random_papers_are_written_as_yaml_dump_writes_them(seed: int) -> None:
    rng = random.Random(seed)
    taken = sum(_assert_same(_paper(rng)) for _ in range(500))
    assert taken > 300  # the rule covers most papers; the rest are yaml.dump's anyway


def test_every_golden_import_file_is_written_byte_for_byte() -> None:
    assert GOLDEN
    for path in GOLDEN:
        fields = _as_written(path)
        assert _assert_same(fields) or "\n" in str(fields), path
        assert paperfile.paper_yaml(fields) == path.read_text(encoding="utf-8"), path


def test_the_corpus_papers_are_written_as_yaml_dump_writes_them() -> None:
    taken = sum(_assert_same(_as_written(path)) for path in CORPUS)
    assert taken > len(CORPUS) // 2


@pytest.mark.parametrize(
    "fields",
    [
        {"title": ""},
        {"title": "line\nbreak"},
        {"title": "tab\there"},
        {"authors": []},
        {"links": {}},
        {"added": dt.date(2026, 1, 1)},
        {"year": True},
        {"abstract": " leading space"},
        {"abstract": "trailing space "},
        {"Title": "upper-case key"},
        {},
    ],
)
def test_what_the_rule_does_not_cover_is_left_to_yaml_dump(fields: dict[str, Any]) -> None:
    assert emit_paper(fields, paperfile.FOLDED) is None
    text, located = paperfile.paper_document(fields)
    assert located is None
    assert text == paperfile._dumped(fields)


def test_the_check_of_a_written_paper_says_what_reading_it_again_says() -> None:
    from generator.content.load import paper_problems

    fields = {
        "title": "Fine",
        "year": 99999,
        "links": {"arxiv": "not an id", "url": "https://example.org/x"},
        "topics": ["agents", "no-such-topic"],
        "status": "maybe",
        "added": "2026-13-01",
        "abstract": ("Prose " * 40).strip(),
        "sources": ["list.bib"],
    }
    text, located = paperfile.paper_document(fields)
    assert located is not None
    given = paper_problems("papers/fine.yaml", text, frozenset({"agents"}), located)
    assert len(given) >= 4  # year, arxiv, topic, status, date
    assert given == paper_problems("papers/fine.yaml", text, frozenset({"agents"}))
