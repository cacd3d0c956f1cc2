"""Simple charts drawn on the server as SVG, for pages that also show the numbers in a table.

No scripts and no style attributes (the Content-Security-Policy allows neither): the drawing
uses SVG presentation attributes only, and every label and value is drawn as text. Every label
is escaped.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from django.utils.html import format_html, format_html_join
from markupsafe import Markup

# NHS.UK colours: blue bars (6.3:1 on white), text black, the axis in dark grey (6.2:1).
NHS_BLUE = "#005eb8"
NHS_TEXT = "#212b32"
NHS_DARK_GREY = "#4c6272"

# The drawing is WIDTH units wide with TEXT_SIZE-unit text, and the stylesheet keeps every chart
# between 288 px (a 320 px phone's column) and 480 px wide: its text is drawn at 12 to 20 CSS px
# on any screen, never smaller (WCAG 1.4.10 Reflow with 1.4.4), and the page never scrolls
# sideways. Keep these in step with `.convening-chart` in convening.css.
WIDTH = 384
TEXT_SIZE = 16
PADDING = 8
LABEL_X = PADDING + 4  # clear of the axis
LINE_HEIGHT = 20  # between the lines of a label
ROW_HEIGHT = 52  # a one-line label, then its bar
BAR_TOP = 24  # from the top of the row, below a one-line label
BAR_HEIGHT = 18
VALUE_GAP = 8
VALUE_ROOM = 48  # to the right of the longest bar, for its number
LINE_CHARACTERS = 42  # about 350 units of text: a label wraps onto a second line after this
LABEL_LINES = 2  # longer labels are cut short (the table has them in full)

_LABEL_LINE = '<tspan x="{x}" dy="{dy}">{line}</tspan>'
_ROW = (
    '<text x="{label_x}" y="{label_y}" font-size="{size}" fill="{text}">{label}</text>'
    '<rect x="{x}" y="{bar_y}" width="{width}" height="{bar_height}" fill="{colour}"/>'
    '<text x="{value_x}" y="{value_y}" font-size="{size}" fill="{text}">{value}</text>'
)


def label_lines(label: str) -> list[str]:
    """A label wrapped at word breaks onto at most two lines, the second cut short with an
    ellipsis when the label is longer still."""
    lines = textwrap.wrap(str(label), LINE_CHARACTERS) or [""]
    if len(lines) <= LABEL_LINES:
        return lines
    last = " ".join(lines[LABEL_LINES - 1 :])
    return [*lines[: LABEL_LINES - 1], last[: LINE_CHARACTERS - 1].rstrip() + "…"]


def _label(lines: list[str]) -> Markup:
    """One line as the text itself; more as a line each, from the text's own position."""
    if len(lines) == 1:
        return format_html("{}", lines[0])
    return format_html_join(
        "",
        _LABEL_LINE,
        (
            {"x": LABEL_X, "dy": 0 if index == 0 else LINE_HEIGHT, "line": line}
            for index, line in enumerate(lines)
        ),
    )


def bar_chart(items: Iterable[tuple[str, int]], *, title: str, colour: str = NHS_BLUE) -> Markup:
    """A horizontal bar chart of labelled counts: each label above its bar, the count after it.

    `title` names the chart for screen readers, which should be pointed at the table with the
    same numbers; the chart is for the eye.
    """
    items = [(label_lines(label), max(int(value), 0)) for label, value in items]
    largest = max((value for _, value in items), default=0) or 1
    room = WIDTH - 2 * PADDING - VALUE_ROOM
    rows = []
    top = PADDING
    for lines, value in items:
        bar_y = top + BAR_TOP + LINE_HEIGHT * (len(lines) - 1)
        width = round(room * value / largest, 1)
        rows.append(
            {
                "x": PADDING,
                "label_x": LABEL_X,
                "label_y": top + TEXT_SIZE,
                "size": TEXT_SIZE,
                "text": NHS_TEXT,
                "label": _label(lines),
                "bar_y": bar_y,
                "width": width,
                "bar_height": BAR_HEIGHT,
                "colour": colour,
                "value_x": round(PADDING + width + VALUE_GAP, 1),
                "value_y": bar_y + BAR_HEIGHT - 4,
                "value": value,
            }
        )
        top += ROW_HEIGHT + LINE_HEIGHT * (len(lines) - 1)
    height = top + PADDING
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
        axis_top=rows[0]["bar_y"] - 4 if rows else PADDING,
        axis_bottom=axis_bottom,
        axis=NHS_DARK_GREY,
        bars=bars,
    )
