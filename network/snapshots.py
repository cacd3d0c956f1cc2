"""Building the network snapshots (DESIGN section 11) from attendance, and reading them.

A build reads a programme's people and attendance in two queries, computes each window's
measures in memory with network.measures, and only then opens a transaction that replaces the
programme's snapshots whole: a build that dies midway has written nothing, so the previous
snapshots stay in place, and the pages never see half of one. Two builds writing at once take
turns on the programme's NetworkBuild row, and the unique constraints keep one snapshot per
programme and window whatever happens.

What a build reads is summed up in a fingerprint (network.jobs compares it with the stored
one to decide whether to build again): attendance and participants, their versions, erasures,
and the day (the 90-day and 12-month windows move every day).

People are matched across programmes, for the installation's snapshot, by user account, then
by email, as DESIGN section 11 says; a person with neither is their own record.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import time
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import networkx as nx
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.base import ModelState
from django.utils import timezone

from convening.models import Level, Participant, Programme, RoleGroup, Sector
from spaces.models import Attendance, Meeting

from . import introductions, measures
from .models import (
    PROGRAMME_BOUNDARIES,
    WINDOW_DAYS,
    Boundary,
    GroupMeasure,
    GroupTie,
    MeetingMix,
    NetworkBuild,
    NetworkSnapshot,
    PersonMeasure,
    WeakPoint,
    Window,
)

WINDOWS = (Window.DAYS_90, Window.MONTHS_12, Window.ALL)
INSTALLATION_BOUNDARIES = (Boundary.ORGANISATION, Boundary.SECTOR, Boundary.PROGRAMME)
# The choice labels of each boundary whose values are codes.
CHOICE_LABELS = {
    Boundary.SECTOR: dict(Sector.choices),
    Boundary.ROLE_GROUP: dict(RoleGroup.choices),
    Boundary.LEVEL: dict(Level.choices),
}
# Contacts are shown grouped by these (the person page).
CONTACT_BOUNDARIES = (Boundary.ORGANISATION, Boundary.SECTOR, Boundary.ROLE_GROUP, Boundary.LEVEL)


# --- Reading -------------------------------------------------------------------------------


def current_snapshot(programme: Programme | None, window: str) -> NetworkSnapshot | None:
    """The snapshot pages show: one query. In the embedded mode (no worker, no beat) a stale or
    missing snapshot is built first, in this process."""
    if settings.NETWORK_BUILD_IN_PROCESS:
        refresh_in_process(programme.pk if programme else None)
    return NetworkSnapshot.objects.for_programme(programme).filter(window=window).first()


def newer_on_the_way(programme: Programme | None, snapshot: NetworkSnapshot | None) -> bool:
    """Whether a build is running, or what the snapshot was built from has changed since (so
    the next sweep builds it): at most three queries."""
    programme_id = programme.pk if programme else None
    build = NetworkBuild.objects.filter(key=NetworkBuild.key_for(programme_id)).first()
    if build is not None and build.running:
        return True
    if snapshot is None:
        return False
    return fingerprint(programme_id) != snapshot.fingerprint


def refresh_in_process(programme_id: int | None) -> None:
    snapshot = (
        NetworkSnapshot.objects.for_programme_id(programme_id)
        .filter(window=Window.MONTHS_12)
        .only("fingerprint")
        .first()
    )
    if snapshot is None or snapshot.fingerprint != fingerprint(programme_id):
        build_snapshots(programme_id)


# --- Fingerprints ----------------------------------------------------------------------------


def fingerprints(programme_ids: Iterable[int] | None = None) -> dict[int, str]:
    """Each programme's fingerprint, in two queries whatever the number of programmes."""
    attendance = Attendance.objects.filter(
        status=Attendance.Status.ATTENDED, meeting__status=Meeting.Status.HELD
    )
    people = Participant.objects.all()
    if programme_ids is not None:
        programme_ids = list(programme_ids)
        attendance = attendance.filter(meeting__space__programme_id__in=programme_ids)
        people = people.filter(programme_id__in=programme_ids)
    attended = {
        row["meeting__space__programme_id"]: row
        for row in attendance.values("meeting__space__programme_id").annotate(
            rows=Count("id"), ids=Sum("id"), versions=Sum("meeting__version")
        )
    }
    records = {
        row["programme_id"]: row
        for row in people.values("programme_id").annotate(
            rows=Count("id"),
            versions=Sum("version"),
            erased=Count("anonymised_at"),
            linked=Sum("user_id"),
        )
    }
    day = timezone.now().date().isoformat()
    ids = programme_ids if programme_ids is not None else set(attended) | set(records)
    result = {}
    for programme_id in ids:
        a = attended.get(programme_id, {})
        p = records.get(programme_id, {})
        text = "|".join(
            str(v)
            for v in (
                day,
                a.get("rows"),
                a.get("ids"),
                a.get("versions"),
                p.get("rows"),
                p.get("versions"),
                p.get("erased"),
                p.get("linked"),
            )
        )
        result[programme_id] = hashlib.sha256(text.encode()).hexdigest()
    return result


def installation_fingerprint(by_programme: dict[int, str] | None = None) -> str:
    if by_programme is None:
        by_programme = fingerprints(Programme.objects.values_list("pk", flat=True))
    text = "|".join(f"{pk}:{value}" for pk, value in sorted(by_programme.items()))
    text += "|" + timezone.now().date().isoformat()
    return hashlib.sha256(text.encode()).hexdigest()


def fingerprint(programme_id: int | None) -> str:
    if programme_id is None:
        return installation_fingerprint()
    return fingerprints([programme_id])[programme_id]


# --- Loading ---------------------------------------------------------------------------------


@dataclass
class Record:
    """One participant record, as the measures need it."""

    id: int
    programme_id: int
    programme_name: str
    organisation_id: int | None
    organisation_name: str
    sector: str
    role_group: str
    level: str
    user_id: int | None
    email: str
    # Consented to be recorded and not erased (network.access.may_name).
    nameable: bool = True


@dataclass
class Inputs:
    records: dict[int, Record]
    # (meeting id, programme id, start, participant id), held meetings, attended only.
    attendance: list[tuple[int, int, datetime, int]]
    programme_ids: list[int] = field(default_factory=list)


def load(programme_id: int | None) -> Inputs:
    """Everyone and every attendance of one programme (or of the installation): two queries."""
    people = Participant.objects.all()
    attendance = Attendance.objects.filter(
        status=Attendance.Status.ATTENDED, meeting__status=Meeting.Status.HELD
    )
    if programme_id is not None:
        people = people.filter(programme_id=programme_id)
        attendance = attendance.filter(meeting__space__programme_id=programme_id)
    records = {
        row[0]: Record(
            id=row[0],
            programme_id=row[1],
            programme_name=row[2],
            organisation_id=row[3],
            organisation_name=row[4] or "",
            sector=row[5] or "",
            role_group=row[6] or "",
            level=row[7] or "",
            user_id=row[8],
            email=(row[9] or "").lower(),
            nameable=row[10] and row[11] is None,
        )
        for row in people.values_list(
            "pk",
            "programme_id",
            "programme__name",
            "organisation_id",
            "organisation__name",
            "organisation__sector",
            "role_group",
            "level",
            "user_id",
            "email",
            "consent_recorded",
            "anonymised_at",
        )
    }
    rows = list(
        attendance.values_list(
            "meeting_id", "meeting__space__programme_id", "meeting__starts_at", "participant_id"
        )
    )
    programme_ids = sorted({r.programme_id for r in records.values()})
    return Inputs(records, rows, programme_ids)


# --- Computing -------------------------------------------------------------------------------


@dataclass
class Computed:
    """One window's snapshot and its rows, ready to write."""

    snapshot: NetworkSnapshot
    persons: list[PersonMeasure] = field(default_factory=list)
    groups: list[GroupMeasure] = field(default_factory=list)
    ties: list[GroupTie] = field(default_factory=list)
    weak_points: list[WeakPoint] = field(default_factory=list)
    mixes: list[MeetingMix] = field(default_factory=list)


class Network:
    """The people of one programme (or of the installation) and their attributes, keyed so
    that one person is one node: a participant record in a programme, or at installation
    level everyone's records matched by account or email."""

    def __init__(self, inputs: Inputs, installation: bool):
        self.inputs = inputs
        self.installation = installation
        self.key_of: dict[int, Hashable] = {}
        self.records_of: dict[Hashable, list[Record]] = defaultdict(list)
        for record in sorted(inputs.records.values(), key=lambda r: r.id):
            key = self._key(record)
            self.key_of[record.id] = key
            self.records_of[key].append(record)
        self.labels: dict[str, dict[Hashable, str]] = defaultdict(dict)
        self.sectors: dict[int, str] = {}
        for record in inputs.records.values():
            if record.organisation_id:
                self.sectors[record.organisation_id] = record.sector
                self.labels[Boundary.ORGANISATION][record.organisation_id] = (
                    record.organisation_name
                )
            self.labels[Boundary.PROGRAMME][record.programme_id] = record.programme_name
        for boundary, choices in CHOICE_LABELS.items():
            self.labels[boundary].update(choices)
        # A meeting's mix is the same in every window that holds it: worked out once.
        self.mixes: dict[tuple, tuple[int, list[str], float | None]] = {}

    def _key(self, record: Record) -> Hashable:
        if not self.installation:
            return record.id
        if record.user_id:
            return ("user", record.user_id)
        if record.email:
            return ("email", record.email)
        return ("record", record.id)

    def attributes(self, home_programme: dict[Hashable, int]) -> measures.Attributes:
        result = {}
        for key, records in self.records_of.items():
            first = records[0]
            result[key] = {
                Boundary.ORGANISATION: first.organisation_id,
                Boundary.SECTOR: first.sector or None,
                Boundary.ROLE_GROUP: first.role_group or None,
                Boundary.LEVEL: first.level or None,
                Boundary.PROGRAMME: home_programme.get(key, first.programme_id),
            }
        return result

    def label(self, boundary: str, value: Hashable) -> str:
        return self.labels[boundary].get(value, str(value))


def build_snapshots(programme_id: int | None) -> None:
    """Compute every window's snapshot of a programme (None: the installation) and replace the
    stored ones in one transaction."""
    started = time.monotonic()
    if programme_id is not None:
        # Introductions whose two people have since met count as met (the pages show how many).
        introductions.mark_met(programme_id)
    print_ = fingerprint(programme_id)
    inputs = load(programme_id)
    network = Network(inputs, installation=programme_id is None)
    now = timezone.now()
    computed: list[Computed] = []
    seen: dict[frozenset, Computed] = {}
    for window in WINDOWS:
        # A window that holds the same meetings as a narrower one (all time, for a programme
        # younger than a year) has the same measures: copied, not computed again.
        held = frozenset(_meetings_in(inputs, window, now))
        if held in seen:
            computed.append(_copy(seen[held], window))
        else:
            seen[held] = compute(network, programme_id, window, now)
            computed.append(seen[held])
    seconds = time.monotonic() - started
    for item in computed:
        item.snapshot.fingerprint = print_
        item.snapshot.build_seconds = seconds
    write(programme_id, computed)


def _meetings_in(inputs: Inputs, window: str, now: datetime) -> set[int]:
    days = WINDOW_DAYS[window]
    since = now - timedelta(days=days) if days else None
    return {
        meeting_id
        for meeting_id, _, starts_at, _ in inputs.attendance
        if (since is None or starts_at >= since) and starts_at <= now
    }


def _copy(original: Computed, window: str) -> Computed:
    def fresh(row):
        row = copy.copy(row)
        row.pk = None
        row._state = ModelState()
        return row

    snapshot = fresh(original.snapshot)
    snapshot.window = window
    return Computed(
        snapshot,
        persons=[fresh(r) for r in original.persons],
        groups=[fresh(r) for r in original.groups],
        ties=[fresh(r) for r in original.ties],
        weak_points=[fresh(r) for r in original.weak_points],
        mixes=[fresh(r) for r in original.mixes],
    )


def compute(network: Network, programme_id: int | None, window: str, now: datetime) -> Computed:
    days = WINDOW_DAYS[window]
    since = now - timedelta(days=days) if days else None
    inputs = network.inputs
    attendees: dict[int, set] = defaultdict(set)
    starts: dict[int, datetime] = {}
    programme_of_meeting: dict[int, int] = {}
    for meeting_id, meeting_programme, starts_at, participant_id in inputs.attendance:
        if since is not None and starts_at < since:
            continue
        if starts_at > now:
            continue
        key = network.key_of.get(participant_id)
        if key is None:
            continue
        attendees[meeting_id].add(key)
        starts[meeting_id] = starts_at
        programme_of_meeting[meeting_id] = meeting_programme
    meetings = [
        measures.Meeting.of(meeting_id, starts[meeting_id].date(), people)
        for meeting_id, people in sorted(attendees.items())
    ]
    graph = measures.co_attendance_graph(meetings)
    attended = Counter(person for meeting in meetings for person in meeting.attendees)
    home = _home_programmes(meetings, programme_of_meeting) if network.installation else {}
    attributes = network.attributes(home)
    everyone = list(network.records_of)
    boundaries = INSTALLATION_BOUNDARIES if network.installation else PROGRAMME_BOUNDARIES
    connected = [person for person in graph if graph.degree(person) > 0]

    snapshot = NetworkSnapshot(
        programme_id=programme_id,
        window=window,
        computed_at=now,
        people=len(everyone),
        people_met=len(connected),
        meetings=len(meetings),
        ties=graph.number_of_edges(),
        power_ties=len(measures.power_ties(graph, attributes)),
    )
    result = Computed(snapshot)
    trends = measures.quarterly_new_ties_by_boundary(meetings, attributes, boundaries)
    for boundary in boundaries:
        baseline = measures.ei_baseline(graph, attributes, boundary)
        snapshot.ei[boundary] = (
            None
            if baseline is None
            else {
                "observed": baseline.observed,
                "mean": baseline.mean,
                "low": baseline.low,
                "high": baseline.high,
                "compared": baseline.compared_with_chance,
            }
        )
        snapshot.trend[boundary] = [
            {"label": q.label, "new_ties": q.new_ties, "new_crossing_ties": q.new_crossing_ties}
            for q in trends[boundary]
        ]
    result.groups, result.ties = _groups(network, graph, attributes, everyone, boundaries)
    result.weak_points = _weak_points(network, graph, attributes, everyone, result.groups)
    result.persons = _persons(network, graph, attributes, meetings, attended, boundaries)
    snapshot.people_not_named = _not_named(network, connected)
    if not network.installation:
        result.mixes = _mixes(network, meetings, attributes)
    if not network.installation:
        ranking = result.persons and _ranking(meetings, result.persons, network, graph)
        snapshot.ranking_reason = ranking or ""
    return result


def _home_programmes(
    meetings: list[measures.Meeting], programme_of_meeting: dict[int, int]
) -> dict[Hashable, int]:
    """At installation level, a person's programme (for the programme boundary) is the one in
    which they attended most meetings, the earliest programme on a tie."""
    counts: dict[Hashable, Counter] = defaultdict(Counter)
    for meeting in meetings:
        for person in meeting.attendees:
            counts[person][programme_of_meeting[meeting.id]] += 1
    return {
        person: min(c.items(), key=lambda item: (-item[1], item[0]))[0]
        for person, c in counts.items()
    }


def _not_named(network: Network, people: list) -> int:
    """Of these people, how many may not be named (their first record decides, as on pages)."""
    return sum(1 for key in people if not network.records_of[key][0].nameable)


def _groups(network, graph, attributes, everyone, boundaries):
    groups: list[GroupMeasure] = []
    ties: list[GroupTie] = []
    for boundary in boundaries:
        people = Counter(attributes[p][boundary] for p in everyone)
        people.pop(None, None)
        met = Counter(
            attributes[p][boundary]
            for p in graph
            if graph.degree(p) > 0 and attributes[p][boundary] is not None
        )
        counts = measures.group_tie_counts(graph, attributes, boundary)
        group_graph = measures.group_graph(graph, attributes, boundary)
        group_graph.add_nodes_from(people)
        extras = _organisation_extras(group_graph) if boundary == Boundary.ORGANISATION else {}
        for value, count in sorted(people.items(), key=lambda item: str(item[0])):
            extra = extras.get(value, {})
            groups.append(
                GroupMeasure(
                    boundary=boundary,
                    key=str(value),
                    label=network.label(boundary, value),
                    organisation_id=value if boundary == Boundary.ORGANISATION else None,
                    sector=(
                        _sector_of(network, value) if boundary == Boundary.ORGANISATION else ""
                    ),
                    people=count,
                    people_met=met[value],
                    internal_ties=counts.get(value, (0, 0))[0],
                    external_ties=counts.get(value, (0, 0))[1],
                    ei=measures.group_ei_of(*counts[value]) if value in counts else None,
                    **extra,
                )
            )
        for a, b, tie in group_graph.edges(data=True):
            (a_key, a), (b_key, b) = sorted(((str(a), a), (str(b), b)))
            ties.append(
                GroupTie(
                    boundary=boundary,
                    a_key=a_key,
                    a_label=network.label(boundary, a),
                    b_key=b_key,
                    b_label=network.label(boundary, b),
                    weight=tie["weight"],
                    ties=tie["ties"],
                )
            )
    return groups, ties


def _sector_of(network: Network, organisation_id) -> str:
    return network.sectors.get(organisation_id, "")


def _organisation_extras(organisations: nx.Graph) -> dict:
    """The organisation graph's own measures and the map's layout, fixed by the seed so the
    map does not move between builds of the same ties."""
    if organisations.number_of_nodes() == 0:
        return {}
    between = measures.betweenness(organisations)
    constrained = measures.constraint(organisations)
    cut = measures.single_points_of_failure(organisations)
    positions = nx.spring_layout(organisations, seed=measures.SEED, weight="weight", iterations=60)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]

    def scale(value, low, high):
        return 0.5 if high - low < 1e-9 else 0.05 + 0.9 * (value - low) / (high - low)

    return {
        org: {
            "betweenness": between.get(org),
            "constraint": constrained.get(org),
            "x": scale(positions[org][0], min(xs), max(xs)),
            "y": scale(positions[org][1], min(ys), max(ys)),
            "is_single_point": org in cut,
        }
        for org in organisations
    }


def _weak_points(network, graph, attributes, everyone, groups) -> list[WeakPoint]:
    points = []
    for boundary, kind in (
        (Boundary.SECTOR, WeakPoint.Kind.SECTOR_NEVER_MET),
        (Boundary.ROLE_GROUP, WeakPoint.Kind.ROLE_GROUP_NEVER_MET),
    ):
        for value in sorted(measures.groups_never_met(graph, attributes, boundary, everyone)):
            points.append(
                WeakPoint(kind=kind, key=str(value), label=network.label(boundary, value))
            )
    for org in sorted(measures.inward_organisations(graph, attributes)):
        points.append(
            WeakPoint(
                kind=WeakPoint.Kind.INWARD_ORGANISATION,
                key=str(org),
                label=network.label(Boundary.ORGANISATION, org),
                organisation_id=org,
            )
        )
    for group in groups:
        if group.boundary == Boundary.ORGANISATION and group.is_single_point:
            points.append(
                WeakPoint(
                    kind=WeakPoint.Kind.ORGANISATION_HOLDS_TOGETHER,
                    key=group.key,
                    label=group.label,
                    organisation_id=group.organisation_id,
                )
            )
    if not network.installation:
        for person in sorted(measures.single_points_of_failure(graph), key=repr):
            # People are linked, never named here: the pages name them only with consent.
            points.append(
                WeakPoint(
                    kind=WeakPoint.Kind.PERSON_HOLDS_TOGETHER,
                    key=str(person),
                    participant_id=person,
                )
            )
    return points


def _persons(network, graph, attributes, meetings, attended, boundaries) -> list[PersonMeasure]:
    if network.installation:
        people = [
            key
            for key, records in network.records_of.items()
            if key in graph and len({r.programme_id for r in records}) > 1
        ]
        heavy = {}
    else:
        people = list(graph)
        heavy = _heavy_measures(graph, attributes, boundaries)
    around = graph.subgraph(_with_neighbours(graph, people)) if network.installation else graph
    counted = [*boundaries, *(b for b in CONTACT_BOUNDARIES if b not in boundaries)]
    reach = measures.reach(around, attributes, counted)
    label_of = {
        boundary: functools.cache(functools.partial(network.label, boundary))
        for boundary in counted
    }
    rows = []
    for person in people:
        records = network.records_of[person]
        person_reach = reach[person]
        contacts_by = {}
        for boundary in CONTACT_BOUNDARIES:
            named = [
                (label_of[boundary](value), count)
                for value, count in person_reach.contacts_in[boundary].items()
            ]
            named.sort(key=lambda item: (-item[1], item[0]))
            contacts_by[boundary] = [list(item) for item in named]
        groups_met = person_reach.groups_met
        rows.append(
            PersonMeasure(
                participant_id=records[0].id,
                meetings=attended[person],
                contacts=person_reach.contacts,
                organisations_met=len(groups_met.get(Boundary.ORGANISATION, ())),
                sectors_met=len(groups_met.get(Boundary.SECTOR, ())),
                role_groups_met=len(groups_met.get(Boundary.ROLE_GROUP, ())),
                levels_met=len(groups_met.get(Boundary.LEVEL, ())),
                programmes=len({r.programme_id for r in records}),
                crossing={b: person_reach.crossing_share[b] for b in boundaries},
                contacts_by=contacts_by,
                **heavy.get(person, {}),
            )
        )
    return rows


def _with_neighbours(graph: nx.Graph, people: list) -> set:
    nodes = set(people)
    for person in people:
        nodes.update(graph[person])
    return nodes


def _heavy_measures(graph, attributes, boundaries) -> dict:
    """Betweenness, effective size, constraint, brokerage and single points, per person."""
    between = measures.betweenness(graph)
    sizes = measures.effective_size(graph)
    constrained = measures.constraint(graph)
    roles = measures.brokerage_by_boundary(graph, attributes, boundaries)
    cut = measures.single_points_of_failure(graph)
    result = {}
    for person in graph:
        result[person] = {
            "betweenness": between.get(person) if graph.degree(person) else None,
            "effective_size": sizes.get(person),
            "constraint": constrained.get(person),
            "brokerage": {
                boundary: dict(roles[boundary][person])
                for boundary in boundaries
                if roles[boundary][person]
            },
            "is_single_point": person in cut,
        }
    return result


def _ranking(meetings, persons: list[PersonMeasure], network: Network, graph) -> str:
    """Set each person's stable bands; return why there are none, if there are none."""
    by_record = {p.participant_id: p for p in persons}
    ranked = measures.stable_bands_of(
        meetings,
        {
            "betweenness": (measures.betweenness, True),
            "constraint": (measures.constraint, False),
        },
        graph=graph,
    )
    if ranked["betweenness"].reason:
        return ranked["betweenness"].reason
    for person, band in ranked["betweenness"].bands.items():
        by_record[network.records_of[person][0].id].betweenness_band = band
    for person, band in ranked["constraint"].bands.items():
        by_record[network.records_of[person][0].id].constraint_band = band
    return ""


def _mixes(network, meetings, attributes) -> list[MeetingMix]:
    rows = []
    for meeting in meetings:
        for boundary in PROGRAMME_BOUNDARIES:
            mixed = network.mixes.get((meeting.id, boundary))
            if mixed is None:
                mix = measures.meeting_mix(meeting, attributes, boundary)
                labels = sorted(network.label(boundary, g) for g in mix.groups)
                mixed = network.mixes[(meeting.id, boundary)] = (len(mix.groups), labels, mix.ei)
            groups, labels, ei = mixed
            rows.append(
                MeetingMix(
                    meeting_id=meeting.id,
                    boundary=boundary,
                    attendees=len(meeting.attendees),
                    groups=groups,
                    group_labels=list(labels),
                    ei=ei,
                )
            )
    return rows


# --- Writing ---------------------------------------------------------------------------------

BATCH = 2000


def write(programme_id: int | None, computed: list[Computed]) -> None:
    """Replace the programme's snapshots with these, whole, in one transaction. Builds that
    write at once take turns on the programme's build row."""
    key = NetworkBuild.key_for(programme_id)
    NetworkBuild.objects.get_or_create(key=key, defaults={"programme_id": programme_id})
    with transaction.atomic():
        NetworkBuild.objects.select_for_update().get(key=key)
        NetworkSnapshot.objects.for_programme_id(programme_id).delete()
        for item in computed:
            snapshot = item.snapshot
            snapshot.save()
            for model, rows in (
                (PersonMeasure, item.persons),
                (GroupMeasure, item.groups),
                (GroupTie, item.ties),
                (WeakPoint, item.weak_points),
                (MeetingMix, item.mixes),
            ):
                for row in rows:
                    row.snapshot = snapshot
                model.objects.bulk_create(rows, batch_size=BATCH)
