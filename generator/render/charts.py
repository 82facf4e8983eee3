"""Static SVG bar charts, drawn at build time: no script, no chart library in the browser.

Bars and labels are drawn in `currentColor`, so a chart takes the text colour of the page
and reads in Material's light and dark schemes alike.
"""

from __future__ import annotations

import html

ROW = 22
LABEL_WIDTH = 300
BAR_WIDTH = 320
VALUE_WIDTH = 50


def bar_chart(title: str, rows: list[tuple[str, int]] | tuple[tuple[str, int], ...]) -> str:
    """A horizontal bar chart of (label, count) rows, as one line of SVG in a div."""
    largest = max((count for _, count in rows), default=0) or 1
    height = ROW * len(rows) + 4
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<div class="readinglist-chart"><svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-label="{html.escape(title, quote=True)}"><title>{html.escape(title)}</title>'
    ]
    for i, (label, count) in enumerate(rows):
        y = i * ROW + 2
        bar = round(BAR_WIDTH * count / largest, 1)
        text_y = y + ROW * 0.7
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end" font-size="13" '
            f'fill="currentColor">{html.escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{bar}" height="{ROW - 6}" '
            f'fill="currentColor" fill-opacity="0.55"/>'
            f'<text x="{LABEL_WIDTH + bar + 6}" y="{text_y}" font-size="13" '
            f'fill="currentColor">{count}</text>'
        )
    parts.append("</svg></div>")
    return "".join(parts)
