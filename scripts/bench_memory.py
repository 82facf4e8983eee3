"""Peak memory of every process of a command, its children included (Pagefind, the
related-papers child, a builder's own processes), by what each process is.

The whole tree is polled with psutil while the command runs. On Linux each process's peak is
the kernel's own high-water mark (VmHWM in /proc/PID/status), so a peak between two polls is
not missed; a process that lives less than one poll may be. The command's own getrusage of
its children could only give the largest of them all, not which one it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

import psutil  # type: ignore[import-untyped]

POLL_SECONDS = 0.1


def process_label(cmdline: Sequence[str], parent_cmdline: Sequence[str] | None = None) -> str:
    """What a process is, from its command line: `readinglist build`, `python -m pagefind`,
    `pagefind`; a forked child (the same command line as its parent) says so."""
    if not cmdline:
        return "?"
    program = os.path.basename(cmdline[0])
    rest = list(cmdline[1:])
    if program.startswith("python"):
        program = "python"
        if rest[:1] == ["-m"] and len(rest) > 1:
            label = f"python -m {rest[1]}"
        elif rest[:1] == ["-c"]:
            label = "python -c"
        elif rest and not rest[0].startswith("-"):
            # A console script (`.venv/bin/readinglist build`) runs as python SCRIPT ARGS.
            script = os.path.basename(rest[0])
            words = [w for w in rest[1:2] if not w.startswith("-")]
            label = " ".join([script, *words])
        else:
            label = "python"
    else:
        words = [w for w in rest[:1] if not w.startswith("-") and "/" not in w]
        label = " ".join([program, *words])
    if parent_cmdline is not None and list(parent_cmdline) == list(cmdline):
        label += " (forked child)"
    return label


def merge_peaks(samples: Iterable[tuple[str, float]]) -> dict[str, float]:
    """(label, MB) samples -> the largest MB per label, largest first."""
    peaks: dict[str, float] = {}
    for label, megabytes in samples:
        peaks[label] = max(megabytes, peaks.get(label, 0.0))
    return dict(sorted(peaks.items(), key=lambda item: (-item[1], item[0])))


def _peak_mb(process: psutil.Process) -> float:
    """The process's peak resident memory so far (MB); its current one where the kernel
    keeps no peak."""
    try:
        with open(f"/proc/{process.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float(process.memory_info().rss) / 2**20


class TreeMonitor:
    """Polls the process tree under `pid` in a thread until stopped; `peaks` is then the
    largest peak per process label (MB)."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.per_pid: dict[int, tuple[str, float]] = {}
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            self.sample()
            if self.stop_event.wait(POLL_SECONDS):
                return

    def sample(self) -> None:
        try:
            tree = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        for process in tree:
            try:
                # Read each time: a launcher may exec the program (`python -m pagefind`
                # becomes Pagefind's binary), which keeps the process and its peak.
                parent = process.parent()
                parent_line = parent.cmdline() if parent is not None else None
                label = process_label(process.cmdline(), parent_line)
                peak = _peak_mb(process)
            except psutil.Error:
                continue  # gone between listing and reading
            if label == "?":  # an exited process (a zombie) shows no command line
                if process.pid not in self.per_pid:
                    # First seen after it exited (a short-lived child not yet reaped): its
                    # memory is gone and no peak is left to read, only a row of 0 MB.
                    continue
                label = self.per_pid[process.pid][0]
            old = self.per_pid.get(process.pid, (label, 0.0))[1]
            self.per_pid[process.pid] = (label, max(old, peak))

    def stop(self) -> dict[str, float]:
        self.sample()
        self.stop_event.set()
        self.thread.join()
        return self.peaks

    @property
    def peaks(self) -> dict[str, float]:
        return {k: round(v, 1) for k, v in merge_peaks(self.per_pid.values()).items()}


def _echo(stream: IO[str], log: IO[str], prefix: str, echo: bool) -> None:
    for line in stream:
        log.write(line)
        log.flush()
        if echo:
            print(f"{prefix}{line.rstrip()}", file=sys.stderr, flush=True)


class Measured:
    """A command started with its process tree watched: its output goes to `log_file` (and
    to stderr, indented, with `echo`)."""

    def __init__(
        self,
        command: Sequence[str],
        log_file: Path,
        cwd: Path | None = None,
        echo: bool = False,
    ) -> None:
        self.command = list(command)
        self.log_file = log_file
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            self.command,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        )
        self.monitor = TreeMonitor(self.process.pid)
        self.log = log_file.open("w", encoding="utf-8")
        assert self.process.stdout is not None
        self.reader = threading.Thread(
            target=_echo, args=(self.process.stdout, self.log, "    | ", echo), daemon=True
        )
        self.reader.start()

    def wait(self, timeout: float | None = None) -> tuple[float, dict[str, float]]:
        """(seconds, peaks); SystemExit with the log's tail if the command failed."""
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise
        seconds = time.perf_counter() - self.started
        peaks = self.monitor.stop()
        self.reader.join()
        self.log.close()
        if status:
            tail = self.log_file.read_text(encoding="utf-8")[-3000:]
            raise SystemExit(f"failed ({status}): {' '.join(self.command)}\n{tail}")
        return seconds, peaks

    def stop(self) -> dict[str, float]:
        """Terminate the command (and wait for it); the peaks seen."""
        peaks = self.monitor.stop()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(timeout=5)
        self.log.close()
        return peaks


def run_measured(
    command: Sequence[str], log_file: Path, cwd: Path | None = None, echo: bool = False
) -> tuple[float, dict[str, float]]:
    """(seconds, peak MB per process label) of a command run to its end."""
    return Measured(command, log_file, cwd, echo).wait()
