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
    but unconnected. A meeting with one attendee adds the person and no tie.

    The graph comes back frozen: the measures below keep its ties as arrays (`_ties`) and
    rely on it not changing."""
    graph = nx.Graph()
    graph.add_nodes_from(people)
    weights: dict[tuple, float] = {}
    shared: Counter = Counter()
    for meeting in meetings:
        attendees = sorted(meeting.attendees, key=repr)
        graph.add_nodes_from(attendees)
        if len(attendees) < 2:
            continue
        share = 1 / (len(attendees) - 1)
        for pair in itertools.combinations(attendees, 2):
            weights[pair] = weights.get(pair, 0.0) + share
            shared[pair] += 1
    graph.add_edges_from(
        (a, b, {"weight": weight, "meetings": shared[(a, b)], "distance": 1 / weight})
        for (a, b), weight in weights.items()
    )
    return nx.freeze(graph)


@dataclass
class _Ties:
    """A graph's people (in the graph's order) and ties as arrays: tie k joins people a[k] and
    b[k] with `weight[k]` and `distance[k]`. Built once per frozen graph and shared by the
    measures, which would otherwise each walk networkx's dictionaries again."""

    people: list
    a: np.ndarray
    b: np.ndarray
    weight: np.ndarray
    distance: np.ndarray

    def measured(self, measure: Callable[[_Ties], dict]) -> dict:
        """`measure` of these ties, worked out once (the snapshot's person measures and its
        ranking ask for the same ones)."""
        memo = self.__dict__.setdefault("_memo", {})
        if measure not in memo:
            memo[measure] = measure(self)
        return memo[measure]

    @property
    def index(self) -> dict:
        if not hasattr(self, "_index"):
            self._index = {person: i for i, person in enumerate(self.people)}
        return self._index

    @property
    def degree(self) -> np.ndarray:
        count = len(self.people)
        return np.bincount(self.a, minlength=count) + np.bincount(self.b, minlength=count)

    def connected(self) -> _Ties:
        """The same ties among the people who have at least one (their order kept)."""
        if not hasattr(self, "_connected"):
            keep = self.degree > 0
            if keep.all():
                self._connected = self
            else:
                position = np.cumsum(keep) - 1
                people = [person for person, kept in zip(self.people, keep, strict=True) if kept]
                self._connected = _Ties(
                    people, position[self.a], position[self.b], self.weight, self.distance
                )
        return self._connected

    def matrix(self) -> sparse.csr_array:
        """The tie weights as a symmetric sparse matrix over `people`."""
        if not hasattr(self, "_matrix"):
            count = len(self.people)
            self._matrix = sparse.coo_array(
                (
                    np.concatenate([self.weight, self.weight]),
                    (np.concatenate([self.a, self.b]), np.concatenate([self.b, self.a])),
                ),
                shape=(count, count),
            ).tocsr()
        return self._matrix


def _ties(graph: nx.Graph) -> _Ties:
    """The graph's ties as arrays; kept on a frozen graph (which cannot change) and reused."""
    cached = getattr(graph, "_ties", None)
    if cached is not None:
        return cached
    people = list(graph)
    index = {person: i for i, person in enumerate(people)}
    count = graph.number_of_edges()
    a = np.empty(count, dtype=np.int64)
    b = np.empty(count, dtype=np.int64)
    weight = np.empty(count)
    distance = np.empty(count)
    for k, (u, v, tie) in enumerate(graph.edges(data=True)):
        a[k], b[k] = index[u], index[v]
        weight[k] = tie.get("weight", 1.0)
        distance[k] = tie.get("distance", 1.0)
    ties = _Ties(people, a, b, weight, distance)
    ties._index = index
    if nx.is_frozen(graph):
        graph._ties = ties  # on this object only: a subgraph view is another object
    return ties


def group_graph(graph: nx.Graph, attributes: Attributes, boundary: str) -> nx.Graph:
    """The ties between groups (organisations, sectors, …): two groups are tied when any of
    their people are, with the people's weights summed (`weight`) and counted (`ties`). Ties
    inside a group are not kept; every group with someone in the person graph is a node, tied
    or not, in the order their first person appears in the graph."""
    ties = _ties(graph)
    codes, values = _groups_of(ties.people, attributes, boundary)
    groups = nx.Graph()
    groups.add_nodes_from(values)
    ga, gb = codes[ties.a], codes[ties.b]
    crossing = (ga >= 0) & (gb >= 0) & (ga != gb)
    low = np.minimum(ga[crossing], gb[crossing])
    high = np.maximum(ga[crossing], gb[crossing])
    pairs, which = np.unique(low * len(values) + high, return_inverse=True)
    weights = np.bincount(which, weights=ties.weight[crossing], minlength=len(pairs))
    counts = np.bincount(which, minlength=len(pairs))
    groups.add_edges_from(
        (
            values[pair // len(values)],
            values[pair % len(values)],
            {"weight": weight, "ties": count, "distance": 1 / weight},
        )
        for pair, weight, count in zip(
            pairs.tolist(), weights.tolist(), counts.tolist(), strict=True
        )
    )
    return groups


def group_tie_counts(
    graph: nx.Graph, attributes: Attributes, boundary: str
) -> dict[Hashable, tuple[int, int]]:
    """Each group's (internal, external) ties: ties with both people in the group, and ties
    from one of its people to someone in another group. Ties with an unknown end are left out;
    groups with no counted tie are not listed."""
    ties = _ties(graph)
    codes, values = _groups_of(ties.people, attributes, boundary)
    ga, gb = codes[ties.a], codes[ties.b]
    known = (ga >= 0) & (gb >= 0)
    same = known & (ga == gb)
    crossing = known & (ga != gb)
    size = len(values)
    internal = np.bincount(ga[same], minlength=size)
    external = np.bincount(ga[crossing], minlength=size) + np.bincount(gb[crossing], minlength=size)
    return {
        values[g]: (int(internal[g]), int(external[g]))
        for g in range(size)
        if internal[g] or external[g]
    }


def _value(attributes: Attributes, person: Person, boundary: str) -> Hashable | None:
    return attributes.get(person, {}).get(boundary)


# --- Per person ------------------------------------------------------------------------------


@dataclass
class Reach:
    """Whom one person has met: how many people, which groups across each boundary (their own
    included) with how many contacts in each, and the share of their ties that cross each
    boundary (None where no tie has a known value on both ends)."""

    contacts: int
    groups_met: dict[str, set] = field(default_factory=dict)
    crossing_share: dict[str, float | None] = field(default_factory=dict)
    contacts_in: dict[str, Counter] = field(default_factory=dict)


def reach(
    graph: nx.Graph, attributes: Attributes, boundaries: Sequence[str] = BOUNDARIES
) -> dict[Person, Reach]:
    """For each person: distinct contacts, the groups they met, and how many of their ties
    cross each boundary. Ties are counted, not weighted: meeting someone once is a contact.
    (Counted for everyone at once: each person's contacts by group are a row of the tie matrix
    times the people-by-group matrix.)"""
    ties = _ties(graph)
    people = ties.people
    count = len(people)
    tied = (ties.matrix() != 0).astype(np.int64).tocsr()
    contacts = np.diff(tied.indptr)
    result = {person: Reach(contacts=int(contacts[i])) for i, person in enumerate(people)}
    for boundary in boundaries:
        codes, values = _groups_of(people, attributes, boundary)
        known = np.flatnonzero(codes >= 0)
        member_of = sparse.csr_array(
            (np.ones(len(known), dtype=np.int64), (known, codes[known])),
            shape=(count, len(values)),
        )
        met = (tied @ member_of).tocsr()
        met.sort_indices()
        for i, person in enumerate(people):
            start, end = met.indptr[i], met.indptr[i + 1]
            groups = met.indices[start:end].tolist()
            numbers = met.data[start:end].tolist()
            person_reach = result[person]
            person_reach.contacts_in[boundary] = Counter(
                {values[g]: n for g, n in zip(groups, numbers, strict=True)}
            )
            person_reach.groups_met[boundary] = {values[g] for g in groups}
            own, total = codes[i], sum(numbers)
            if own < 0 or not total:
                person_reach.crossing_share[boundary] = None
            else:
                same = numbers[groups.index(own)] if own in groups else 0
                person_reach.crossing_share[boundary] = (total - same) / total
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
    return _ties(graph).measured(_betweenness)


def _betweenness(ties: _Ties) -> dict[Person, float]:
    people = ties.people
    count = len(people)
    if count < 3:
        return dict.fromkeys(people, 0.0)
    network = igraph.Graph(n=count, edges=list(zip(ties.a.tolist(), ties.b.tolist(), strict=True)))
    lengths = ties.distance.tolist()
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
    ties = _ties(graph).connected()
    if not ties.people:
        return {}
    weights = ties.matrix()
    shares = _row_scaled(weights, weights.sum(axis=1))
    of_strongest = _row_scaled(weights, weights.max(axis=1).toarray().ravel())
    redundancy = (shares @ of_strongest.T).multiply(weights != 0).sum(axis=1)
    degree = np.diff(weights.indptr)
    sizes = degree - np.asarray(redundancy).ravel()
    return dict(zip(ties.people, sizes.tolist(), strict=True))


def constraint(graph: nx.Graph) -> dict[Person, float]:
    """Burt's constraint on the weighted ties, as networkx defines it: how far a person's
    contacts are tied to each other, so that they could do without the person:
    c(v) = sum over contacts j of (p_vj + sum over contacts q of p_vq * p_qj) squared, p being
    the share of a person's tie weight. Low constraint is room to broker. Computed with sparse
    matrices and tested against networkx. Unconnected people get nothing."""
    return _ties(graph).measured(_constraint)


def _constraint(ties: _Ties) -> dict[Person, float]:
    ties = ties.connected()
    if not ties.people:
        return {}
    weights = ties.matrix()
    shares = _row_scaled(weights, weights.sum(axis=1))
    through = (shares @ shares).multiply(weights != 0)
    total = (shares + through).tocsr()
    values = np.asarray(total.multiply(total).sum(axis=1)).ravel()
    return dict(zip(ties.people, values.tolist(), strict=True))


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
    ties = _ties(graph)
    people = ties.people
    result: dict[str, dict[Person, Counter]] = {
        b: {p: Counter() for p in people} for b in boundaries
    }
    if not people:
        return result
    adjacency = ties.matrix()
    codes = {b: _codes(people, attributes, b) for b in boundaries}
    for i, person in enumerate(people):
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
    return _groups_of(people, attributes, boundary)[0]


def _groups_of(people: list, attributes: Attributes, boundary: str) -> tuple[np.ndarray, list]:
    """Each person's group as a small integer (-1 when unknown), numbered in the order the
    groups first appear among `people`, and the groups in that order."""
    numbers: dict = {}
    codes = np.array(
        [
            -1
            if (v := _value(attributes, p, boundary)) is None
            else numbers.setdefault(v, len(numbers))
            for p in people
        ],
        dtype=np.int64,
    )
    return codes, list(numbers)


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
    ties = _ties(graph)
    codes = _codes(ties.people, attributes, boundary)
    ga, gb = codes[ties.a], codes[ties.b]
    known = (ga >= 0) & (gb >= 0)
    internal = int(np.count_nonzero(known & (ga == gb)))
    return _ei(int(np.count_nonzero(known)) - internal, internal)


def group_ei(graph: nx.Graph, attributes: Attributes, boundary: str) -> dict[Hashable, float]:
    """The E-I index of each group: its ties to people outside it against its ties within."""
    return {
        group: group_ei_of(internal, external)
        for group, (internal, external) in group_tie_counts(graph, attributes, boundary).items()
    }


def group_ei_of(internal: int, external: int) -> float | None:
    """A group's E-I index from its counts of ties within and across (`group_tie_counts`)."""
    return _ei(external, internal)


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
    ties = _ties(graph)
    codes = _codes(ties.people, attributes, boundary)
    # The people with a known group, in the graph's order; small integers, as the shuffles
    # below read them a thousand times.
    labels = codes[codes >= 0].astype(np.int32)
    position = np.cumsum(codes >= 0) - 1
    both = (codes[ties.a] >= 0) & (codes[ties.b] >= 0)
    ends = np.column_stack([position[ties.a[both]], position[ties.b[both]]]).astype(np.int32)
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
    attendees): with n_g attendees of known group g among k known, the pairs within groups are
    the sum of n_g(n_g - 1)/2 and the rest of the k(k - 1)/2 pairs cross."""
    present = Counter(
        group
        for group in (_value(attributes, person, boundary) for person in meeting.attendees)
        if group is not None
    )
    known = sum(present.values())
    internal = sum(n * (n - 1) // 2 for n in present.values())
    return MeetingMix(frozenset(present), _ei(known * (known - 1) // 2 - internal, internal))


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
    return quarterly_new_ties_by_boundary(meetings, attributes, (boundary,))[boundary]


def quarterly_new_ties_by_boundary(
    meetings: Iterable[Meeting], attributes: Attributes, boundaries: Sequence[str]
) -> dict[str, list[Quarter]]:
    """`quarterly_new_ties` for several boundaries, going through the meetings' pairs once."""
    seen: set[tuple] = set()
    firsts: list[tuple] = []  # (quarter, a, b) of each pair's first meeting
    ordered = sorted(meetings, key=lambda m: (m.day, repr(m.id)))
    for meeting in ordered:
        quarter = quarter_of(meeting.day)
        # Sorted the same way in every meeting, so a pair is always the same tuple.
        for pair in itertools.combinations(sorted(meeting.attendees, key=repr), 2):
            if pair not in seen:
                seen.add(pair)
                firsts.append((quarter, *pair))
    if not ordered:
        return {boundary: [] for boundary in boundaries}
    first, last = quarter_of(ordered[0].day), quarter_of(ordered[-1].day)
    new = Counter(quarter for quarter, _, _ in firsts)
    people = {person for meeting in ordered for person in meeting.attendees}
    result = {}
    for boundary in boundaries:
        group = {person: _value(attributes, person, boundary) for person in people}
        crossing = Counter(
            quarter
            for quarter, a, b in firsts
            if group[a] is not None and group[b] is not None and group[a] != group[b]
        )
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
        result[boundary] = quarters
    return result


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
    graph: nx.Graph | None = None,
) -> dict[str, StableBands]:
    """`stable_bands` for several measures (name: (function, highest first)) on the same
    dropped meetings, so each left-out meeting's graph is worked out once. `graph`, when
    given, is `co_attendance_graph(meetings)` already built (its measures may be too)."""
    with_others = [m for m in meetings if len(m.attendees) > 1]
    if graph is None:
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
        first = {p: v for p, v in measure(graph).items() if graph.degree(p) > 0}
        worst[name] = bands(first, highest_first=highest_first)
    drops = min(max_drops, max(MIN_DROPS, DROP_BUDGET // max(1, graph.number_of_edges())))
    dropped = list(with_others)
    if len(dropped) > drops:
        largest = max(dropped, key=lambda m: (len(m.attendees), repr(m.id)))
        others = [m for m in dropped if m is not largest]
        dropped = [largest, *random.Random(seed).sample(others, drops - 1)]  # noqa: S311
    leaving = _LeavingOut(with_others, _ties(graph))
    for left_out in dropped:
        rest = leaving.without(left_out)
        for name, (measure, highest_first) in measured.items():
            on_ties = _ON_TIES.get(measure)
            values = rest.measured(on_ties) if on_ties else measure(_graph_of(rest))
            for person, band in bands(values, highest_first=highest_first).items():
                if person in worst[name]:
                    worst[name][person] = max(worst[name][person], band)
            for person in worst[name].keys() - values.keys():
                worst[name][person] = len(BAND_NAMES) - 1
    return {
        name: StableBands({person: BAND_NAMES[band] for person, band in lowest.items()})
        for name, lowest in worst.items()
    }


# The measures that can be worked out on a graph's tie arrays, without a networkx graph.
_ON_TIES: dict[Callable, Callable[[_Ties], dict]] = {
    betweenness: _betweenness,
    constraint: _constraint,
}


class _LeavingOut:
    """The co-attendance ties of all the meetings but one, worked out from the ties of all of
    them: only the pairs who were at the left-out meeting change. Their weights are summed
    again from their other shared meetings, in the same order as `co_attendance_graph` sums
    them (so the values are the same to the last digit); pairs with no other meeting lose their
    tie, and people left with no tie leave the graph. Rebuilding the graph for each left-out
    meeting would repeat the whole projection each time."""

    def __init__(self, meetings: Sequence[Meeting], ties: _Ties):
        self.meetings = list(meetings)
        self.ties = ties
        count = len(ties.people)
        keys = np.minimum(ties.a, ties.b) * count + np.maximum(ties.a, ties.b)
        self.order = np.argsort(keys, kind="stable")
        self.sorted_keys = keys[self.order]
        self.attended: dict[Person, set[int]] = {}
        for position, meeting in enumerate(self.meetings):
            for person in meeting.attendees:
                self.attended.setdefault(person, set()).add(position)

    def without(self, left_out: Meeting) -> _Ties:
        ties, index = self.ties, self.ties.index
        position = next(i for i, m in enumerate(self.meetings) if m is left_out)
        members = sorted(left_out.attendees, key=repr)
        pairs = list(itertools.combinations(members, 2))
        ends = np.array([(index[a], index[b]) for a, b in pairs], dtype=np.int64)
        count = len(ties.people)
        keys = ends.min(axis=1) * count + ends.max(axis=1)
        edges = self.order[np.searchsorted(self.sorted_keys, keys)]
        weight = ties.weight.copy()
        for edge, (a, b) in zip(edges.tolist(), pairs, strict=True):
            shared = sorted((self.attended[a] & self.attended[b]) - {position})
            weight[edge] = sum(1 / (len(self.meetings[m].attendees) - 1) for m in shared)
        kept = weight > 0
        with np.errstate(divide="ignore"):
            distance = np.where(kept, 1 / weight, 0.0)
        return _Ties(
            ties.people, ties.a[kept], ties.b[kept], weight[kept], distance[kept]
        ).connected()


def _graph_of(ties: _Ties) -> nx.Graph:
    """A networkx graph of tie arrays, for a measure that needs one."""
    graph = nx.Graph()
    graph.add_nodes_from(ties.people)
    graph.add_edges_from(
        (ties.people[a], ties.people[b], {"weight": w, "distance": d})
        for a, b, w, d in zip(
            ties.a.tolist(),
            ties.b.tolist(),
            ties.weight.tolist(),
            ties.distance.tolist(),
            strict=True,
        )
    )
    return nx.freeze(graph)
