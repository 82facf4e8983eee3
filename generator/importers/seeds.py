"""The two seed formats: abstract-only lists and paper-listing page dumps."""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.yamlio import YamlSyntaxError, parse_yaml
from generator.errors import Problem
from generator.importers.draft import Draft, Parsed
from generator.importers.latex import latex_to_markdown, tidy_title
from generator.importers.normalize import year

ABSTRACT_MARK = "Abstract:"
LISTING_MARK = "Subscribe"


@dataclass(frozen=True)
class KnownTitle:
    """A title for an abstract-only entry, from a titles file like seeds/titles.yaml."""

    abstract_starts_with: str
    title: str
    year: int | None


def is_abstract_list(text: str) -> bool:
    return text.lstrip().startswith(ABSTRACT_MARK)


def is_listing(text: str) -> bool:
    return any(line.startswith(LISTING_MARK) for line in text.splitlines()[:10])


def parse_titles(name: str, text: str) -> tuple[list[KnownTitle], list[Problem]]:
    """A titles file: a list of {abstract_starts_with, title, year}, strictly read."""
    try:
        located = parse_yaml(text)  # strict: no aliases, every scalar a string
    except YamlSyntaxError as exc:
        return [], [Problem(name, exc.line, "yaml", exc.message)]
    problems = [Problem(name, line, field, message) for line, field, message in located.problems]
    if not isinstance(located.value, list):
        return [], [*problems, Problem(name, 1, "yaml", "expected a list of titles")]
    titles = []
    for i, item in enumerate(located.value):
        line = located.lines.get(str(i), 1)
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) and item[k].strip()
            for k in ("abstract_starts_with", "title")
        ):
            problems.append(Problem(name, line, str(i), "needs abstract_starts_with and title"))
            continue
        raw = item.get("year")
        found = year(raw) if isinstance(raw, str) and raw.strip().isdigit() else None
        if raw is not None and found is None:
            where = located.lines.get(f"{i}.year", line)
            problems.append(Problem(name, where, f"{i}.year", f"expected a year, got '{raw}'"))
            continue
        titles.append(KnownTitle(item["abstract_starts_with"], item["title"], found))
    return titles, problems


def parse_seed(name: str, text: str, titles: list[KnownTitle]) -> Parsed:
    """The entries of one seed file; abstracts without a known title are warnings."""
    if is_abstract_list(text):
        return _abstract_list(name, text, titles)
    return _listing(name, text)


def _abstract_list(name: str, text: str, titles: list[KnownTitle]) -> Parsed:
    parsed = Parsed()
    for line_no, line in enumerate(text.splitlines(), 1):
        for chunk in line.split(ABSTRACT_MARK)[1:]:
            abstract = " ".join(chunk.split())
            if not abstract:
                continue
            # Identity is the whole match of a declared opening, never "shares a first word".
            matches = [t for t in titles if abstract.startswith(t.abstract_starts_with)]
            if len(matches) != 1:
                why = "no title" if not matches else f"{len(matches)} titles"
                parsed.warnings.append(
                    f"{name}:{line_no}: {why} for the abstract "
                    f"'{abstract[:60]}...'; left out (give its title in the titles file)"
                )
                parsed.skipped += 1
                continue
            known = matches[0]
            parsed.drafts.append(
                Draft(
                    title=tidy_title(known.title),
                    source=name,
                    where=f"{name}:{line_no}",
                    abstract=latex_to_markdown(abstract),
                    year=known.year,
                )
            )
    return parsed


def _listing(name: str, text: str) -> Parsed:
    parsed = Parsed()
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(LISTING_MARK)), None)
    if start is None:
        parsed.problem(
            name, 1, "format", f"neither an 'Abstract:' list nor a '{LISTING_MARK}' listing"
        )
        return parsed
    body = [lines[start][len(LISTING_MARK) :], *lines[start + 1 :]]
    numbered = [(start + 1 + i, line.strip()) for i, line in enumerate(body) if line.strip()]
    if len(numbered) % 2:
        line_no, line = numbered[-1]
        parsed.problem(name, line_no, "listing", f"title '{line[:60]}' has no abstract")
        return parsed
    for (line_no, title), (_, abstract) in zip(numbered[::2], numbered[1::2], strict=True):
        parsed.drafts.append(
            Draft(
                title=tidy_title(title),
                source=name,
                where=f"{name}:{line_no}",
                abstract=latex_to_markdown(abstract),
            )
        )
    return parsed
