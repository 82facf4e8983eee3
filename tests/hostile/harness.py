"""The hostile corpus: its cases, their content folders, and the CLI run on them in a fork.

A case (one item of a tests/hostile/*.yaml list) says what an attacker puts into a content
folder and what must come of it. Keys:

- `id` (a slug, unique in the corpus) and `class` (what kind of attack).
- `files`: content-relative path -> text, `{base64: ...}` for bytes, or `{pieces: [[text,
  count], ...]}` for large generated text. `@ID@` in any text is replaced by the id, which is
  the marker the browser scan looks for: every hostile text shows it, every payload calls
  `__pwn('@ID@')`.
- `topics`: topic items (YAML list text) appended to the base topics.yaml, which declares the
  topic `hostile`; a case that writes its own `topics.yaml` replaces it.
- `outside`: project-relative files written beside content/ (what a symlink may point at);
  `symlink: [{path, target}]`, `fifo: [path]`, `directory: [path]`: content-relative, made by
  the harness. `base: false` starts from an empty project instead of the base content.
- The outcome: `error: [lines]`, the exact stderr of `readinglist check` and of `build` (exit
  status 1, site/ and content/ untouched), with `banner: true` if `serve` must show it too; or
  `renders: true`: the build succeeds and, in Chromium, nothing runs and nothing is injected.
  `absent: [text]`: strings no built file may contain (a file's secret, Jinja's result);
  `shown: false`: the text shows on no page (keywords), so no page is opened for it;
  `searched: false`: the text is in no search record (a topic's keywords, the site's fields),
  so the header search is not asked for it (a test checks that it is indeed in none).
- `command: [import, ../x.bib]`: an error case of that command (`import`, `add`) instead of
  `check` and `build`: its exact stderr (progress lines aside), exit status 1, nothing
  changed. `before: [[import, x.bib], [add, --offline, 10.5555/x]]`: commands a render case
  runs in the project (each must succeed) before it is built: what they write is scanned.
  `http: {URL: {status, content_type, text}}`: responses in the project's HTTP cache
  (.readinglist-http/), what `add --offline` reads: a hostile service's answer.
- `known_failure: reason`: the product does not hold yet; the test is xfail(strict=True).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import os
import re
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).resolve().parent
ROOT = CORPUS.parent.parent

BASE_TOPICS = """\
- id: hostile
  title: Hostile inputs
  description: Papers an attacker wrote.
  keywords: [hostile]
"""


@dataclass(frozen=True)
class Case:
    id: str
    cls: str
    source: str
    files: dict[str, bytes] = field(default_factory=dict)
    topics: str = ""
    outside: dict[str, bytes] = field(default_factory=dict)
    symlinks: tuple[tuple[str, str], ...] = ()
    fifos: tuple[str, ...] = ()
    directories: tuple[str, ...] = ()
    base: bool = True
    error: tuple[str, ...] | None = None
    banner: bool = False
    known_failure: str | None = None
    absent: tuple[str, ...] = ()
    shown: bool = True
    searched: bool = True
    command: tuple[str, ...] = ()
    before: tuple[tuple[str, ...], ...] = ()
    http: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def renders(self) -> bool:
        return self.error is None

    @property
    def mergeable(self) -> bool:
        """Whether the case can share a content folder with others without changing them."""
        own = {"site.yaml", "topics.yaml"} & set(self.files)
        return self.renders and self.base and not own


def _data(value: Any, case_id: str) -> bytes:
    if isinstance(value, str):
        return value.replace("@ID@", case_id).encode("utf-8")
    if isinstance(value, dict) and set(value) == {"base64"}:
        return base64.b64decode(value["base64"])
    if isinstance(value, dict) and set(value) == {"pieces"}:
        return b"".join(_data(text, case_id) * count for text, count in value["pieces"])
    raise ValueError(f"case {case_id}: a file is text, {{base64: ...}} or {{pieces: ...}}")


def _id(text: str, case_id: str) -> str:
    return text.replace("@ID@", case_id)


def _case(raw: dict[str, Any], source: str) -> Case:
    case_id = raw["id"]
    allowed = {
        "id", "class", "files", "topics", "outside", "symlink", "fifo", "directory", "base",
        "error", "renders", "banner", "known_failure", "absent", "shown", "searched", "command",
        "before", "http",
    }  # fmt: skip
    unknown = set(raw) - allowed
    if unknown or ("error" in raw) == bool(raw.get("renders")):
        raise ValueError(f"{source}: case {case_id}: unknown keys {unknown} or no one outcome")
    error = raw.get("error")
    return Case(
        id=case_id,
        cls=raw["class"],
        source=source,
        files={_id(k, case_id): _data(v, case_id) for k, v in (raw.get("files") or {}).items()},
        topics=(raw.get("topics") or "").replace("@ID@", case_id),
        outside={_id(k, case_id): _data(v, case_id) for k, v in (raw.get("outside") or {}).items()},
        symlinks=tuple(
            (_id(s["path"], case_id), _id(s["target"], case_id)) for s in raw.get("symlink") or ()
        ),
        fifos=tuple(_id(p, case_id) for p in raw.get("fifo") or ()),
        directories=tuple(_id(p, case_id) for p in raw.get("directory") or ()),
        base=raw.get("base", True),
        error=None if error is None else tuple(line.replace("@ID@", case_id) for line in error),
        banner=bool(raw.get("banner")),
        known_failure=raw.get("known_failure"),
        absent=tuple(raw.get("absent") or ()),
        shown=raw.get("shown", True),
        searched=raw.get("searched", True),
        command=tuple(_id(a, case_id) for a in raw.get("command") or ()),
        before=tuple(tuple(_id(a, case_id) for a in argv) for argv in raw.get("before") or ()),
        http={
            _id(url, case_id): _response(r, case_id) for url, r in (raw.get("http") or {}).items()
        },
    )


def _response(raw: dict[str, Any], case_id: str) -> dict[str, Any]:
    return {
        "status": int(raw.get("status", 200)),
        "content_type": raw.get("content_type", "application/json"),
        "text": _data(raw["text"], case_id).decode("utf-8"),
    }


def load_corpus() -> list[Case]:
    cases = [
        _case(raw, path.name)
        for path in sorted(CORPUS.glob("*.yaml"))
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]
    ids = [case.id for case in cases]
    duplicated = {i for i in ids if ids.count(i) > 1}
    assert not duplicated, f"duplicate case ids: {duplicated}"
    return cases


def lay_out(cases: list[Case], project: Path) -> None:
    """Write the content folder (project/content) holding every case in `cases`."""
    content = project / "content"
    content.mkdir(parents=True)
    if all(case.base for case in cases):
        (content / "papers").mkdir()
        topics = BASE_TOPICS + "".join(case.topics for case in cases)
        (content / "topics.yaml").write_text(topics, encoding="utf-8")
    for case in cases:
        for root, files in ((content, case.files), (project, case.outside)):
            for rel, data in files.items():
                path = root / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                if path.is_symlink() or path.exists():
                    path.unlink()
                path.write_bytes(data)
        for url, response in case.http.items():
            # As the HTTP client stores a response (generator/services/http.py).
            cache = project / ".readinglist-http"
            cache.mkdir(exist_ok=True)
            name = hashlib.sha256(url.encode()).hexdigest() + ".json"
            (cache / name).write_text(json.dumps({"url": url, **response}), encoding="utf-8")
        for rel in case.directories:
            (content / rel).mkdir(parents=True, exist_ok=True)
        for rel in case.fifos:
            (content / rel).parent.mkdir(parents=True, exist_ok=True)
            os.mkfifo(content / rel)
        for rel, target in case.symlinks:
            link = content / rel
            link.parent.mkdir(parents=True, exist_ok=True)
            if link.is_symlink() or link.exists():
                link.unlink() if not link.is_dir() or link.is_symlink() else _rmtree(link)
            link.symlink_to(target)


def _rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path)


def tree_digest(folder: Path) -> dict[str, str]:
    """Every entry below `folder` by kind and content, without opening FIFOs or following
    links: what "left untouched" is checked against."""
    digest: dict[str, str] = {}
    if not folder.exists() and not folder.is_symlink():
        return digest
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            rel = str(path.relative_to(folder))
            if path.is_symlink():
                digest[rel] = "link:" + os.readlink(path)
            elif path.is_dir():
                digest[rel] = "dir"
            elif path.is_file():
                digest[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                digest[rel] = "special"
    return digest


@dataclass(frozen=True)
class Outcome:
    """How a forked `readinglist` run ended."""

    status: int | str
    """The exit status, `signal N` when killed by one, or `timeout`."""
    out: str
    err: str
    seconds: float


class Forked:
    """`readinglist ARGS` run in a forked child: crash, hang and exit can't take pytest down,
    and the child starts with this process' imports (a subprocess would pay them again)."""

    def __init__(self, argv: list[str] | list[list[str]], cwd: Path, timeout: float) -> None:
        self.timeout = timeout
        self.out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _read
        self.err = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _read
        self.started = time.monotonic()
        self.result: Outcome | None = None
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - the child
            self._child(argv, cwd)

    def _child(self, argv: list[str] | list[list[str]], cwd: Path) -> None:
        status = 70
        try:
            os.setpgid(0, 0)
            os.dup2(self.out.fileno(), 1)
            os.dup2(self.err.fileno(), 2)
            sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
            root = logging.getLogger()
            for handler in list(root.handlers):
                root.removeHandler(handler)  # pytest's, which would swallow the CLI's log
            os.chdir(cwd)
            from generator.commands.cli import main

            # Several commands run one after the other, the first that fails ending the run.
            for one in argv if argv and isinstance(argv[0], list) else [argv]:
                status = main(one)  # type: ignore[arg-type]
                if status != 0:
                    break
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(status)

    def poll(self) -> Outcome | None:
        if self.result is not None:
            return self.result
        pid, wait_status = os.waitpid(self.pid, os.WNOHANG)
        elapsed = time.monotonic() - self.started
        status: int | str
        if pid == 0:
            if elapsed < self.timeout:
                return None
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            status = "timeout"
        elif os.WIFSIGNALED(wait_status):
            status = f"signal {os.WTERMSIG(wait_status)}"
        else:
            status = os.WEXITSTATUS(wait_status)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)  # a child it left behind
        self.result = Outcome(status, _read(self.out), _read(self.err), elapsed)
        return self.result

    def wait(self) -> Outcome:
        while (outcome := self.poll()) is None:
            time.sleep(0.01)
        return outcome


def _read(file: Any) -> str:
    file.seek(0)
    text: str = file.read().decode("utf-8", errors="replace")
    file.close()
    return text


Job = tuple[list[str] | list[list[str]], Path]
"""(argv, or argvs run in turn; the folder they run in)."""


def run_all(jobs: list[Job], timeout: float, parallel: int = 2) -> list[Outcome]:
    """Run each (argv, cwd) in its own fork, `parallel` at a time, in order of the list."""
    results: list[Outcome | None] = [None] * len(jobs)
    running: dict[int, Forked] = {}
    queue = list(enumerate(jobs))
    while queue or running:
        while queue and len(running) < parallel:
            index, (argv, cwd) = queue.pop(0)
            running[index] = Forked(argv, cwd, timeout)
        for index, job in list(running.items()):
            outcome = job.poll()
            if outcome is not None:
                results[index] = outcome
                del running[index]
        time.sleep(0.01)
    return [r for r in results if r is not None]


def build_argv(project: Path) -> list[str]:
    return [
        "build",
        "--content",
        str(project / "content"),
        "--templates",
        str(ROOT / "templates"),
        "--out",
        str(project / "build"),
        "--site",
        str(project / "site"),
    ]


@dataclass
class ErrorRun:
    outcomes: dict[str, Outcome]
    """By command name: `check` and `build`, or the case's own `command`."""
    untouched: dict[str, tuple[Any, Any]]
    """What must be as it was (site/, content/, the project's other entries): before, after."""

    def lines(self, name: str) -> list[str]:
        """What the command printed on stderr, its progress lines (`import: 3/9`) aside."""
        return [line for line in self.outcomes[name].err.splitlines() if not PROGRESS.match(line)]


PREVIOUS_SITE = {"index.html": b"<p>the last good site</p>", "assets/site.css": b"p {}"}
PROGRESS = re.compile(r"^[a-z]+: \d+/\d+$")


def run_error_cases(cases: list[Case], root: Path, timeout: float) -> dict[str, ErrorRun]:
    """Lay out each error case with a previous site/, run check then build on it (or the
    case's own command)."""
    cases = [case for case in cases if case.error is not None]
    build = ["build", "--templates", str(ROOT / "templates")]
    jobs: list[tuple[str, str, Job]] = []
    before = {}
    for case in cases:
        project = root / case.id
        lay_out([case], project)
        for rel, data in PREVIOUS_SITE.items():
            (project / "site" / rel).parent.mkdir(parents=True, exist_ok=True)
            (project / "site" / rel).write_bytes(data)
        before[case.id] = _untouched(project)
        if case.command:
            jobs.append((case.id, case.command[0], (list(case.command), project)))
        else:
            jobs += [(case.id, "check", (["check"], project)), (case.id, "build", (build, project))]
    outcomes = run_all([job for _, _, job in jobs], timeout)
    runs = {case.id: ErrorRun({}, {}) for case in cases}
    for (case_id, name, _), outcome in zip(jobs, outcomes, strict=True):
        runs[case_id].outcomes[name] = outcome
    for case in cases:
        after = _untouched(root / case.id)
        runs[case.id].untouched = {key: (old, after[key]) for key, old in before[case.id].items()}
    return runs


def _untouched(project: Path) -> dict[str, Any]:
    return {
        "site/": tree_digest(project / "site"),
        "content/": tree_digest(project / "content"),
        # build/ is the generator's own; anything else new (.site.new, ...) is a leftover.
        "project entries": sorted(p.name for p in project.iterdir() if p.name != "build"),
    }
