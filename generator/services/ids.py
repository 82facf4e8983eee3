"""What an identifier the user has in hand names: an arXiv id or a DOI, from any usual spelling."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

NEW_ARXIV = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$")
OLD_ARXIV = re.compile(r"^([a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(v\d+)?$")
ARXIV_URL = re.compile(r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(.+?)(?:\.pdf)?/?$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(.+)$", re.IGNORECASE)
ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Identifier:
    kind: str
    """"arxiv" or "doi"."""
    value: str
    """A bare arXiv id without its version, or a bare DOI."""


def parse_identifier(text: str) -> Identifier | None:
    """The identifier `text` names, or None when it is none of the accepted forms."""
    text = text.strip()
    if text.lower().startswith("arxiv:"):
        text = text[6:]
    if match := ARXIV_URL.match(text):
        text = match.group(1)
    elif match := DOI_URL.match(text):
        text = unquote(match.group(1))
    elif text.lower().startswith("doi:"):
        text = text[4:].strip()
    if match := ARXIV_DOI.match(text):
        text = match.group(1)  # arXiv's own DOIs: arXiv has the facts, DataCite only echoes them
    for pattern in (NEW_ARXIV, OLD_ARXIV):
        if match := pattern.match(text):
            return Identifier("arxiv", match.group(1))
    if DOI.match(text):
        return Identifier("doi", text)
    return None
