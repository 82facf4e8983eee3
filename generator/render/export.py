"""The whole list as BibTeX and as CSL-JSON, for reference managers.

Only the facts the list holds go out; nothing is filled in. The kind of publication follows
the venue's name (cite.venue_kind): a journal's, a conference's, or neither (CSL `article`,
the generic type, which is also CSL's preprint).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from generator.model import Paper
from generator.relate.citekeys import unique_keys
from generator.render.chars import xml_safe
from generator.render.cite import bibtex_entry, venue_kind
from generator.render.text import plain_title, to_plain

FORMATS = ("bibtex", "csl-json")


def to_bibtex(papers: tuple[Paper, ...] | list[Paper]) -> str:
    keys = unique_keys(papers)
    return "\n".join(bibtex_entry(p, keys[p.id]) for p in papers)


def to_csl(papers: tuple[Paper, ...] | list[Paper]) -> str:
    keys = unique_keys(papers)
    if not papers:
        return "[]\n"
    return "[\n" + ",\n".join(_csl_json(p, keys[p.id]) for p in papers) + "\n]\n"


@functools.lru_cache(maxsize=1 << 16)
def _csl_json(paper: Paper, key: str) -> str:
    """One item as indented JSON; cached, so re-exporting after an edit redoes one item."""
    text = xml_safe(json.dumps(_csl_item(paper, key), indent=2, ensure_ascii=False))
    # split("\n"), not splitlines(): that also splits at U+2028 and U+0085 inside strings.
    return "\n".join("  " + line for line in text.split("\n"))


_CSL_TYPES = {"article": "article-journal", "inproceedings": "paper-conference", "misc": "article"}


def csl_name(name: str) -> dict[str, str]:
    """`Family, Given` split where the source wrote it so; any other name kept whole, as
    a literal: where the family name starts in "Ludwig van Beethoven" would be a guess."""
    family, comma, given = name.partition(",")
    if comma and family.strip() and given.strip() and "," not in given:
        return {"family": family.strip(), "given": given.strip()}
    return {"literal": name}


def _csl_item(paper: Paper, key: str) -> dict[str, Any]:
    kind = _CSL_TYPES[venue_kind(paper.venue)]
    item: dict[str, Any] = {"id": key, "type": kind, "title": plain_title(paper.title)}
    if paper.authors:
        item["author"] = [csl_name(name) for name in paper.authors]
    if paper.year is not None:
        item["issued"] = {"date-parts": [[paper.year]]}
    if paper.venue:
        item["container-title"] = paper.venue
    if paper.abstract:
        item["abstract"] = to_plain(paper.abstract)
    links = {link.kind: link for link in paper.links}
    if "doi" in links:
        item["DOI"] = links["doi"].value
    url = next((links[k].url for k in ("url", "pdf", "arxiv") if k in links), None)
    if url:
        item["URL"] = url
    if "arxiv" in links:
        item["number"] = f"arXiv:{links['arxiv'].value}"
    return item


def export(papers: tuple[Paper, ...] | list[Paper], fmt: str) -> str:
    """The list in `fmt`, one of FORMATS."""
    return to_bibtex(papers) if fmt == "bibtex" else to_csl(papers)
