"""Display math renders whatever YAML scalar style holds it: a folded (`>-`) abstract puts
`$$...$$` inside a paragraph, where it must still be display math, not stray dollars."""

from __future__ import annotations

import time
from pathlib import Path

from generator.content.load import load_list
from generator.render.sanitize import display_math_apart, markdown_block

from .conftest import write_files

STYLES = {
    "folded": "abstract: >-\n  We bound\n  $$\\sum_t r_t \\le 1$$\n  for all t.\n",
    "literal": "abstract: |\n  We bound\n  $$\\sum_t r_t \\le 1$$\n  for all t.\n",
    "plain": "abstract: We bound $$\\sum_t r_t \\le 1$$ for all t.\n",
    "quoted": 'abstract: "We bound $$\\\\sum_t r_t \\\\le 1$$ for all t."\n',
}


def test_every_scalar_style_renders_display_math(tmp_path: Path) -> None:
    files = {"content/topics.yaml": "- id: t\n  title: T\n  description: A topic.\n"}
    for name, abstract in STYLES.items():
        files[f"content/papers/{name}.yaml"] = f"title: {name}\ntopics: [t]\n{abstract}"
    write_files(tmp_path, files)
    for paper in load_list(tmp_path / "content").papers:
        html = markdown_block(paper.abstract or "")
        assert '<div class="arithmatex">\\[\\sum_t r_t \\le 1\\]</div>' in html, paper.id
        assert "$" not in html, paper.id
        assert "We bound" in html and "for all t." in html


def test_what_is_not_display_math_stays_as_written() -> None:
    assert display_math_apart("It costs $5 or $6.") == "It costs $5 or $6."
    assert display_math_apart("An unclosed $$ stays.") == "An unclosed $$ stays."
    assert display_math_apart("Escaped \\$$x$$ is not math") == "Escaped \\$$x$$ is not math"
    code = "Run `echo $$` and $$x$$"  # a $$ may be code: such a text is left to Markdown
    assert display_math_apart(code) == code


def test_many_dollars_take_linear_time() -> None:
    text = "$$ a " * 20_000
    start = time.process_time()
    display_math_apart(text)
    assert time.process_time() - start < 0.5
