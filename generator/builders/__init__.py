"""Site builders: the tools that turn the generated Markdown project into HTML, by name.

Each builder implements `SiteBuilder` (base.py) in its own package; nothing else in the
generator knows which one runs, so a second builder is one more entry here.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.builders.base import SiteBuilder
from generator.errors import BuildError

DEFAULT_BUILDER = "mkdocs"


def _mkdocs() -> SiteBuilder:
    from generator.builders.mkdocs import MkDocsBuilder

    return MkDocsBuilder()


def _properdocs() -> SiteBuilder:
    from generator.builders.properdocs import ProperDocsBuilder

    return ProperDocsBuilder()


def _zensical() -> SiteBuilder:
    from generator.builders.zensical import ZensicalBuilder

    return ZensicalBuilder()


BUILDERS: dict[str, Callable[[], SiteBuilder]] = {
    "mkdocs": _mkdocs,
    "properdocs": _properdocs,
    "zensical": _zensical,
}
"""Builder name -> a function making one (imported on demand: no builder's code loads unless
it is used)."""


def get_builder(name: str = DEFAULT_BUILDER) -> SiteBuilder:
    """The builder called `name`, or BuildError naming the known ones."""
    try:
        make = BUILDERS[name]
    except KeyError:
        known = ", ".join(sorted(BUILDERS))
        raise BuildError(f"unknown site builder {name!r}; expected one of: {known}") from None
    return make()
