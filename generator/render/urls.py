"""Where every page and file of the site goes, and how anything links to it: the one place
that spells a path.

A page is named by its path inside docs/ (`papers/<id>.md`): what the navigation lists and a
Markdown link names (the site builder turns `.md` links into its URLs). From that name come
its file in the generated project (`docs/papers/<id>.md`) and its URL from the site's root
(`papers/<id>/`: every builder the project supports writes directory URLs), which feeds,
search records and the JS use: the templates get these functions as `urls`, the JS gets
the URLs in the data the pipeline writes (catalog.py's index, each search record).
"""

from __future__ import annotations

DOCS = "docs/"
"""The folder of the generated project that holds the pages and the site's files."""
RECORDS = "search/"
"""The folder of the generated project that holds the search records (one per page that
search finds); Pagefind indexes it as a site of its own."""

HOME = "index.md"
TOPICS = "topics/index.md"
ALL_PAPERS = "papers/index.md"
BY_YEAR = "browse/by-year.md"
BY_TITLE = "browse/by-title.md"
STATS = "stats.md"

UNLISTED = ("/papers/**", "/browse/year/**", "/browse/title/**")
"""Gitignore-style patterns (relative to docs/) of the pages one per paper, year and
letter: reached from lists and search, never listed in the navigation."""

ASSETS = "assets"
"""The folder of the site's own static files (KaTeX) and of the data files its scripts
read; the builder puts its scripts here too."""
KATEX_STYLE = "assets/katex/katex.min.css"
"""KaTeX's stylesheet, which the pages with math link; its script is beside it, as KaTeX ships."""
SEARCH_VOCABULARY = "assets/search-vocabulary.json"
SEARCH_COMMON = "assets/search-common.json"
PAPERS_INDEX = "assets/papers-index.json"
SEARCH_BUNDLE = "pagefind/"
"""The site's folder of the search index: Pagefind's bundle (pagefind.js and its index), and
the shards' folders merged into it at query time (builders/search/index.py)."""
SEARCH_MODULE = SEARCH_BUNDLE + "pagefind.js"
"""Pagefind's module, which the header search imports on first use."""
SEARCH_SHARDS = SEARCH_BUNDLE + "readinglist-shards.json"
"""The list of the shards' folders, beside the bundle's own index."""
SEARCH_SCRIPT = "assets/search.js"
"""The header search's script, which every builder copies into the site's assets."""
SEARCH_PATHS = "assets/search-paths.js"
"""A script the pipeline writes (search_paths()), which pages load before SEARCH_SCRIPT."""
OWNER_FILES = "assets/own/"
"""Where the files the owner's builder settings name (a logo, stylesheets, scripts) go, by
their path in the list's folder."""
_EXPORTS = {"bibtex": "exports/reading-list.bib", "csl-json": "exports/reading-list.json"}


def paper_page(paper_id: str) -> str:
    return f"papers/{paper_id}.md"


def topic_page(topic_id: str) -> str:
    return f"topics/{topic_id}.md"


def year_page(year: int | None) -> str:
    return f"browse/year/{year or 'unknown'}.md"


def letter_page(letter: str) -> str:
    """The page of titles starting with `letter` (`#`: a digit or a symbol)."""
    return f"browse/title/{'other' if letter == '#' else letter.lower()}.md"


def export_file(fmt: str) -> str:
    """The download of the whole list in `fmt` (export.FORMATS)."""
    return _EXPORTS[fmt]


def feed_file(topic_id: str | None = None) -> str:
    """The Atom feed of the recently added papers, or of one topic's. At the site's root,
    where the sitemap is: a theme may fetch a sitemap beside every rel="alternate" link
    (Material does, for language versions)."""
    return "feed.xml" if topic_id is None else f"feed-{topic_id}.xml"


def papers_shard(number: int) -> str:
    """The display rows of the all-papers page's `number`th shard (catalog.SHARD papers)."""
    return f"assets/papers-{number}.json"


def search_paths() -> dict[str, str]:
    """What the header search fetches, as URLs from its own script's (SEARCH_SCRIPT): the
    site's root (where result locations start), Pagefind's module, the bundle, the list of
    shards, and the two data files the pipeline writes for it."""
    return {
        "root": url_from(SEARCH_SCRIPT, HOME),
        "pagefind": url_from(SEARCH_SCRIPT, SEARCH_MODULE),
        "bundle": url_from(SEARCH_SCRIPT, SEARCH_BUNDLE),
        "shards": url_from(SEARCH_SCRIPT, SEARCH_SHARDS),
        "vocabulary": url_from(SEARCH_SCRIPT, SEARCH_VOCABULARY),
        "common": url_from(SEARCH_SCRIPT, SEARCH_COMMON),
    }


def owner_file(path: str) -> str:
    """The name in docs/ of a file of the owner's, by its path in the list's folder."""
    return OWNER_FILES + path


def project_path(name: str) -> str:
    """The generated project's file for a page or file of docs/."""
    return DOCS + name


def paper_record(paper_id: str) -> str:
    """The search record of a paper, in the project (not in docs/: never a page)."""
    return f"{RECORDS}papers/{paper_id}.html"


def topic_record(topic_id: str) -> str:
    return f"{RECORDS}topics/{topic_id}.html"


def site_url(name: str) -> str:
    """The URL of a page or file of docs/ from the site's root: a page's folder
    (`papers/x.md` -> `papers/x/`, `topics/index.md` -> `topics/`), any other file as is."""
    if not name.endswith(".md"):
        return name
    stem = name.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def absolute_url(base: str, name: str) -> str:
    """The URL of a page or file of docs/ on the site published at `base` (its root's
    address: site.yaml's `url`, or the one the deploy gives), for feeds and ids."""
    return base.rstrip("/") + "/" + site_url(name)


def public_url(base: str | None, here: str, name: str) -> str:
    """`name`'s absolute URL when the site's address is known, else its URL from `here`:
    what a feed, read away from the site, links with."""
    return absolute_url(base, name) if base else url_from(here, name)


def link(here: str, name: str) -> str:
    """The Markdown link from the page `here` to the page or file `name` (both paths inside
    docs/), which the builder resolves and checks."""
    return _relative(here, name)


def url_from(here: str, name: str) -> str:
    """The URL of `name` relative to the URL of `here` (both paths inside docs/), for what
    no builder rewrites: HTML attributes, feeds, the scripts' data."""
    # "./", not "": an empty reference is the document it is in (a feed's own address).
    return _relative(site_url(here), site_url(name)) or "./"


def _relative(source: str, target: str) -> str:
    """`target` from the folder of `source` (paths from one root, `/`-separated). By hand,
    not posixpath.relpath, which asks the OS for the working directory on every call: lists
    of 10,000 papers link to each of them."""
    folder, parts = source.split("/")[:-1], target.split("/")
    common = 0
    while common < min(len(folder), len(parts) - 1) and folder[common] == parts[common]:
        common += 1
    return "../" * (len(folder) - common) + "/".join(parts[common:])
