"""The list owner's mkdocs.yml merged into the one the generator builds: a pure function of
two dicts, (owner, generated) -> (config, conflicts), tested as data. Nothing here reads a
file or imports MkDocs.

The generated configuration says, value by value, how an owner's setting meets it:

- a plain value is the generator's: the owner may repeat it, never change it (a conflict);
- `None`: the generator's key, left out (site_url when site.yaml gives no url): an owner's
  value is still a conflict, since the generator's source (site.yaml) is where it goes;
- `Default(value)`: the generator's choice unless the owner makes one (theme.font);
- `Joined(items)`: a list the owner's items are added to (extra_css, theme.features, hooks);
- `Owned(mapping)`: the generator's as a whole (validation: the strict build's checks);
- a dict: merged key by key by these rules, the owner's other keys kept (theme, extra).

markdown_extensions merge by extension name (an option the generator sets must keep its
value; the owner may add others and more extensions), and plugins are the owner's, but for
the theme's search, which the generator replaces with its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SEARCH_PLUGINS = ("search", "material/search")
"""The theme's search plugin: the header search is the generator's (Pagefind)."""

WHERE = {
    "site_name": "the title in content/site.yaml",
    "site_url": "url in content/site.yaml",
    "repo_url": "repo_url in content/site.yaml",
}
"""Generated keys that come from site.yaml: a conflict says to set them there."""


@dataclass(frozen=True)
class Default:
    """The generator's value for a key the owner may set instead."""

    value: Any


@dataclass(frozen=True)
class Owned:
    """A mapping that is the generator's as a whole: not merged key by key."""

    value: Any


@dataclass(frozen=True)
class Joined:
    """A list the generator needs, which the owner's items are appended to."""

    items: tuple[Any, ...]


@dataclass(frozen=True)
class Conflict:
    """An owner's setting the generator cannot take."""

    path: str
    """Where it is in the owner's file: dotted keys and list indices (`theme.custom_dir`,
    `markdown_extensions.2.toc.permalink`)."""
    message: str
    """What is wrong, naming the value the generator needs."""
    hint: str = ""
    """What to do instead."""


def merge_config(
    owner: Mapping[str, Any], generated: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Conflict]]:
    """The configuration to build, and every conflict (sorted by path) between the two."""
    conflicts: list[Conflict] = []
    owner = dict(owner)
    if isinstance(owner.get("theme"), str):  # `theme: material` is MkDocs' short form
        owner["theme"] = {"name": owner["theme"]}
    special = {"markdown_extensions": _merge_extensions, "plugins": _merge_plugins}
    config: dict[str, Any] = {}
    for key in sorted(set(owner) | set(generated)):
        if key in special:
            value = special[key](owner.get(key), generated.get(key), key, conflicts)
        elif key == "INHERIT":
            conflicts.append(
                Conflict(key, "is not supported", "write the settings into this file itself")
            )
            continue
        else:
            value = _merge(owner, generated, key, key, conflicts)
        if value is not None:
            config[key] = value
    return config, sorted(conflicts, key=lambda c: c.path)


_ABSENT = object()


def _merge(
    owner: Mapping[str, Any],
    generated: Mapping[str, Any],
    key: str,
    path: str,
    conflicts: list[Conflict],
) -> Any:
    mine = owner.get(key, _ABSENT)
    if key not in generated:
        return None if mine is _ABSENT else mine
    ours = generated[key]
    if isinstance(ours, Default):
        return ours.value if mine is _ABSENT else mine
    if isinstance(ours, Owned):
        if mine is not _ABSENT and mine != ours.value:
            conflicts.append(_conflict(path, ours.value))
        return ours.value
    if isinstance(ours, Joined):
        if mine is _ABSENT or mine is None:
            return list(ours.items) or None
        if not isinstance(mine, list):
            conflicts.append(Conflict(path, f"expected a list, got {_shown(mine)}"))
            return list(ours.items)
        return [*ours.items, *(item for item in mine if item not in ours.items)]
    if isinstance(ours, dict) and mine is not _ABSENT and not isinstance(mine, dict):
        conflicts.append(Conflict(path, f"expected a mapping, got {_shown(mine)}"))
        mine = _ABSENT
    if isinstance(ours, dict):
        mine = {} if mine is _ABSENT else mine
        merged = {}
        for sub in sorted(set(mine) | set(ours)):
            value = _merge(mine, ours, sub, f"{path}.{sub}", conflicts)
            if value is not None:
                merged[sub] = value
        return merged
    if mine is not _ABSENT and mine != ours:
        conflicts.append(_conflict(path, ours))
    return ours


def _conflict(path: str, ours: Any) -> Conflict:
    if path in WHERE:
        return Conflict(path, "is set by the generator", f"set {WHERE[path]} instead")
    if ours is None:
        return Conflict(path, "is the generator's to set", "remove it")
    return Conflict(path, f"the generator needs {_shown(ours)} here", "remove the setting")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _entries(value: Any, path: str, conflicts: list[Conflict]) -> list[tuple[str, Any, str]]:
    """(name, options, path) of each item of a list of names and {name: options}, or of a
    {name: options} mapping: the forms MkDocs takes for extensions and plugins."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [(str(name), options, f"{path}.{name}") for name, options in value.items()]
    if not isinstance(value, list):
        conflicts.append(Conflict(path, f"expected a list, got {_shown(value)}"))
        return []
    entries = []
    for index, item in enumerate(value):
        where = f"{path}.{index}"
        if isinstance(item, str):
            entries.append((item, None, where))
        elif isinstance(item, dict) and len(item) == 1:
            [(name, options)] = item.items()
            entries.append((str(name), options, f"{where}.{name}"))
        else:
            conflicts.append(
                Conflict(where, f"expected a name or {{name: options}}, got {_shown(item)}")
            )
    return entries


def _item(name: str, options: Any) -> Any:
    return name if options is None else {name: options}


def _merge_extensions(owner: Any, generated: Any, path: str, conflicts: list[Conflict]) -> Any:
    """The generator's extensions first, each with the owner's extra options; then the
    owner's other extensions in the owner's order."""
    ours = _entries(generated, path, conflicts)
    mine = {name: (options, where) for name, options, where in _entries(owner, path, conflicts)}
    merged = []
    for name, options, _ in ours:
        if name not in mine:
            merged.append(_item(name, options))
            continue
        extra, where = mine.pop(name)
        if extra is not None and not isinstance(extra, dict):
            conflicts.append(Conflict(where, f"expected options as a mapping, got {_shown(extra)}"))
            extra = None
        combined = dict(extra or {})
        for option, value in (options or {}).items():
            if option in combined and combined[option] != value:
                conflicts.append(
                    Conflict(
                        f"{where}.{option}",
                        f"the generator's pages need {_shown(value)} here",
                        "remove the option",
                    )
                )
            combined[option] = value
        merged.append(_item(name, combined or None))
    merged += [_item(name, options) for name, (options, _) in mine.items()]
    return merged


def _merge_plugins(owner: Any, generated: Any, path: str, conflicts: list[Conflict]) -> Any:
    """The owner's plugins, after the generator's (none today); never the theme's search.
    With no owner's plugins, an empty list: MkDocs would otherwise add its search."""
    merged = [_item(name, options) for name, options, _ in _entries(generated, path, conflicts)]
    for name, options, where in _entries(owner, path, conflicts):
        if name in SEARCH_PLUGINS:
            conflicts.append(
                Conflict(
                    where,
                    "the theme's search is replaced by the generator's (Pagefind, in the header)",
                    "remove the search plugin",
                )
            )
        elif _item(name, options) not in merged:
            merged.append(_item(name, options))
    return merged
