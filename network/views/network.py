"""The programme's network page and the staff's installation view (DESIGN section 11).

Both read one stored snapshot (network.snapshots) and its rows, never attendance, so each runs
the same number of queries whatever the size of the programme: the snapshot, its organisations
and the groups of the chosen boundary, the ties between organisations, the weak points, and
(for those who see people) the brokers, or (at installation level) the people who bridge
programmes and their records.

Who sees what (network.access): leads and facilitators see people, named only with consent to
be recorded; members see organisations and groups and their own contacts, never another
person. Anyone not named is counted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET
from markupsafe import Markup

from activities.charts import bar_chart
from convening.breadcrumbs import breadcrumbs
from convening.models import Participant, Programme

from ..access import get_programme_for_network, may_name, require_staff, sees_people
from ..forms import NetworkViewForm
from ..map import Node, nodes_of, organisation_map
from ..measures import BAND_NAMES, LOWER, ROLES
from ..models import (
    PROGRAMME_BOUNDARIES,
    Boundary,
    Introduction,
    NetworkSnapshot,
    PersonMeasure,
    Window,
)
from ..models import WeakPoint as WeakPointRow
from ..snapshots import INSTALLATION_BOUNDARIES, current_snapshot, newer_on_the_way

# How each boundary's groups are called in a sentence.
GROUP_NOUNS = {
    Boundary.ORGANISATION: "organisations",
    Boundary.SECTOR: "sectors",
    Boundary.ROLE_GROUP: "role groups",
    Boundary.LEVEL: "levels",
    Boundary.PROGRAMME: "programmes",
}
# Brokers are listed in these bands, highest first; the lower half is not a broker.
BROKER_BANDS = tuple(band for band in BAND_NAMES if band != LOWER)
PERSON_KINDS = {WeakPointRow.Kind.PERSON_HOLDS_TOGETHER}
# A region's organisations can have thousands of ties: the map and its table show the strongest.
MOST_TIES = 200


@require_GET
def network(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_network(request, slug)
    form = NetworkViewForm(request.GET, boundaries=PROGRAMME_BOUNDARIES)
    window, boundary = form.chosen()
    snapshot = current_snapshot(programme, window)
    people = sees_people(programme)
    context = _common(form, snapshot, window, boundary, newer_on_the_way(programme, snapshot))
    context.update(
        programme=programme,
        sees_people=people,
        introductions=_introductions(programme),
        introductions_url=_url_or_none("introductions", programme.slug) if people else None,
        breadcrumbs=breadcrumbs(programme),
        nav="programmes",
    )
    own = Participant.objects.filter(programme=programme, user=request.user).first()
    context["own"] = own
    context["own_url"] = _url_or_none("network_person", programme.slug, own.pk) if own else None
    if _has_meetings(snapshot):
        groups, ties = _groups_and_ties(snapshot, boundary)
        nodes = nodes_of(
            groups[Boundary.ORGANISATION],
            lambda group: _organisation_href(programme, group.key),
        )
        context.update(
            _drawn(nodes, ties, snapshot, boundary, groups[Boundary.ORGANISATION]),
            groups=groups.get(boundary, []),
            weak_points=_weak_points(snapshot, programme, people),
            brokers=_brokers(snapshot, programme, boundary) if people else None,
            own_measure=snapshot.persons.filter(participant=own).first() if own else None,
        )
    return render(request, "network/network.jinja", context)


@require_GET
def installation_network(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    form = NetworkViewForm(request.GET, boundaries=INSTALLATION_BOUNDARIES)
    window, boundary = form.chosen()
    snapshot = current_snapshot(None, window)
    context = _common(form, snapshot, window, boundary, newer_on_the_way(None, snapshot))
    context.update(nav="programmes", breadcrumbs=breadcrumbs(None))
    if _has_meetings(snapshot):
        groups, ties = _groups_and_ties(snapshot, boundary)
        nodes = nodes_of(groups[Boundary.ORGANISATION], lambda group: f"#organisation-{group.key}")
        context.update(
            _drawn(nodes, ties, snapshot, boundary, groups[Boundary.ORGANISATION]),
            groups=groups.get(boundary, []),
            weak_points=_weak_points(snapshot, None, people=False),
        )
        context["bridges"], context["bridges_not_named"] = _bridges(snapshot)
    return render(request, "network/installation.jinja", context)


# What both pages show ---------------------------------------------------------------------------


def _common(form, snapshot, window: str, boundary: str, newer: bool) -> dict:
    return {
        "form": form,
        "snapshot": snapshot,
        "window": window,
        "window_label": Window(window).label,
        "boundary": boundary,
        "boundary_label": Boundary(boundary).label,
        "group_noun": GROUP_NOUNS[boundary],
        "newer": newer,
        "has_meetings": _has_meetings(snapshot),
    }


def _has_meetings(snapshot: NetworkSnapshot | None) -> bool:
    return snapshot is not None and snapshot.meetings > 0


@dataclass
class Ties:
    """The strongest ties between organisations, and how many there are in all."""

    shown: list
    total: int

    def __iter__(self):
        return iter(self.shown)

    def __len__(self) -> int:
        return len(self.shown)


def _groups_and_ties(snapshot: NetworkSnapshot, boundary: str) -> tuple[dict, Ties]:
    """The organisations and the groups of the chosen boundary (one query), and the strongest
    ties between organisations with their number (two)."""
    groups: dict[str, list] = defaultdict(list)
    for group in snapshot.groups.filter(boundary__in={Boundary.ORGANISATION, boundary}):
        groups[group.boundary].append(group)
    ties = snapshot.group_ties.filter(boundary=Boundary.ORGANISATION)
    return groups, Ties(list(ties[:MOST_TIES]), ties.count())


def _drawn(
    nodes: list[Node], ties: Ties, snapshot: NetworkSnapshot, boundary: str, organisations: list
) -> dict:
    number = {node.key: node.number for node in nodes}
    for tie in ties:
        tie.a_number, tie.b_number = number.get(tie.a_key), number.get(tie.b_key)
    trend = snapshot.trend.get(boundary) or []
    return {
        "organisations": {group.key: group for group in organisations},
        "nodes": nodes,
        "ties": ties,
        "map": organisation_map(
            nodes, ties, title="Map of organisations: each circle is an organisation"
        ),
        "ei": _ei_words(snapshot.ei.get(boundary), GROUP_NOUNS[boundary]),
        "trend": trend,
        "trend_charts": _trend_charts(trend, GROUP_NOUNS[boundary]) if trend else [],
    }


@dataclass(frozen=True)
class EiWords:
    headline: str
    observed: float
    low: float
    high: float
    mean: float


def _ei_words(ei: dict | None, noun: str) -> EiWords | None:
    """The E-I index against chance, in plain words."""
    if not ei:
        return None
    headline = {
        "more": f"Ties cross {noun} more than chance would give",
        "less": f"Ties stay inside {noun} more than chance would give",
    }.get(ei.get("compared"), f"Ties cross {noun} about as often as chance would give")
    return EiWords(headline, ei["observed"], ei["low"], ei["high"], ei["mean"])


def _trend_charts(trend: list[dict], noun: str) -> list[tuple[str, Markup]]:
    """The quarterly trend as two bar charts, drawn from the same numbers as its table."""
    return [
        (
            "New ties each quarter",
            bar_chart(
                [(q["label"], q["new_ties"]) for q in trend],
                title="Bar chart: pairs of people who met for the first time, each quarter",
            ),
        ),
        (
            f"New ties across {noun} each quarter",
            bar_chart(
                [(q["label"], q["new_crossing_ties"]) for q in trend],
                title=f"Bar chart: new ties between people of different {noun}, each quarter",
            ),
        ),
    ]


@dataclass
class WeakPoints:
    sectors_never_met: list[str] = field(default_factory=list)
    role_groups_never_met: list[str] = field(default_factory=list)
    inward: list = field(default_factory=list)  # (label, href)
    organisations_holding: list = field(default_factory=list)  # (label, href)
    people_holding: list = field(default_factory=list)  # (name, href)
    people_holding_not_named: int = 0

    @property
    def any(self) -> bool:
        return any(
            (
                self.sectors_never_met,
                self.role_groups_never_met,
                self.inward,
                self.organisations_holding,
                self.people_holding,
                self.people_holding_not_named,
            )
        )


def _weak_points(snapshot: NetworkSnapshot, programme: Programme | None, people: bool):
    """The weak points, in one query. People are only for those who see people, and named
    only with consent."""
    rows = snapshot.weak_points.select_related("participant")
    if not people:
        rows = rows.exclude(kind__in=PERSON_KINDS)
    points = WeakPoints()
    Kind = WeakPointRow.Kind
    for row in rows:
        if row.kind == Kind.SECTOR_NEVER_MET:
            points.sectors_never_met.append(row.label)
        elif row.kind == Kind.ROLE_GROUP_NEVER_MET:
            points.role_groups_never_met.append(row.label)
        elif row.kind == Kind.INWARD_ORGANISATION:
            points.inward.append((row.label, _organisation_href(programme, row.key)))
        elif row.kind == Kind.ORGANISATION_HOLDS_TOGETHER:
            points.organisations_holding.append((row.label, _organisation_href(programme, row.key)))
        elif row.participant is not None and may_name(row.participant):
            href = _url_or_none("network_person", programme.slug, row.participant_id)
            points.people_holding.append((row.participant.name, href))
        else:
            points.people_holding_not_named += 1
    points.people_holding.sort(key=lambda item: item[0].lower())
    return points


@dataclass
class Broker:
    name: str
    href: str | None
    roles: list[tuple[str, int]]
    constraint_band: str


@dataclass
class BrokerBand:
    band: str
    named: list[Broker] = field(default_factory=list)
    not_named: int = 0


def _brokers(snapshot: NetworkSnapshot, programme: Programme, boundary: str) -> list[BrokerBand]:
    """People in the upper bands of betweenness (stable whichever meeting is dropped), with
    their brokerage roles across the chosen boundary: one query."""
    bands = {band: BrokerBand(band) for band in BROKER_BANDS}
    rows = (
        snapshot.persons.filter(betweenness_band__in=BROKER_BANDS)
        .select_related("participant")
        .order_by("-betweenness", "pk")
    )
    for row in rows:
        band = bands[row.betweenness_band]
        if not may_name(row.participant):
            band.not_named += 1
            continue
        counts = row.brokerage.get(boundary) or {}
        band.named.append(
            Broker(
                name=row.participant.name,
                href=_url_or_none("network_person", programme.slug, row.participant_id),
                roles=[(role, counts[role]) for role in ROLES if counts.get(role)],
                constraint_band=row.constraint_band,
            )
        )
    return [band for band in bands.values() if band.named or band.not_named]


@dataclass
class Bridge:
    name: str | None
    programmes: list[str]
    measure: PersonMeasure


def _bridges(snapshot: NetworkSnapshot) -> tuple[list[Bridge], int]:
    """People of the installation in more than one programme (one query), each with the
    programmes of their matched records (one more): named only when every record of theirs
    may be named."""
    rows = list(
        snapshot.persons.filter(programmes__gt=1)
        .select_related("participant__programme")
        .order_by("-programmes", "-contacts", "pk")
    )
    users = {row.participant.user_id for row in rows if row.participant.user_id}
    emails = {
        row.participant.email.lower()
        for row in rows
        if not row.participant.user_id and row.participant.email
    }
    records = (
        Participant.objects.annotate(email_lower=Lower("email"))
        .filter(Q(user_id__in=users) | Q(user__isnull=True, email_lower__in=emails))
        .select_related("programme")
        .order_by("programme__name", "pk")
    )
    by_person: dict[tuple, list[Participant]] = defaultdict(list)
    for record in records:
        by_person[_match_key(record)].append(record)
    bridges, not_named = [], 0
    for row in rows:
        matched = by_person.get(_match_key(row.participant), [row.participant])
        if all(may_name(record) for record in matched):
            names = sorted({record.programme.name for record in matched})
            bridges.append(Bridge(row.participant.name, names, row))
        else:
            not_named += 1
    return bridges, not_named


def _match_key(record: Participant) -> tuple:
    """People are matched across programmes as the snapshot matched them: by account, then by
    email."""
    if record.user_id:
        return ("user", record.user_id)
    if record.email:
        return ("email", record.email.lower())
    return ("record", record.pk)


def _introductions(programme: Programme) -> dict:
    return Introduction.objects.for_programme(programme).aggregate(
        made=Count("pk"), met=Count("pk", filter=Q(status=Introduction.Status.MET))
    )


# Links to the pages beside this one ------------------------------------------------------------


def _organisation_href(programme: Programme | None, key: str) -> str:
    """An organisation's page in the programme, or its row in this page's table."""
    if programme is not None:
        url = _url_or_none("network_organisation", programme.slug, int(key))
        if url:
            return url
    return f"#organisation-{key}"


def _url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None
