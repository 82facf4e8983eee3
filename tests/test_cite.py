"""Citations: one unique key per paper on its page and in the exports, verbatim DOIs and
URLs, entry types that follow the venue, CSL names split only where the source splits them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest

from generator.content.load import load_list
from generator.model import Link, Paper, ReadingList, Site, Topic
from generator.relate.listing import relate
from generator.render.cite import bibtex_entry, venue_kind
from generator.render.export import to_bibtex, to_csl
from generator.render.pages import render_pages

from .conftest import CORPUS, ROOT

TOPIC = Topic("t", "T", "A topic.")


def paper(pid: str, title: str, **fields: object) -> Paper:
    return Paper(id=pid, title=title, path=f"{pid}.yaml", topics=("t",), **fields)  # type: ignore[arg-type]


def listed(*papers: Paper) -> ReadingList:
    return ReadingList(Site(), (TOPIC,), tuple(sorted(papers, key=lambda p: p.id)))


def page_key(markdown: str) -> str:
    found = re.search(r"^@\w+\{([^,]+),$", markdown, re.MULTILINE)
    assert found, "no BibTeX entry on the page"
    return found.group(1)


def test_colliding_keys_are_made_unique_and_pages_print_the_exports_keys() -> None:
    # Same first author, year and first long title word: the same base key three times, and
    # a fourth paper whose own base key is what a suffix would make.
    same = {"authors": ("Jared Kaplan",), "year": 2020}
    papers = listed(
        paper("scaling-laws-a", "Scaling laws for neural language models", **same),
        paper("scaling-laws-b", "Scaling laws for autoregressive models", **same),
        paper("scaling-laws-c", "Scaling everything", **same),
        paper("scalinga", "Scalinga: a word", **same),
    )
    related = relate(papers)
    keys = [entry.cite_key for entry in related.papers]
    assert len(set(keys)) == 4, keys
    pages = render_pages(related, ROOT / "templates")
    exported = [e.key for e in bibtexparser.parse_string(to_bibtex(papers.papers)).entries]
    assert sorted(exported) == sorted(keys)
    for entry in related.papers:
        assert page_key(pages[f"docs/papers/{entry.paper.id}.md"]) == entry.cite_key
    csl_ids = [item["id"] for item in json.loads(to_csl(papers.papers))]
    assert sorted(csl_ids) == sorted(keys)


def test_shipped_list_pages_and_export_agree_on_unique_keys() -> None:
    reading_list = load_list(CORPUS)
    related = relate(reading_list)
    keys = {entry.paper.id: entry.cite_key for entry in related.papers}
    assert len(set(keys.values())) == len(keys)
    library = bibtexparser.parse_string(to_bibtex(reading_list.papers))
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == [keys[p.id] for p in reading_list.papers]


def test_doi_and_url_are_verbatim_and_types_follow_the_venue() -> None:
    doi = Link("doi", "10.5555/3295222_3295349", "https://doi.org/10.5555/3295222_3295349")
    web = Link("url", "https://example.org/a_b%20c?x=1&y=2", "https://example.org/a_b%20c?x=1&y=2")
    conference = paper("a", "Attention", venue="NeurIPS 2017", year=2017, links=(doi, web))
    entry = bibtex_entry(conference, "k1")
    assert entry.startswith("@inproceedings{k1,")
    assert "  doi = {10.5555/3295222_3295349}" in entry
    assert "  url = {https://example.org/a_b%20c?x=1&y=2}" in entry
    assert "  booktitle = {NeurIPS 2017}" in entry
    journal = bibtex_entry(paper("b", "B", venue="JMLR 2024"), "k2")
    assert journal.startswith("@article{k2,") and "  journal = {JMLR 2024}" in journal
    arxiv = Link("arxiv", "2310.10010", "https://arxiv.org/abs/2310.10010")
    preprint = bibtex_entry(paper("c", "C", links=(arxiv,)), "k3")
    assert preprint.startswith("@misc{k3,")
    assert "  eprint = {2310.10010}" in preprint and "  archiveprefix = {arXiv}" in preprint
    assert "url = " not in preprint  # the eprint is the link: not a second one
    assert venue_kind("A talk at a meetup") == "misc" and venue_kind(None) == "misc"
    assert venue_kind("Transactions on Machine Learning Research") == "article"
    assert venue_kind("Findings of EMNLP 2023") == "inproceedings"
    assert venue_kind("OpenReview") == "misc"  # "review" only as a word
    # A brace in a DOI cannot unbalance the entry.
    odd = Link("doi", "10.1000/a}b", "https://doi.org/10.1000/a%7Db")
    library = bibtexparser.parse_string(bibtex_entry(paper("d", "D", links=(odd,)), "k4"))
    assert library.failed_blocks == [] and library.entries[0]["doi"] == "10.1000/a%7Db"


def test_csl_names_split_where_the_source_splits_them() -> None:
    authors = ("Lovelace, Ada", "Alan Turing", "van Beethoven, Ludwig", "Team, A, B")
    item = json.loads(to_csl([paper("a", "A", authors=authors, venue="ICML 2024")]))[0]
    assert item["author"] == [
        {"family": "Lovelace", "given": "Ada"},
        {"literal": "Alan Turing"},
        {"family": "van Beethoven", "given": "Ludwig"},
        {"literal": "Team, A, B"},
    ]
    assert item["type"] == "paper-conference"
    bib = bibtexparser.parse_string(bibtex_entry(paper("b", "B", authors=authors[:2]), "k"))
    assert bib.entries[0]["author"] == "Lovelace, Ada and Alan Turing"


@pytest.mark.skipif(shutil.which("biber") is None, reason="biber is not installed")
def test_biber_validates_the_shipped_export_with_only_missing_facts(tmp_path: Path) -> None:
    bib = tmp_path / "list.bib"
    bib.write_text(to_bibtex(load_list(CORPUS).papers), encoding="utf-8")
    done = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", bib.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    warnings = [line for line in done.stdout.splitlines() if line.startswith("WARN")]
    assert "ERROR" not in done.stdout
    # What the list does not know (an author, a year) is the only thing biber may miss.
    for line in warnings:
        assert re.search(r"Missing mandatory field.*'(author|date, year)'", line), line
