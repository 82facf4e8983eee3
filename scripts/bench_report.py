"""The bench's verdicts: each figure against its target (issue #15's table, and the search
targets the README states), as rows and as a printed table. Pure: tested without a run."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Check:
    what: str
    path: tuple[str, ...]
    """Where the figure is in one size's results (nested keys)."""
    target: float
    unit: str
    smallest: int = 0
    """The smallest list (papers) the target applies to."""


CHECKS = (
    Check("serve: one-paper edit on screen", ("serve", "edit_on_screen_s"), 1.0, " s"),
    Check("serve: edit found by the header search", ("serve", "edit_found_s"), 3.0, " s"),
    Check("serve: topics.yaml edit on screen", ("serve", "topics_edit_s"), 10.0, " s"),
    Check("serve: template edit on screen", ("serve", "template_edit_s"), 10.0, " s"),
    Check("build after a one-paper edit", ("build_after_edit_s",), 5.0, " s"),
    Check("full build vs plain mkdocs", ("full_build_ratio",), 1.0, "x"),
    Check("largest paper page", ("paper_page_kb_max",), 40, " KB"),
    Check("load (YAML to model)", ("phases", "load"), 2.0, " s", 10000),
    Check("related papers from scratch", ("phases", "related_papers"), 5.0, " s", 10000),
)
MEMORY_TARGET_MB = 500.0
"""Every process, children included."""
REFERENCE_RUNS = ("memory_baseline_mkdocs_mb",)
"""Memory figures that are shown but not judged: plain MkDocs is the reference, not ours."""
SEARCH_CHECKS = (
    # (what, key, target for the shipped list, target from 10,000 papers, unit)
    ("search: first result while typing", "typed_s", 0.3, 0.4, " s"),
    ("search: first result of a ?q= link", "from_load_s", 0.3, 0.4, " s"),
    ("search: bytes fetched for a query", "query_kb", None, 300, " KB"),
)


@dataclass(frozen=True)
class Verdict:
    list_label: str
    what: str
    value: float | None
    """None: not measured, or it did not happen within the bench's wait (a failure)."""
    target: float
    unit: str

    @property
    def passed(self) -> bool:
        return self.value is not None and self.value <= self.target

    def line(self, width: int = 44) -> str:
        shown = "never" if self.value is None else f"{self.value:g}{self.unit}"
        state = "PASS" if self.passed else "FAIL"
        return (
            f"{self.list_label:>16}  {state}  {self.what:<{width}} {shown:>12}"
            f"  (target <= {self.target:g}{self.unit})"
        )


def _dig(row: Mapping[str, Any], path: Iterable[str]) -> Any:
    value: Any = row
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            return _MISSING
        value = value[key]
    return value


_MISSING = object()


def size_verdicts(row: Mapping[str, Any]) -> list[Verdict]:
    """The verdicts of one list size's results (figures not measured are left out; a wait
    that ran out is measured as None: a FAIL)."""
    size = int(row["papers"])
    label = f"{size} papers"
    verdicts = []
    for check in CHECKS:
        value = _dig(row, check.path)
        if size >= check.smallest and value is not _MISSING:
            verdicts.append(Verdict(label, check.what, value, check.target, check.unit))
    for run, peaks in row.items():
        if run.startswith("memory_") and run.endswith("_mb") and run not in REFERENCE_RUNS:
            name = run[len("memory_") : -len("_mb")].replace("_", " ")
            for process, megabytes in peaks.items():
                what = f"peak memory, {name}: {process}"
                verdicts.append(Verdict(label, what, megabytes, MEMORY_TARGET_MB, " MB"))
    verdicts += search_verdicts(label, size, row.get("search") or {})
    return verdicts


def search_verdicts(
    label: str, size: int | None, by_builder: Mapping[str, Mapping[str, float]]
) -> list[Verdict]:
    """Search figures on each builder; `size` None is the shipped list."""
    verdicts = []
    for builder, figures in by_builder.items():
        for what, key, shipped_target, large_target, unit in SEARCH_CHECKS:
            target = shipped_target if size is None else large_target
            if key in figures and target is not None and (size is None or size >= 10000):
                name = f"{what} ({builder})"
                verdicts.append(Verdict(label, name, figures[key], target, unit))
    return verdicts


def all_verdicts(
    results: Sequence[Mapping[str, Any]], shipped: Mapping[str, Mapping[str, float]] | None
) -> list[Verdict]:
    verdicts = search_verdicts("shipped list", None, shipped or {})
    for row in results:
        verdicts += size_verdicts(row)
    return verdicts


def verdict_table(verdicts: list[Verdict]) -> str:
    width = max((len(v.what) for v in verdicts), default=10)
    passed = sum(v.passed for v in verdicts)
    lines = [v.line(width) for v in verdicts]
    return "\n".join([*lines, f"{passed} of {len(verdicts)} targets met"])


def figures_table(results: Sequence[Mapping[str, Any]]) -> str:
    """Every scalar figure, one row each, one column per list size."""
    rows: dict[str, dict[int, Any]] = {}
    for row in results:
        for key, value in flat(row).items():
            rows.setdefault(key, {})[int(row["papers"])] = value
    sizes = [int(r["papers"]) for r in results]
    width = max((len(k) for k in rows), default=10)
    header = " " * width + "".join(f"{s:>12}" for s in sizes)
    body = [
        f"{key:<{width}}" + "".join(f"{_show(values.get(s)):>12}" for s in sizes)
        for key, values in rows.items()
        if key != "papers"
    ]
    return "\n".join([header, *body])


def flat(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested results as `a.b.c` keys, lists left out (the edits' single figures)."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flat(value, f"{name}."))
        elif not isinstance(value, list):
            out[name] = value
    return out


def edit_median(values: list[float | None]) -> float | None:
    """The median (the lower middle one) of a few edits' seconds, a wait that ran out (None)
    counting as the longest: None if the middle one ran out."""
    if not values:
        return None
    ordered = sorted(values, key=lambda v: float("inf") if v is None else v)
    return ordered[(len(ordered) - 1) // 2]


def _show(value: Any) -> str:
    return "-" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
