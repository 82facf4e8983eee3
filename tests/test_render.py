"""Golden Markdown for the fixture list, and untrusted text that stays text."""

from __future__ import annotations

import re

import pytest

from generator.render import text as mdtext

from .golden import GOLDEN_EXPECTED, rendered_fixture


def test_fixture_renders_to_the_golden_markdown() -> None:
    pages = rendered_fixture()
    expected = {
        p.relative_to(GOLDEN_EXPECTED).as_posix(): p.read_text(encoding="utf-8")
        for p in GOLDEN_EXPECTED.rglob("*")
        if p.is_file()
    }
    assert sorted(pages) == sorted(expected), "pages added or removed: run `make golden`"
    for path, text in pages.items():
        assert text == expected[path], f"{path} differs from its golden file: run `make golden`"


def test_rendering_twice_gives_the_same_bytes() -> None:
    assert rendered_fixture() == rendered_fixture()


def test_hostile_text_leaves_no_raw_tag_or_unsafe_link_in_markdown() -> None:
    page = rendered_fixture()["docs/papers/hostile.md"]
    front, body = page.split("\n---\n", 1)
    assert "<" not in front  # MkDocs copies the title into <title> without escaping
    body = body.split("```bibtex")[0]  # the BibTeX block is code: Markdown escapes it itself
    notes_code = re.search(r"## Notes.*?```\n(.*?)```", body, re.S)
    assert notes_code is not None
    prose = body.replace(notes_code.group(1), "")
    # The template's own search markup: only data-pagefind attributes, never user text.
    prose = re.sub(
        r'</?(div|span)( data-pagefind-[a-z]+(="[^"<>]*")?)*( markdown="1")?>', "", prose
    )
    assert not re.search(r"<(?!code>`)[a-zA-Z!/]", prose.replace("`<code>`", ""))
    assert not re.search(r"\[[^\]]*\]\((?:javascript|data):", prose)
    assert not re.search(r"^\[ref\]:", prose, re.M)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
        ("a *b* [c](d) | e", r"a \*b\* &#91;c&#93;(d) \| e"),
        (r"\(x\) and \[y\] are not math", r"\\(x\\) and \\&#91;y\\&#93; are not math"),
        ("{{ 7*7 }}", r"\{\{ 7\*7 \}\}"),
        ("costs $5", r"costs \$5"),
        ("&amp;", "&amp;amp;"),
    ],
)
def test_escape_text_shows_text_literally(text: str, shown: str) -> None:
    assert mdtext.escape_text(text) == shown


@pytest.mark.parametrize(
    ("markdown", "safe"),
    [
        ("[ok](https://a.org) [no](javascript:x)", "[ok](https://a.org) &#91;no](javascript:x)"),
        ("![img](data:image/png;base64,xx)", "!&#91;img](data:image/png;base64,xx)"),
        ("[r]: vbscript:x", "&#91;r]: vbscript:x"),
        ("<b>bold</b>", "&lt;b>bold&lt;/b>"),
        ("`<b>` stays code", "`<b>` stays code"),
        (r"\`<b>\` is not code", r"\`&lt;b>\` is not code"),
        ("`a\n\n<b>`", "`a\n\n&lt;b>`"),
        ("$a<b$ and $x^2$", r"$a\lt b$ and $x^2$"),
        ("{: onclick=x}", r"\{: onclick=x}"),
    ],
)
def test_sanitize_markdown_keeps_markdown_and_drops_the_dangerous(markdown: str, safe: str) -> None:
    assert mdtext.sanitize_markdown(markdown) == safe


def test_md_url_refuses_other_schemes() -> None:
    with pytest.raises(ValueError):
        mdtext.md_url("javascript:alert(1)")
    assert mdtext.md_url("https://x.org/a b(c)") == "https://x.org/a%20b%28c%29"
