"""Golden Markdown for the fixture list, and untrusted text that stays text."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from generator.render import text as mdtext

from .conftest import ROOT
from .golden import GOLDEN_EXPECTED, rendered_fixture
from .test_sanitize import assert_allowed


def golden_markdown() -> dict[str, str]:
    return {
        p.relative_to(GOLDEN_EXPECTED).as_posix(): p.read_text(encoding="utf-8")
        for p in GOLDEN_EXPECTED.rglob("*")
        if p.is_file()
    }


def test_fixture_renders_to_the_golden_markdown() -> None:
    pages, expected = rendered_fixture(), golden_markdown()
    assert sorted(pages) == sorted(expected), "pages added or removed: run `make golden`"
    for path, text in pages.items():
        assert text == expected[path], f"{path} differs from its golden file: run `make golden`"


# Renders the fixture in a fresh interpreter and prints the pages as JSON.
RENDER_IN_A_CHILD = (
    "import json, sys; from tests.golden import rendered_fixture; "
    "json.dump(rendered_fixture(), sys.stdout)"
)


def test_fresh_processes_with_other_hash_seeds_render_the_golden_markdown() -> None:
    # A set or dict order that leaks into a page changes with the hash seed, which one warm
    # process never varies: each child has its own seed and no state left by other tests.
    expected = golden_markdown()
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        child = subprocess.run(
            [sys.executable, "-c", RENDER_IN_A_CHILD],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert json.loads(child.stdout) == expected, f"PYTHONHASHSEED={seed}: run `make golden`?"


def test_hostile_text_leaves_no_raw_tag_or_unsafe_link_in_markdown() -> None:
    page = rendered_fixture()["docs/papers/hostile.md"]
    front, body = page.split("\n---\n", 1)
    assert "<" not in front  # MkDocs copies the title into <title> without escaping
    body = body.split("```bibtex")[0]  # the BibTeX block is code: Markdown escapes it itself
    blocks = re.findall(r"^<div>.*</div>$", body, re.M)
    assert len(blocks) == 2  # abstract and notes, each one line of sanitized HTML
    for block in blocks:
        assert_allowed(block)
    prose = re.sub(r"^<div>.*</div>$", "", body, flags=re.M)
    assert not re.search(r"<(?!/?code>)[a-zA-Z!/]", prose)  # plain text is references
    assert "javascript:" not in prose and "[ref]:" not in prose


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<script>x</script>", "&#60;script&#62;x&#60;&#47;script&#62;"),
        ("a *b* [c](d) | e", "a &#42;b&#42; &#91;c&#93;&#40;d&#41; &#124; e"),
        (r"\(x\) is not math", "&#92;&#40;x&#92;&#41; is not math"),
        ("{{ 7*7 }}", "&#123;&#123; 7&#42;7 &#125;&#125;"),
        ("costs $5", "costs &#36;5"),
        ("&amp;", "&#38;amp&#59;"),
        ("two\nlines  and\u2028more", "two lines and more"),
        ("caf\u00e9 \U0001f600", "caf\u00e9 \U0001f600"),
    ],
)
def test_escape_text_shows_text_literally(text: str, shown: str) -> None:
    assert mdtext.escape_text(text) == shown


def test_md_url_refuses_other_schemes() -> None:
    with pytest.raises(ValueError):
        mdtext.md_url("javascript:alert(1)")
    assert mdtext.md_url("https://x.org/a b(c)") == "https://x.org/a%20b%28c%29"
