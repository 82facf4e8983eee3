"""Golden Markdown for the fixture list, and untrusted text that stays text."""

from __future__ import annotations

import json
import os
import posixpath
import re
import subprocess
import sys
from urllib.parse import urljoin

import pytest

from generator.render import text as mdtext
from generator.render import urls

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


# ---- urls.py: names, links and URLs as data ----

URL_CASES = [
    # (page name inside docs/, its URL from the site's root)
    ("index.md", ""),
    ("topics/index.md", "topics/"),
    ("papers/a-paper.md", "papers/a-paper/"),
    ("browse/year/unknown.md", "browse/year/unknown/"),
    ("feed-rl.xml", "feed-rl.xml"),
    ("assets/papers-index.json", "assets/papers-index.json"),
]
LINK_CASES = [
    # (from page, to page or file, Markdown link, URL from the first page's URL)
    ("index.md", "papers/x.md", "papers/x.md", "papers/x/"),
    ("papers/x.md", "papers/y.md", "y.md", "../y/"),
    ("papers/x.md", "topics/t.md", "../topics/t.md", "../../topics/t/"),
    ("browse/title/a.md", "browse/by-title.md", "../by-title.md", "../../by-title/"),
    ("browse/year/2024.md", "papers/x.md", "../../papers/x.md", "../../../papers/x/"),
    (
        "papers/index.md",
        "assets/papers-index.json",
        "../assets/papers-index.json",
        "../assets/papers-index.json",
    ),
    ("topics/index.md", "topics/t.md", "t.md", "t/"),
    ("feed.xml", "index.md", "index.md", "./"),
    ("papers/x.md", "papers/x.md", "x.md", "./"),
]


@pytest.mark.parametrize(("name", "url"), URL_CASES)
def test_a_pages_url_is_its_folder(name: str, url: str) -> None:
    assert urls.site_url(name) == url


@pytest.mark.parametrize(("here", "name", "link", "url"), LINK_CASES)
def test_links_and_urls_lead_from_one_page_to_another(
    here: str, name: str, link: str, url: str
) -> None:
    assert urls.link(here, name) == link
    assert urls.url_from(here, name) == url
    # Either resolves, from where it is followed, to the target.
    assert posixpath.normpath(posixpath.join(posixpath.dirname(here), link)) == name
    base = posixpath.join("/", urls.site_url(here))
    assert urljoin(f"https://x{base}", url) == f"https://x/{urls.site_url(name)}"


def test_every_link_of_the_rendered_pages_leads_to_a_rendered_file() -> None:
    pages = rendered_fixture()
    docs = {path.removeprefix(urls.DOCS) for path in pages if path.startswith(urls.DOCS)}
    docs |= {"assets/katex/katex.min.css"}  # copied, not rendered
    links = 0
    for path, text in pages.items():
        if not path.startswith(urls.DOCS) or not path.endswith(".md"):
            continue
        here = path.removeprefix(urls.DOCS)
        for target in re.findall(r"\]\(([^)\s]+\.(?:md|bib|json))\)", text):
            links += 1
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(here), target))
            assert resolved in docs, f"{path}: {target}"
    assert links > 30


def test_the_scripts_urls_in_the_data_lead_to_rendered_files() -> None:
    pages = rendered_fixture()
    page = pages[urls.project_path(urls.ALL_PAPERS)]
    index_url = re.search(r'data-index="([^"]+)"', page)
    assert index_url is not None
    base = f"https://x/{urls.site_url(urls.ALL_PAPERS)}"
    index_at = urljoin(base, index_url.group(1))
    index_name = index_at.removeprefix("https://x/")
    index = json.loads(pages[urls.project_path(index_name)])
    for shard in index["shards"]:
        assert urls.project_path(urljoin(index_at, shard).removeprefix("https://x/")) in pages
    paper = urljoin(index_at, index["paper_url"].replace("{id}", "hostile"))
    assert paper == f"https://x/{urls.site_url(urls.paper_page('hostile'))}"
    record = pages[urls.paper_record("hostile")]
    assert 'data-pagefind-meta="page:papers/hostile/"' in record
