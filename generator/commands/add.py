"""`readinglist add ID... | -`: fetch each paper's facts, then import them all or nothing."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from generator.content.load import load_list
from generator.errors import ContentError
from generator.importers.bibtex import parse_bibtex
from generator.importers.draft import Parsed
from generator.importers.merge import ImportReport, import_drafts
from generator.services.http import Client
from generator.services.lookup import cache_dir, lookup


def add(
    ids: Sequence[str],
    content: Path,
    *,
    offline: bool = False,
    added: dt.date | None = None,
    client: Client | None = None,
    stdin: TextIO = sys.stdin,
) -> ImportReport:
    """Every id looked up first (any failure raises before a file is touched), then merged by
    the import rules: a new paper file, or only absent fields filled in the one the list has."""
    site = load_list(content).site
    client = client or Client(cache_dir=cache_dir(content), contact=site.contact, offline=offline)
    parsed = Parsed()
    try:
        for text in ids:
            if text == "-":
                parsed.extend(parse_bibtex("stdin", stdin.read()))
            else:
                parsed.drafts.append(lookup(client, text))
    finally:
        client.close()
    if parsed.problems:
        raise ContentError(parsed.problems)
    return import_drafts(parsed, content, added=added)
