"""`readinglist new`: a list of one's own that checks, builds and deploys; and the tool as an
installed wheel (templates, assets and starter inside), run from folders that are not this
repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import yaml

from generator.commands.new import install_source, pip_url, starter_files
from generator.content.load import load_list

from .conftest import FIXTURES, ROOT, Runner
from .test_workflows import assert_build_gets_the_pages_address

BIN = Path(sys.executable).parent


def test_new_writes_a_list_that_checks_and_builds_from_its_own_folder(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, err = run("new", str(tmp_path / "my-papers"), "--source", "readinglist[site]")
    assert status == 0, err
    folder = tmp_path / "my-papers"
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert {
        "content/site.yaml",
        "content/topics.yaml",
        "mkdocs.yml",
        "Makefile",
        "README.md",
        ".gitignore",
        ".github/workflows/test.yml",
        ".github/workflows/deploy.yml",
    } <= names
    assert f"wrote {len(names)} files" in out
    reading_list = load_list(folder / "content")
    assert reading_list.site.title == "My papers"
    [example] = reading_list.papers
    assert "example" in (example.notes or "")  # the example paper says what it is
    monkeypatch.chdir(folder)
    status, _, err = run("check", "--strict")
    assert status == 0, err
    status, _, err = run("build")  # no --templates: the tool's own, from any folder
    assert status == 0, err
    assert (folder / "site" / "papers" / example.id / "index.html").is_file()
    assert (folder / "site" / "assets" / "katex" / "katex.min.js").is_file()
    # The starter's own mkdocs.yml gives the look: a dark palette beside the light one.
    assert 'data-md-color-scheme="slate"' in (folder / "site" / "index.html").read_text()


def test_build_from_another_folder_finds_the_shipped_templates(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # once a TemplateNotFound traceback outside the repository
    content = FIXTURES / "golden" / "content"
    status, _, err = run("build", "--content", str(content), "--out", "b", "--site", "s")
    assert status == 0, err
    assert (tmp_path / "s" / "papers" / "every-field" / "index.html").is_file()


def test_new_refuses_a_folder_that_holds_anything_and_leaves_it_alone(
    run: Runner, tmp_path: Path
) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    status, _, err = run("new", str(folder))
    assert status == 1
    assert err.count("\n") == 1 and "taken" in err and "not empty" in err, err
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]  # no staging folder left


def test_new_fills_an_empty_folder_and_names_a_bad_title_or_source(
    run: Runner, tmp_path: Path
) -> None:
    (tmp_path / "empty").mkdir()
    status, _, err = run("new", str(tmp_path / "empty"), "--title", "Ada's *papers*: $x$")
    assert status == 0, err
    assert load_list(tmp_path / "empty" / "content").site.title == "Ada's *papers*: $x$"
    status, _, err = run("new", str(tmp_path / "blank"), "--title", "   ")
    assert status == 1 and err.startswith("error: --title:"), err
    status, _, err = run("new", str(tmp_path / "bad"), "--source", "x'; rm -rf ~ #")
    assert status == 1 and "--source" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]


def test_the_makefile_installs_the_pinned_source_and_ci_runs_its_targets(tmp_path: Path) -> None:
    source = "readinglist[site] @ git+https://example.org/tool.git@" + "0" * 40
    files = starter_files("Mine", source)
    assert f"READINGLIST := {source}\n" in files["Makefile"]
    (tmp_path / "Makefile").write_text(files["Makefile"])
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}

    def dry_run(target: str) -> list[str]:
        command = ["make", "--no-print-directory", "-n", "-C", str(tmp_path), target]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        return result.stdout.splitlines()

    assert f"install --quiet '{source}'" in "\n".join(dry_run("install"))
    assert dry_run("site")[-1].endswith("/readinglist build")
    assert [line.split("/")[-1] for line in dry_run("test")[-2:]] == [
        "readinglist check --strict",
        "readinglist build",
    ]
    workflows = {
        name: yaml.safe_load(text)
        for name, text in files.items()
        if name.startswith(".github/workflows/")
    }
    steps = {name: str(w["jobs"]) for name, w in workflows.items()}
    assert "make test" in steps[".github/workflows/test.yml"]
    assert "make site" in steps[".github/workflows/deploy.yml"]
    assert "deploy-pages" in steps[".github/workflows/deploy.yml"]
    assert_build_gets_the_pages_address(workflows[".github/workflows/deploy.yml"])
    setup = files["README.md"].split("```sh\n")[1].split("```")[0]
    assert [line.split()[1] for line in setup.splitlines()] == ["site", "serve", "test"]


def test_the_new_lists_workflows_are_valid_and_zizmor_finds_nothing_high(tmp_path: Path) -> None:
    files = starter_files("Mine", "readinglist[site]")
    paths = []
    for name, text in files.items():
        if name.startswith(".github/workflows/"):
            paths.append(tmp_path / Path(name).name)
            paths[-1].write_text(text)
    assert len(paths) == 2
    schema = [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows"]
    result = subprocess.run([*schema, *map(str, paths)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    result = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
    )
    high = [
        f["ident"] for f in json.loads(result.stdout) if f["determinations"]["severity"] == "High"
    ]
    assert high == [], high


def test_the_pinned_source_defaults_to_what_is_running() -> None:
    source = install_source()
    assert source.startswith("readinglist[site]")
    # An editable install of a checkout without a remote pins the version; with a VCS
    # install the commit (both are pip requirements the Makefile can quote).
    assert "==" in source or "@ git+" in source, source


def _source_copy(dest: Path) -> Path:
    """What a `pip install` of this repository builds from, copied away from the working
    tree (building writes build/ and *.egg-info beside the sources)."""
    junk = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("generator", "templates"):
        shutil.copytree(ROOT / name, dest / name, ignore=junk)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, dest / name)
    return dest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = _source_copy(tmp_path_factory.mktemp("source"))
    dist = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    result = subprocess.run(
        [*command, "--no-index", "-w", str(dist), str(source)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    [built] = dist.glob("readinglist-*.whl")
    return built


def test_the_wheel_carries_every_module_template_asset_and_starter_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    generator = ROOT / "generator"
    expected = {
        f"generator/{p.relative_to(generator).as_posix()}"
        for p in generator.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    expected |= {
        f"generator/templates/{p.relative_to(ROOT / 'templates').as_posix()}"
        for p in (ROOT / "templates").rglob("*")
        if p.is_file()
    }
    assert sorted(expected - names) == []
    assert "generator/templates/assets/katex/fonts/KaTeX_Main-Regular.woff2" in names
    assert "generator/builders/mkdocs/overrides/main.html" in names


def test_the_installed_wheel_starts_and_builds_a_list_outside_the_repository(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    # No network: the wheel alone, its dependencies from this environment's site-packages
    # (a path, not a site folder, so this checkout's editable install is not seen there).
    inner = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(inner, "outer.pth").write_text(sysconfig.get_path("purelib") + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps"]
    subprocess.run([*pip, "--no-index", "--quiet", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": ""}
    where = subprocess.run(
        [str(python), "-c", "import generator; print(generator.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(inner), where  # the wheel's copy, not this checkout
    tool = str(venv / "bin" / "readinglist")

    def run(*args: str, cwd: Path) -> None:
        result = subprocess.run([tool, *args], cwd=cwd, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr[-3000:]

    run("new", "list", "--source", "readinglist[site]", cwd=elsewhere)
    folder = elsewhere / "list"
    run("build", cwd=folder)
    assert (folder / "site" / "papers" / "attention-is-all-you-need" / "index.html").is_file()
    assert (folder / "site" / "assets" / "katex" / "katex.min.js").is_file()
    other = tmp_path / "other"
    other.mkdir()
    run("build", "--content", str(folder / "content"), "--site", str(other / "site"), cwd=other)
    assert (other / "site" / "index.html").read_bytes() == (
        folder / "site" / "index.html"
    ).read_bytes()


@pytest.mark.parametrize(
    ("remote", "url"),
    [
        ("https://github.com/o/r.git", "https://github.com/o/r.git"),
        ("git@github.com:o/r.git", "ssh://git@github.com/o/r.git"),
        ("/srv/git/r", "file:///srv/git/r"),
        ("../r", "file:///work/r"),
    ],
)
def test_a_checkouts_remote_becomes_a_url_pip_installs(remote: str, url: str) -> None:
    assert pip_url(remote, "/work/checkout") == url


def test_new_accepts_the_source_a_clone_of_a_local_repository_pins(
    run: Runner, tmp_path: Path
) -> None:
    # `name @ url` is how a pinned commit reads; its spaces are no danger in the Makefile's
    # quotes, but a line break would be.
    source = f"readinglist[site] @ git+{pip_url('/srv/git/r', '/x')}@{'0' * 40}"
    status, _, err = run("new", str(tmp_path / "mine"), "--source", source)
    assert status == 0, err
    assert f"READINGLIST := {source}\n" in (tmp_path / "mine" / "Makefile").read_text()
    status, _, err = run("new", str(tmp_path / "bad"), "--source", "readinglist\nall:")
    assert status == 1 and "--source" in err and not (tmp_path / "bad").exists(), err
