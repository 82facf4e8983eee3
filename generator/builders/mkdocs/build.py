"""The one module that imports MkDocs: a build of the generated project, as MkDocs' own
`build` does it but in steps that a caller can run for some pages only.

MkDocs' build reads every page, converts it, and renders it into the theme, each time.
`MkSite` keeps what that gathers (the configuration, the files, the navigation, the theme's
environment) and runs MkDocs' own per-page steps (plugin events included) for the pages
asked: serve.py renders only the pages an edit changed, incremental.py only the pages whose
Markdown changed since the last site, parallel.py renders halves of a full build in two
processes. The steps are MkDocs 1.6's own functions (mkdocs.commands.build), so plugins and
hooks see the events of a build, in MkDocs' order.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.commands import build as building
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException
from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from generator.errors import BuildError

log = logging.getLogger(__name__)

LOGGER = building.__name__.split(".")[0]
"""MkDocs' root logger: `mkdocs`, or `properdocs` when ProperDocs runs this code."""

CONVERTED = ("markdown", "meta", "content", "toc", "_title_from_render", "present_anchor_ids")
"""What a page's conversion sets on it (Page.render and read_source), kept to reuse."""


class MkSite:
    """One MkDocs configuration with its files, navigation and theme environment gathered,
    rendering the pages it is asked to. `serve_url` set: the pages of a served site."""

    def __init__(self, config: Any, serve_url: str | None = None) -> None:
        self.config = config
        self.serve_url = serve_url
        self.inclusion = InclusionLevel.is_in_serve if serve_url else InclusionLevel.is_included
        self.warnings = CountHandler()
        self.warnings.setLevel(logging.WARNING)
        self.files: Any = None
        self.nav: Any = None
        self.env: Any = None
        self.pages: dict[str, Any] = {}
        """Each documentation page by its path inside docs/ (src_uri), in MkDocs' order."""
        self.doc_files: Any = None

    @classmethod
    def load(cls, config_file: Path, site_dir: Path, strict: bool, **options: Any) -> MkSite:
        """The configuration of mkdocs.yml, building into site_dir; BuildError if invalid."""
        try:
            config = load_config(str(config_file), site_dir=str(site_dir), strict=strict, **options)
        except MkDocsException as exc:
            raise BuildError(f"MkDocs failed: {exc}") from None
        return cls(config)

    @contextlib.contextmanager
    def building(self) -> Iterator[None]:
        """One build: strict mode's warning count, and MkDocs' errors as one BuildError (after
        the plugins' on_build_error, as MkDocs does)."""
        logger = logging.getLogger(LOGGER)
        if self.config.strict:
            logger.addHandler(self.warnings)
        try:
            yield
            if counts := self.warnings.get_counts():
                found = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
                raise Abort(f"Aborted with {found} in strict mode!")
        except Exception as exc:
            self.config.plugins.on_build_error(error=exc)
            if isinstance(exc, MkDocsException):
                raise BuildError(f"MkDocs failed: {exc}") from None
            raise
        finally:
            logger.removeHandler(self.warnings)
            self.warnings.counts.clear()

    def gather(self) -> None:
        """MkDocs' build up to reading the pages: on_config, on_pre_build, the files (on_files),
        the navigation (on_nav); a Page for every documentation file."""
        config = self.config = self.config.plugins.on_config(self.config)
        config.plugins.on_pre_build(config=config)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        self.nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
        self.files, self.env = files, env
        self.pages = {}
        self.doc_files = files.documentation_pages(inclusion=self.inclusion)
        for file in self.doc_files:
            if file.page is None:
                Page(None, file, config)
            self.pages[file.src_uri] = file.page

    def start_build(self) -> None:
        """on_pre_build, for a rebuild of some pages with what gather() found."""
        self.config.plugins.on_pre_build(config=self.config)

    def nav_pages(self) -> list[str]:
        """The pages listed in the navigation: their titles are on every page."""
        return [page.file.src_uri for page in self.nav.pages]

    def read_nav(self, only: set[str] | None = None) -> dict[str, dict[str, Any]]:
        """What every page shows of the pages in the navigation (those of `only`, if given):
        their meta (their front matter) and titles. A page listed without a title in
        mkdocs.yml takes its title from its converted Markdown, so it is converted; the
        others (topic pages of hundreds of papers among them: seconds each) are only read.
        Returns the conversions made, by src_uri."""
        converted = {}
        for page in self.nav.pages:
            if only is not None and page.file.src_uri not in only:
                continue
            if "title" in page.__dict__:
                page.read_source(self.config)
            else:
                self.convert(page.file.src_uri)
                converted[page.file.src_uri] = self.converted(page.file.src_uri)
        return converted

    def source(self, src_uri: str) -> bytes:
        return bytes(self.pages[src_uri].file.content_bytes)

    def source_path(self, src_uri: str) -> str:
        """The page's Markdown file."""
        return str(self.pages[src_uri].file.abs_src_path)

    def convert(self, src_uri: str) -> None:
        """Read and convert one page (on_pre_page, on_page_markdown, on_page_content)."""
        building._populate_page(self.pages[src_uri], self.config, self.files)

    def converted(self, src_uri: str) -> dict[str, Any]:
        page = self.pages[src_uri]
        return {name: getattr(page, name) for name in CONVERTED}

    def reuse(self, src_uri: str, converted: dict[str, Any]) -> None:
        """Give a page the conversion of its unchanged Markdown, instead of converting it."""
        page = self.pages[src_uri]
        for name, value in converted.items():
            setattr(page, name, value)

    def forget(self, src_uri: str, markdown: bool = False) -> None:
        """Drop a written page's HTML: at 10,000 pages, keeping all of it cost 200 MB. With
        `markdown` (serve keeps both compressed), its Markdown too, unless the navigation
        lists it: MkDocs takes a page's title from its Markdown, and the navigation shows
        it on every page."""
        page = self.pages[src_uri]
        page.content = None
        if markdown and all(listed is not page for listed in self.nav.pages):
            page.markdown = None

    def env_ready(self) -> None:
        """on_env, once the pages to render are converted."""
        self.env = self.config.plugins.on_env(self.env, config=self.config, files=self.files)

    def copy_static(self, dirty: bool = False) -> None:
        """The static files (assets, downloads, the theme's), and the theme's static
        templates (404.html, sitemap.xml) and the extra templates."""
        config, files = self.config, self.files
        files.copy_static_files(dirty=dirty, inclusion=self.inclusion)
        for template in config.theme.static_templates:
            building._build_theme_template(template, self.env, files, config, self.nav)
        for template in config.extra_templates:
            building._build_extra_template(template, files, config, self.nav)

    def render(self, src_uri: str) -> None:
        """Render a converted page into the theme and write its HTML (on_page_context,
        on_post_page)."""
        file = self.pages[src_uri].file
        excluded = file.inclusion.is_excluded()
        building._build_page(
            file.page, self.config, self.doc_files, self.nav, self.env, excluded=excluded
        )

    def dest(self, src_uri: str) -> str:
        """Where a page's HTML goes, inside the site folder."""
        return str(self.pages[src_uri].file.dest_uri)

    def anchors(self, src_uri: str) -> tuple[list[str], dict[str, dict[str, str]]]:
        """A converted page's anchors, and its links to anchors in other pages (by their
        src_uri): what checking the links across pages needs, kept as plain data."""
        page = self.pages[src_uri]
        links = {f.src_uri: dict(v) for f, v in (page.links_to_anchors or {}).items()}
        return sorted(page.present_anchor_ids or ()), links

    def check_anchors(
        self, anchors: dict[str, list[str]], links: dict[str, dict[str, dict[str, str]]]
    ) -> None:
        """MkDocs' check of links to anchors, over plain data from any process or build."""
        level = self.config.validation.links.anchors
        for src, targets in sorted(links.items()):
            for target, found in targets.items():
                present = anchors.get(target)
                for anchor, original in found.items():
                    if present is None or anchor in present:
                        continue
                    problem = (
                        "there is no such anchor on this page"
                        if target == src
                        else f"the doc '{target}' does not contain an anchor '#{anchor}'"
                    )
                    logging.getLogger(f"{LOGGER}.structure.pages").log(
                        level, f"Doc file '{src}' contains a link '{original}', but {problem}."
                    )

    def finish(self) -> None:
        self.config.plugins.on_post_build(config=self.config)

    def site_digest(self, epoch: int | None) -> str:
        """A digest of everything every page's HTML depends on beside its own Markdown: the
        configuration, the theme (its version and custom_dir's files), MkDocs' version, the
        build date, which documentation pages there are, and the navigation as the pages
        show it (titles, addresses, the pages' meta), which needs the nav pages converted."""
        digest = hashlib.sha256()
        config_file = self.config.config_file_path
        digest.update(Path(config_file).read_bytes() if config_file else b"")
        for name in ("mkdocs", "mkdocs-material", "properdocs", "markdown", "pymdown-extensions"):
            with contextlib.suppress(importlib.metadata.PackageNotFoundError):
                digest.update(f"{name}={importlib.metadata.version(name)}\n".encode())
        custom = self.config.theme.custom_dir
        for path in sorted(Path(custom).rglob("*")) if custom else []:
            if path.is_file():
                digest.update(f"{path.relative_to(custom)}\n".encode() + path.read_bytes())
        for hook in (self.config.get("hooks") or {}).values():
            digest.update(Path(hook.__file__).read_bytes())
        digest.update(f"{epoch}\n{self.serve_url}\n".encode())
        digest.update(json.dumps(sorted(self.pages)).encode())
        nav = [
            (p.file.src_uri, p.title, p.url, json.dumps(p.meta, sort_keys=True, default=str))
            for p in self.nav.pages
        ]
        digest.update(json.dumps([_outline(self.nav.items), nav]).encode())
        return digest.hexdigest()


def _outline(items: Any) -> list[Any]:
    """The navigation's tree as plain data: each item's kind, title, address and children."""
    return [
        [type(item).__name__, item.title, getattr(item, "url", None), _outline(item.children)]
        if getattr(item, "children", None)
        else [type(item).__name__, item.title, getattr(item, "url", None)]
        for item in items
    ]


def environment(source_date_epoch: int | None) -> contextlib.AbstractContextManager[None]:
    return _environment(source_date_epoch)


@contextlib.contextmanager
def _environment(source_date_epoch: int | None) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    if source_date_epoch is not None and "SOURCE_DATE_EPOCH" not in saved:
        # Sitemap dates come from here: the same content gives the same bytes.
        os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def live_reload_server(**options: Any) -> Any:
    """MkDocs' development server, serving `root` and reloading the open pages when told."""
    from mkdocs.livereload import LiveReloadServer

    return LiveReloadServer(**options)
