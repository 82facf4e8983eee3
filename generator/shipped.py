"""Where the files that ship with the tool are: the same code runs from a source checkout (or
an editable install of one) and from an installed wheel, which carries them inside the
package (pyproject.toml maps the top-level templates/ to generator/templates/)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def templates_folder() -> Path:
    """The Jinja templates and their assets (KaTeX): a wheel's copy, else the source tree's."""
    inside = HERE / "templates"
    return inside if inside.is_dir() else HERE.parent / "templates"


def starter_folder() -> Path:
    """The files `readinglist new` copies into a new list."""
    return HERE / "starter"
