"""The adoption tracker's numbers: each site's stage with each innovation, and how many were at
each stage at the end of each of the last twelve months, drawn as a server-side SVG chart.

A site's stage at a month end is the stage of its latest stage change dated on or before that
day. A site with no stage change by then is not counted for that month. Stage changes cannot be
dated in the future, so the current month's count is the stage as it is today.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.html import format_html, format_html_join
from markupsafe import Markup

from activities.charts import NHS_DARK_GREY, NHS_TEXT
from activities.charts import TEXT_SIZE as CHART_TEXT_SIZE
from activities.charts import WIDTH as CHART_WIDTH
from convening.models import Adoption, AdoptionEvent
from convening.status import colours_of

STAGES = list(Adoption.Stage)
MONTHS = 12

# The strong NHS.UK colour for each tag colour a stage may have. Each stage is drawn in the
# strong shade of the tag colour declared on Adoption.Stage, so the chart matches the tags.
STRONG_FILLS = {
    "grey": "#768692",  # mid grey
    "blue": "#005eb8",
    "purple": "#330072",
    "yellow": "#ffb81c",  # warm yellow
    "green": "#007f3b",
    "aqua-green": "#00a499",
    "orange": "#ed8b00",
    "red": "#d5281b",
    "pink": "#ae2573",
}
STAGE_FILLS = {
    Adoption.Stage(value): STRONG_FILLS[colour]
    for value, colour in colours_of(Adoption.Stage).items()
}


# Stages over time ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthCount:
    """How many sites were at each stage at the end of one month."""

    month_end: datetime.date
    counts: dict[str, int]

    @property
    def label(self) -> str:
        return f"{self.month_end:%B %Y}"

    @property
    def short_label(self) -> str:
        return f"{self.month_end:%b %Y}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def in_stage_order(self) -> list[tuple[Adoption.Stage, int]]:
        return [(stage, self.counts[stage.value]) for stage in STAGES]


def month_ends(today: datetime.date, months: int = MONTHS) -> list[datetime.date]:
    """The last day of each of the last `months` months, oldest first, this month included."""
    ends = []
    year, month = today.year, today.month
    for _ in range(months):
        following = datetime.date(year + (month == 12), month % 12 + 1, 1)
        ends.append(following - datetime.timedelta(days=1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return ends[::-1]


def programme_events(adoptions: QuerySet[Adoption]) -> list[tuple[int, str, datetime.date]]:
    """(adoption id, stage, date) of every stage change of these adoptions, in one query, in
    the order they happened (on the same day, the one recorded later counts as later)."""
    return list(
        AdoptionEvent.objects.filter(adoption__in=adoptions)
        .order_by("adoption_id", "date", "recorded_at", "pk")
        .values_list("adoption_id", "stage", "date")
    )


def stages_over_time(
    events: Iterable[tuple[int, str, datetime.date]], ends: list[datetime.date]
) -> list[MonthCount]:
    """Sites at each stage at each month end, from the stage changes in the order they happened.

    Computed in Python from one list of events: there are few stage changes per programme."""
    by_adoption: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
    for adoption_id, stage, date in events:
        by_adoption[adoption_id].append((date, stage))
    counts = [dict.fromkeys((stage.value for stage in STAGES), 0) for _ in ends]
    for changes in by_adoption.values():
        changes.sort(key=lambda change: change[0])  # stable: keeps the recorded order per day
        position, stage = 0, None
        for index, end in enumerate(ends):
            while position < len(changes) and changes[position][0] <= end:
                stage = changes[position][1]
                position += 1
            if stage in counts[index]:
                counts[index][stage] += 1
    return [MonthCount(end, count) for end, count in zip(ends, counts, strict=True)]


def programme_stages_over_time(
    adoptions: QuerySet[Adoption], today: datetime.date
) -> list[MonthCount]:
    return stages_over_time(programme_events(adoptions), month_ends(today))


# The chart ------------------------------------------------------------------------------------

# The same size and text as the other charts, so the stylesheet keeps its text at 12 px or more.
WIDTH = CHART_WIDTH
PADDING = 8
TEXT_SIZE = CHART_TEXT_SIZE
LEGEND_ROW = 22
LEGEND_COLUMNS = 2
LEGEND_COLUMN_WIDTH = (WIDTH - 2 * PADDING) // LEGEND_COLUMNS
SWATCH = 14
LABEL_WIDTH = 80  # "Sept 2026"
ROW_HEIGHT = 26
BAR_HEIGHT = 18
TOTAL_ROOM = 40

_LEGEND_ITEM = (
    '<rect x="{x}" y="{y}" width="{swatch}" height="{swatch}" fill="{fill}"/>'
    '<text x="{text_x}" y="{text_y}" font-size="{size}" fill="{text}">{label}</text>'
)
_MONTH_LABEL = '<text x="{x}" y="{y}" font-size="{size}" fill="{text}">{label}</text>'
_SEGMENT = (
    '<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{fill}" '
    'stroke="#ffffff" stroke-width="1"/>'
)


def stages_chart(months: list[MonthCount], *, title: str) -> Markup:
    """One stacked horizontal bar per month, a segment per stage, with a legend above and the
    total after each bar. `title` names the chart for screen readers; the table beside it has
    the same numbers."""
    legend_rows = -(-len(STAGES) // LEGEND_COLUMNS)
    legend = format_html_join(
        "",
        _LEGEND_ITEM,
        (
            {
                "x": PADDING + (index % LEGEND_COLUMNS) * LEGEND_COLUMN_WIDTH,
                "y": PADDING + (index // LEGEND_COLUMNS) * LEGEND_ROW,
                "swatch": SWATCH,
                "fill": STAGE_FILLS[stage],
                "text_x": PADDING + (index % LEGEND_COLUMNS) * LEGEND_COLUMN_WIDTH + SWATCH + 6,
                "text_y": PADDING + (index // LEGEND_COLUMNS) * LEGEND_ROW + SWATCH - 2,
                "size": TEXT_SIZE,
                "text": NHS_TEXT,
                "label": stage.label,
            }
            for index, stage in enumerate(STAGES)
        ),
    )
    bars_top = PADDING + legend_rows * LEGEND_ROW + PADDING
    bar_left = PADDING + LABEL_WIDTH
    room = WIDTH - bar_left - PADDING - TOTAL_ROOM
    largest = max((month.total for month in months), default=0) or 1
    parts = []
    for row, month in enumerate(months):
        top = bars_top + row * ROW_HEIGHT
        parts.append(
            format_html(
                _MONTH_LABEL,
                x=PADDING,
                y=top + TEXT_SIZE,
                size=TEXT_SIZE,
                text=NHS_TEXT,
                label=month.short_label,
            )
        )
        x = float(bar_left)
        for stage, count in month.in_stage_order():
            if not count:
                continue
            width = round(room * count / largest, 1)
            parts.append(
                format_html(
                    _SEGMENT,
                    x=round(x, 1),
                    y=top,
                    width=width,
                    height=BAR_HEIGHT,
                    fill=STAGE_FILLS[stage],
                )
            )
            x += width
        parts.append(
            format_html(
                _MONTH_LABEL,
                x=round(x + 6, 1),
                y=top + TEXT_SIZE,
                size=TEXT_SIZE,
                text=NHS_TEXT,
                label=month.total,
            )
        )
    height = bars_top + ROW_HEIGHT * len(months) + PADDING
    return format_html(
        '<svg class="convening-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'aria-label="{title}" viewBox="0 0 {width} {height}" width="100%" '
        'preserveAspectRatio="xMinYMin meet">{legend}'
        '<line x1="{axis_x}" y1="{axis_top}" x2="{axis_x}" y2="{axis_bottom}" stroke="{axis}" '
        'stroke-width="1"/>{bars}</svg>',
        title=title,
        width=WIDTH,
        height=height,
        legend=legend,
        axis_x=bar_left,
        axis_top=bars_top - 4,
        axis_bottom=height - PADDING,
        axis=NHS_DARK_GREY,
        bars=Markup("").join(parts),
    )
