"""The list owner's mkdocs.yml: merged into the generated one as data (merge_config), read
safely (owner.py), and built: a palette change reaches the site, a conflict is one line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.builders import get_builder
from generator.builders.base import OwnerConfig
from generator.builders.mkdocs.config import generated_config, mkdocs_config
from generator.builders.mkdocs.merge import merge_config
from generator.builders.mkdocs.owner import read_owner
from generator.model import Site
from generator.render.nav import Navigation, NavItem

from .conftest import FIXTURES, Runner, build, write_files

SITE = Site(title="Papers", url="https://example.org/list/")
NAV = Navigation((NavItem("Home", "index.md"),), ("/papers/**",))


def merged(owner: dict[str, Any], site: Site = SITE) -> tuple[dict[str, Any], list[str]]:
    config, conflicts = merge_config(owner, generated_config(site, NAV, ()))
    return config, [c.path for c in conflicts]


# ---- The merge, as data ----


def test_no_owner_settings_give_the_generators_own_with_its_defaults() -> None:
    config, conflicts = merged({})
    assert conflicts == []
    assert config["theme"] == {
        "name": "material",
        "custom_dir": "overrides",
        "font": False,
        "features": ["navigation.indexes"],
    }
    assert config["plugins"] == []  # MkDocs would add its own search otherwise
    assert "hooks" not in config and "palette" not in config["theme"]
    assert config["site_url"] == SITE.url and config["nav"] == [{"Home": "index.md"}]
    assert "site_url" not in merged({}, Site())[0]


def test_the_owners_look_is_taken_and_lists_are_joined() -> None:
    palette = [{"scheme": "slate", "primary": "red"}]
    config, conflicts = merged(
        {
            "theme": {
                "name": "material",
                "palette": palette,
                "features": ["navigation.tabs", "navigation.indexes"],
                "font": {"text": "Inter"},
                "logo": "assets/own/logo.svg",
            },
            "extra_css": ["https://example.org/x.css"],
            "extra": {"analytics": {"provider": "google", "property": "G-XXXX"}},
            "copyright": "Me",
            "markdown_extensions": ["admonition", {"toc": {"toc_depth": 3}}],
            "plugins": [{"tags": {"tags_file": "tags.md"}}],
        }
    )
    assert conflicts == []
    theme = config["theme"]
    assert theme["palette"] == palette and theme["font"] == {"text": "Inter"}
    assert theme["features"] == ["navigation.indexes", "navigation.tabs"]
    assert theme["custom_dir"] == "overrides" and theme["logo"] == "assets/own/logo.svg"
    assert config["extra_css"][-1] == "https://example.org/x.css"
    # The generator's stylesheets come first (KaTeX's is linked by math pages alone).
    assert config["extra_css"][0] == "assets/search.css"
    assert config["extra"]["katex_style"] == "assets/katex/katex.min.css"
    assert config["extra"]["analytics"]["property"] == "G-XXXX"
    assert config["extra"]["feed"] == "feed.xml" and config["copyright"] == "Me"
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    assert names[-1] == "admonition" and names.count("toc") == 1
    assert {"toc": {"permalink": False, "toc_depth": 3}} in config["markdown_extensions"]
    assert config["plugins"] == [{"tags": {"tags_file": "tags.md"}}]


@pytest.mark.parametrize(
    ("owner", "path"),
    [
        ({"docs_dir": "pages"}, "docs_dir"),
        ({"site_dir": "public"}, "site_dir"),
        ({"nav": ["index.md"]}, "nav"),
        ({"use_directory_urls": False}, "use_directory_urls"),
        ({"strict": False}, "strict"),
        ({"site_name": "Other"}, "site_name"),
        ({"site_url": "https://other.example/"}, "site_url"),
        ({"theme": {"name": "readthedocs"}}, "theme.name"),
        ({"theme": "mkdocs"}, "theme.name"),
        ({"theme": {"custom_dir": "my-overrides"}}, "theme.custom_dir"),
        (
            {"markdown_extensions": [{"toc": {"permalink": True}}]},
            "markdown_extensions.0.toc.permalink",
        ),
        (
            {"markdown_extensions": ["admonition", {"pymdownx.arithmatex": {"generic": False}}]},
            "markdown_extensions.1.pymdownx.arithmatex.generic",
        ),
        ({"markdown_extensions": "toc"}, "markdown_extensions"),
        ({"plugins": ["search"]}, "plugins.0"),
        ({"plugins": {"material/search": {}}}, "plugins.material/search"),
        ({"extra": {"feed": "other.xml"}}, "extra.feed"),
        ({"extra": "analytics"}, "extra"),
        ({"extra_css": "x.css"}, "extra_css"),
        ({"validation": {"links": {"anchors": "ignore"}}}, "validation"),
        ({"INHERIT": "base.yml"}, "INHERIT"),
    ],
)
def test_a_setting_the_generator_needs_is_a_conflict_at_its_key(
    owner: dict[str, Any], path: str
) -> None:
    assert merged(owner)[1] == [path]


def test_repeating_the_generators_own_value_is_no_conflict() -> None:
    owner: dict[str, Any] = {
        "docs_dir": "docs",
        "site_name": "Papers",
        "site_url": SITE.url,
        "plugins": [],
    }
    owner["markdown_extensions"] = [{"pymdownx.arithmatex": {"generic": True}}]
    assert merged(owner)[1] == []
    # With no url in site.yaml the key is still site.yaml's: an owner's value is a conflict.
    assert merged({"site_url": "https://example.org/"}, Site())[1] == ["site_url"]


def test_a_conflict_says_where_the_setting_goes_instead() -> None:
    _, conflicts = merge_config({"site_url": "https://x.example/"}, generated_config(SITE, NAV, ()))
    assert "url in content/site.yaml" in conflicts[0].hint
    _, conflicts = merge_config({"plugins": ["search"]}, generated_config(SITE, NAV, ()))
    assert "Pagefind" in conflicts[0].message and "remove" in conflicts[0].hint


# ---- Reading the owner's file ----


def read(folder: Path, text: str, site: Site | None = SITE) -> tuple[OwnerConfig, list[str]]:
    (folder / "mkdocs.yml").write_text(text, encoding="utf-8")
    generated = None if site is None else generated_config(site, NAV, ())
    owner, problems = read_owner(folder, generated)
    return owner, [str(p) for p in problems]


def test_no_file_is_no_settings_and_no_problem(tmp_path: Path) -> None:
    assert read_owner(tmp_path, None) == (OwnerConfig(), [])


def test_conflicts_are_named_by_file_line_and_key(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    _, problems = read(
        tmp_path, "theme:\n  palette: {primary: red}\n  custom_dir: x\ndocs_dir: y\n"
    )
    assert problems[0].startswith("mkdocs.yml:3: theme.custom_dir: the generator needs 'overrides'")
    assert problems[1].startswith("mkdocs.yml:4: docs_dir: the generator needs 'docs'")
    assert len(problems) == 2


def test_python_tags_are_refused_before_anything_is_imported(tmp_path: Path) -> None:
    text = (
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra: !!python/object/apply:os.system [echo hacked]\n"
    )
    owner, problems = read(tmp_path, text)
    assert owner == OwnerConfig() and len(problems) == 2
    assert (
        ":3: yaml: the tag '!!python/name:material.extensions.emoji.twemoji' is not allowed"
        in (problems[0])
    )
    assert "import and run Python" in problems[0] and ":4: yaml:" in problems[1]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a: &x 1\nb: *x\n", ":1: yaml: YAML anchors and aliases are not allowed"),
        ("a: !secret x\n", ":1: yaml: the YAML tag '!secret' is not allowed"),
        ("a: !relative\n", ":1: yaml: only '!relative $config_dir'"),
        ("a: !relative $docs_dir\n", ":1: yaml: only '!relative $config_dir'"),
        ("a: 1\na: 2\n", ":2: a: duplicate key (first set on line 1)"),
        ("a: [1\n", ":2: yaml:"),
        ("a: 1\n---\nb: 2\n", ":2: yaml: a second YAML document starts here"),
        ("- a\n- b\n", ":1: yaml: expected settings (key: value)"),
        ("a: " + "[" * 30 + "]" * 30 + "\n", ":1: yaml: nested more than 20 levels deep"),
    ],
)
def test_unsafe_or_broken_yaml_is_one_line_with_its_line(
    tmp_path: Path, text: str, found: str
) -> None:
    _, problems = read(tmp_path, text, None)
    assert len(problems) == 1 and found in problems[0], problems


def test_env_and_relative_config_dir_are_resolved_when_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RL_ANALYTICS", "G-123")
    monkeypatch.delenv("RL_UNSET", raising=False)
    text = (
        "extra:\n  analytics: {property: !ENV RL_ANALYTICS}\n"
        "  other: !ENV [RL_UNSET, fallback]\n  none: !ENV RL_UNSET\n"
        "markdown_extensions:\n  - pymdownx.snippets: {base_path: !relative $config_dir}\n"
    )
    owner, problems = read(tmp_path, text)
    assert problems == []
    assert owner.settings["extra"] == {
        "analytics": {"property": "G-123"},
        "other": "fallback",
        "none": None,
    }
    snippets = owner.settings["markdown_extensions"][0]["pymdownx.snippets"]
    assert snippets["base_path"] == os.path.realpath(tmp_path)


def test_the_owners_files_are_copied_in_and_hooks_named_by_real_path(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {"look/logo.svg": "<svg/>", "look/extra.css": "a{}", "hooks/h.py": "", "x.js": ""},
    )
    text = (
        "theme: {logo: look/logo.svg, favicon: https://example.org/f.png}\n"
        "extra_css: [look/extra.css, 'https://cdn.example/x.css']\n"
        "extra_javascript: [{path: x.js, type: module}]\nhooks: [hooks/h.py]\n"
    )
    owner, problems = read(tmp_path, text)
    assert problems == []
    settings = owner.settings
    assert settings["theme"] == {
        "logo": "assets/own/look/logo.svg",
        "favicon": "https://example.org/f.png",
    }
    assert settings["extra_css"] == ["assets/own/look/extra.css", "https://cdn.example/x.css"]
    assert settings["extra_javascript"] == [{"path": "assets/own/x.js", "type": "module"}]
    assert settings["hooks"] == [os.path.realpath(tmp_path / "hooks" / "h.py")]
    assert owner.files == {
        "docs/assets/own/look/logo.svg": Path(os.path.realpath(tmp_path / "look/logo.svg")),
        "docs/assets/own/look/extra.css": Path(os.path.realpath(tmp_path / "look/extra.css")),
        "docs/assets/own/x.js": Path(os.path.realpath(tmp_path / "x.js")),
    }
    assert tmp_path / "mkdocs.yml" in owner.watched


def test_files_outside_the_folder_or_missing_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "list"
    write_files(tmp_path, {"secret.txt": "key", "list/ok.css": ""})
    (folder / "link.css").symlink_to(tmp_path / "secret.txt")
    text = (
        "theme: {logo: ../secret.txt}\nextra_css: [link.css, missing.css, /etc/passwd]\n"
        "hooks: [../secret.txt]\n"
    )
    _, problems = read(folder, text)
    assert len(problems) == 5, problems
    assert all("mkdocs.yml:" in p for p in problems)
    assert "mkdocs.yml:1: theme.logo: '../secret.txt' is outside the folder of" in problems[0]
    assert "extra_css.0: 'link.css' is outside" in problems[1]
    assert "extra_css.1: 'missing.css' is not a file" in problems[2]
    assert "extra_css.2: '/etc/passwd' is an absolute path" in problems[3]
    assert "mkdocs.yml:3: hooks.0: '../secret.txt' is outside" in problems[4]


def test_a_link_out_of_the_folder_is_refused_like_content(tmp_path: Path) -> None:
    folder = tmp_path / "list"
    folder.mkdir()
    (tmp_path / "outside.yml").write_text("theme: {palette: {primary: red}}\n")
    (folder / "mkdocs.yml").symlink_to(tmp_path / "outside.yml")
    owner, problems = read_owner(folder, None)
    assert owner == OwnerConfig() and len(problems) == 1
    assert "file: is a symbolic link to a file outside" in str(problems[0])


def test_every_builder_merges_the_same_owner_settings(tmp_path: Path) -> None:
    owner, _ = read(tmp_path, "theme: {palette: {primary: deep orange}}\ncopyright: Me\n")
    for name in ("mkdocs", "properdocs", "zensical"):
        [text] = get_builder(name).config_files(SITE, NAV, (), owner).values()
        config = yaml.safe_load(text)
        assert config["theme"]["palette"] == {"primary": "deep orange"}, name
        assert config["copyright"] == "Me" and config["theme"]["custom_dir"] == "overrides"
    assert mkdocs_config(SITE, NAV, ())["theme"]["font"] is False


# ---- Built ----


def golden_list(tmp_path: Path, mkdocs_yml: str | None) -> Path:
    shutil.copytree(FIXTURES / "golden" / "content", tmp_path / "content")
    if mkdocs_yml is not None:
        (tmp_path / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    return tmp_path / "content"


def test_a_palette_change_in_mkdocs_yml_changes_the_built_site(tmp_path: Path) -> None:
    look = "theme:\n  palette:\n    primary: {}\n  logo: logo.svg\n"
    content = golden_list(tmp_path, look.format("red"))
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    status, err = build(content, tmp_path)
    assert status == 0, err
    home = (tmp_path / "site" / "index.html").read_text()
    assert 'data-md-color-primary="red"' in home
    assert "assets/own/logo.svg" in home and (tmp_path / "site/assets/own/logo.svg").is_file()
    (tmp_path / "mkdocs.yml").write_text(look.format("teal"))
    assert build(content, tmp_path)[0] == 0
    home = (tmp_path / "site" / "index.html").read_text()
    assert 'data-md-color-primary="teal"' in home and 'primary="red"' not in home


def test_a_conflicting_mkdocs_yml_is_one_line_and_the_site_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = golden_list(tmp_path, None)
    assert build(content, tmp_path)[0] == 0
    before = (tmp_path / "site" / "index.html").read_bytes()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("site_name: Mine\nplugins: [search]\n")
    status, err = build(Path("content"), Path("."))
    assert status == 1 and "Traceback" not in err
    lines = [line for line in err.splitlines() if "mkdocs.yml" in line]
    assert lines[0].startswith("mkdocs.yml:1: site_name: is set by the generator")
    assert lines[1].startswith("mkdocs.yml:2: plugins.0: the theme's search is replaced")
    assert (tmp_path / "site" / "index.html").read_bytes() == before


def test_check_reports_the_owners_problems_with_the_contents(project: Path, run: Runner) -> None:
    write_files(project, {"mkdocs.yml": "theme:\n  name: readthedocs\n"})
    status, _, err = run("check")
    assert status == 1 and err.startswith("mkdocs.yml:2: theme.name: the generator needs")
    write_files(project, {"content/site.yaml": "title: [\n"})
    status, _, err = run("check")
    assert status == 1 and "content/site.yaml:2: yaml:" in err and "mkdocs.yml" not in err
    write_files(project, {"mkdocs.yml": "a: !!python/name:os.system\n"})
    status, _, err = run("check")
    assert "content/site.yaml:2: yaml:" in err and "mkdocs.yml:1: yaml: the tag" in err
