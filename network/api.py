"""The JSON API's routes for a programme's network (DESIGN section 11): the snapshot's summary,
its groups, ties between groups, weak points and meeting mix, people's measures, and
introductions.

Everything is read from the current snapshot of the window asked for (`?window=90d|12m|all`,
12 months by default; a value we do not have is a 422 naming the field). When no snapshot has
been computed yet the answer is not a 404 but an empty one that says so: `computed_at` is null,
`note` explains, and lists have no items.

Access follows the pages: everyone in the programme reads the summary, groups, ties, weak points
and meeting mix; people's measures name people, so leads and facilitators read everyone's and a
member reads only their own row ("members see organisations and their own contacts"); weak
points that are people are for leads and facilitators only; introductions are for leads and
facilitators (403 for members). People who did not consent to be recorded, or were erased, are
never named: their rows are left out and counted in `people_not_named`, checked against the
person's record as it is now, not as it was when the snapshot was built.

`updated_since` on a snapshot's lists means "only if the snapshot was computed at or after
then" (a snapshot's rows are all made when it is); on introductions, made, met or declined
since then.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from ninja import Field, Query, Router, Schema
from pydantic import create_model

from convening.api import ListParams, paginate, programme_for
from convening.models import Participant, Programme

from . import snapshots
from .access import get_programme_for_introductions, named_people, sees_people
from .models import (
    DEFAULT_BOUNDARY,
    DEFAULT_WINDOW,
    PROGRAMME_BOUNDARIES,
    GroupMeasure,
    GroupTie,
    Introduction,
    MeetingMix,
    NetworkSnapshot,
    PersonMeasure,
    WeakPoint,
    Window,
)

router = Router(tags=["Network"])

WindowValue = Literal[tuple(Window.values)]
BoundaryValue = Literal[tuple(str(boundary) for boundary in PROGRAMME_BOUNDARIES)]
NOT_COMPUTED = (
    "No snapshot of this window has been computed yet. It is made a few minutes after "
    "meetings are logged, and every night."
)
PERSON_KINDS = (WeakPoint.Kind.PERSON_HOLDS_TOGETHER,)


class WindowParams(ListParams):
    window: WindowValue = Field(
        DEFAULT_WINDOW.value, description="90d (last 90 days), 12m (last 12 months) or all"
    )


class BoundaryParams(WindowParams):
    boundary: BoundaryValue = Field(
        DEFAULT_BOUNDARY.value,
        description="Which groups: organisation, sector, role_group or level",
    )


def network_page_of(item: type[Schema], *, not_named: bool = False) -> type[Schema]:
    """One page of a snapshot's list: its items, the next cursor, and which snapshot."""
    fields = {
        "items": (list[item], ...),
        "next_cursor": (str | None, None),
        "window": (str, ...),
        "computed_at": (datetime | None, Field(description="Null when there is no snapshot yet")),
        "note": (str, Field("", description="Why the list is empty, when it is")),
    }
    if not_named:
        fields["people_not_named"] = (
            int,
            Field(
                description="Rows left out, across the whole list, because the person did "
                "not consent to be recorded or was erased"
            ),
        )
    return create_model(f"Network{item.__name__}Page", __base__=Schema, **fields)


def _snapshot(programme: Programme, window: str) -> NetworkSnapshot | None:
    return snapshots.current_snapshot(programme, window)


def _since_computed(when: datetime) -> Q:
    return Q(snapshot__computed_at__gte=when)


def _page(snapshot, window: str, rows: QuerySet, params: ListParams, **extra) -> dict:
    if snapshot is None:
        return {"items": [], "window": window, "computed_at": None, "note": NOT_COMPUTED, **extra}
    page = paginate(rows, params, _since_computed)
    return {**page, "window": window, "computed_at": snapshot.computed_at, "note": "", **extra}


# The summary ------------------------------------------------------------------------------------


class CountsOut(Schema):
    people: int = Field(description="People in the programme")
    people_met: int = Field(description="People who met someone in the window")
    people_not_named: int = Field(description="Of those, people who did not consent to be recorded")
    meetings: int
    ties: int = Field(description="Pairs of people who attended a meeting together")
    power_ties: int = Field(description="Ties between old power and new power")


class EIOut(Schema):
    """Null throughout when the boundary has no ties, or only one group."""

    boundary: str
    observed: float | None = Field(None, description="E-I index: -1 all ties inside, +1 all across")
    mean: float | None = Field(None, description="Its mean with the labels shuffled 1,000 times")
    low: float | None = Field(None, description="The chance range's low end")
    high: float | None = None
    compared: str | None = Field(
        None, description="more, less or about as cross-boundary as chance"
    )


class QuarterOut(Schema):
    label: str
    new_ties: int
    new_crossing_ties: int


class TrendOut(Schema):
    boundary: str
    quarters: list[QuarterOut]


class IntroductionCountsOut(Schema):
    made: int
    met: int = Field(description="Turned into a meeting")
    declined: int


class NetworkSummaryOut(Schema):
    window: str
    computed_at: datetime | None = Field(description="Null when there is no snapshot yet")
    newer_on_the_way: bool = Field(description="A newer snapshot is being made")
    note: str = Field(description="Why there is nothing to show, when there is not")
    counts: CountsOut | None
    ei: list[EIOut]
    ranking_reason: str = Field(description="Why brokers are not ranked, when they are not")
    trend: list[TrendOut] = Field(description="New ties per quarter, over all time")
    introductions: IntroductionCountsOut


def _introduction_counts(programme: Programme) -> dict:
    counts = Introduction.objects.for_programme(programme).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Introduction.Status.values}
    )
    return {
        "made": sum(counts.values()),
        "met": counts[Introduction.Status.MET],
        "declined": counts[Introduction.Status.DECLINED],
    }


@router.get(
    "/programmes/{slug:slug}/network",
    response=NetworkSummaryOut,
    url_name="api_network",
)
def network_summary(request, slug: str, window: Query[WindowValue] = DEFAULT_WINDOW.value):
    """The snapshot's counts, E-I index against chance per boundary, and quarterly trend."""
    programme = programme_for(request, slug)
    snapshot = _snapshot(programme, window)
    summary = {
        "window": window,
        "computed_at": None,
        "newer_on_the_way": snapshots.newer_on_the_way(programme, snapshot),
        "note": NOT_COMPUTED,
        "counts": None,
        "ei": [],
        "ranking_reason": "",
        "trend": [],
        "introductions": _introduction_counts(programme),
    }
    if snapshot is None:
        return summary
    fields = ("people", "people_met", "people_not_named", "meetings", "ties", "power_ties")
    return {
        **summary,
        "computed_at": snapshot.computed_at,
        "note": "",
        "counts": {name: getattr(snapshot, name) for name in fields},
        "ei": [{"boundary": b, **(ei or {})} for b, ei in snapshot.ei.items()],
        "ranking_reason": snapshot.ranking_reason,
        "trend": [{"boundary": b, "quarters": q} for b, q in snapshot.trend.items()],
    }


# Groups, ties, weak points, meeting mix ---------------------------------------------------------


class GroupOut(Schema):
    id: int
    boundary: str
    key: str = Field(
        description="An organisation's id, or a sector's, role group's or level's code"
    )
    label: str
    organisation_id: int | None
    sector: str = Field(description="Organisations only")
    people: int
    people_met: int
    internal_ties: int
    external_ties: int
    ei: float | None
    betweenness: float | None = Field(description="Organisations only, in the organisation graph")
    constraint: float | None
    x: float | None = Field(description="The organisation map's layout, 0 to 1")
    y: float | None
    is_single_point: bool = Field(description="Removing it splits the organisation graph")


@router.get(
    "/programmes/{slug:slug}/network/groups",
    response=network_page_of(GroupOut),
    url_name="api_network_group_list",
)
def group_list(request, slug: str, params: Query[BoundaryParams]):
    programme = programme_for(request, slug)
    snapshot = _snapshot(programme, params.window)
    rows = GroupMeasure.objects.filter(snapshot=snapshot, boundary=params.boundary)
    return _page(snapshot, params.window, rows, params)


class TieOut(Schema):
    id: int
    boundary: str
    a_key: str
    a_label: str
    b_key: str
    b_label: str
    weight: float = Field(description="Newman weights of the people behind it, summed")
    ties: int = Field(description="Pairs of people behind it")


@router.get(
    "/programmes/{slug:slug}/network/ties",
    response=network_page_of(TieOut),
    url_name="api_network_tie_list",
)
def tie_list(request, slug: str, params: Query[BoundaryParams]):
    programme = programme_for(request, slug)
    snapshot = _snapshot(programme, params.window)
    rows = GroupTie.objects.filter(snapshot=snapshot, boundary=params.boundary)
    return _page(snapshot, params.window, rows, params)


class WeakPointOut(Schema):
    id: int
    kind: str
    key: str
    label: str = Field(description="The group, organisation or person")
    participant_id: int | None
    organisation_id: int | None

    @staticmethod
    def resolve_label(point) -> str:
        return point.participant.name if point.participant_id else point.label


@router.get(
    "/programmes/{slug:slug}/network/weak-points",
    response=network_page_of(WeakPointOut, not_named=True),
    url_name="api_network_weak_point_list",
)
def weak_point_list(request, slug: str, params: Query[WindowParams]):
    """Groups never met, organisations with no outside tie, and single points of failure.
    People holding parts together are listed for leads and facilitators only."""
    programme = programme_for(request, slug)
    snapshot = _snapshot(programme, params.window)
    points = WeakPoint.objects.filter(snapshot=snapshot).select_related("participant")
    people = points.filter(kind__in=PERSON_KINDS)
    if sees_people(programme):
        shown = points.filter(~Q(kind__in=PERSON_KINDS) | named_people("participant__"))
        not_named = people.exclude(named_people("participant__")).count() if snapshot else 0
    else:
        shown, not_named = points.exclude(kind__in=PERSON_KINDS), 0
    return _page(snapshot, params.window, shown, params, people_not_named=not_named)


class MeetingMixOut(Schema):
    id: int
    meeting_id: int
    title: str
    starts_at: datetime
    boundary: str
    attendees: int
    groups: int
    group_labels: list[str]
    ei: float | None

    @staticmethod
    def resolve_title(mix) -> str:
        return mix.meeting.title

    @staticmethod
    def resolve_starts_at(mix) -> datetime:
        return mix.meeting.starts_at


@router.get(
    "/programmes/{slug:slug}/network/meetings",
    response=network_page_of(MeetingMixOut),
    url_name="api_network_meeting_mix_list",
)
def meeting_mix_list(request, slug: str, params: Query[BoundaryParams]):
    """Per held meeting in the window: the groups in the room and the meeting's E-I index."""
    programme = programme_for(request, slug)
    snapshot = _snapshot(programme, params.window)
    rows = MeetingMix.objects.filter(snapshot=snapshot, boundary=params.boundary).select_related(
        "meeting"
    )
    return _page(snapshot, params.window, rows, params)


# People -----------------------------------------------------------------------------------------


class ContactGroupOut(Schema):
    label: str
    count: int


class PersonMeasureOut(Schema):
    id: int
    participant_id: int
    name: str
    organisation_id: int | None
    organisation: str
    meetings: int
    contacts: int
    organisations_met: int
    sectors_met: int
    role_groups_met: int
    levels_met: int
    crossing: dict[str, float | None] = Field(
        description="Per boundary, the share of their ties that cross it"
    )
    betweenness: float | None
    effective_size: float | None
    constraint: float | None
    betweenness_band: str = Field(description="Held whichever meeting was dropped; blank if not")
    constraint_band: str
    brokerage: dict[str, dict[str, int]] = Field(
        description="Per boundary, Gould-Fernandez roles with their counts"
    )
    contacts_by: dict[str, list[ContactGroupOut]]
    is_single_point: bool = Field(description="Removing them splits the network")

    @staticmethod
    def resolve_name(row) -> str:
        return row.participant.name

    @staticmethod
    def resolve_organisation_id(row) -> int | None:
        return row.participant.organisation_id

    @staticmethod
    def resolve_organisation(row) -> str:
        organisation = row.participant.organisation
        return organisation.name if organisation else ""

    @staticmethod
    def resolve_contacts_by(row) -> dict:
        return {
            boundary: [{"label": label, "count": count} for label, count in groups]
            for boundary, groups in row.contacts_by.items()
        }


@router.get(
    "/programmes/{slug:slug}/network/people",
    response=network_page_of(PersonMeasureOut, not_named=True),
    url_name="api_network_person_list",
)
def person_list(request, slug: str, params: Query[WindowParams]):
    """Each person's place in the network: leads and facilitators see everyone named, a member
    only their own row."""
    programme = programme_for(request, slug)
    snapshot = _snapshot(programme, params.window)
    rows = PersonMeasure.objects.filter(snapshot=snapshot)
    if not sees_people(programme):
        rows = rows.filter(participant__user=request.user)
    named = named_people("participant__")
    not_named = rows.exclude(named).count() if snapshot else 0
    rows = rows.filter(named).select_related("participant__organisation")
    return _page(snapshot, params.window, rows, params, people_not_named=not_named)


# Introductions ----------------------------------------------------------------------------------


class IntroducedOut(Schema):
    id: int
    name: str


class IntroductionOut(Schema):
    id: int
    person_a: IntroducedOut
    person_b: IntroducedOut
    reason: str
    message: str
    status: str = Field(description="made, met or declined")
    made_by: str = Field(description="Who made it")
    made_at: datetime
    met_at: datetime | None
    met_meeting_id: int | None
    declined_at: datetime | None

    @staticmethod
    def resolve_made_by(introduction) -> str:
        user = introduction.made_by
        return (user.name or user.email) if user else ""


def _introduction_changed_since(when: datetime) -> Q:
    return Q(made_at__gte=when) | Q(met_at__gte=when) | Q(declined_at__gte=when)


IntroductionPage = create_model(
    "IntroductionPage",
    __base__=Schema,
    items=(list[IntroductionOut], ...),
    next_cursor=(str | None, None),
    people_not_named=(
        int,
        Field(
            description="People in introductions left out because they did not consent to "
            "be recorded or were erased"
        ),
    ),
)


@router.get(
    "/programmes/{slug:slug}/introductions",
    response=IntroductionPage,
    url_name="api_introduction_list",
)
def introduction_list(request, slug: str, params: Query[ListParams]):
    """Introductions made in the programme: for leads and facilitators. An introduction of
    someone who may not be named is left out."""
    programme = get_programme_for_introductions(request, slug)
    introductions = Introduction.objects.for_programme(programme)
    shown = introductions.filter(named_people("person_a__"), named_people("person_b__"))
    page = paginate(
        shown.select_related("person_a", "person_b", "made_by"),
        params,
        _introduction_changed_since,
    )
    in_introductions = introductions.filter(Q(person_a=OuterRef("pk")) | Q(person_b=OuterRef("pk")))
    page["people_not_named"] = (
        Participant.objects.filter(programme=programme)
        .exclude(named_people())
        .filter(Exists(in_introductions))
        .count()
    )
    return page
