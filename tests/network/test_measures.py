"""The network measures (DESIGN section 11) against references that are not our own output:
networkx's projection, published values for Krackhardt's kite and Zachary's karate club, the
textbook formulas written out here, and examples worked by hand with the arithmetic shown."""

from __future__ import annotations

import datetime
import itertools
import random

import networkx as nx
import pytest
from networkx.algorithms import bipartite

from network import measures
from network.measures import Meeting

DAY = datetime.date(2026, 3, 2)


def unweighted(graph: nx.Graph) -> nx.Graph:
    """The graph's ties with weight 1 (networkx's karate club carries interaction counts)."""
    plain = nx.Graph()
    plain.add_nodes_from(graph)
    plain.add_edges_from(graph.edges(), weight=1.0, distance=1.0)
    return plain


KITE = unweighted(nx.krackhardt_kite_graph())
KARATE = unweighted(nx.karate_club_graph())


# --- The projection --------------------------------------------------------------------------


def test_the_projection_matches_networkx_collaboration_weighted_projection():
    rng = random.Random(7)
    people = list(range(25))
    meetings = [Meeting.of(f"m{n}", DAY, rng.sample(people, rng.randint(1, 8))) for n in range(40)]
    two_mode = nx.Graph()
    two_mode.add_nodes_from(people, bipartite=0)
    for meeting in meetings:
        two_mode.add_node(meeting.id, bipartite=1)
        two_mode.add_edges_from((person, meeting.id) for person in meeting.attendees)
    reference = bipartite.collaboration_weighted_projected_graph(two_mode, people)

    ours = measures.co_attendance_graph(meetings, people)

    assert set(ours.nodes) == set(reference.nodes)
    assert {frozenset(e) for e in ours.edges} == {frozenset(e) for e in reference.edges}
    for a, b, weight in reference.edges(data="weight"):
        assert ours[a][b]["weight"] == pytest.approx(weight)
        assert ours[a][b]["distance"] == pytest.approx(1 / weight)


def test_a_large_meeting_weighs_less_per_pair_than_a_small_one():
    # Two people who met alone: 1/(2-1) = 1. Two of ten at one meeting: 1/(10-1) = 1/9.
    graph = measures.co_attendance_graph(
        [Meeting.of(1, DAY, ["a", "b"]), Meeting.of(2, DAY, ["c", "d", *range(8)])]
    )
    assert graph["a"]["b"]["weight"] == pytest.approx(1)
    assert graph["c"]["d"]["weight"] == pytest.approx(1 / 9)
    assert graph["c"]["d"]["meetings"] == 1


# --- Betweenness, effective size and constraint -----------------------------------------------

# Krackhardt (1990), "Assessing the political landscape", normalised betweenness of the kite:
# networkx numbers Andre 0, Beverly 1, Carol 2, Diane 3, Ed 4, Fernando 5, Garth 6, Heather 7,
# Ike 8, Jane 9.
KITE_BETWEENNESS = {
    0: 0.023,
    1: 0.023,
    2: 0.000,
    3: 0.102,
    4: 0.000,
    5: 0.231,
    6: 0.231,
    7: 0.389,
    8: 0.222,
    9: 0.000,
}
# Zachary's karate club, the five highest normalised betweenness values as published in the
# many textbook treatments of the network (the instructor 0 and the administrator 33 first).
KARATE_TOP_BETWEENNESS = {0: 0.4376, 33: 0.3041, 32: 0.1452, 2: 0.1437, 31: 0.1383}


def test_betweenness_of_the_kite_matches_krackhardts_published_values():
    ours = measures.betweenness(KITE)
    for person, value in KITE_BETWEENNESS.items():
        assert ours[person] == pytest.approx(value, abs=0.0005)


def test_betweenness_of_the_karate_club_matches_the_published_values():
    ours = measures.betweenness(KARATE)
    top = sorted(ours, key=ours.get, reverse=True)[:5]
    assert top == list(KARATE_TOP_BETWEENNESS)
    for person, value in KARATE_TOP_BETWEENNESS.items():
        assert ours[person] == pytest.approx(value, abs=0.00005)


def test_betweenness_treats_people_who_meet_often_as_close():
    # a and b met once in a big meeting (weight 1/4, length 4); each met c often (weight 1,
    # length 1). The shortest way from a to b is through c (1 + 1 = 2 < 4), so c lies on the
    # only shortest path of the only pair c is not in: betweenness 1 / ((3-1)(3-2)/2) = 1.
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=0.25, distance=4.0)
    graph.add_edge("a", "c", weight=1.0, distance=1.0)
    graph.add_edge("c", "b", weight=1.0, distance=1.0)
    assert measures.betweenness(graph)["c"] == pytest.approx(1.0)
    assert measures.betweenness(graph)["a"] == pytest.approx(0.0)


def test_weighted_betweenness_matches_networkx():
    graph = weighted_meetings_graph()
    expected = nx.betweenness_centrality(graph, weight="distance", normalized=True)
    ours = measures.betweenness(graph)
    for person in graph:
        assert ours[person] == pytest.approx(expected[person], abs=1e-9)


def test_betweenness_of_a_large_network_is_estimated_close_to_the_exact_values(monkeypatch):
    chance = random.Random(3)
    meetings = [
        Meeting.of(m, DAY, chance.sample(range(700), chance.randint(3, 12))) for m in range(400)
    ]
    graph = measures.co_attendance_graph(meetings)
    assert graph.number_of_nodes() > measures.EXACT_BETWEENNESS_UP_TO
    estimate = measures.betweenness(graph)
    monkeypatch.setattr(measures, "EXACT_BETWEENNESS_UP_TO", 10_000)
    exact = measures.betweenness(graph)
    top = len(exact) // 10
    best = set(sorted(exact, key=exact.get, reverse=True)[:top])
    estimated_best = set(sorted(estimate, key=estimate.get, reverse=True)[:top])
    assert len(best & estimated_best) >= 0.7 * top
    assert sum(estimate.values()) == pytest.approx(sum(exact.values()), rel=0.1)


def borgatti_effective_size(graph: nx.Graph, person) -> float:
    """Borgatti (1997): n - 2t/n, n contacts and t ties among them."""
    contacts = list(graph[person])
    n = len(contacts)
    t = sum(1 for a, b in itertools.combinations(contacts, 2) if graph.has_edge(a, b))
    return n - 2 * t / n


def burt_constraint(graph: nx.Graph, person) -> float:
    """Burt (1992) with equal weights: p_ij = 1/degree(i), and
    c_i = sum over contacts j of (p_ij + sum over other contacts q of p_iq * p_qj) squared."""

    def p(i, j):
        return 1 / graph.degree(i) if graph.has_edge(i, j) else 0.0

    contacts = list(graph[person])
    total = 0.0
    for j in contacts:
        indirect = sum(p(person, q) * p(q, j) for q in contacts if q != j)
        total += (p(person, j) + indirect) ** 2
    return total


@pytest.mark.parametrize("graph", [KITE, KARATE], ids=["kite", "karate"])
def test_effective_size_matches_borgattis_formula(graph):
    ours = measures.effective_size(graph)
    for person in graph:
        assert ours[person] == pytest.approx(borgatti_effective_size(graph, person))


@pytest.mark.parametrize("graph", [KITE, KARATE], ids=["kite", "karate"])
def test_constraint_matches_burts_definition(graph):
    ours = measures.constraint(graph)
    for person in graph:
        assert ours[person] == pytest.approx(burt_constraint(graph, person))


def weighted_meetings_graph() -> nx.Graph:
    """A co-attendance graph with uneven weights: 40 people, 30 meetings of 2 to 9."""
    chance = random.Random(7)
    meetings = [
        Meeting.of(m, DAY, chance.sample(range(40), chance.randint(2, 9))) for m in range(30)
    ]
    return measures.co_attendance_graph(meetings)


WEIGHTED_KARATE = nx.karate_club_graph()  # weights: how often each pair met


@pytest.mark.parametrize(
    "graph", [WEIGHTED_KARATE, weighted_meetings_graph()], ids=["karate", "meetings"]
)
def test_weighted_effective_size_and_constraint_match_networkx(graph):
    # networkx computes these one node at a time from the definitions when asked for named
    # nodes (its whole-graph shortcut for effective size gives other values on weighted
    # graphs, so it is not the reference).
    people = [p for p in graph if graph.degree(p) > 0]
    expected_size = nx.effective_size(graph, nodes=people, weight="weight")
    expected_constraint = nx.constraint(graph, nodes=people, weight="weight")
    ours_size, ours_constraint = measures.effective_size(graph), measures.constraint(graph)
    for person in people:
        assert ours_size[person] == pytest.approx(expected_size[person])
        assert ours_constraint[person] == pytest.approx(expected_constraint[person])


def test_brokerage_counted_by_groups_matches_going_through_every_pair():
    graph = weighted_meetings_graph()
    chance = random.Random(11)
    attributes = {p: {"sector": chance.choice(["A", "B", "C", None])} for p in graph}
    assert measures.brokerage(graph, attributes, "sector") == measures._brokerage_by_pairs(
        graph, attributes, "sector"
    )


def test_heather_has_the_least_constraint_in_the_kite():
    # Heather (7) joins the kite to Ike and Jane: the classic broker of the example.
    ours = measures.constraint(KITE)
    assert min(ours, key=ours.get) in {3, 7}  # Diane has most contacts, Heather most reach
    assert ours[9] == pytest.approx(1.0)  # Jane's one contact constrains her entirely


def test_unconnected_people_get_no_effective_size_or_constraint():
    graph = measures.co_attendance_graph([Meeting.of(1, DAY, ["a", "b"])], people=["alone"])
    assert "alone" not in measures.effective_size(graph)
    assert "alone" not in measures.constraint(graph)


# --- Reach -----------------------------------------------------------------------------------


def test_reach_counts_contacts_groups_met_and_the_share_of_ties_crossing():
    attributes = {
        "ann": {"organisation": "Trust A", "sector": "acute"},
        "bob": {"organisation": "Trust A", "sector": "acute"},
        "cat": {"organisation": "Council", "sector": "local_authority"},
        "dan": {"organisation": None, "sector": "vcse"},
    }
    graph = measures.co_attendance_graph(
        [Meeting.of(1, DAY, ["ann", "bob", "cat"]), Meeting.of(2, DAY, ["ann", "dan"])]
    )
    ann = measures.reach(graph, attributes, ["organisation", "sector"])["ann"]
    assert ann.contacts == 3
    assert ann.groups_met["organisation"] == {"Trust A", "Council"}  # dan's is unknown
    # Organisation: of bob and cat (dan unknown), one is outside Trust A: 1/2.
    assert ann.crossing_share["organisation"] == pytest.approx(1 / 2)
    # Sector: of bob, cat and dan, two are outside acute: 2/3.
    assert ann.crossing_share["sector"] == pytest.approx(2 / 3)


# --- Gould and Fernandez ---------------------------------------------------------------------


def test_each_gould_fernandez_role_in_a_worked_example():
    # The broker b is in group X. Their contacts: x1, x2, x3 in X (x1 and x2 know each other),
    # y1 and y2 in Y, z in Z. No other ties among the contacts.
    graph = nx.Graph()
    contacts = ["x1", "x2", "x3", "y1", "y2", "z"]
    graph.add_edges_from(("b", contact) for contact in contacts)
    graph.add_edge("x1", "x2")
    group = {"b": "X", "x1": "X", "x2": "X", "x3": "X", "y1": "Y", "y2": "Y", "z": "Z"}
    attributes = {person: {"sector": g} for person, g in group.items()}
    # The 15 pairs of contacts:
    #   x1-x2 are tied: not brokered.
    #   x1-x3, x2-x3: all three in X: coordinator 2.
    #   y1-y2: both ends in Y, broker in X: itinerant 1.
    #   y1-z, y2-z: three groups: liaison 2.
    #   x1, x2, x3 each with y1, y2 and z: one end shares b's group: 3 x 3 = 9 pairs, each a
    #   gatekeeper and a representative.
    roles = measures.brokerage(graph, attributes, "sector")["b"]
    assert roles == {
        measures.COORDINATOR: 2,
        measures.ITINERANT: 1,
        measures.LIAISON: 2,
        measures.GATEKEEPER: 9,
        measures.REPRESENTATIVE: 9,
    }
    # x1's contacts b and x2 are tied: x1 brokers nothing.
    assert measures.brokerage(graph, attributes, "sector")["x1"] == {}


def test_brokerage_leaves_out_pairs_with_an_unknown_group():
    graph = nx.Graph([("b", "a"), ("b", "c")])
    attributes = {"b": {"sector": "X"}, "a": {"sector": "Y"}, "c": {"sector": None}}
    assert measures.brokerage(graph, attributes, "sector")["b"] == {}


# --- The E-I index ---------------------------------------------------------------------------


def ei_example():
    # Group A: 1, 2, 3. Group B: 4, 5.
    # Ties inside A: 1-2, 2-3. Inside B: 4-5. Between: 3-4, 1-5.
    graph = nx.Graph([(1, 2), (2, 3), (4, 5), (3, 4), (1, 5)])
    attributes = {p: {"sector": "A" if p <= 3 else "B"} for p in range(1, 6)}
    return graph, attributes


def test_the_ei_index_of_a_worked_example():
    graph, attributes = ei_example()
    # E = 2 ties between groups, I = 3 within: (2 - 3) / (2 + 3) = -0.2.
    assert measures.ei_index(graph, attributes, "sector") == pytest.approx(-0.2)
    # A: E = 2 (3-4, 1-5), I = 2: (2 - 2) / 4 = 0. B: E = 2, I = 1: (2 - 1) / 3 = 1/3.
    assert measures.group_ei(graph, attributes, "sector") == pytest.approx({"A": 0, "B": 1 / 3})


def test_the_ei_index_is_none_without_a_tie_between_known_groups():
    graph = nx.Graph([(1, 2)])
    assert measures.ei_index(graph, {1: {"sector": "A"}}, "sector") is None


def test_the_permutation_baseline_centres_on_the_analytic_expectation():
    # 10 people in groups of 5, 3 and 2 over 18 ties. Dealt out at random, a tie falls inside a
    # group with probability (5*4 + 3*2 + 2*1) / (10*9) = 28/90, so the expected E-I index is
    # 1 - 2 * 28/90 = 34/90 = 0.3778 whatever the ties are.
    rng = random.Random(3)
    pairs = list(itertools.combinations(range(10), 2))
    graph = nx.Graph(rng.sample(pairs, 18))
    labels = ["A"] * 5 + ["B"] * 3 + ["C"] * 2
    attributes = {p: {"sector": label} for p, label in enumerate(labels)}
    baseline = measures.ei_baseline(graph, attributes, "sector")
    assert baseline.mean == pytest.approx(34 / 90, abs=0.02)
    assert baseline.low <= baseline.mean <= baseline.high
    # The same seed gives the same answer on every visit.
    assert measures.ei_baseline(graph, attributes, "sector") == baseline


def test_a_network_of_only_inside_ties_is_less_cross_boundary_than_chance():
    # Two groups of six, each a complete clique, no tie between: E-I = -1, far below chance.
    graph = nx.Graph()
    for group in (range(6), range(6, 12)):
        graph.add_edges_from(itertools.combinations(group, 2))
    attributes = {p: {"sector": p < 6} for p in range(12)}
    baseline = measures.ei_baseline(graph, attributes, "sector")
    assert baseline.observed == -1
    assert baseline.compared_with_chance == "less"


# --- Meetings and quarters -------------------------------------------------------------------


def test_a_meetings_mix_of_groups():
    attributes = {1: {"sector": "A"}, 2: {"sector": "A"}, 3: {"sector": "B"}, 4: {"sector": "C"}}
    mix = measures.meeting_mix(Meeting.of("m", DAY, [1, 2, 3, 4]), attributes, "sector")
    assert mix.groups == {"A", "B", "C"}
    # Six pairs: 1-2 inside A; the other five cross. (5 - 1) / 6 = 2/3.
    assert mix.ei == pytest.approx(2 / 3)


def test_new_ties_are_counted_in_the_quarter_the_pair_first_met():
    attributes = {1: {"sector": "A"}, 2: {"sector": "A"}, 3: {"sector": "B"}, 4: {"sector": "B"}}
    meetings = [
        Meeting.of("jan", datetime.date(2026, 1, 10), [1, 2, 3]),  # 1-2, 1-3, 2-3: 3 new, 2 cross
        Meeting.of("feb", datetime.date(2026, 2, 1), [1, 2]),  # 1-2 again: nothing new
        Meeting.of("jul", datetime.date(2026, 7, 5), [3, 4, 2]),  # 3-4, 2-4 new; 2-3 not
    ]
    assert measures.quarterly_new_ties(meetings, attributes, "sector") == [
        measures.Quarter("Jan to Mar 2026", 3, 2),
        measures.Quarter("Apr to Jun 2026", 0, 0),
        measures.Quarter("Jul to Sep 2026", 2, 1),
    ]
    assert measures.quarterly_new_ties([], attributes, "sector") == []


# --- Weak points -----------------------------------------------------------------------------


def test_weak_points():
    attributes = {
        "ann": {"organisation": "Trust A", "sector": "acute"},
        "bob": {"organisation": "Trust A", "sector": "acute"},
        "cat": {"organisation": "Council", "sector": "local_authority"},
        "dan": {"organisation": "PCN", "sector": "primary_care"},
        "eve": {"organisation": "Hospice", "sector": "vcse"},
        "fay": {"organisation": "Charity", "sector": "vcse"},
        "gus": {"organisation": "Patients", "sector": "patient_public"},
    }
    meetings = [
        Meeting.of(1, DAY, ["ann", "cat"]),
        Meeting.of(2, DAY, ["cat", "dan"]),
        Meeting.of(3, DAY, ["eve", "fay"]),
        Meeting.of(4, DAY, ["ann", "bob"]),
    ]
    graph = measures.co_attendance_graph(meetings)
    # Gus never attended: the patient and public sector has met nobody.
    assert measures.groups_never_met(graph, attributes, "sector", attributes) == {"patient_public"}
    # Trust A's people met each other and the council: it has an outside tie. The hospice and
    # the charity met each other; every organisation here has an outside tie but none inward.
    assert measures.inward_organisations(graph, attributes) == set()
    inward = measures.co_attendance_graph([Meeting.of(1, DAY, ["ann", "bob"])])
    assert measures.inward_organisations(inward, attributes) == {"Trust A"}
    # ann-cat-dan is a chain, and ann also holds bob: ann and cat are cut points.
    assert measures.single_points_of_failure(graph) == {"ann", "cat"}
    organisations = measures.group_graph(graph, attributes, "organisation")
    assert measures.single_points_of_failure(organisations) == {"Council"}


def test_old_and_new_power_ties():
    attributes = {
        "ceo": {"role_group": "executive", "level": "senior"},
        "nurse": {"role_group": "clinical", "level": "frontline"},
        "carer": {"role_group": "patient", "level": None},
        "manager": {"role_group": "operational", "level": "middle"},
    }
    graph = nx.Graph([("nurse", "ceo"), ("ceo", "manager"), ("carer", "manager")])
    assert measures.power_ties(graph, attributes) == [("ceo", "nurse")]


# --- Stable bands ----------------------------------------------------------------------------


def two_teams_and_a_bridge() -> list[Meeting]:
    """Two teams of six meet four times each, with "bridge" at all eight meetings. A third
    team of four meets four times with "visitor", who sat in on one meeting of team A: the
    third team's only link to the rest rests on that one meeting."""
    team_a = [f"a{n}" for n in range(6)]
    team_b = [f"b{n}" for n in range(6)]
    team_c = [f"c{n}" for n in range(4)]
    meetings = [Meeting.of("A0", DAY, [*team_a, "bridge", "visitor"])]
    meetings += [Meeting.of(f"A{n}", DAY, [*team_a, "bridge"]) for n in range(1, 4)]
    meetings += [Meeting.of(f"B{n}", DAY, [*team_b, "bridge"]) for n in range(4)]
    meetings += [Meeting.of(f"C{n}", DAY, [*team_c, "visitor"]) for n in range(4)]
    return meetings


def test_a_ranking_that_rests_on_one_meeting_is_not_shown_as_high():
    shown = measures.stable_bands(two_teams_and_a_bridge(), measures.betweenness)
    assert shown.reason == ""
    assert shown.bands["bridge"] == "top 10%"
    # With every meeting, the visitor is second: on every path from team C (4 people) to the
    # other 13, 52 pairs, against the bridge's 36 + 30 = 66. Without meeting A0 team C is cut
    # off and the visitor lies on no path at all.
    full = measures.betweenness(measures.co_attendance_graph(two_teams_and_a_bridge()))
    assert sorted(full, key=full.get, reverse=True)[:2] == ["bridge", "visitor"]
    assert full["visitor"] == pytest.approx(52 / (17 * 16 / 2))
    assert shown.bands["visitor"] == "lower half"
    assert shown.bands["a0"] == "lower half"


def test_constraint_bands_put_the_least_constrained_first():
    shown = measures.stable_bands(
        two_teams_and_a_bridge(), measures.constraint, highest_first=False
    )
    assert shown.bands["bridge"] == "top 10%"


def test_too_few_meetings_give_a_reason_instead_of_a_ranking():
    meetings = two_teams_and_a_bridge()[:5]
    shown = measures.stable_bands(meetings, measures.betweenness)
    assert shown.bands == {}
    assert "at least 6 meetings" in shown.reason


def test_bands_by_rank():
    # 20 people: the top 10% is 2 people, the top 25% the next 3, the top half the next 5.
    values = {n: float(20 - n) for n in range(20)}
    names = [name for _, name in measures.BANDS] + [measures.LOWER]
    shown = {n: names[b] for n, b in measures.bands(values).items()}
    assert [shown[n] for n in (0, 1, 2, 4, 5, 9, 10, 19)] == [
        "top 10%",
        "top 10%",
        "top 25%",
        "top 25%",
        "top half",
        "top half",
        "lower half",
        "lower half",
    ]


def test_leaving_one_meeting_out_gives_the_projection_of_the_others():
    """The stability check works out each left-out meeting's graph from the whole graph's ties;
    the reference is networkx's projection of the other meetings, built from scratch."""
    rng = random.Random(11)
    people = [f"p{n}" for n in range(30)]
    meetings = [Meeting.of(f"m{n}", DAY, rng.sample(people, rng.randint(2, 9))) for n in range(45)]
    meetings.append(Meeting.of("only-here", DAY, ["p0", "newcomer", "visitor"]))
    whole = measures.co_attendance_graph(meetings)
    leaving = measures._LeavingOut(meetings, measures._ties(whole))
    for left_out in (meetings[0], meetings[17], meetings[-1]):
        rest = leaving.without(left_out)
        two_mode = nx.Graph()
        for meeting in meetings:
            if meeting is not left_out:
                two_mode.add_edges_from((person, meeting.id) for person in meeting.attendees)
        names = {p for m in meetings if m is not left_out for p in m.attendees}
        reference = bipartite.collaboration_weighted_projected_graph(two_mode, names)
        ours = {
            frozenset((rest.people[a], rest.people[b])): w
            for a, b, w in zip(rest.a.tolist(), rest.b.tolist(), rest.weight.tolist(), strict=True)
        }
        assert ours.keys() == {frozenset(edge) for edge in reference.edges()}
        for a, b, weight in reference.edges(data="weight"):
            assert ours[frozenset((a, b))] == pytest.approx(weight, abs=1e-12)
        assert set(rest.people) == {p for p in names if reference.degree(p) > 0}
    # Leaving out the only meeting of two people takes them out of the graph entirely.
    assert "newcomer" not in leaving.without(meetings[-1]).people
