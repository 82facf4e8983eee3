"""The SiteBuilder interface: what the pipeline asks of the tool that turns the generated
Markdown project into HTML.

The pipeline renders plain Markdown pages (docs/), the search records (search/) and its own
static files; a builder adds what only it knows: its configuration file(s) (built as data),
the front-matter keys it needs on every page, its theme files, and how to build and serve.
Nothing outside generator/builders/ knows which builder runs (tests/test_layout.py checks).
"""

from __future__ import annotations

import abc
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import Problem
from generator.model import Site
from generator.render.nav import Navigation


@dataclass(frozen=True)
class OwnerConfig:
    """The list owner's own settings for the builder, read from the list's folder (the one
    holding content/): the builder merges them into the configuration it writes."""

    settings: Mapping[str, Any] = field(default_factory=dict)
    """The settings as the builder read and checked them (files placed in the project)."""
    files: Mapping[str, Path] = field(default_factory=dict)
    """Files the settings name, copied into the project: project path -> source file."""
    watched: tuple[Path, ...] = ()
    """The files they were read from, which `serve` watches for edits."""


class SiteBuilder(abc.ABC):
    """One site builder (MkDocs + Material today; generator/builders/__init__.py names them)."""

    name: str
    """The name `get_builder` knows it by."""
    builds_into_spare: bool = False
    """`update` accepts a `site_dir` holding an older site of the project (the spare the
    last build kept) and leaves it what `build` makes; if not, `site_dir` does not exist."""

    def owner_files(self, folder: Path) -> tuple[Path, ...]:
        """The owner's configuration files this builder reads in the list's `folder`, whether
        they exist or not: `serve` watches them."""
        return ()

    def read_owner(self, folder: Path, site: Site | None) -> tuple[OwnerConfig, list[Problem]]:
        """The owner's settings in the list's `folder`, and every problem with them (one
        line each, naming the file and key), conflicts with what `site` needs among them;
        `site` is None when the content has errors, and only the file's own are found."""
        return OwnerConfig(), []

    @abc.abstractmethod
    def config_files(
        self,
        site: Site,
        navigation: Navigation,
        errors: tuple[str, ...],
        owner: OwnerConfig | None = None,
    ) -> dict[str, str]:
        """The configuration the generated project needs, by path inside the project, as
        text, with the `owner`'s settings (from read_owner, without problems) merged in.
        `errors` are the content problems `serve` shows in a banner on every page (empty
        when the content is good)."""

    def front_matter(self) -> Mapping[str, Any]:
        """Keys every generated page's front matter gets, beside the pipeline's own (title)."""
        return {}

    def static_files(self) -> dict[str, Path]:
        """Files copied verbatim into the project (theme overrides, the builder's JS and
        CSS): destination inside the project -> source file or folder."""
        return {}

    @abc.abstractmethod
    def build(self, project: Path, site_dir: Path, epoch: int | None = None) -> None:
        """Build the whole project into `site_dir`, logging progress; raise BuildError.
        `epoch` is the date (seconds) the content gives, for dates in the output."""

    def update(
        self, project: Path, site_dir: Path, previous: Path | None, epoch: int | None = None
    ) -> None:
        """Build like `build`, where `previous` (if any) is the site last built from this
        project: a builder that knows which pages did not change since may take them from
        there, as long as `site_dir` ends up what `build` would make. By default, `build`."""
        self.build(project, site_dir, epoch)

    @abc.abstractmethod
    def serve(
        self, project: Path, addr: str, guard: threading.Lock, epoch: int | None = None
    ) -> None:
        """Serve the project at `addr` (host:port), rebuilding what changes on disk and
        reloading the open page, until interrupted; keep the search index beside it fresh.
        Each rebuild holds `guard`, which serve's watcher holds while it writes the project,
        so that no build reads a half-written regeneration."""

    def regenerating(self, busy: bool) -> None:
        """Called by `serve` as its watcher starts (True) and ends (False) a regeneration: a
        builder rendering pages in the background of the same process lets it go first (one
        interpreter runs both, a thread at a time)."""
        return None

    def after_write(self, project: Path, written: Sequence[str]) -> None:
        """Called by `serve` after each write of the project, with the paths written or
        removed (inside the project), once they are on disk: a builder that keeps its site
        in memory rebuilds those pages (and reloads the open page) rather than watching."""
        return None

    def wait_shown(self, timeout: float) -> None:
        """Called by `serve` between its first write after an edit (the edited papers' own
        files) and the full one: wait, at most `timeout` seconds, until the open pages show
        what the writes so far changed, so that the full write's rendering (the listings)
        does not delay them. A builder that rebuilds on its own watch returns at once."""
        return None
