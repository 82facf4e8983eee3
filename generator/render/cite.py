"""BibTeX entries built from the facts a paper's file gives, and nothing else."""

from __future__ import annotations

import functools
import re

from generator.content.slug import slugify
from generator.model import Paper
from generator.render.chars import xml_safe
from generator.render.text import plain_title

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))


def bibtex_escape(text: str) -> str:
    """Text safe inside a braced BibTeX field: specials escaped, so braces always balance."""
    return _SPECIAL_RE.sub(lambda m: _BIBTEX_SPECIAL[m.group(0)], " ".join(xml_safe(text).split()))


@functools.lru_cache(maxsize=1 << 16)
def bibtex_key(paper: Paper) -> str:
    """`surname2024firstword` when authors and year are known; otherwise from the id."""
    words = [w for w in slugify(plain_title(paper.title)).split("-") if len(w) > 3] or ["paper"]
    if paper.authors:
        surname = slugify(paper.authors[0].split(",")[0].split()[-1]).replace("-", "")
        return f"{surname}{paper.year or ''}{words[0]}"
    return "-".join(paper.id.split("-")[:4]) + (f"-{paper.year}" if paper.year else "")


@functools.lru_cache(maxsize=1 << 16)
def bibtex_entry(paper: Paper, key: str | None = None) -> str:
    """One @misc entry (the kind of publication is not recorded) with the known fields."""
    fields: list[tuple[str, str]] = [("title", "{" + bibtex_escape(plain_title(paper.title)) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(bibtex_escape(a) for a in paper.authors)))
    if paper.year is not None:
        fields.append(("year", str(paper.year)))
    if paper.venue:
        fields.append(("howpublished", bibtex_escape(paper.venue)))
    links = {link.kind: link for link in paper.links}
    if "arxiv" in links:
        fields += [("eprint", bibtex_escape(links["arxiv"].value)), ("archiveprefix", "arXiv")]
    if "doi" in links:
        fields.append(("doi", bibtex_escape(links["doi"].value)))
    url = next((links[k].url for k in ("url", "pdf", "arxiv") if k in links), None)
    if url:
        fields.append(("url", url.replace("{", "%7B").replace("}", "%7D")))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key or bibtex_key(paper)},\n{body}\n}}\n"
