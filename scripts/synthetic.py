"""Synthetic reading lists for benchmarks: the shipped abstracts with varied titles and topics."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import shutil
from pathlib import Path

from generator.content.load import load_list
from generator.content.paperfile import paper_yaml
from generator.content.slug import normalize_title
from generator.model import ReadingList

VARIANTS = (
    "Revisited",
    "at Scale",
    "in Practice",
    "Made Simple",
    "for Agents",
    "Without Labels",
    "Under Shift",
    "with Feedback",
    "in the Wild",
    "from Scratch",
    "Beyond Benchmarks",
)


def make_list(source: Path, dest: Path, size: int, seed: int = 0) -> Path:
    """Write a content folder of `size` papers into dest/content; returns that folder."""
    shipped = load_list(source)
    rng = random.Random(seed)
    content = dest / "content"
    shutil.rmtree(content, ignore_errors=True)
    (content / "papers").mkdir(parents=True)
    shutil.copy(source / "topics.yaml", content / "topics.yaml")
    shutil.copy(source / "site.yaml", content / "site.yaml")
    topic_ids = [t.id for t in shipped.topics]
    for i in range(size):
        base = shipped.papers[i % len(shipped.papers)]
        title = f"{base.title}: {rng.choice(VARIANTS)} {i}"
        fields = {
            "title": title,
            "year": 2015 + rng.randrange(11),
            "topics": rng.sample(topic_ids, rng.randint(1, 3)),
            "status": rng.choice(("to-read", "to-read", "reading", "read")),
            "added": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "abstract": base.abstract or "",
            "sources": ["synthetic"],
        }
        (content / "papers" / f"paper-{i:05d}.yaml").write_text(paper_yaml(fields))
    return content


def make_reading_list(source: Path, size: int, seed: int = 0) -> ReadingList:
    """`size` papers in memory, each a shipped paper (authors, venue, links and all) with a
    varied title, year, topics, status and date: for what the browser measures at scale,
    without writing and loading `size` files."""
    shipped = load_list(source)
    rng = random.Random(seed)
    topic_ids = [t.id for t in shipped.topics]
    papers = []
    for i in range(size):
        base = shipped.papers[i % len(shipped.papers)]
        title = f"{base.title}: {rng.choice(VARIANTS)} {i}"
        papers.append(
            dataclasses.replace(
                base,
                id=f"paper-{i:05d}",
                title=title,
                sort_title=normalize_title(title),
                year=2015 + rng.randrange(11),
                topics=tuple(rng.sample(topic_ids, rng.randint(1, 3))),
                status=rng.choice(("to-read", "to-read", "reading", "read")),
                added=dt.date(2026, 1 + i % 12, 1 + i % 28),
            )
        )
    return dataclasses.replace(shipped, papers=tuple(papers))
