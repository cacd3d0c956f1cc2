"""The organisation map (network/map.py): circles from the snapshot's layout, spread so none
overlaps, the same every time; ties as lines by weight; every label escaped."""

from __future__ import annotations

import math
import re
from types import SimpleNamespace

from network.map import (
    FOCUS_RING,
    GAP,
    MAX_TIE_WIDTH,
    MIN_RADIUS,
    SECTOR_COLOURS,
    WIDTH,
    Node,
    nodes_of,
    organisation_map,
    plot_height,
    spread,
)


def node(number, x, y, people=3, sector="acute", label=None):
    return Node(number, str(number), label or f"Org {number}", sector, people, x, y, f"#o{number}")


def test_circles_on_the_same_spot_are_spread_apart_within_the_drawing_the_same_each_time():
    nodes = [node(n, 0.5, 0.5) for n in range(1, 7)]
    radii = [MIN_RADIUS] * len(nodes)

    first = spread(nodes, radii, 300)

    assert first == spread(nodes, radii, 300)
    for i, (ax, ay) in enumerate(first):
        assert MIN_RADIUS + FOCUS_RING <= ax <= WIDTH - MIN_RADIUS - FOCUS_RING
        for bx, by in first[i + 1 :]:
            assert math.hypot(ax - bx, ay - by) >= 2 * MIN_RADIUS + GAP - 0.5


def test_circles_far_apart_stay_where_the_layout_put_them():
    nodes = [node(1, 0.0, 0.0), node(2, 1.0, 1.0)]
    (ax, ay), (bx, by) = spread(nodes, [MIN_RADIUS, MIN_RADIUS], 300)
    assert (ax < 60, ay < 60) == (True, True)
    assert (bx > WIDTH - 60, by > 240) == (True, True)


def test_a_map_of_many_organisations_is_drawn_taller():
    assert plot_height(5) == 300
    assert plot_height(80) == 600
    assert plot_height(1000) == 1200


def test_ties_are_drawn_by_weight_and_circles_coloured_by_sector():
    nodes = [node(1, 0.1, 0.1, sector="vcse"), node(2, 0.9, 0.9), node(3, 0.1, 0.9)]
    ties = [
        SimpleNamespace(a_key="1", b_key="2", weight=4.0),
        SimpleNamespace(a_key="1", b_key="3", weight=1.0),
    ]

    svg = str(organisation_map(nodes, ties, title="Map"))

    widths = [float(w) for w in re.findall(r'<line [^>]*stroke-width="([\d.]+)"', svg)]
    assert widths[0] == MAX_TIE_WIDTH
    assert widths[1] < widths[0]
    assert f'fill="{SECTOR_COLOURS["vcse"][0]}"' in svg
    assert svg.count('<a class="convening-map__node"') == 3


def test_labels_are_escaped_and_numbered_in_name_order():
    groups = [
        SimpleNamespace(key="9", label="Zed <b>", sector="acute", people=2, x=0.2, y=0.2),
        SimpleNamespace(key="4", label='"Alpha" & co', sector="", people=1, x=None, y=None),
    ]

    nodes = nodes_of(groups, lambda group: f"/o/{group.key}/")
    svg = str(organisation_map(nodes, [], title="Map <of> orgs"))

    assert [(n.number, n.label) for n in nodes] == [(1, '"Alpha" & co'), (2, "Zed <b>")]
    assert "<b>" not in svg
    assert 'aria-label="&quot;Alpha&quot; &amp; co, Sector not recorded, 1 person"' in svg
    assert 'aria-label="Map &lt;of&gt; orgs"' in svg
