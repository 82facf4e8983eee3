"""What serve does to keep its memory down: freed memory handed back before a fork and after
an edit, and each page's kept conversion compressed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from generator.builders.mkdocs.serve import _pack, _unpack

FREED = """
import sys
from generator.children import trim_heap

def resident_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 // 2**20

pages = [("x" * 5000 + str(n)).encode() for n in range(40000)]  # 200 MB of pages
keep = pages[::97]  # a few stay alive, scattered through the heap
del pages
before = resident_mb()
trim_heap()
print(before, resident_mb())
"""


@pytest.mark.skipif(sys.platform != "linux", reason="malloc_trim is glibc's")
def test_memory_freed_by_a_generation_goes_back_to_the_system() -> None:
    out = subprocess.run([sys.executable, "-c", FREED], capture_output=True, text=True, check=True)
    before, after = map(int, out.stdout.split())
    assert before > 150  # freed, but still the process's: what a fork's child counted
    assert after < before - 100, (before, after)


def test_a_kept_conversion_is_compressed_and_comes_back_the_same() -> None:
    html = "<p>" + "A Transformer reads the whole list. " * 400 + "é</p>"
    converted = {
        "markdown": "# Title\n\n" + "A paper about attention. " * 400,
        "content": html,
        "meta": {"title": "Title"},
        "toc": ["title"],
        "_title_from_render": "Title",
        "present_anchor_ids": {"title"},
    }
    packed = _pack(converted)
    assert isinstance(packed["content"], bytes) and len(packed["content"]) < len(html) // 10
    assert isinstance(packed["markdown"], bytes)
    assert packed["meta"] is converted["meta"]  # small values kept as they are
    assert _unpack(packed) == converted
    assert _unpack(_pack({**converted, "content": None}))["content"] is None
