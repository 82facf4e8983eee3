"""Readable, stable ids made from titles."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG = 80
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""What every paper and topic id must look like: it becomes a folder name and a URL."""


def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """Lower-case ASCII words joined by hyphens, cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "paper")


def unique_slug(text: str, taken: set[str]) -> str:
    """A slug of `text` not in `taken`; collisions get -2, -3, ... in call order."""
    base = slugify(text, MAX_SLUG - 4)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def normalize_title(title: str) -> str:
    """The identity of a title: case, accents, punctuation, markup and spacing ignored."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


ID_RULE = f"lowercase ASCII words joined by hyphens, at most {MAX_SLUG} characters"

RESERVED_IDS = {
    "index": "it would replace the page that lists them all",
}
"""Ids that would name a generated page beside the topics' or papers' own pages."""


def is_valid_id(text: str) -> bool:
    """Whether `text` may be a paper or topic id (a folder name and a URL)."""
    return len(text) <= MAX_SLUG and SLUG_RE.match(text) is not None


def id_hint(text: str, taken: dict[str, str], then: str = "'{}' would do") -> str:
    """The id rule, and the id `text` comes closest to: free, or taken by whom."""
    slug = slugify(text)
    if slug in taken:
        return f"{ID_RULE}; as '{slug}' it would collide with {taken[slug]}"
    return f"{ID_RULE}; {then.format(slug)}"
