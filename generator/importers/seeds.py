"""Parse the two seed formats: abstract-only lists and paper-listing page dumps."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import SeedError, display_path
from generator.importers.latex import latex_to_markdown, tidy_title

log = logging.getLogger(__name__)

ABSTRACT_MARK = "Abstract:"
LISTING_MARK = "Subscribe"


@dataclass(frozen=True)
class SeedPaper:
    """One entry of a seed file, converted to Markdown, with where it came from."""

    title: str
    abstract: str
    source: str
    """The seed file's name."""
    line: int
    """Line of the entry in the seed file."""
    year: int | None = None


@dataclass(frozen=True)
class KnownTitle:
    """A title for an abstract-only entry, from a titles file like seeds/titles.yaml."""

    abstract_starts_with: str
    title: str
    year: int | None


def load_titles(path: Path) -> list[KnownTitle]:
    """Read a titles file: a list of {abstract_starts_with, title, year}."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SeedError(f"{display_path(path)}: cannot read titles: {exc}") from None
    if not isinstance(data, list):
        raise SeedError(f"{display_path(path)}: expected a list of titles")
    titles = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not {"abstract_starts_with", "title"} <= item.keys():
            raise SeedError(
                f"{display_path(path)}: entry {i + 1} needs abstract_starts_with, title"
            )
        year = item.get("year")
        titles.append(
            KnownTitle(
                str(item["abstract_starts_with"]),
                str(item["title"]),
                int(year) if year is not None else None,
            )
        )
    return titles


def parse_seed(path: Path, titles: list[KnownTitle]) -> tuple[list[SeedPaper], list[str]]:
    """The entries of one seed file, and warnings for entries that had to be left out."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith(ABSTRACT_MARK):
        return _abstract_list(path, text, titles)
    return _listing(path, text), []


def _abstract_list(
    path: Path, text: str, titles: list[KnownTitle]
) -> tuple[list[SeedPaper], list[str]]:
    papers, warnings = [], []
    for line_no, line in enumerate(text.splitlines(), 1):
        for chunk in line.split(ABSTRACT_MARK)[1:]:
            abstract = " ".join(chunk.split())
            if not abstract:
                continue
            # Identity is the whole match of a declared opening, never "shares a first word".
            matches = [t for t in titles if abstract.startswith(t.abstract_starts_with)]
            if len(matches) != 1:
                why = "no title" if not matches else f"{len(matches)} titles"
                warnings.append(
                    f"{display_path(path)}:{line_no}: {why} for the abstract "
                    f"'{abstract[:60]}...'; left out (give its title in the titles file)"
                )
                continue
            known = matches[0]
            papers.append(
                SeedPaper(
                    tidy_title(known.title),
                    latex_to_markdown(abstract),
                    path.name,
                    line_no,
                    known.year,
                )
            )
    return papers, warnings


def _listing(path: Path, text: str) -> list[SeedPaper]:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(LISTING_MARK)), None)
    if start is None:
        raise SeedError(
            f"{display_path(path)}: unknown format: neither an 'Abstract:' list "
            f"nor a listing page with a '{LISTING_MARK}' line"
        )
    body = [lines[start][len(LISTING_MARK) :], *lines[start + 1 :]]
    numbered = [(start + 1 + i, line.strip()) for i, line in enumerate(body) if line.strip()]
    if len(numbered) % 2:
        line_no, line = numbered[-1]
        raise SeedError(f"{display_path(path)}:{line_no}: title '{line[:60]}' has no abstract")
    papers = []
    for (line_no, title), (_, abstract) in zip(numbered[::2], numbered[1::2], strict=True):
        papers.append(SeedPaper(tidy_title(title), latex_to_markdown(abstract), path.name, line_no))
    return papers
