"""The builder is a plug: nothing outside generator/builders/mkdocs/ knows MkDocs or Material.

Code and templates elsewhere may say "MkDocs" in a comment about the pipeline; they may not
use its API, its configuration keys, Material's CSS classes, asset names, JavaScript globals
or search-worker protocol, or import the MkDocs builder by name.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from .conftest import ROOT

BUILDER = "generator/builders/mkdocs/"
BUILDER_PACKAGES = tuple(
    f"generator/builders/{name}/" for name in ("mkdocs", "properdocs", "zensical")
)
REGISTRY = "generator/builders/__init__.py"
SEARCH_ASSETS = ROOT / "generator" / "builders" / "search" / "assets"

# name -> (pattern, a leak it must catch). Every pattern is also checked against the leak.
LEAKS: dict[str, tuple[str, str]] = {
    "mkdocs import": (r"^\s*(from|import)\s+mkdocs\b", "from mkdocs.config import load_config"),
    "MkDocs builder imported by name": (
        r"builders[./]mkdocs",
        "from generator.builders.mkdocs.build import build_html",
    ),
    "the mkdocs.yml file": (r"mkdocs\.ya?ml", 'PagePlan("mkdocs.yml", ...)'),
    "MkDocs config keys": (
        r"\b(custom_dir|not_in_nav|extra_javascript|extra_css|markdown_extensions"
        r"|use_directory_urls|docs_dir|dev_addr|content_errors)\b",
        "  extra_css:",
    ),
    "MkDocs API": (
        r"\b(on_(post|pre)_(build|page)|on_page_\w+|config_file_path|LiveReloadServer"
        r"|build_type|livereload|page\.meta|config\.extra)\b",
        "def on_post_build(config):",
    ),
    "Material's theme name, icons and features": (
        r"\bname:\s*['\"]?material\b|['\"/]material/|\b(navigation\.(instant|tabs|indexes|top)"
        r"|search\.(suggest|highlight)|content\.code\.copy)\b",
        "  name: material",
    ),
    "Material's front matter": (
        r"\bsearch:\s*(\{\s*)?exclude|^\s*exclude:\s*true",
        "search:\n  exclude: true",
    ),
    "Material's CSS classes": (r"(?<![\w-])\.?md-[a-z]", '<div class="md-typeset">'),
    "Material's JavaScript": (r"\bdocument\$|__md_|data-md-", "document$.subscribe(enhance)"),
    "Material's assets": (
        r"search\.[0-9a-f]{8}\.min\.js|search_index\.json|assets/javascripts/",
        "assets/javascripts/workers/search.a7633da7.min.js",
    ),
    "Material's search-worker protocol": (
        r"\bSETUP\s*=\s*0|\bnew\s+Worker\b|postMessage\(\s*\{\s*type:",
        "var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;",
    ),
    "the builder's own assets": (
        r"search-worker\.js|readinglist\.(js|css)\b|\boverrides/",
        '"extra_javascript": ["assets/readinglist.js"]',
    ),
}

BENIGN = [
    "# The site builder (MkDocs today) runs after the Markdown is written.",
    '"""Render the related list into Markdown pages for MkDocs or any other builder."""',
    "feed: feed-{{ topic.id }}.xml",
    "title: {{ paper.title | page_title }}",
    "class PagePlan(NamedTuple):",
    "docs/assets/katex/katex.min.js",
]


def _checked_files() -> list[Path]:
    code = [
        p
        for p in sorted((ROOT / "generator").rglob("*.py"))
        if not p.relative_to(ROOT).as_posix().startswith(BUILDER_PACKAGES)
    ]
    templates = [
        p
        for p in sorted((ROOT / "templates").rglob("*"))
        if p.is_file() and "katex" not in p.relative_to(ROOT).parts  # KaTeX's own files
    ]
    search = sorted(p for p in SEARCH_ASSETS.iterdir() if p.suffix in (".js", ".css"))
    return code + templates + search


def find_leaks(path: str, text: str) -> list[str]:
    """`path: line: what leaked` for every line of `text` that knows the MkDocs builder."""
    found = []
    for name, (pattern, _) in LEAKS.items():
        if path == REGISTRY and name == "MkDocs builder imported by name":
            continue  # the registry is where builders are named
        for match in re.finditer(pattern, text, re.MULTILINE):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path}:{line}: {name}: {match.group(0)!r}")
    return found


@pytest.mark.parametrize("name", sorted(LEAKS))
def test_each_pattern_catches_its_leak(name: str) -> None:
    pattern, leak = LEAKS[name]
    assert re.search(pattern, leak, re.MULTILINE), name
    assert find_leaks("generator/render/x.py", f"ok = 1\n{leak}\n")


@pytest.mark.parametrize("line", BENIGN)
def test_no_pattern_fires_on_plain_words(line: str) -> None:
    assert find_leaks("generator/render/x.py", line) == []


def test_nothing_outside_the_mkdocs_builder_knows_mkdocs_or_material() -> None:
    files = _checked_files()
    assert len(files) > 30 and any(p.suffix == ".j2" for p in files)
    leaks = [
        leak
        for p in files
        for leak in find_leaks(p.relative_to(ROOT).as_posix(), p.read_text(encoding="utf-8"))
    ]
    assert leaks == []


def test_mkdocs_is_imported_by_the_builders_build_module_only() -> None:
    importers = [
        p.relative_to(ROOT).as_posix()
        for p in sorted((ROOT / "generator").rglob("*.py"))
        if re.search(LEAKS["mkdocs import"][0], p.read_text(), re.MULTILINE)
    ]
    assert importers == [BUILDER + "build.py"]


def test_every_builder_is_registered_and_has_its_package() -> None:
    from generator.builders import BUILDERS

    assert tuple(f"generator/builders/{name}/" for name in BUILDERS) == BUILDER_PACKAGES
    for package in BUILDER_PACKAGES:
        assert (ROOT / package / "__init__.py").is_file(), package


@pytest.mark.parametrize("name", ["mkdocs", "properdocs", "zensical"])
def test_the_builders_files_are_package_data(name: str) -> None:
    """A non-editable install copies only listed data files: every file a builder copies
    into a project must match a package-data pattern of its package in pyproject.toml."""
    import tomllib

    from generator.builders import get_builder

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    data = pyproject["tool"]["setuptools"]["package-data"]
    copied = []
    for source in get_builder(name).static_files().values():
        copied += [p for p in source.rglob("*") if p.is_file()] if source.is_dir() else [source]
    assert len(copied) >= 6
    for path in copied:
        package = path.parent
        while not (package / "__init__.py").is_file():
            package = package.parent
        patterns = data[package.relative_to(ROOT).as_posix().replace("/", ".")]
        rel = path.relative_to(package)
        assert any(rel.match(pattern) for pattern in patterns), rel


# ---- Paths: generator/render/urls.py spells every output path and URL; nothing else does ----

URLS_MODULE = "generator/render/urls.py"
# name -> (pattern, a leak it must catch), matched against string literals (Python), the
# template text and the builders' scripts and theme files, comments left out.
PATHS: dict[str, tuple[str, str]] = {
    "a page's folder": (
        r"(?<![\w.-])(papers|topics|browse)/(?![^\s\"'`]*\.ya?ml)",
        'href: "../papers/" + row.id + "/"',
    ),
    "the downloads' folder": (r"(?<![\w.-])exports/", "[BibTeX](exports/reading-list.bib)"),
    "the site's assets folder": (r"(?<![\w.-])assets/", '"docs/assets/papers-index.json"'),
    "the project's folders": (r"(?<![\w./-])(docs|search)/(?=[\w{])", 'f"search/papers/{id}.html"'),
    "a page's Markdown file": (r"(?<![*\w])\w*\.md(?![\w.-])", "[All years](../by-year.md)"),
    "a feed": (r"\bfeed(-[\w{]|\.xml)", "feed: feed-{{ topic.id }}.xml"),
    "the scripts' data files": (
        r"papers-(index|\d|\{|[\"'])|search-(common|vocabulary)\.",
        'fetchJson("papers-" + n + ".json")',
    ),
    "the search index": (
        r"(?<![\w.-])pagefind(/|\.js\b)|readinglist-shards|search-paths\.",
        'import(new URL("pagefind/pagefind.js", root).href)',
    ),
}
PATH_BENIGN = [
    'writes[path] = (text, f"papers/{paper.id}.yaml")',  # content/, not the site
    "https://arxiv.org/search/?query={}&searchtype=title",
    'for page in (project / "docs").rglob("*.md"):',
    "{{ urls.link(here, urls.paper_page(paper.id)) }}",
    '{% from "entry.md.j2" import entry %}',
    'document.querySelector(".md-header__inner")',
    "# Plain mkdocs.yml: MkDocs 1.6 with Material can build docs/ alone.",
    'element("input", { type: "search", name: "q" })',
]


def _path_checked_files() -> list[Path]:
    skip = ("generator/content/", "generator/importers/", URLS_MODULE)
    code = [
        p
        for p in sorted((ROOT / "generator").rglob("*"))
        if p.suffix in (".py", ".js", ".html")
        and not p.relative_to(ROOT).as_posix().startswith(skip)
    ]
    templates = sorted((ROOT / "templates").glob("*.j2"))
    return code + templates


def _literals(path: Path) -> str:
    """What of a file could spell a path: a Python module's string literals (docstrings
    left out), a script's or template's text without its comments."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        tree = ast.parse(text)
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        # Attribute docstrings (a string statement after an assignment) too.
        docstrings |= {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        inside = {
            id(part)
            for node in ast.walk(tree)
            if isinstance(node, ast.JoinedStr)
            for part in node.values
        }
        found = [
            ast.get_source_segment(text, node) or ""
            for node in ast.walk(tree)
            if (
                isinstance(node, ast.JoinedStr)
                or (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in inside
                )
            )
            and id(node) not in docstrings
        ]
        return "\n".join(found)
    if path.suffix == ".js":
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
        return re.sub(r"(^|\s)//.*$", "", text, flags=re.MULTILINE)
    return re.sub(r"\{#.*?#\}", "", text, flags=re.DOTALL)


def find_paths(path: str, text: str) -> list[str]:
    return [
        f"{path}: {name}: {match.group(0)!r}"
        for name, (pattern, _) in PATHS.items()
        for match in re.finditer(pattern, text, re.MULTILINE)
    ]


@pytest.mark.parametrize("name", sorted(PATHS))
def test_each_path_pattern_catches_its_leak(name: str) -> None:
    pattern, leak = PATHS[name]
    assert re.search(pattern, leak), name


@pytest.mark.parametrize("line", PATH_BENIGN)
def test_no_path_pattern_fires_on_other_paths(line: str) -> None:
    assert find_paths("x", line) == []


def test_python_literals_are_checked_and_docstrings_are_not(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""Pages go to docs/papers/<id>.md."""\nX = f"docs/papers/{i}.md"\n')
    assert _literals(module) == 'f"docs/papers/{i}.md"'


def test_no_path_is_spelled_outside_urls_py() -> None:
    files = _path_checked_files()
    names = {p.relative_to(ROOT).as_posix() for p in files}
    assert {"templates/paper.md.j2", "generator/render/pages.py"} <= names
    assert "generator/builders/mkdocs/assets/papers.js" in names
    assert "generator/builders/search/assets/search.js" in names
    leaks = [
        leak for p in files for leak in find_paths(p.relative_to(ROOT).as_posix(), _literals(p))
    ]
    assert leaks == []
