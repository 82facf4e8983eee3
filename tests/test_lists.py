"""Rich lists: authors (the first few, then et al.), year, venue, link buttons and a BibTeX
button; the owner's names marked wherever authors show; statuses only where they differ."""

from __future__ import annotations

import html
import html.parser
from pathlib import Path

import markdown

from generator.content.load import load_list
from generator.model import Link, Paper, ReadingList, Site, Topic
from generator.relate.listing import relate
from generator.render.cite import bibtex_entry
from generator.render.entries import is_owner, short_authors
from generator.render.pages import render_pages

from .conftest import FIXTURES, ROOT, write_files

TOPIC = Topic("t", "T", "A topic.")
OWNER = ("Ada Lovelace", "A. Lovelace", "Lovelace, Ada")
MANY = ("Alan Turing", "Grace Hopper", "John von Neumann", "Emmy Noether", "A. Lovelace")


def paper(pid: str, **fields: object) -> Paper:
    return Paper(id=pid, title=f"Paper {pid}", path=f"{pid}.yaml", topics=("t",), **fields)  # type: ignore[arg-type]


def pages(*papers: Paper, owner: tuple[str, ...] = OWNER) -> dict[str, str]:
    site = Site(owner_names=owner)
    return render_pages(relate(ReadingList(site, (TOPIC,), papers)), ROOT / "templates")


def to_html(text: str) -> str:
    """The page's HTML, as Python-Markdown makes it (character references left as such)."""
    return markdown.markdown(text.split("---\n", 2)[-1], extensions=["tables"])


def shown(text: str) -> str:
    """The page's HTML with its character references decoded: what a reader sees."""
    return html.unescape(to_html(text))


def test_owner_names_are_read_with_their_variants(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_files(
        tmp_path,
        {
            "content/site.yaml": "owner:\n  name: Ada  Lovelace\n  variants: [A. Lovelace]\n",
            "content/topics.yaml": "- id: t\n  title: T\n  description: A topic.\n",
            "content/papers/a.yaml": "title: A\ntopics: [t]\n",
        },
    )
    assert load_list(content).site.owner_names == ("Ada Lovelace", "A. Lovelace")
    (content / "site.yaml").write_text("owner: Ada Lovelace\n")
    assert load_list(content).site.owner_names == ("Ada Lovelace",)
    assert load_list(FIXTURES / "golden" / "content").site.owner_names == ()


def test_owner_matching_ignores_case_accents_and_dots_not_other_people() -> None:
    assert is_owner("ada lovelace", OWNER) and is_owner("A Lovelace", OWNER)
    assert is_owner("Adá Lovelace", OWNER)
    assert not is_owner("Ada Byron", OWNER) and not is_owner("Ada Lovelace", ())
    # Beyond the first three, the owner is still named, and the rest is "et al.".
    listed = short_authors(MANY, OWNER)
    assert listed == (
        "Alan Turing, Grace Hopper, John von Neumann, \N{HORIZONTAL ELLIPSIS} "
        '<mark class="rl-owner">A&#46; Lovelace</mark> et al.'
    )
    assert short_authors(MANY[:4]).count(",") == 3  # four names: all shown, no "et al."
    assert short_authors(MANY).endswith("Neumann et al.")


def test_lists_and_paper_pages_show_authors_venue_buttons_and_the_owner() -> None:
    links = (
        Link("arxiv", "2310.10010", "https://arxiv.org/abs/2310.10010"),
        Link("code", "https://github.com/x/y", "https://github.com/x/y"),
    )
    first = paper("a", authors=MANY, year=2024, venue="ICML 2024", links=links, status="read")
    second = paper("b", authors=("Alan Turing",), year=2023)
    rendered = pages(first, second)
    topic = shown(rendered["docs/topics/t.md"])
    assert '<mark class="rl-owner">A. Lovelace</mark> et al. · 2024 · <em>ICML 2024</em>' in topic
    assert '<a class="rl-button" href="https://arxiv.org/abs/2310.10010">arXiv</a>' in topic
    assert '<a class="rl-button" href="https://github.com/x/y">Code</a>' in topic
    assert topic.count(">BibTeX</button>") == 2
    assert "· Read" in topic and "· To read" in topic  # two statuses: each is shown
    page = shown(rendered["docs/papers/a.md"])
    assert '<mark class="rl-owner">A. Lovelace</mark>' in page
    assert "Status:" in page
    # Linked once: no arXiv title search beside the arXiv link; still one for a paper without.
    assert "arxiv.org/search" not in page
    assert "arxiv.org/search" in rendered["docs/papers/b.md"]


def test_a_status_every_paper_shares_is_not_shown() -> None:
    rendered = pages(paper("a", year=2024), paper("b", year=2023))
    for path in ("docs/topics/t.md", "docs/browse/year/2024.md", "docs/papers/a.md"):
        assert "To read" not in rendered[path], path


class _Buttons(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.copies: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "button" and found.get("data-copy") is not None:
            self.copies.append(str(found["data-copy"]))


def test_bibtex_buttons_carry_each_entry_exactly_through_markdown() -> None:
    reading_list = load_list(FIXTURES / "golden" / "content")
    related = relate(reading_list)
    rendered = render_pages(related, ROOT / "templates")
    parser = _Buttons()
    parser.feed(to_html(rendered["docs/topics/rl-theory.md"]))
    topic = next(e for e in related.topics if e.topic.id == "rl-theory")
    keys = {e.paper.id: e.cite_key for e in related.papers}
    assert parser.copies == [bibtex_entry(p, keys[p.id]) for p in topic.papers]
    assert any("<script>" in copy for copy in parser.copies)  # the hostile title, as text


def test_the_all_papers_data_carries_the_owner_and_every_fact() -> None:
    import json

    from generator.render.catalog import catalog_index, catalog_rows, default_order

    first = paper("a", authors=MANY, year=2024, venue="ICML 2024", status="read")
    related = relate(ReadingList(Site(owner_names=OWNER), (TOPIC,), (first, paper("b"))))
    rendered = render_pages(related, ROOT / "templates")
    index = json.loads(rendered["docs/assets/papers-index.json"])
    assert index["owner"] == ["a lovelace", "ada lovelace", "lovelace, ada"]
    assert index["year"] == [2024, 0] and index["venues"] == ["ICML 2024"]
    assert index["status"] == [2, 0] and index["topic"] == [[0], [0]]
    rows = json.loads(rendered["docs/assets/papers-0.json"])
    assert [r["id"] for r in rows] == ["a", "b"] and rows[0]["authors"] == list(MANY)
    papers = default_order(related)
    assert rendered["docs/assets/papers-0.json"] == catalog_rows(papers) + "\n"
    assert rendered["docs/assets/papers-index.json"] == (
        catalog_index(papers, (TOPIC,), OWNER) + "\n"
    )
