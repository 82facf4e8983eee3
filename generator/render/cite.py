"""BibTeX entries built from the facts a paper's file gives, and nothing else.

The entry type follows the venue as written: a journal's name makes an @article with
`journal`, a conference's or workshop's an @inproceedings with `booktitle`; a venue that
names neither, or no venue, makes a @misc (with `eprint` and `archivePrefix` for arXiv).
Verbatim fields (`doi`, `url`, `eprint`) are written as they are, as biblatex reads them.
"""

from __future__ import annotations

import functools
import re

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

# Words that name a journal or a conference in the venues lists actually carry. Checked as
# whole words, journals first ("Transactions of ACL" is a journal).
_JOURNAL_RE = re.compile(
    r"\b(journal|transactions|letters|review|magazine|nature|science|npj|jmlr|tmlr|tacl"
    r"|neural computation|machine learning \(journal\)|pnas|plos)\b",
    re.IGNORECASE,
)
_CONFERENCE_RE = re.compile(
    r"\b(conference|proceedings|workshop|symposium|findings|neurips|nips|icml|iclr|cvpr|iccv"
    r"|eccv|acl|emnlp|naacl|eacl|coling|colm|corl|icra|iros|rss|aaai|ijcai|kdd|sigir|www"
    r"|aistats|uai|colt|interspeech|icassp|wacv|bmvc|chi|uist|fat\*|facct|aamas)\b",
    re.IGNORECASE,
)
# What a verbatim field cannot hold as such: braces would unbalance the entry, a backslash
# could escape one. Percent-encoded, the address still resolves.
_VERBATIM_UNSAFE = {ord("{"): "%7B", ord("}"): "%7D", ord("\\"): "%5C"}


def bibtex_escape(text: str) -> str:
    """Text safe inside a braced BibTeX field: specials escaped, so braces always balance."""
    return _SPECIAL_RE.sub(lambda m: _BIBTEX_SPECIAL[m.group(0)], " ".join(xml_safe(text).split()))


def verbatim(text: str) -> str:
    """A DOI, URL or eprint id for a verbatim field: as written, one line, braces balanced."""
    return "".join(xml_safe(text).split()).translate(_VERBATIM_UNSAFE)


def venue_kind(venue: str | None) -> str:
    """`article`, `inproceedings` or `misc`: what the venue's name says it is."""
    if not venue:
        return "misc"
    if _JOURNAL_RE.search(venue):
        return "article"
    if _CONFERENCE_RE.search(venue):
        return "inproceedings"
    return "misc"


def bibtex_name(name: str) -> str:
    """One author for `author = {...}`: a name holding the word "and" is braced whole, so
    BibTeX does not split it into two people."""
    escaped = bibtex_escape(name)
    return "{" + escaped + "}" if re.search(r"\band\b", escaped, re.IGNORECASE) else escaped


@functools.lru_cache(maxsize=1 << 16)
def bibtex_entry(paper: Paper, key: str) -> str:
    """One entry with the known fields, under `key` (relate.citekeys: unique in the list)."""
    kind = venue_kind(paper.venue)
    fields: list[tuple[str, str]] = [("title", "{" + bibtex_escape(plain_title(paper.title)) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(bibtex_name(a) for a in paper.authors)))
    if paper.year is not None:
        fields.append(("year", str(paper.year)))
    if paper.venue:
        name = {"article": "journal", "inproceedings": "booktitle"}.get(kind, "howpublished")
        fields.append((name, bibtex_escape(paper.venue)))
    links = {link.kind: link for link in paper.links}
    if "arxiv" in links:
        fields += [("eprint", verbatim(links["arxiv"].value)), ("archiveprefix", "arXiv")]
    if "doi" in links:
        fields.append(("doi", verbatim(links["doi"].value)))
    url = next((links[k].url for k in ("url", "pdf") if k in links), None)
    if url:
        fields.append(("url", verbatim(url)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"
