"""Simple charts drawn on the server as SVG, for pages that also show the numbers in a table.

No scripts and no style attributes (the Content-Security-Policy allows neither): the drawing
uses SVG presentation attributes only, and every label and value is drawn as text. Every label
is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import format_html, format_html_join
from markupsafe import Markup

# NHS.UK colours: blue bars (6.3:1 on white), text black, the axis in dark grey (6.2:1).
NHS_BLUE = "#005eb8"
NHS_TEXT = "#212b32"
NHS_DARK_GREY = "#4c6272"

WIDTH = 640
PADDING = 8
ROW_HEIGHT = 52  # a label line, then its bar
LABEL_SIZE = 16
BAR_TOP = 24  # from the top of the row
BAR_HEIGHT = 18
VALUE_GAP = 8
VALUE_ROOM = 64  # to the right of the longest bar, for its number
LABEL_MAX = 72  # characters; longer labels are cut short (the table has them in full)

_ROW = (
    '<text x="{x}" y="{label_y}" font-size="{size}" fill="{text}">{label}</text>'
    '<rect x="{x}" y="{bar_y}" width="{width}" height="{bar_height}" fill="{colour}"/>'
    '<text x="{value_x}" y="{value_y}" font-size="{size}" fill="{text}">{value}</text>'
)


def _short(label: str) -> str:
    label = str(label)
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1].rstrip() + "…"


def bar_chart(items: Iterable[tuple[str, int]], *, title: str, colour: str = NHS_BLUE) -> Markup:
    """A horizontal bar chart of labelled counts: each label above its bar, the count after it.

    `title` names the chart for screen readers, which should be pointed at the table with the
    same numbers; the chart is for the eye.
    """
    items = [(_short(label), max(int(value), 0)) for label, value in items]
    largest = max((value for _, value in items), default=0) or 1
    room = WIDTH - 2 * PADDING - VALUE_ROOM
    height = 2 * PADDING + ROW_HEIGHT * len(items)
    rows = []
    for index, (label, value) in enumerate(items):
        top = PADDING + index * ROW_HEIGHT
        width = round(room * value / largest, 1)
        rows.append(
            {
                "x": PADDING,
                "label_y": top + LABEL_SIZE,
                "size": LABEL_SIZE,
                "text": NHS_TEXT,
                "label": label,
                "bar_y": top + BAR_TOP,
                "width": width,
                "bar_height": BAR_HEIGHT,
                "colour": colour,
                "value_x": round(PADDING + width + VALUE_GAP, 1),
                "value_y": top + BAR_TOP + BAR_HEIGHT - 4,
                "value": value,
            }
        )
    bars = format_html_join("", _ROW, rows)
    axis_bottom = height - PADDING
    return format_html(
        '<svg class="convening-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'aria-label="{title}" viewBox="0 0 {width} {height}" width="100%" '
        'preserveAspectRatio="xMinYMin meet">'
        '<line x1="{x}" y1="{axis_top}" x2="{x}" y2="{axis_bottom}" stroke="{axis}" '
        'stroke-width="1"/>{bars}</svg>',
        title=title,
        width=WIDTH,
        height=height,
        x=PADDING,
        axis_top=PADDING + BAR_TOP - 4 if rows else PADDING,
        axis_bottom=axis_bottom,
        axis=NHS_DARK_GREY,
        bars=bars,
    )
