"""The whole list as BibTeX and as CSL-JSON, for reference managers.

Only the facts the list holds go out; nothing is filled in. The kind of publication is not
recorded, so BibTeX entries are @misc and CSL items are `article`, the generic type.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from generator.model import Paper
from generator.render.chars import xml_safe
from generator.render.cite import bibtex_entry, bibtex_key
from generator.render.text import plain_title, to_plain

FORMATS = ("bibtex", "csl-json")


def unique_keys(papers: tuple[Paper, ...] | list[Paper]) -> Mapping[str, str]:
    """A citation key per paper id, made unique in list order with a, b, c suffixes."""
    return _unique_keys(tuple(papers))


@functools.lru_cache(maxsize=2)  # both exports of one build ask for the same list's keys
def _unique_keys(papers: tuple[Paper, ...]) -> dict[str, str]:
    keys: dict[str, str] = {}
    seen: dict[str, int] = {}
    for paper in papers:
        key = bibtex_key(paper)
        count = seen.get(key, 0)
        seen[key] = count + 1
        keys[paper.id] = key if count == 0 else f"{key}{chr(ord('a') + count - 1)}"
    return keys


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


def _csl_item(paper: Paper, key: str) -> dict[str, Any]:
    item: dict[str, Any] = {"id": key, "type": "article", "title": plain_title(paper.title)}
    if paper.authors:
        # Names are kept whole: splitting them into family and given would be a guess.
        item["author"] = [{"literal": name} for name in paper.authors]
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
