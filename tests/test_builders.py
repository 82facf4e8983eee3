"""The SiteBuilder interface and its MkDocs implementation: the registry, mkdocs.yml as data
(any text safe in it), the dirty-rebuild touch, and a served build that keeps mkdocs.yml's
own hooks and indexes search beside them."""

from __future__ import annotations

import html
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.builders import BUILDERS, DEFAULT_BUILDER, get_builder
from generator.builders.mkdocs import MkDocsBuilder, serve_hooks, serve_pending
from generator.builders.mkdocs.config import config_text, mkdocs_config
from generator.errors import BuildError
from generator.model import Site
from generator.render.nav import Navigation, NavItem

from .conftest import FIXTURES, ROOT, write_files
from .test_serve import free_port, wait_until_up

HOSTILE_TITLES = [
    "Emoji 🧠 and 😀 in a title",
    "Line\u2028separator, paragraph\u2029separator and next\x85line",
    "Quotes \" ' and : colons # hashes - dashes ? marks",
    "<b>Bold</b> & <script>alert(1)</script>",
    "`code` span",
    "Long " + "title " * 220,  # over 1,024 characters: no implicit YAML key can hold it
]


def _navigation(titles: list[str]) -> Navigation:
    topics = tuple(NavItem(title, f"topics/t{i}.md") for i, title in enumerate(titles))
    items = (
        NavItem("Home", "index.md"),
        NavItem("Topics", children=(NavItem(None, "topics/index.md"), *topics)),
    )
    return Navigation(items, ("/papers/**",))


def test_the_default_builder_is_mkdocs_and_unknown_names_are_refused() -> None:
    assert DEFAULT_BUILDER in BUILDERS
    assert isinstance(get_builder(), MkDocsBuilder)
    assert sorted(BUILDERS) == ["mkdocs", "properdocs", "zensical"]
    for name in BUILDERS:
        assert get_builder(name).name == name
    with pytest.raises(BuildError, match=r"unknown site builder 'hugo'; expected one of: mkdocs, "):
        get_builder("hugo")


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_any_title_reads_back_from_mkdocs_yml_as_escaped_text(title: str) -> None:
    from mkdocs.utils.yaml import yaml_load

    text = config_text(Site(title=title), _navigation([title, "Plain"]), (f"error: {title}",))
    for loaded in (yaml.safe_load(text), yaml_load(text)):
        # MkDocs and Material put these into HTML unescaped: they are escaped text.
        assert loaded["site_name"] == html.escape(" ".join(title.split()).replace("`", ""))
        topics = loaded["nav"][1]["Topics"]
        assert topics[0] == "topics/index.md"
        assert topics[1] == {html.escape(title): "topics/t0.md"}
        assert topics[2] == {"Plain": "topics/t1.md"}
        assert loaded["extra"]["content_errors"] == [f"error: {title}"]
    assert len(max(text.splitlines(), key=len)) < len(title) + 200  # one line, not folded


def test_mkdocs_yml_is_the_same_bytes_for_the_same_inputs() -> None:
    site = Site(title="A list", url="https://example.org/list/", repo_url="https://x.org/r")
    first = config_text(site, _navigation(HOSTILE_TITLES), ())
    assert first == config_text(site, _navigation(HOSTILE_TITLES), ())
    keys = [line.split(":")[0] for line in first.splitlines() if line[:1].isalpha()]
    assert keys == sorted(keys) and "site_url" in keys and "repo_url" in keys
    assert "site_url" not in mkdocs_config(Site(), _navigation([]), ())


def test_a_hostile_navigation_builds_strict(tmp_path: Path) -> None:
    builder = get_builder()
    project = tmp_path / "build"
    pages = {f"docs/topics/t{i}.md": f"# Topic {i}\n" for i in range(len(HOSTILE_TITLES))}
    pages |= {"docs/index.md": "# Home\n", "docs/topics/index.md": "# Topics\n"}
    site = Site(title=HOSTILE_TITLES[0])
    write_files(project, {**pages, **builder.config_files(site, _navigation(HOSTILE_TITLES), ())})
    for destination, source in builder.static_files().items():
        target = project / destination
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
        else:
            shutil.copytree(source, target)
    builder.build(project, tmp_path / "site", epoch=1_700_000_000)
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in home and "<script>alert(1)" not in home
    assert "Emoji 🧠 and 😀 in a title" in home


def test_written_paths_are_handed_to_the_served_site_and_wake_it(tmp_path: Path) -> None:
    builder = get_builder()
    assert isinstance(builder, MkDocsBuilder)
    woken: list[int] = []
    builder.after_write(tmp_path, ["docs/a.md"])  # before the server listens: kept
    builder.changes.wake = lambda: woken.append(1)
    builder.after_write(tmp_path, [])
    assert woken == []  # nothing written, nothing to rebuild
    builder.after_write(tmp_path, ["docs/b.md", "mkdocs.yml"])
    assert woken == [1]
    assert builder.changes.take() == ({"docs/a.md", "docs/b.md", "mkdocs.yml"}, False)
    assert builder.changes.take() == (set(), False)


def test_the_open_pages_are_those_polled_or_served_lately_newest_first() -> None:
    now = [1000.0]
    readers = serve_pending.Readers("/list/", clock=lambda: now[0])

    def poll(page: str) -> str | None:
        environ = {"PATH_INFO": "/livereload/1/2", "HTTP_REFERER": f"http://h:1{page}"}
        return readers.saw_request(environ)

    assert poll("/list/papers/a/") is None  # a poll is not a page to serve
    now[0] += 1
    assert readers.saw_request({"PATH_INFO": "/list/topics/t/"}) == "topics/t/index.html"
    assert readers.saw_request({"PATH_INFO": "/list/assets/x.css"}) is None
    assert readers.saw_request({"PATH_INFO": "/elsewhere/"}) is None  # outside the mount
    assert readers.saw_request({"PATH_INFO": "/list/../../etc/passwd.html"}) == "etc/passwd.html"
    assert readers.open_pages() == ["etc/passwd.html", "topics/t/index.html", "papers/a/index.html"]
    now[0] += serve_pending.OPEN_S + 0.5
    poll("/list/papers/a/")  # polled again: open; the others were not seen for too long
    assert readers.open_pages() == ["papers/a/index.html"]
    for n in range(serve_pending.OPEN_MAX + 5):
        readers.saw_request({"PATH_INFO": f"/list/p{n}/"})
    assert len(readers.open_pages()) == serve_pending.OPEN_MAX


def test_waiting_pages_render_in_the_background_or_first_when_asked_for() -> None:
    rendered: list[str] = []
    gate = threading.Event()

    def render(src: str) -> None:
        if src == "slow.md":
            gate.wait(10)
        if src == "broken.md":
            raise ValueError("bad page")
        rendered.append(src)

    pending = serve_pending.Pending(render)
    pending.add([("slow.html", "slow.md"), ("a.html", "a.md"), ("broken.html", "broken.md")])
    pending.add([("b.html", "b.md"), ("a.html", "a.md")])  # again: moves to the end
    assert list(pending.todo) == ["slow.html", "broken.html", "b.html", "a.html"]
    pending.resume()
    time.sleep(0.1)  # the background is held on slow.md
    asked = threading.Thread(target=pending.fresh, args=("a.html",))
    asked.start()
    gate.set()
    asked.join(5)
    pending.fresh("nothing.html")  # not waiting: nothing rendered
    deadline = time.monotonic() + 5
    while pending.todo and time.monotonic() < deadline:
        time.sleep(0.01)
    pending.pause()
    # The request went before the pages queued ahead of it; a failing page stopped nothing.
    assert rendered == ["slow.md", "a.md", "b.md"], rendered
    pending.add([("c.html", "c.md"), ("d.html", "d.md")])
    gate.clear()
    pending.add([("slow.html", "slow.md")])
    pending.todo = {"slow.html": "slow.md", **pending.todo}
    pending.resume()
    time.sleep(0.1)
    stopper = threading.Thread(target=pending.pause)
    stopper.start()
    gate.set()
    stopper.join(5)
    # Paused after the page it was rendering: the rest stays to do, in order.
    assert not stopper.is_alive() and list(pending.todo) == ["c.html", "d.html"]


def test_the_background_waits_while_serve_regenerates_the_next_edit() -> None:
    builder = MkDocsBuilder()
    rendered: list[str] = []
    pending = serve_pending.Pending(rendered.append, builder.changes.generating)
    pending.add([("a.html", "a.md"), ("b.html", "b.md")])
    builder.regenerating(True)  # serve's watcher began a regeneration
    pending.resume()
    time.sleep(0.2)
    assert rendered == []
    pending.fresh("b.html")  # a request is still answered
    assert rendered == ["b.md"]
    builder.regenerating(False)
    deadline = time.monotonic() + 5
    while pending.todo and time.monotonic() < deadline:
        time.sleep(0.01)
    pending.pause()
    assert rendered == ["b.md", "a.md"]
    builder.regenerating(True)
    pending.add([("c.html", "c.md")])
    pending.resume()
    pending.pause()  # a rebuild stops a waiting background at once
    assert list(pending.todo) == ["c.html"]


def test_serve_tells_the_builder_while_it_regenerates(tmp_path: Path) -> None:
    from generator.commands.serve import Regenerator

    seen: list[bool] = []

    class Builder(MkDocsBuilder):
        def regenerating(self, busy: bool) -> None:
            seen.append(busy)
            super().regenerating(busy)

    builder = Builder()
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "golden" / "content", content)
    regenerator = Regenerator(content, ROOT / "templates", tmp_path / "build", builder)
    assert regenerator.regenerate() is None
    (content / "papers" / "broken.yaml").write_text("title: [unclosed\n")
    assert regenerator.regenerate() is not None  # a failed one ends too
    assert seen == [True, False, True, False]
    assert not builder.changes.generating.is_set()


def test_serve_indexing_runs_one_at_a_time_in_build_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []

    class SlowIndexer:
        def __init__(self, records: Path, bundle: Path, live: str | None = None) -> None:
            self.number = len([e for e in events if e.startswith("start")])
            events.append(f"start {self.number}")

        def finish(self) -> None:
            time.sleep(0.3)
            events.append(f"end {self.number}")

    monkeypatch.setattr(serve_hooks, "Indexer", SlowIndexer)
    guard = threading.Lock()
    first = serve_hooks.ServeIndexing(tmp_path, guard)
    second = serve_hooks.ServeIndexing(tmp_path, threading.Lock())
    config: dict[str, Any] = {"site_dir": str(tmp_path / "site")}
    first.on_post_build(config)
    while not events:  # started in its thread
        time.sleep(0.01)
    second.on_post_build(config)  # another server's indexing: not waited for
    first.on_pre_build(config)
    first.on_post_build(config)
    # The build ended, and let go of the project, without waiting for the index before it:
    # the next edit's write waits for that guard.
    assert "end 0" not in events and not guard.locked()
    assert first.running is not None and second.running is not None
    first.running.join()
    second.running.join()
    assert events.index("start 1") < events.index("end 0")  # the other server's ran beside
    assert events.index("end 0") < events.index("start 2")  # this server's waited its turn
    assert len(events) == 6


def test_serve_keeps_the_projects_own_hooks_and_indexes_search(tmp_path: Path) -> None:
    project = tmp_path / "build"
    builder = get_builder()
    config = yaml.safe_load(builder.config_files(Site(), _navigation([]), ())["mkdocs.yml"])
    config["hooks"] = ["own_hook.py"]
    del config["theme"]["custom_dir"]
    write_files(
        project,
        {
            "mkdocs.yml": yaml.safe_dump(config),
            "own_hook.py": (
                "from pathlib import Path\n"
                "def on_post_build(config, **_):\n"
                f"    Path({str(tmp_path / 'own-hook-ran')!r}).write_text('yes')\n"
            ),
            "docs/index.md": "# Home\n",
            "docs/topics/index.md": "# Topics\n",
            "search/papers/p.html": "<html><body data-pagefind-body><h1>Zebra</h1></body></html>",
        },
    )
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pathlib, threading; from generator.builders import get_builder; "
            "get_builder().serve(pathlib.Path(sys.argv[1]), sys.argv[2], threading.Lock())",
            str(project),
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        stdout=(tmp_path / "serve.log").open("w"),
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, process)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "pagefind/pagefind.js", timeout=2) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise AssertionError("no search index served: " + (tmp_path / "serve.log").read_text())
        assert (tmp_path / "own-hook-ran").read_text() == "yes"
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    assert "Traceback" not in (tmp_path / "serve.log").read_text()


class _OtherFrontMatter(MkDocsBuilder):
    name = "other"

    def front_matter(self) -> dict[str, Any]:
        return {"hide": ["toc"]}


def test_the_builders_front_matter_is_on_every_page_and_rerenders_them(tmp_path: Path) -> None:
    from generator.commands.build import generate

    content, out = ROOT / "tests" / "fixtures" / "golden" / "content", tmp_path / "build"
    generate(content, ROOT / "templates", out, get_builder())
    pages = sorted((out / "docs").rglob("*.md"))
    assert len(pages) > 10
    assert all(front_matter(p).get("search") == {"exclude": True} for p in pages)
    _, report = generate(content, ROOT / "templates", out, _OtherFrontMatter())
    assert {f"docs/{p.relative_to(out / 'docs').as_posix()}" for p in pages} <= set(report.written)
    assert all(front_matter(p).get("hide") == ["toc"] for p in pages)
    assert not any("search" in front_matter(p) for p in pages)


def front_matter(page: Path) -> dict[str, Any]:
    """The YAML between a page's opening `---` lines (every generated page has one)."""
    text = page.read_text()
    assert text.startswith("---\n"), page
    return dict(yaml.safe_load(text[4 : text.index("\n---\n", 4)]))
