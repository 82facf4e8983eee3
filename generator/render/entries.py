"""The parts of a paper's entry in a list: byline (authors, year, venue), link buttons and
a BibTeX copy button. Untrusted text is escaped by text.escape_text (every ASCII punctuation
character a character reference), so no Markdown or HTML can form from it; the only markup
here is the fixed tags these functions write.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata

from markupsafe import Markup

from generator.model import Paper
from generator.render.chars import xml_safe
from generator.render.text import escape_text, md_url

SHOWN_AUTHORS = 3
"""How many authors a list shows before "et al." (the owner is shown as well, wherever)."""
BUTTON_KINDS = ("arxiv", "pdf", "code", "slides")
"""The links a list gives a button, in this order: what a reader opens from a list."""
BUTTON_LABELS = {"arxiv": "arXiv", "pdf": "PDF", "code": "Code", "slides": "Slides"}

# In an attribute of inline HTML, Python-Markdown's inline patterns (escapes, code spans,
# links, math) still run before it sets the tag aside: as in text.escape_text, every ASCII
# punctuation character goes as a character reference, so none of them can match; and the
# line breaks too, which would end the tag.
_ATTRIBUTE_REFS = {ord(c): f"&#{ord(c)};" for c in string.punctuation + "\n"}


def name_key(name: str) -> str:
    """A name compared as people read it: case, accents, dots and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[.\u2010-\u2015-]", " ", plain).split())


@functools.lru_cache(maxsize=1 << 12)
def _owner_keys(owner: tuple[str, ...]) -> frozenset[str]:
    return frozenset(name_key(n) for n in owner)


def is_owner(name: str, owner: tuple[str, ...]) -> bool:
    """Whether `name` is one of the owner's names (site.yaml's `owner` and its variants)."""
    return bool(owner) and name_key(name) in _owner_keys(owner)


def author_name(name: str, owner: tuple[str, ...]) -> Markup:
    """One author as Markdown, marked when it is the owner."""
    shown = escape_text(name)
    return Markup(f'<mark class="rl-owner">{shown}</mark>' if is_owner(name, owner) else shown)


@functools.lru_cache(maxsize=1 << 16)
def short_authors(authors: tuple[str, ...], owner: tuple[str, ...] = ()) -> Markup:
    """The first SHOWN_AUTHORS authors, then the owner if further down, then "et al."."""
    if len(authors) <= SHOWN_AUTHORS + 1:  # "et al." for a single name would hide nothing
        return Markup(", ".join(author_name(a, owner) for a in authors))
    shown = [author_name(a, owner) for a in authors[:SHOWN_AUTHORS]]
    later = [a for a in authors[SHOWN_AUTHORS:] if is_owner(a, owner)]
    if later:
        shown.append(Markup("\N{HORIZONTAL ELLIPSIS} ") + author_name(later[0], owner))
    return Markup(", ".join(shown) + " et al.")


def all_authors(authors: tuple[str, ...], owner: tuple[str, ...] = ()) -> Markup:
    """Every author, the owner marked: for the paper's own page."""
    return Markup(", ".join(author_name(a, owner) for a in authors))


@functools.lru_cache(maxsize=1 << 16)
def byline(paper: Paper, owner: tuple[str, ...] = ()) -> Markup:
    """Authors · year · venue, each only when known."""
    parts = []
    if paper.authors:
        parts.append(short_authors(paper.authors, owner))
    if paper.year:
        parts.append(Markup(str(paper.year)))
    if paper.venue:
        parts.append(Markup(f"<em>{escape_text(paper.venue)}</em>"))
    return Markup(" · ".join(parts))


def _attribute(text: str) -> str:
    return xml_safe(text).translate(_ATTRIBUTE_REFS)


@functools.lru_cache(maxsize=1 << 16)
def buttons(paper: Paper, bibtex: str | None = None) -> Markup:
    """A link button per known link of BUTTON_KINDS, and a button copying `bibtex`."""
    links = {link.kind: link for link in paper.links}
    found = [
        f'<a class="rl-button" href="{_attribute(md_url(links[kind].url))}">'
        f"{BUTTON_LABELS[kind]}</a>"
        for kind in BUTTON_KINDS
        if kind in links
    ]
    if bibtex:
        found.append(
            f'<button type="button" class="rl-button rl-copy" data-copy="{_attribute(bibtex)}"'
            f' title="Copy the BibTeX entry">BibTeX</button>'
        )
    return Markup(" ".join(found))
