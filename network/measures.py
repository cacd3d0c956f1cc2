"""The measures of relationships across boundaries (DESIGN section 11), each from its published
definition.

Everything here works on plain values, not on the database: a meeting is its attendees' ids,
a person's place in the system is a mapping from boundary ("organisation", "sector",
"role_group", "level", "programme") to a value. Snapshots (built later from attendance) call
these functions and store what they return, so each function can be tested on its own against
a reference: networkx's own graphs and projection, published values, and examples worked by
hand in the tests.

Ties are undirected. The person graph is Newman's collaboration projection of the person x
meeting record: a meeting of d attendees adds 1/(d-1) to the weight of each pair in it, so a
person's weights sum to the number of their meetings that had anyone else in them, and one
large meeting does not look like a tight team. Where a measure needs a distance (betweenness),
the distance of a tie is 1/weight: people who meet often are close.

A person whose value for a boundary is unknown (no organisation recorded, say) is left out of
that boundary's counts, never counted as a group of their own.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import igraph
import networkx as nx
import numpy as np
from scipy import sparse

Person = Hashable
Attributes = Mapping[Person, Mapping[str, Hashable | None]]

BOUNDARIES = ("organisation", "sector", "role_group", "level", "programme")

# Old and new power (practice 3.1): people who hold formal authority, and the people and
# groups whose voice the system has tended to hear least.
OLD_POWER_ROLE_GROUPS = frozenset({"executive"})
OLD_POWER_LEVELS = frozenset({"senior"})
NEW_POWER_ROLE_GROUPS = frozenset({"patient", "community"})
NEW_POWER_LEVELS = frozenset({"frontline"})


@dataclass(frozen=True)
class Meeting:
    """One held meeting: when, and who attended."""

    id: Hashable
    day: datetime.date
    attendees: frozenset

    @classmethod
    def of(cls, id: Hashable, day: datetime.date, attendees: Iterable[Person]) -> Meeting:
        return cls(id, day, frozenset(attendees))


# --- The graph -------------------------------------------------------------------------------


def co_attendance_graph(meetings: Iterable[Meeting], people: Iterable[Person] = ()) -> nx.Graph:
    """Newman's collaboration projection of who attended which meeting.

    Each tie carries `weight` (the sum of 1/(d-1) over the meetings the pair shared, d being
    the meeting's attendance), `meetings` (how many meetings they shared) and `distance`
    (1/weight). `people` adds those who attended nothing, so that they are counted as present
    but unconnected. A meeting with one attendee adds the person and no tie."""
    graph = nx.Graph()
    graph.add_nodes_from(people)
    for meeting in meetings:
        attendees = sorted(meeting.attendees, key=repr)
        graph.add_nodes_from(attendees)
        if len(attendees) < 2:
            continue
        share = 1 / (len(attendees) - 1)
        for a, b in itertools.combinations(attendees, 2):
            if graph.has_edge(a, b):
                tie = graph[a][b]
                tie["weight"] += share
                tie["meetings"] += 1
            else:
                graph.add_edge(a, b, weight=share, meetings=1)
    for _, _, tie in graph.edges(data=True):
        tie["distance"] = 1 / tie["weight"]
    return graph


def group_graph(graph: nx.Graph, attributes: Attributes, boundary: str) -> nx.Graph:
    """The ties between groups (organisations, sectors, …): two groups are tied when any of
    their people are, with the people's weights summed. Ties inside a group are not kept;
    every group with someone in the person graph is a node, tied or not."""
    groups = nx.Graph()
    label = _labeller(attributes, boundary)
    for person in graph:
        value = label(person)
        if value is not None:
            groups.add_node(value)
    for a, b, weight in graph.edges(data="weight"):
        group_a, group_b = label(a), label(b)
        if group_a is None or group_b is None or group_a == group_b:
            continue
        if groups.has_edge(group_a, group_b):
            groups[group_a][group_b]["weight"] += weight
            groups[group_a][group_b]["ties"] += 1
        else:
            groups.add_edge(group_a, group_b, weight=weight, ties=1)
    for _, _, tie in groups.edges(data=True):
        tie["distance"] = 1 / tie["weight"]
    return groups


def _value(attributes: Attributes, person: Person, boundary: str) -> Hashable | None:
    return attributes.get(person, {}).get(boundary)


# --- Per person ------------------------------------------------------------------------------


@dataclass
class Reach:
    """Whom one person has met: how many people, which groups across each boundary (their own
    included), and the share of their ties that cross each boundary (None where no tie has a
    known value on both ends)."""

    contacts: int
    groups_met: dict[str, set] = field(default_factory=dict)
    crossing_share: dict[str, float | None] = field(default_factory=dict)


def reach(
    graph: nx.Graph, attributes: Attributes, boundaries: Sequence[str] = BOUNDARIES
) -> dict[Person, Reach]:
    """For each person: distinct contacts, the groups they met, and how many of their ties
    cross each boundary. Ties are counted, not weighted: meeting someone once is a contact."""
    result = {}
    labels = {boundary: _labeller(attributes, boundary) for boundary in boundaries}
    for person in graph:
        neighbours = list(graph[person])
        person_reach = Reach(contacts=len(neighbours))
        for boundary in boundaries:
            label = labels[boundary]
            own = label(person)
            values = [label(other) for other in neighbours]
            known = [value for value in values if value is not None]
            person_reach.groups_met[boundary] = set(known)
            if own is None or not known:
                person_reach.crossing_share[boundary] = None
            else:
                crossing = sum(1 for value in known if value != own)
                person_reach.crossing_share[boundary] = crossing / len(known)
        result[person] = person_reach
    return result


# Up to this many people betweenness is exact; above it, it is estimated from PIVOTS people's
# shortest paths (Brandes and Pich, 2007), picked with the fixed seed.
EXACT_BETWEENNESS_UP_TO = 600
PIVOTS = 256


def betweenness(graph: nx.Graph) -> dict[Person, float]:
    """Freeman betweenness, normalised to 0 to 1, over shortest paths where a tie's length is
    1/weight (its `distance`): Brandes' algorithm, computed by igraph in C, because networkx's
    own takes minutes on a region's programme. Tested against networkx's values and the
    published ones. On a network of more than EXACT_BETWEENNESS_UP_TO people it is estimated
    from PIVOTS starting points and scaled up: bands, not values, are what the pages show."""
    people = list(graph)
    count = len(people)
    if count < 3:
        return dict.fromkeys(people, 0.0)
    index = {person: i for i, person in enumerate(people)}
    ties = list(graph.edges(data="distance", default=1.0))
    network = igraph.Graph(n=count, edges=[(index[a], index[b]) for a, b, _ in ties])
    lengths = [length for _, _, length in ties]
    if count <= EXACT_BETWEENNESS_UP_TO:
        raw = network.betweenness(directed=False, weights=lengths)
        scale = 1.0
    else:
        sources = sorted(random.Random(SEED).sample(range(count), PIVOTS))  # noqa: S311
        raw = network.betweenness(directed=False, weights=lengths, sources=sources)
        scale = count / PIVOTS
    pairs = (count - 1) * (count - 2) / 2
    return {person: raw[i] * scale / pairs for i, person in enumerate(people)}


def effective_size(graph: nx.Graph) -> dict[Person, float]:
    """Burt's effective size on the weighted ties: the number of contacts less their
    redundancy, as networkx defines it (p_vw the share of v's tie weight that goes to w, m_uw
    u's tie to w over u's strongest tie): size(v) = sum over contacts u of
    1 - sum over contacts w of p_vw * m_uw. With equal weights it is Borgatti's n - 2t/n.
    Computed with sparse matrices (networkx works one pair at a time, too slow for a region);
    tested against networkx. Unconnected people get nothing (networkx gives NaN)."""
    people, weights = _weights(graph)
    if not people:
        return {}
    shares = _row_scaled(weights, weights.sum(axis=1))
    of_strongest = _row_scaled(weights, weights.max(axis=1).toarray().ravel())
    redundancy = (shares @ of_strongest.T).multiply(weights != 0).sum(axis=1)
    degree = np.diff(weights.indptr)
    sizes = degree - np.asarray(redundancy).ravel()
    return dict(zip(people, sizes.tolist(), strict=True))


def constraint(graph: nx.Graph) -> dict[Person, float]:
    """Burt's constraint on the weighted ties, as networkx defines it: how far a person's
    contacts are tied to each other, so that they could do without the person:
    c(v) = sum over contacts j of (p_vj + sum over contacts q of p_vq * p_qj) squared, p being
    the share of a person's tie weight. Low constraint is room to broker. Computed with sparse
    matrices and tested against networkx. Unconnected people get nothing."""
    people, weights = _weights(graph)
    if not people:
        return {}
    shares = _row_scaled(weights, weights.sum(axis=1))
    through = (shares @ shares).multiply(weights != 0)
    total = (shares + through).tocsr()
    values = np.asarray(total.multiply(total).sum(axis=1)).ravel()
    return dict(zip(people, values.tolist(), strict=True))


def _weights(graph: nx.Graph) -> tuple[list, sparse.csr_array]:
    """The people with at least one tie, and their tie weights as a sparse matrix."""
    people = [person for person in graph if graph.degree(person) > 0]
    if not people:
        return [], sparse.csr_array((0, 0))
    return people, _matrix(graph, people)


def _matrix(graph: nx.Graph, people: list) -> sparse.csr_array:
    """The tie weights among `people` (every tie of the graph is among them), symmetric."""
    index = {person: i for i, person in enumerate(people)}
    ties = [(index[a], index[b], w) for a, b, w in graph.edges(data="weight", default=1.0)]
    rows, columns, weights = (np.array(column) for column in zip(*ties, strict=True))
    matrix = sparse.coo_array(
        (
            np.concatenate([weights, weights]).astype(float),
            (
                np.concatenate([rows, columns]),
                np.concatenate([columns, rows]),
            ),
        ),
        shape=(len(people), len(people)),
    )
    return matrix.tocsr()


def _row_scaled(matrix: sparse.csr_array, divisors) -> sparse.csr_array:
    divisors = np.asarray(divisors, dtype=float).ravel()
    return (sparse.diags_array(1 / divisors) @ matrix).tocsr()


# --- Brokerage -------------------------------------------------------------------------------

COORDINATOR = "coordinator"
ITINERANT = "itinerant"
GATEKEEPER = "gatekeeper"
REPRESENTATIVE = "representative"
LIAISON = "liaison"
ROLES = (COORDINATOR, ITINERANT, GATEKEEPER, REPRESENTATIVE, LIAISON)


def brokerage(graph: nx.Graph, attributes: Attributes, boundary: str) -> dict[Person, Counter]:
    """Gould and Fernandez's brokerage roles, counted on undirected ties.

    A person brokers a pair of their contacts who are not tied to each other. By the groups of
    the three: all in one group, coordinator; the two contacts in one group and the broker in
    another, itinerant; all in different groups, liaison. When exactly one contact shares the
    broker's group, the directed definition gives gatekeeper (the outsider reaches the group
    through the broker) or representative (the broker carries the group's word out) by the
    direction of flow; an undirected tie carries both, so such a pair counts once as each.
    Pairs in which anyone's group is unknown are not counted."""
    return brokerage_by_boundary(graph, attributes, (boundary,))[boundary]


def brokerage_by_boundary(
    graph: nx.Graph, attributes: Attributes, boundaries: Sequence[str]
) -> dict[str, dict[Person, Counter]]:
    """`brokerage` for several boundaries at once, by counting rather than listing pairs.

    For each broker, the pairs of contacts of each kind are counted from how many contacts
    each group has (n in the broker's own group gives n(n-1)/2 coordinator pairs, and so on),
    less the pairs of contacts who are tied to each other, read from the ties among the
    broker's contacts. The same answer as going through every pair (a test checks it against
    `_brokerage_by_pairs`), without a Python step per pair: a region's meetings give
    millions of them."""
    people = list(graph)
    result: dict[str, dict[Person, Counter]] = {
        b: {p: Counter() for p in people} for b in boundaries
    }
    if not people:
        return result
    index = {person: i for i, person in enumerate(people)}
    adjacency = _matrix(graph, people)
    codes = {b: _codes(people, attributes, b) for b in boundaries}
    for person in people:
        i = index[person]
        contacts = adjacency.indices[adjacency.indptr[i] : adjacency.indptr[i + 1]]
        if len(contacts) < 2:
            continue
        among = sparse.triu(adjacency[contacts][:, contacts], k=1).tocoo()
        for boundary in boundaries:
            label = codes[boundary]
            own = label[i]
            if own < 0:
                continue
            result[boundary][person] = _role_counts(label[contacts], own, among)
    return result


def _codes(people: list, attributes: Attributes, boundary: str) -> np.ndarray:
    """Each person's group as a small integer, -1 when unknown."""
    numbers: dict = {}
    return np.array(
        [
            -1
            if (v := _value(attributes, p, boundary)) is None
            else numbers.setdefault(v, len(numbers))
            for p in people
        ],
        dtype=np.int64,
    )


def _role_counts(groups: np.ndarray, own: int, tied: sparse.coo_array) -> Counter:
    """The roles of a broker in group `own` whose contacts are in `groups` (-1 unknown), `tied`
    holding the pairs of contacts (by position) who are tied to each other."""
    known = groups[groups >= 0]
    same = int(np.count_nonzero(known == own))
    others = known[known != own]
    per_group = np.bincount(others) if len(others) else np.zeros(0, dtype=np.int64)
    same_other = int((per_group * (per_group - 1) // 2).sum())
    pairs = {
        COORDINATOR: same * (same - 1) // 2,
        ITINERANT: same_other,
        GATEKEEPER: same * len(others),
        LIAISON: len(others) * (len(others) - 1) // 2 - same_other,
    }
    a, c = groups[tied.row], groups[tied.col]
    both = (a >= 0) & (c >= 0)
    a, c = a[both], c[both]
    a_own, c_own = a == own, c == own
    pairs[COORDINATOR] -= int(np.count_nonzero(a_own & c_own))
    pairs[ITINERANT] -= int(np.count_nonzero(~a_own & ~c_own & (a == c)))
    pairs[GATEKEEPER] -= int(np.count_nonzero(a_own ^ c_own))
    pairs[LIAISON] -= int(np.count_nonzero(~a_own & ~c_own & (a != c)))
    pairs[REPRESENTATIVE] = pairs[GATEKEEPER]
    return Counter({role: count for role, count in pairs.items() if count})


def _brokerage_by_pairs(graph: nx.Graph, attributes: Attributes, boundary: str) -> dict:
    """The definition pair by pair: the reference the counting version is tested against."""
    roles: dict[Person, Counter] = {}
    for broker in graph:
        counts: Counter = Counter()
        own = _value(attributes, broker, boundary)
        if own is not None:
            for a, c in itertools.combinations(graph[broker], 2):
                if graph.has_edge(a, c):
                    continue
                group_a, group_c = _value(attributes, a, boundary), _value(attributes, c, boundary)
                if group_a is None or group_c is None:
                    continue
                for role in _roles(own, group_a, group_c):
                    counts[role] += 1
        roles[broker] = counts
    return roles


def _roles(broker: Hashable, a: Hashable, c: Hashable) -> tuple[str, ...]:
    if a == broker and c == broker:
        return (COORDINATOR,)
    if a == c:
        return (ITINERANT,)
    if a != broker and c != broker:
        return (LIAISON,)
    return (GATEKEEPER, REPRESENTATIVE)


# --- The E-I index ---------------------------------------------------------------------------


def ei_index(graph: nx.Graph, attributes: Attributes, boundary: str) -> float | None:
    """Krackhardt and Stern's E-I index of the whole network: (E - I) / (E + I), E being the
    ties between groups and I those within. -1: every tie stays inside its group; +1: every tie
    crosses. None when no tie has a known group on both ends."""
    external, internal = _external_internal(graph.edges(), _labeller(attributes, boundary))
    return _ei(external, internal)


def group_ei(graph: nx.Graph, attributes: Attributes, boundary: str) -> dict[Hashable, float]:
    """The E-I index of each group: its ties to people outside it against its ties within."""
    label = _labeller(attributes, boundary)
    external: Counter = Counter()
    internal: Counter = Counter()
    for a, b in graph.edges():
        group_a, group_b = label(a), label(b)
        if group_a is None or group_b is None:
            continue
        if group_a == group_b:
            internal[group_a] += 1
        else:
            external[group_a] += 1
            external[group_b] += 1
    groups = set(external) | set(internal)
    return {group: _ei(external[group], internal[group]) for group in groups}


def _labeller(attributes: Attributes, boundary: str) -> Callable[[Person], Hashable | None]:
    """Each person's group for one boundary, as one dictionary lookup (None when unknown)."""
    return {person: values.get(boundary) for person, values in attributes.items()}.get


def _external_internal(edges: Iterable[tuple], label: Callable) -> tuple[int, int]:
    external = internal = 0
    for a, b in edges:
        group_a, group_b = label(a), label(b)
        if group_a is None or group_b is None:
            continue
        if group_a == group_b:
            internal += 1
        else:
            external += 1
    return external, internal


def _ei(external: int, internal: int) -> float | None:
    if external + internal == 0:
        return None
    return (external - internal) / (external + internal)


@dataclass(frozen=True)
class Baseline:
    """The E-I index the same ties would give if people's groups were dealt out at random (the
    group sizes kept): the mean and the middle 95% of the shuffles, and where the network
    stands against them."""

    observed: float
    mean: float
    low: float
    high: float

    @property
    def compared_with_chance(self) -> str:
        if self.observed > self.high:
            return "more"
        if self.observed < self.low:
            return "less"
        return "about as"


SHUFFLES = 1000
SEED = 20261205


def ei_baseline(
    graph: nx.Graph,
    attributes: Attributes,
    boundary: str,
    *,
    shuffles: int = SHUFFLES,
    seed: int = SEED,
) -> Baseline | None:
    """The E-I index against chance: the groups of the people with a known group are shuffled
    among them `shuffles` times with a fixed seed, so the answer is the same on every visit."""
    observed = ei_index(graph, attributes, boundary)
    if observed is None:
        return None
    people = [person for person in graph if _value(attributes, person, boundary) is not None]
    position = {person: i for i, person in enumerate(people)}
    labels = _codes(people, attributes, boundary)
    ends = np.array(
        [(position[a], position[b]) for a, b in graph.edges() if a in position and b in position],
        dtype=np.int64,
    ).reshape(-1, 2)
    generator = np.random.default_rng(seed)
    values = np.empty(shuffles)
    for shuffle in range(shuffles):
        dealt = generator.permutation(labels)
        internal = int(np.count_nonzero(dealt[ends[:, 0]] == dealt[ends[:, 1]]))
        values[shuffle] = _ei(len(ends) - internal, internal)
    values.sort()
    return Baseline(
        observed=observed,
        mean=float(values.mean()),
        low=float(values[int(0.025 * (shuffles - 1))]),
        high=float(values[round(0.975 * (shuffles - 1))]),
    )


# --- Meetings and time -----------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingMix:
    groups: frozenset
    ei: float | None


def meeting_mix(meeting: Meeting, attributes: Attributes, boundary: str) -> MeetingMix:
    """The groups present at one meeting, and the E-I index of the ties it made (every pair of
    attendees)."""
    label = _labeller(attributes, boundary)
    groups = frozenset(g for g in map(label, meeting.attendees) if g is not None)
    pairs = itertools.combinations(sorted(meeting.attendees, key=repr), 2)
    return MeetingMix(groups, _ei(*_external_internal(pairs, label)))


@dataclass(frozen=True)
class Quarter:
    label: str
    new_ties: int
    new_crossing_ties: int


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3


QUARTER_NAMES = ("Jan to Mar", "Apr to Jun", "Jul to Sep", "Oct to Dec")


def quarterly_new_ties(
    meetings: Iterable[Meeting], attributes: Attributes, boundary: str
) -> list[Quarter]:
    """For each calendar quarter from the first meeting to the last: how many pairs met for the
    first time, and how many of those crossed the boundary. Quarters with no new ties are
    listed with zeros, so a chart has no gaps."""
    label = _labeller(attributes, boundary)
    seen: set[frozenset] = set()
    new: Counter = Counter()
    crossing: Counter = Counter()
    ordered = sorted(meetings, key=lambda m: (m.day, repr(m.id)))
    for meeting in ordered:
        quarter = quarter_of(meeting.day)
        for a, b in itertools.combinations(sorted(meeting.attendees, key=repr), 2):
            pair = frozenset((a, b))
            if pair in seen:
                continue
            seen.add(pair)
            new[quarter] += 1
            group_a, group_b = label(a), label(b)
            if group_a is not None and group_b is not None and group_a != group_b:
                crossing[quarter] += 1
    if not ordered:
        return []
    first, last = quarter_of(ordered[0].day), quarter_of(ordered[-1].day)
    quarters = []
    year, index = first
    while (year, index) <= last:
        quarters.append(
            Quarter(
                f"{QUARTER_NAMES[index]} {year}",
                new[(year, index)],
                crossing[(year, index)],
            )
        )
        year, index = (year + 1, 0) if index == 3 else (year, index + 1)
    return quarters


# --- Weak points -----------------------------------------------------------------------------


def groups_never_met(
    graph: nx.Graph, attributes: Attributes, boundary: str, everyone: Iterable[Person]
) -> set:
    """Groups that have people in the programme (`everyone`) none of whom has a tie in the
    graph: nobody from them has met anyone in the window."""
    present = {_value(attributes, person, boundary) for person in everyone} - {None}
    met = {_value(attributes, person, boundary) for person in graph if graph.degree(person) > 0}
    return present - met


def inward_organisations(graph: nx.Graph, attributes: Attributes) -> set:
    """Organisations whose people have ties, but only with each other."""
    organisations = group_graph(graph, attributes, "organisation")
    connected_inside = {
        _value(attributes, person, "organisation") for person in graph if graph.degree(person) > 0
    } - {None}
    return {org for org in connected_inside if organisations.degree(org) == 0}


def single_points_of_failure(graph: nx.Graph) -> set:
    """People (or, on the organisation graph, organisations) whose removal would split a
    connected part of the network in two: the graph's articulation points."""
    return set(nx.articulation_points(graph))


def is_old_power(person_attributes: Mapping[str, Hashable | None]) -> bool:
    return (
        person_attributes.get("role_group") in OLD_POWER_ROLE_GROUPS
        or person_attributes.get("level") in OLD_POWER_LEVELS
    )


def is_new_power(person_attributes: Mapping[str, Hashable | None]) -> bool:
    return not is_old_power(person_attributes) and (
        person_attributes.get("role_group") in NEW_POWER_ROLE_GROUPS
        or person_attributes.get("level") in NEW_POWER_LEVELS
    )


def power_ties(graph: nx.Graph, attributes: Attributes) -> list[tuple[Person, Person]]:
    """Ties between old power (executives, board members, senior leaders) and new power
    (frontline staff, patients, carers and community groups), the old-power person first."""
    ties = []
    for a, b in graph.edges():
        attrs_a, attrs_b = attributes.get(a, {}), attributes.get(b, {})
        if is_old_power(attrs_a) and is_new_power(attrs_b):
            ties.append((a, b))
        elif is_old_power(attrs_b) and is_new_power(attrs_a):
            ties.append((b, a))
    return ties


# --- Stable rankings -------------------------------------------------------------------------

# (share of people, name), from the narrowest band out; the rest are "lower half".
BANDS = ((0.10, "top 10%"), (0.25, "top 25%"), (0.50, "top half"))
LOWER = "lower half"
BAND_NAMES = (*(name for _, name in BANDS), LOWER)
MIN_MEETINGS = 6
MIN_PEOPLE = 10
MAX_DROPS = 40


def band_of(rank: int, count: int) -> str:
    """The band of the person ranked `rank` (0 first) among `count`."""
    for share, name in BANDS:
        if rank < max(1, int(share * count)):
            return name
    return LOWER


def bands(values: Mapping[Person, float], *, highest_first: bool = True) -> dict[Person, int]:
    """Each person's band index (0 = top 10%) among these values. People with equal values
    share the lower band of their places: a band is claimed only by those clearly in it (when
    most people have a betweenness of 0, none of them is in the top half)."""
    ordered = sorted(values.values(), reverse=highest_first)
    last_rank = {value: rank for rank, value in enumerate(ordered)}
    return {
        person: BAND_NAMES.index(band_of(last_rank[value], len(ordered)))
        for person, value in values.items()
    }


@dataclass(frozen=True)
class StableBands:
    """Bands that held whichever meeting was dropped, or the reason there are none."""

    bands: dict[Person, str]
    reason: str = ""


def stable_bands(
    meetings: Sequence[Meeting],
    measure: Callable[[nx.Graph], Mapping[Person, float]],
    *,
    highest_first: bool = True,
    min_meetings: int = MIN_MEETINGS,
    min_people: int = MIN_PEOPLE,
    max_drops: int = MAX_DROPS,
    seed: int = SEED,
) -> StableBands:
    """A ranking shown as bands that do not depend on any one meeting.

    The measure is computed on all the meetings, then again with each meeting left out (at
    most `max_drops` of them on a large programme: the largest meeting, then others picked
    with a fixed seed); a person is shown in the lowest band they fell to. With too few
    meetings or people, no bands and a reason."""
    return stable_bands_of(
        meetings,
        {"only": (measure, highest_first)},
        min_meetings=min_meetings,
        min_people=min_people,
        max_drops=max_drops,
        seed=seed,
    )["only"]


# How many ties may be recomputed, in all, to check the bands: on a large programme fewer
# meetings are dropped (never fewer than MIN_DROPS), so a build stays within seconds.
DROP_BUDGET = 150_000
MIN_DROPS = 3


def stable_bands_of(
    meetings: Sequence[Meeting],
    measured: Mapping[str, tuple[Callable[[nx.Graph], Mapping[Person, float]], bool]],
    *,
    min_meetings: int = MIN_MEETINGS,
    min_people: int = MIN_PEOPLE,
    max_drops: int = MAX_DROPS,
    seed: int = SEED,
) -> dict[str, StableBands]:
    """`stable_bands` for several measures (name: (function, highest first)) on the same
    dropped meetings, so each left-out meeting's graph is built once."""
    with_others = [m for m in meetings if len(m.attendees) > 1]
    graph = co_attendance_graph(with_others)
    connected = [person for person in graph if graph.degree(person) > 0]
    if len(with_others) < min_meetings or len(connected) < min_people:
        reason = (
            f"Rankings appear once at least {min_meetings} meetings with {min_people} people "
            "who met someone have been logged in this period."
        )
        return {name: StableBands({}, reason) for name in measured}
    worst = {}
    for name, (measure, highest_first) in measured.items():
        first = {p: v for p, v in measure(graph).items() if p in set(connected)}
        worst[name] = bands(first, highest_first=highest_first)
    drops = min(max_drops, max(MIN_DROPS, DROP_BUDGET // max(1, graph.number_of_edges())))
    dropped = list(with_others)
    if len(dropped) > drops:
        largest = max(dropped, key=lambda m: (len(m.attendees), repr(m.id)))
        others = [m for m in dropped if m is not largest]
        dropped = [largest, *random.Random(seed).sample(others, drops - 1)]  # noqa: S311
    for left_out in dropped:
        rest = co_attendance_graph(m for m in with_others if m is not left_out)
        for name, (measure, highest_first) in measured.items():
            values = {p: v for p, v in measure(rest).items() if rest.degree(p) > 0}
            for person, band in bands(values, highest_first=highest_first).items():
                if person in worst[name]:
                    worst[name][person] = max(worst[name][person], band)
            for person in worst[name].keys() - values.keys():
                worst[name][person] = len(BAND_NAMES) - 1
    return {
        name: StableBands({person: BAND_NAMES[band] for person, band in lowest.items()})
        for name, lowest in worst.items()
    }
