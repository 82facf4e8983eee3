"""The site's web identity: its address (site.yaml's url, or the deploy's) gives absolute
feed links and ids, a filled sitemap, canonical and Open Graph addresses and a 404 page that
works at a project path; every page has a description and Open Graph tags; without an
address the build says so and the ids still differ from list to list."""

from __future__ import annotations

import contextlib
import dataclasses
import html
import http.server
import io
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.commands.cli import main
from generator.content.load import load_list
from generator.model import Site
from generator.relate.listing import relate
from generator.render import text as mdtext
from generator.render.pages import render_pages

from .browser import serve_folder
from .conftest import FIXTURES, ROOT
from .test_feeds import ATOM, check_atom

GOLDEN = FIXTURES / "golden" / "content"
BASE = "https://user.github.io/repo/"
ENV = "READINGLIST_SITE_URL"


def run_build(dest: Path, content: Path = GOLDEN, *options: str) -> tuple[int, str]:
    """`readinglist build` of `content` into dest/site; (status, stderr)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(
            [
                *("build", "--content", str(content), "--out", str(dest / "build")),
                *("--site", str(dest / "site"), *options),
            ]
        )
    return status, err.getvalue()


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The golden list built as the deploy builds it: its address from the environment, as
    actions/configure-pages gives it (no trailing slash). (site folder, stderr)"""
    dest = tmp_path_factory.mktemp("published")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV, BASE.rstrip("/"))
        status, err = run_build(dest)
    assert status == 0, err
    return dest / "site", err


def feed_links(path: Path) -> tuple[str, list[str], list[str], list[str]]:
    """A feed's id, its links' hrefs, its entries' ids and their alternate links."""
    root = ET.parse(path).getroot()
    entries = root.findall(f"{ATOM}entry")
    return (
        root.findtext(f"{ATOM}id", ""),
        [link.get("href", "") for link in root.iter(f"{ATOM}link")],
        [e.findtext(f"{ATOM}id", "") for e in entries],
        [e.find(f"{ATOM}link[@rel='alternate']").get("href", "") for e in entries],  # type: ignore[union-attr]
    )


def test_feeds_link_absolutely_and_take_their_ids_from_the_sites_address(
    published: tuple[Path, str],
) -> None:
    site, _ = published
    ids: dict[str, set[str]] = {}
    feeds = sorted(site.glob("feed*.xml"))
    assert len(feeds) == 3
    for feed in feeds:
        check_atom(feed)
        feed_id, hrefs, entry_ids, alternates = feed_links(feed)
        assert feed_id == BASE + feed.name
        assert hrefs and all(h.startswith(BASE) and h != BASE + "None" for h in hrefs)
        assert entry_ids == alternates and all(i.startswith(BASE + "papers/") for i in entry_ids)
        for entry_id in entry_ids:
            ids.setdefault(entry_id, set()).add(feed.name)
    # A paper is one entry wherever it is listed: the same id in the site's and topic's feeds.
    assert ids[BASE + "papers/every-field/"] == {"feed.xml", "feed-rl-theory.xml"}
    _, hrefs, _, _ = feed_links(site / "feed.xml")
    assert BASE in hrefs and BASE + "feed.xml" in hrefs  # alternate (home) and self


def test_the_sitemap_lists_every_page_under_the_sites_address(
    published: tuple[Path, str],
) -> None:
    site, _ = published
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    locs = {e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = {
        BASE + p.parent.relative_to(site).as_posix().removeprefix(".") + "/"
        for p in site.rglob("index.html")
        if "pagefind" not in p.parts
    }
    assert locs == {page.replace(BASE + "/", BASE) for page in pages}
    assert len(locs) >= 15


def test_pages_carry_their_canonical_and_open_graph_address(published: tuple[Path, str]) -> None:
    site, _ = published
    page = (site / "papers" / "every-field" / "index.html").read_text()
    assert f'<link rel="canonical" href="{BASE}papers/every-field/">' in page
    assert f'<meta property="og:url" content="{BASE}papers/every-field/">' in page
    assert '<meta property="og:type" content="article">' in page
    home = (site / "index.html").read_text()
    assert f'<meta property="og:url" content="{BASE}">' in home
    assert '<meta property="og:type" content="website">' in home


def test_the_404_page_links_its_files_from_the_sites_root(published: tuple[Path, str]) -> None:
    # GitHub Pages serves 404.html at any missing depth: relative links would break there.
    page = (site := published[0] / "404.html").read_text()
    links = re.findall(r'<(?:link|script)\b[^>]*?(?:href|src)="([^"]+)"', page)
    local = [u for u in links if not u.startswith(("http:", "https:", "data:"))]
    assert len(local) > 10, site
    assert all(u.startswith("/repo/") for u in local), local


def test_site_yaml_url_wins_over_the_deploys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    content = tmp_path / "content"
    shutil.copytree(GOLDEN, content)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "url: https://list.example.org/\n")
    monkeypatch.setenv(ENV, BASE)
    status, err = run_build(tmp_path, content)
    assert status == 0, err
    feed_id, hrefs, _, _ = feed_links(tmp_path / "site" / "feed.xml")
    assert feed_id == "https://list.example.org/feed.xml"
    assert all(h.startswith("https://list.example.org/") for h in hrefs)
    assert not [r for r in caplog.records if "url: not set" in r.getMessage()]


@pytest.mark.parametrize(
    ("option", "env", "line"),
    [
        (
            "javascript:alert(1)",
            None,
            "--site-url: url: 'javascript:alert(1)' is not an http(s) URL "
            "(links must start with https://)",
        ),
        (
            None,
            'https://x.org/"><script>',
            "READINGLIST_SITE_URL: url: 'https://x.org/\"><script>' is not an http(s) URL "
            "(a URL has no quotes; percent-encode them)",
        ),
        (
            None,
            "https://x.org/?a=1",
            "READINGLIST_SITE_URL: url: 'https://x.org/?a=1' is not an http(s) URL "
            "(a site's address has no query or fragment)",
        ),
    ],
)
def test_a_bad_address_is_one_line_naming_where_it_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str | None, env: str | None, line: str
) -> None:
    monkeypatch.delenv(ENV, raising=False)
    if env is not None:
        monkeypatch.setenv(ENV, env)
    status, err = run_build(tmp_path, GOLDEN, *(["--site-url", option] if option else []))
    assert status == 1
    assert err.splitlines() == [line, "1 problem(s) found; nothing was changed."]
    assert not (tmp_path / "site").exists() and not (tmp_path / "build").exists()


def test_without_an_address_the_build_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(ENV, raising=False)
    status, err = run_build(tmp_path)
    assert status == 0, err
    # Logged (to stderr from the CLI; pytest's capture takes the records first).
    lines = err.splitlines() + [r.getMessage() for r in caplog.records]
    warnings = [line for line in lines if "url: not set" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"warning: {GOLDEN / 'site.yaml'}: url: not set")
    site = tmp_path / "site"
    # Nothing invented: no absolute link, no canonical or og:url address.
    _, hrefs, _, _ = feed_links(site / "feed.xml")
    assert not any(h.startswith(("http:", "https:")) for h in hrefs) and "" not in hrefs
    page = (site / "papers" / "every-field" / "index.html").read_text()
    assert "og:url" not in page and 'rel="canonical"' not in page


def rendered_with(site: Site) -> dict[str, str]:
    related = relate(dataclasses.replace(load_list(GOLDEN), site=site))
    return render_pages(related, ROOT / "templates")


def ids_of(pages: dict[str, str]) -> set[str]:
    return {
        i
        for path, text in pages.items()
        if path.endswith(".xml")
        for i in re.findall(r"<id>([^<]+)</id>", text)
    }


def test_ids_are_distinct_per_list_and_stable_without_an_address() -> None:
    site = load_list(GOLDEN).site
    assert site.url is None
    lists = {
        "title": site,
        "other title": dataclasses.replace(site, title="Another list"),
        "repository": dataclasses.replace(site, repo_url="https://github.com/a/list"),
        "other repository": dataclasses.replace(site, repo_url="https://github.com/b/list"),
        "address": dataclasses.replace(site, url="https://a.example.org/"),
    }
    ids = {name: ids_of(rendered_with(s)) for name, s in lists.items()}
    assert all(len(found) >= 5 for found in ids.values())
    for name, found in ids.items():
        for other, theirs in ids.items():
            assert name == other or not found & theirs, (name, other)
    assert ids_of(rendered_with(site)) == ids["title"]  # the same list, the same ids
    assert all(i.startswith("urn:uuid:") for i in ids["repository"])


def front_matter(text: str) -> dict[str, str]:
    loaded: dict[str, str] = yaml.safe_load(text.split("---\n")[1])
    return loaded


def test_descriptions_are_the_papers_opening_sentence_escaped_and_bounded() -> None:
    pages = rendered_with(load_list(GOLDEN).site)
    every = front_matter(pages["docs/papers/every-field.md"])
    assert every["description"] == (
        r"We bound the regret $R_T = O(\sqrt{T})$ of every algorithm; see the appendix."
    )
    assert every["og_type"] == "article"
    hostile = front_matter(pages["docs/papers/hostile.md"])["description"]
    assert "<" not in hostile and '"' not in hostile  # as an attribute, it breaks nothing
    shown = html.unescape(hostile)
    assert shown.startswith("<script>alert('abstract')</script>") and len(shown) <= 160
    assert shown.endswith("\N{HORIZONTAL ELLIPSIS}")
    assert "description" not in front_matter(pages["docs/papers/title-only.md"])  # the site's
    topic = front_matter(pages["docs/topics/hostile-topic.md"])["description"]
    assert html.unescape(topic).startswith("<script>alert('topic')</script> described")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("short  text\n here", "short text here"),
        ("word " * 40, ("word " * 31).strip() + "\N{HORIZONTAL ELLIPSIS}"),
        ("x" * 200, "x" * 159 + "\N{HORIZONTAL ELLIPSIS}"),
    ],
)
def test_summary_cuts_at_a_word_within_the_limit(text: str, expected: str) -> None:
    assert mdtext.summary(text) == expected
    assert len(mdtext.summary(text)) <= 160


def test_every_page_has_a_description_and_open_graph_tags(published: tuple[Path, str]) -> None:
    site, _ = published
    pages = [p for p in site.rglob("*.html") if "pagefind" not in p.parts]
    assert len(pages) >= 15
    for path in pages:
        text = path.read_text()
        where = path.relative_to(site)
        description = re.search(r'<meta name="description" content="([^"]+)">', text)
        assert description, where
        for tag in ("og:title", "og:description", "og:type", "og:site_name"):
            assert re.search(rf'<meta property="{tag}" content="[^"]+">', text), (where, tag)
    home = (site / "index.html").read_text()
    site_description = (
        "Three papers that exercise every field, the fewest fields, and hostile text."
    )
    assert f'<meta name="description" content="{site_description}">' in home
    hostile = (site / "papers" / "hostile" / "index.html").read_text()
    assert '<meta property="og:title" content="&lt;script&gt;alert(' in hostile


def test_home_and_topic_pages_link_their_feeds_visibly(published: tuple[Path, str]) -> None:
    site, _ = published
    home = (site / "index.html").read_text()
    assert re.search(r'<a href="feed\.xml">the list(&#39;|\')s Atom feed</a>', home)
    topic = (site / "topics" / "rl-theory" / "index.html").read_text()
    assert '<a href="../../feed-rl-theory.xml">Atom feed of RL theory</a>' in topic


class _ProjectPathHandler(http.server.SimpleHTTPRequestHandler):
    """GitHub Pages at a project path: the site under /repo/, and 404.html (status 404) for
    any address that names no file, at whatever depth."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> Any:
        path = self.path.split("?")[0]
        if not path.startswith("/repo/"):
            return self._missing()
        self.path = path.removeprefix("/repo")
        found = Path(self.translate_path(self.path))
        if not (found.is_file() or (found / "index.html").is_file()):
            return self._missing()
        return super().send_head()

    def _missing(self) -> Any:
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@pytest.mark.browser
def test_the_404_page_is_styled_at_a_project_path(
    browser: Any, published: tuple[Path, str]
) -> None:
    site, _ = published
    with serve_folder(site, _ProjectPathHandler) as url:
        context = browser.new_context()
        page = context.new_page()
        failed: list[str] = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        response = page.goto(url + "repo/papers/no-such-paper/deeper/")
        assert response is not None and response.status == 404
        page.wait_for_load_state("networkidle")
        # Every stylesheet and script came: only the missing page itself answered 404.
        assert failed == [url + "repo/papers/no-such-paper/deeper/"]
        sheets = page.evaluate("[...document.styleSheets].map(s => s.href).filter(Boolean)")
        assert any("/repo/assets/stylesheets/main." in s for s in sheets)
        # Styled: the theme's header bar has its colour, not a plain document's transparency.
        header = page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
        assert header not in ("rgba(0, 0, 0, 0)", "transparent")
        assert page.locator("h1").first.inner_text().strip() == "404 - Not found"
        context.close()
