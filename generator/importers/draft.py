"""The one type every format's reader produces: a draft paper, with where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.errors import Problem


@dataclass
class Draft:
    """One entry of an import file, normalized; absent facts stay None or empty."""

    title: str
    """Title as Markdown-lite text (LaTeX decoded)."""
    source: str
    """The import file's name, recorded in the paper's `sources`."""
    where: str
    """`file:line` of the entry, for messages."""
    abstract: str | None = None
    authors: tuple[str, ...] = ()
    """"Given Family" names in citation order."""
    year: int | None = None
    venue: str | None = None
    links: dict[str, str] = field(default_factory=dict)
    """LINK_KINDS kind -> value: bare arXiv id, bare DOI, or an http(s) URL."""
    tags: tuple[str, ...] = ()
    """The source's own organisation (keywords, tags, abbr, section headings), for topics."""


@dataclass
class Parsed:
    """What reading one import file gave."""

    drafts: list[Draft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Anything that stops the import: the whole batch then writes nothing."""
    warnings: list[str] = field(default_factory=list)
    """Things left out (an entry without a title, a local file link), one line each."""
    skipped: int = 0
    """Entries left out for having no title."""

    def problem(self, name: str, line: int, what: str, message: str) -> None:
        self.problems.append(Problem(name, line, what, message))

    def extend(self, other: Parsed) -> None:
        self.drafts.extend(other.drafts)
        self.problems.extend(other.problems)
        self.warnings.extend(other.warnings)
        self.skipped += other.skipped
