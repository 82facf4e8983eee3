"""What one generator keeps in memory between its steps, beyond the cache on disk."""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2

from generator.incremental.reuse import Context
from generator.incremental.write import Known
from generator.model import ReadingList
from generator.relate.listing import PaperEntry, Related
from generator.render.pages import PagePlan


@dataclass
class Session:
    """What a generator saw in this process, beyond the cache: `build` starts afresh each
    time; `serve` keeps one generator, whose second edit finds the first's objects here."""

    seen: dict[str, Context] = field(default_factory=dict)
    """The inputs of each page this process wrote, or found on disk as the cache says: a
    page planned with the very same inputs is not looked at on disk again, which at 10,000
    papers spares an edit 20,000 stat calls."""
    produced: set[str] | None = None
    """What the last write produced (before the first: found by walking the project)."""
    related: Related | None = None
    """The last relate()'s result, whose unchanged entries the next one reuses."""
    paper_plans: dict[str, tuple[PaperEntry, tuple[PagePlan, ...]]] = field(default_factory=dict)
    """Each paper's entry and page plans at the last write."""
    deferred: ReadingList | None = None
    """The list whose related papers relate(defer=True) left to compute."""
    environment: tuple[str, jinja2.Environment] | None = None
    """The templates' digest and the Jinja environment that compiled them."""
    kept: bool = False
    """Whether the generator is kept from edit to edit (serve), its cache never saved."""
    written: Known = field(default_factory=dict)
    """A kept generator's record of the files its writes left (write_tree's `known`), so
    that the next write reads back only what changed; a one-off build keeps none, as it
    would only pay for digests it never uses."""
