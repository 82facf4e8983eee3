"""Refresh the golden files after an intended change: `make golden`.

Golden files are the contract: the exact Markdown a fixture list renders to, and the exact
lines `readinglist check` prints for each bad-content case. Review the diff before committing.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import tempfile
from pathlib import Path

import yaml

from generator.builders import get_builder
from generator.commands.cli import main
from generator.content.load import load_list
from generator.relate.listing import relate
from generator.render.nav import site_navigation
from generator.render.pages import render_pages

from .conftest import BASE_TOPICS, ROOT, write_files
from .test_check import CASES_FILE, VALID, load_cases

GOLDEN_CONTENT = ROOT / "tests" / "fixtures" / "golden" / "content"
GOLDEN_EXPECTED = ROOT / "tests" / "fixtures" / "golden" / "expected"


def rendered_fixture() -> dict[str, str]:
    """The fixture's project as the default builder gets it: pages and configuration (with
    the fixture's own builder settings)."""
    related = relate(load_list(GOLDEN_CONTENT))
    builder = get_builder()
    pages = render_pages(related, ROOT / "templates", builder.front_matter())
    site = related.reading_list.site
    # The fixture's own mkdocs.yml (the shipped list's look) beside its content/, merged in.
    owner, problems = builder.read_owner(GOLDEN_CONTENT.parent, site)
    assert problems == [], problems
    return {**pages, **builder.config_files(site, site_navigation(related), (), owner)}


def update_markdown() -> None:
    shutil.rmtree(GOLDEN_EXPECTED, ignore_errors=True)
    write_files(GOLDEN_EXPECTED, dict(rendered_fixture()))
    print(f"wrote {GOLDEN_EXPECTED}")


def update_check_cases() -> None:
    cases = load_cases()
    raw = CASES_FILE.read_text()
    header = "".join(line for line in raw.splitlines(keepends=True) if line.startswith("# "))
    for case in cases:
        with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
            write_files(Path(tmp), {"content/topics.yaml": BASE_TOPICS, **VALID})
            write_files(Path(tmp), case["files"])
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                main(["check"])
            case["expected"] = err.getvalue().splitlines()
    body = yaml.dump(
        _shrink(cases), Dumper=_CaseDumper, sort_keys=False, allow_unicode=True, width=100
    )
    CASES_FILE.write_text(header + body)
    print(f"wrote {CASES_FILE}")


class _Big(str):
    """A file over the size cap, written back as its `!big` prefix."""


class _CaseDumper(yaml.SafeDumper):
    pass


_CaseDumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None
    ),
)
_CaseDumper.add_representer(
    _Big, lambda dumper, value: dumper.represent_scalar("!big", str(value), style='"')
)


def _shrink(cases: list[dict[str, object]]) -> list[dict[str, object]]:
    for case in cases:
        files = case["files"]
        assert isinstance(files, dict)
        for name, text in files.items():
            if isinstance(text, str) and text.endswith("x" * 1000):
                files[name] = _Big(text.rstrip("x"))
    return cases


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", action="store_true", required=True)
    parser.parse_args()
    os.chdir(ROOT)
    update_markdown()
    update_check_cases()
