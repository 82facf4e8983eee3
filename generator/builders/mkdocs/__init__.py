"""MkDocs 1.6 with Material for MkDocs: the first SiteBuilder.

Everything that knows MkDocs or Material lives in this package: the mkdocs.yml (config.py),
the build in steps (build.py, the only module importing MkDocs), the full and incremental
builds (incremental.py, on both cores: render.py), the served site kept in memory (serve.py,
changes.py, serve_pending.py) and MkDocs' server around it (serve_server.py), the hooks of a
served build (serve_hooks.py), the theme overrides (overrides/) and the JS and CSS that speak
to Material's page (assets/).
"""

from __future__ import annotations

import importlib.metadata
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.builders.base import OwnerConfig, SiteBuilder
from generator.builders.mkdocs.changes import Changes
from generator.builders.mkdocs.config import (
    ASSETS,
    CONFIG_FILE,
    OVERRIDES,
    STYLES,
    config_text,
    generated_config,
)
from generator.builders.mkdocs.owner import owner_file, read_owner
from generator.builders.search import SEARCH_ASSETS
from generator.errors import BuildError, Problem
from generator.model import Site
from generator.render import urls
from generator.render.nav import Navigation

HERE = Path(__file__).parent

REQUIREMENT = "mkdocs>=1.6.1,<2"


def check_mkdocs() -> None:
    """BuildError, in one line, unless MkDocs 1.x is installed: MkDocs 2 runs no plugins,
    hooks or Material (a different theme API), and would fail deep inside the build."""
    try:
        version = importlib.metadata.version("mkdocs")
    except importlib.metadata.PackageNotFoundError:
        version = None
    if version is None or not version.startswith("1."):
        found = "MkDocs is not installed" if version is None else f"MkDocs {version} is installed"
        raise BuildError(
            f"{found}, but the mkdocs builder needs MkDocs 1.6 with Material: "
            f"pip install '{REQUIREMENT}' (make install), "
            "or build with --builder properdocs (or zensical)"
        )


class MkDocsBuilder(SiteBuilder):
    name = "mkdocs"
    builds_into_spare = True  # incremental.build_html, through reuse_folder
    styles: tuple[str, ...] = STYLES
    """The stylesheets of docs/assets/ every page links."""

    def owner_files(self, folder: Path) -> tuple[Path, ...]:
        return (owner_file(folder),)

    def read_owner(self, folder: Path, site: Site | None) -> tuple[OwnerConfig, list[Problem]]:
        # The conflicts depend on no page: the navigation is the generator's, whatever it is.
        generated = None if site is None else generated_config(site, Navigation((), ()), ())
        return read_owner(folder, generated)

    def config_files(
        self,
        site: Site,
        navigation: Navigation,
        errors: tuple[str, ...],
        owner: OwnerConfig | None = None,
    ) -> dict[str, str]:
        settings = owner.settings if owner is not None else None
        return {CONFIG_FILE: config_text(site, navigation, errors, self.styles, settings)}

    def front_matter(self) -> Mapping[str, Any]:
        # Material's own search index stays empty: Pagefind searches the records instead,
        # and an index of every page would be fetched by every page.
        return {"search": {"exclude": True}}

    def static_files(self) -> dict[str, Path]:
        sources = [*SEARCH_ASSETS, *sorted((HERE / ASSETS).iterdir())]
        files = {urls.project_path(f"{ASSETS}/{p.name}"): p for p in sources}
        return {OVERRIDES: HERE / OVERRIDES, **files}

    def __init__(self) -> None:
        self.changes = Changes()
        """What serve's watcher wrote since the served site was last brought up to date."""

    def build(self, project: Path, site_dir: Path, epoch: int | None = None) -> None:
        self.update(project, site_dir, None, epoch)

    def update(
        self, project: Path, site_dir: Path, previous: Path | None, epoch: int | None = None
    ) -> None:
        check_mkdocs()
        from generator.builders.mkdocs.incremental import build_html

        build_html(project / CONFIG_FILE, site_dir, epoch, previous)

    def serve(
        self, project: Path, addr: str, guard: threading.Lock, epoch: int | None = None
    ) -> None:
        check_mkdocs()
        from generator.builders.mkdocs.serve_server import serve_html

        serve_html(project / CONFIG_FILE, addr, guard, epoch, self.changes)

    def regenerating(self, busy: bool) -> None:
        if busy:
            self.changes.generating.set()
        else:
            self.changes.generating.clear()

    def after_write(self, project: Path, written: Sequence[str]) -> None:
        self.changes.add(written)

    def wait_shown(self, timeout: float) -> None:
        self.changes.wait_shown(timeout)
