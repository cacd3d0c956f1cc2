"""The organisation map: organisations as circles, ties between them as lines, drawn on the server
as SVG from a snapshot (DESIGN section 11).

The layout is the snapshot's own (GroupMeasure.x and .y, a fixed-seed spring layout made at build
time), so the map looks the same on every visit until the ties change. A circle's area follows
the organisation's people, its fill its sector (with a legend), and a line's width the weight of
the ties between two organisations. Each circle is a link to the organisation's page, reached
with the keyboard, with its name, sector and people as its accessible name; the number drawn in
it is the organisation's row in the table beside the map, which holds the same data.

Like the charts (activities/charts.py): no scripts and no style attributes (the
Content-Security-Policy allows neither), presentation attributes only, every label escaped, and
the same width and text size, so the stylesheet keeps its text at 12 px or more on any phone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from django.utils.html import format_html, format_html_join
from markupsafe import Markup
from scipy.spatial import cKDTree

from activities.charts import NHS_DARK_GREY, NHS_TEXT, TEXT_SIZE, WIDTH
from convening.models import Sector

PLOT_HEIGHT = 300
# A map of many organisations is drawn taller (up to this many times), so its circles keep room.
ROOMY_COUNT = 40
MOST_STRETCH = 4
GAP = 16  # between two circles once spread, so the line joining them shows
SPREAD_STEPS = 80
MIN_RADIUS = 12  # room for a two-digit number at TEXT_SIZE
MAX_RADIUS = 26
MARGIN = MAX_RADIUS + 6  # a circle and its focus ring stay inside the drawing
FOCUS_RING = 5
MIN_TIE_WIDTH = 1.5
MAX_TIE_WIDTH = 8
LEGEND_ROW = 24
SWATCH_RADIUS = 8
WHITE = "#ffffff"

# Sector fills, from the NHS identity palette, each with the text colour that reads on it
# (4.5:1 or more). Every circle also has a dark outline (15:1 on white), so light fills still
# stand out from the page (WCAG 1.4.11); the sector is also in each circle's name and the table.
SECTOR_COLOURS: dict[str, tuple[str, str]] = {
    Sector.ACUTE: ("#005eb8", WHITE),  # NHS blue, 6.4:1
    Sector.MENTAL_HEALTH: ("#330072", WHITE),  # purple, 15.2:1
    Sector.COMMUNITY: ("#007f3b", WHITE),  # green, 5.1:1
    Sector.PRIMARY_CARE: ("#ffb81c", NHS_TEXT),  # warm yellow, 8.3:1
    Sector.AMBULANCE: ("#d5281b", WHITE),  # red, 5.1:1
    Sector.COMMISSIONER: ("#003087", WHITE),  # dark blue, 11.9:1
    Sector.LOCAL_AUTHORITY: ("#ed8b00", NHS_TEXT),  # orange, 5.7:1
    Sector.VCSE: ("#00a499", NHS_TEXT),  # aqua green, 4.7:1
    Sector.ACADEMIC: ("#7c2855", WHITE),  # dark pink, 9.2:1
    Sector.INDUSTRY: ("#41b6e6", NHS_TEXT),  # light blue, 6.2:1
    Sector.PATIENT_PUBLIC: ("#ae2573", WHITE),  # pink, 6.3:1
    Sector.OTHER: ("#425563", WHITE),  # dark grey, 7.8:1
}
UNKNOWN_SECTOR = ("#768692", NHS_TEXT)  # mid grey, 3.8:1
SECTOR_LABELS = dict(Sector.choices)


@dataclass(frozen=True)
class Node:
    """One organisation on the map: its row number in the table, and what its circle says."""

    number: int
    key: str
    label: str
    sector: str
    people: int
    x: float
    y: float
    href: str

    @property
    def sector_label(self) -> str:
        return SECTOR_LABELS.get(self.sector, "Sector not recorded")

    @property
    def name(self) -> str:
        noun = "person" if self.people == 1 else "people"
        return f"{self.label}, {self.sector_label}, {self.people} {noun}"


def nodes_of(groups: Sequence, href: Callable[[object], str]) -> list[Node]:
    """The organisations of a snapshot (GroupMeasure rows of the organisation boundary), numbered
    in name order as the table lists them."""
    ordered = sorted(groups, key=lambda group: (group.label.lower(), group.key))
    return [
        Node(
            number=number,
            key=group.key,
            label=group.label,
            sector=group.sector,
            people=group.people,
            x=0.5 if group.x is None else group.x,
            y=0.5 if group.y is None else group.y,
            href=href(group),
        )
        for number, group in enumerate(ordered, start=1)
    ]


def plot_height(count: int) -> int:
    return round(PLOT_HEIGHT * min(max(count / ROOMY_COUNT, 1), MOST_STRETCH))


def spread(nodes: Sequence[Node], radii: Sequence[float], height: int) -> list[tuple]:
    """Each node's centre: the snapshot's layout scaled to the drawing, then circles that
    overlap pushed apart a little at a time until none does (or the steps run out). Every step
    is fixed by the input, so the same snapshot always gives the same map."""
    if not nodes:
        return []
    radius = np.array(radii, dtype=float)
    centre = np.array(
        [[MARGIN + n.x * (WIDTH - 2 * MARGIN), MARGIN + n.y * (height - 2 * MARGIN)] for n in nodes]
    )
    # Circles laid on the same point part in a direction fixed by their place in the list.
    index = np.arange(len(nodes))
    centre += 0.01 * np.stack([np.cos(index), np.sin(index)], axis=1)
    low = radius[:, None] + FOCUS_RING
    high = np.array([WIDTH, height])[None, :] - low
    reach = 2 * float(radius.max()) + GAP
    for _ in range(SPREAD_STEPS):
        # Only pairs near enough to overlap are looked at: a map of hundreds stays fast.
        pairs = cKDTree(centre).query_pairs(reach, output_type="ndarray")
        first, second = pairs[:, 0], pairs[:, 1]
        apart = centre[first] - centre[second]
        distance = np.maximum(np.hypot(apart[:, 0], apart[:, 1]), 1e-6)
        overlap = radius[first] + radius[second] + GAP - distance
        close = overlap > 0
        if not close.any():
            break
        push = apart[close] / distance[close, None] * (overlap[close] / 2)[:, None]
        moves = np.zeros_like(centre)
        np.add.at(moves, first[close], push)
        np.add.at(moves, second[close], -push)
        centre = np.clip(centre + moves, low, high)
    return [(round(float(x), 1), round(float(y), 1)) for x, y in centre]


def _radius(people: int, most: int) -> float:
    """Area in proportion to people: the radius grows with the square root."""
    if most <= 0:
        return MIN_RADIUS
    return round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(max(people, 0) / most), 1)


_TIE = (
    '<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" stroke-width="{width}" '
    'stroke-linecap="round"/>'
)
_NODE = (
    '<a class="convening-map__node" href="{href}" aria-label="{name}">'
    "<title>{name}</title>"
    '<circle class="convening-map__focus" cx="{x}" cy="{y}" r="{ring}" fill="none"/>'
    '<circle cx="{x}" cy="{y}" r="{r}" fill="{fill}" stroke="{outline}" stroke-width="1.5"/>'
    '<text x="{x}" y="{text_y}" font-size="{size}" fill="{ink}" text-anchor="middle">{number}'
    "</text></a>"
)
_LEGEND_ITEM = (
    '<circle cx="{cx}" cy="{cy}" r="{r}" fill="{fill}" stroke="{outline}" stroke-width="1.5"/>'
    '<text x="{text_x}" y="{text_y}" font-size="{size}" fill="{ink}">{label}</text>'
)


def organisation_map(nodes: Sequence[Node], ties: Sequence, *, title: str) -> Markup:
    """The map of `nodes` with `ties` (GroupTie rows of the organisation boundary) as lines, and
    a legend of the sectors present. `title` names the drawing for screen readers."""
    height_of_plot = plot_height(len(nodes))
    most = max((node.people for node in nodes), default=0)
    radii = [_radius(node.people, most) for node in nodes]
    centres = spread(nodes, radii, height_of_plot)
    where = {node.key: centre for node, centre in zip(nodes, centres, strict=True)}
    heaviest = max((tie.weight for tie in ties), default=0) or 1
    lines = format_html_join(
        "",
        _TIE,
        (
            {
                "x1": where[tie.a_key][0],
                "y1": where[tie.a_key][1],
                "x2": where[tie.b_key][0],
                "y2": where[tie.b_key][1],
                "colour": NHS_DARK_GREY,
                "width": round(
                    MIN_TIE_WIDTH + (MAX_TIE_WIDTH - MIN_TIE_WIDTH) * tie.weight / heaviest, 1
                ),
            }
            for tie in ties
            if tie.a_key in where and tie.b_key in where
        ),
    )
    # In the table's order, so the keyboard goes through them as the table lists them.
    circles = format_html_join(
        "",
        _NODE,
        (
            _node_values(node, radius, centre)
            for node, radius, centre in zip(nodes, radii, centres, strict=True)
        ),
    )
    sectors = sorted({node.sector for node in nodes}, key=_sector_order)
    legend = format_html_join(
        "",
        _LEGEND_ITEM,
        (
            {
                "cx": 8 + SWATCH_RADIUS,
                "cy": height_of_plot + 8 + row * LEGEND_ROW + SWATCH_RADIUS,
                "r": SWATCH_RADIUS,
                "fill": _colours(sector)[0],
                "outline": NHS_TEXT,
                "text_x": 8 + 2 * SWATCH_RADIUS + 8,
                "text_y": height_of_plot + 8 + row * LEGEND_ROW + SWATCH_RADIUS + 6,
                "size": TEXT_SIZE,
                "ink": NHS_TEXT,
                "label": SECTOR_LABELS.get(sector, "Sector not recorded"),
            }
            for row, sector in enumerate(sectors)
        ),
    )
    height = height_of_plot + 8 + len(sectors) * LEGEND_ROW + 8
    return format_html(
        '<svg class="convening-chart convening-map" xmlns="http://www.w3.org/2000/svg" '
        'role="group" aria-label="{title}" viewBox="0 0 {width} {height}" width="100%" '
        'preserveAspectRatio="xMinYMin meet">'
        '<rect x="0" y="0" width="{width}" height="{plot}" fill="{white}" stroke="{frame}" '
        'stroke-width="1"/>'
        '<g aria-hidden="true">{lines}</g>{circles}<g aria-hidden="true">{legend}</g></svg>',
        title=title,
        width=WIDTH,
        height=height,
        plot=height_of_plot,
        white=WHITE,
        frame=NHS_DARK_GREY,
        lines=lines,
        circles=circles,
        legend=legend,
    )


def _node_values(node: Node, radius: float, centre: tuple) -> dict:
    x, y = centre
    fill, ink = _colours(node.sector)
    return {
        "href": node.href,
        "name": node.name,
        "x": x,
        "y": y,
        "text_y": round(y + TEXT_SIZE * 0.35, 1),
        "ring": radius + FOCUS_RING,
        "r": radius,
        "fill": fill,
        "outline": NHS_TEXT,
        "size": TEXT_SIZE,
        "ink": ink,
        "number": node.number,
    }


def _colours(sector: str) -> tuple[str, str]:
    return SECTOR_COLOURS.get(sector, UNKNOWN_SECTOR)


def _sector_order(sector: str) -> int:
    order = list(SECTOR_COLOURS)
    return order.index(sector) if sector in order else len(order)
