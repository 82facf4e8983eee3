"""Exports: the BibTeX parses back to the same papers, the CSL-JSON is complete and honest."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser

from generator.content.load import load_list
from generator.render.export import to_bibtex, to_csl
from generator.render.text import plain_title

from .conftest import CORPUS, FIXTURES, Runner

SHIPPED = load_list(CORPUS).papers
GOLDEN = load_list(FIXTURES / "golden" / "content").papers


def unbrace(value: str) -> str:
    for escaped, plain in (
        ("\\{", "{"),
        ("\\}", "}"),
        ("\\%", "%"),
        ("\\&", "&"),
        ("\\$", "$"),
        ("\\_", "_"),
        ("\\#", "#"),
    ):
        value = value.replace(escaped, plain)
    return value.removeprefix("{").removesuffix("}")


def test_bibtex_parses_back_to_the_same_papers() -> None:
    for papers in (SHIPPED, GOLDEN):
        library = bibtexparser.parse_string(to_bibtex(papers))
        assert library.failed_blocks == []
        entries = library.entries
        assert len(entries) == len(papers)
        assert len({e.key for e in entries}) == len(papers)  # keys are unique
        for entry, paper in zip(entries, papers, strict=True):
            assert unbrace(entry.fields_dict["title"].value) == plain_title(paper.title)
            year = entry.fields_dict.get("year")
            assert (year.value if year else None) == (str(paper.year) if paper.year else None)


def test_bibtex_carries_every_known_fact_and_invents_none() -> None:
    library = bibtexparser.parse_string(to_bibtex(GOLDEN))
    full = next(e for e in library.entries if e.key == "lovelace2024regret")
    fields = {name: f.value for name, f in full.fields_dict.items()}
    assert fields["author"] == "Ada Lovelace and Alan Turing"
    assert fields["eprint"] == "2310.10010" and fields["doi"] == "10.1000/xyz123"
    bare = next(e for e in library.entries if e.key == "title-only")
    assert set(bare.fields_dict) == {"title"}


def test_csl_json_items() -> None:
    items = json.loads(to_csl(GOLDEN))
    full = next(i for i in items if i["id"] == "lovelace2024regret")
    assert full["author"] == [{"literal": "Ada Lovelace"}, {"literal": "Alan Turing"}]
    assert full["issued"] == {"date-parts": [[2024]]}
    assert full["DOI"] == "10.1000/xyz123" and full["container-title"] == "NeurIPS"
    bare = next(i for i in items if i["title"] == "A Paper With Only a Title")
    assert set(bare) == {"id", "type", "title"}
    assert len(json.loads(to_csl(SHIPPED))) == 426


def test_export_command_and_site_downloads(run: Runner, tmp_path: Path, golden_site: Path) -> None:
    out = tmp_path / "list.bib"
    status, _, _ = run("export", "--content", str(FIXTURES / "golden" / "content"), "-o", str(out))
    assert status == 0 and out.read_text() == to_bibtex(GOLDEN)
    status, text, _ = run("export", "--content", str(CORPUS), "--format", "csl-json")
    assert status == 0 and len(json.loads(text)) == 426
    assert (golden_site / "exports" / "reading-list.bib").read_text() == to_bibtex(GOLDEN)
    assert json.loads((golden_site / "exports" / "reading-list.json").read_text())[0]["id"]
    assert 'href="exports/reading-list.bib"' in (golden_site / "index.html").read_text()
