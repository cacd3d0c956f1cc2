"""Downloads of a programme's network, as CSV or XLSX, for the window chosen (`?window=90d`,
`12m` or `all`; 12 months when absent or unknown, and the file's name and title say which).

Everyone in the programme downloads what the network page shows them: the groups of a boundary
(`?boundary=`, organisations by default), the ties between them, the weak points (people
holding parts together only for leads and facilitators) and the meeting mix. People's measures
and introductions name people, so they are for leads and facilitators. Whoever downloads, a
person who did not consent to be recorded, or was erased, is never named: their rows are left
out. Each table is registered with core's exports, so the programme archive holds them too,
over all time.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from convening.access import EVERYONE
from convening.exports import Table, register_table, yes_no
from convening.models import Programme, Sector
from convening.views.downloads import export_response

from .. import snapshots
from ..access import PEOPLE_VIEWERS, named_people, sees_people
from ..models import (
    DEFAULT_BOUNDARY,
    DEFAULT_WINDOW,
    PROGRAMME_BOUNDARIES,
    WINDOW_DAYS,
    Boundary,
    GroupMeasure,
    GroupTie,
    Introduction,
    MeetingMix,
    PersonMeasure,
    WeakPoint,
    Window,
)

ALL_TIME = "window=all"
SECTORS = dict(Sector.choices)
PERSON_KINDS = (WeakPoint.Kind.PERSON_HOLDS_TOGETHER,)
BOUNDARY_NAMES = {
    Boundary.ORGANISATION: "organisations",
    Boundary.SECTOR: "sectors",
    Boundary.ROLE_GROUP: "role groups",
    Boundary.LEVEL: "levels",
}
assert set(BOUNDARY_NAMES) == set(PROGRAMME_BOUNDARIES)


def _window(request: HttpRequest) -> str:
    window = request.GET.get("window", "")
    return window if window in Window.values else DEFAULT_WINDOW.value


def _boundary(request: HttpRequest) -> str:
    boundary = request.GET.get("boundary", "")
    return boundary if boundary in PROGRAMME_BOUNDARIES else DEFAULT_BOUNDARY.value


def _names(programme: Programme, what: str, window: str) -> tuple[str, str]:
    """The file's name and its title, which say the window."""
    label = Window(window).label.lower()
    return (
        f"{programme.slug}-network-{what}-{window}",
        f"{what.replace('-', ' ').capitalize()}, {label}",
    )


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _snapshot_rows(model, programme: Programme, window: str, **filters):
    """The rows of the window's current snapshot (none when there is no snapshot yet)."""
    snapshot = snapshots.current_snapshot(programme, window)
    if snapshot is None:
        return model.objects.none()
    return model.objects.filter(snapshot=snapshot, **filters)


# People -----------------------------------------------------------------------------------------

PERSON_HEADERS = [
    "Name",
    "Organisation",
    "Meetings",
    "Contacts",
    "Organisations met",
    "Sectors met",
    "Role groups met",
    "Levels met",
    *(f"Share of ties across {BOUNDARY_NAMES[b]}" for b in PROGRAMME_BOUNDARIES),
    "Betweenness band",
    "Constraint band",
    "Betweenness",
    "Effective size",
    "Constraint",
    *(f"Brokerage across {BOUNDARY_NAMES[b]}" for b in PROGRAMME_BOUNDARIES),
    "Holds parts together",
]


def _roles(brokerage: dict | None) -> str:
    return "; ".join(f"{role} {count}" for role, count in sorted((brokerage or {}).items()))


def _person_row(row: PersonMeasure) -> list:
    person = row.participant
    return [
        person.name,
        person.organisation.name if person.organisation else "",
        row.meetings,
        row.contacts,
        row.organisations_met,
        row.sectors_met,
        row.role_groups_met,
        row.levels_met,
        *(_number(row.crossing.get(b)) for b in PROGRAMME_BOUNDARIES),
        row.betweenness_band,
        row.constraint_band,
        _number(row.betweenness),
        _number(row.effective_size),
        _number(row.constraint),
        *(_roles(row.brokerage.get(b)) for b in PROGRAMME_BOUNDARIES),
        yes_no(row.is_single_point),
    ]


@register_table("network_people", roles=PEOPLE_VIEWERS, archive_query=ALL_TIME)
def people_table(request: HttpRequest, programme: Programme) -> Table:
    """Each named person's place in the network: for leads and facilitators."""
    window = _window(request)
    rows = (
        _snapshot_rows(PersonMeasure, programme, window)
        .filter(named_people("participant__"))
        .select_related("participant__organisation")
        .order_by("participant__name", "pk")
    )
    return Table(*_names(programme, "people", window), PERSON_HEADERS, rows, _person_row)


# Groups and ties --------------------------------------------------------------------------------

GROUP_HEADERS = [
    "Sector",
    "People",
    "People who met someone",
    "Ties inside",
    "Ties across",
    "E-I index",
    "Betweenness",
    "Constraint",
    "Holds parts together",
]


def _group_row(group: GroupMeasure) -> list:
    return [
        group.label,
        SECTORS.get(group.sector, group.sector),
        group.people,
        group.people_met,
        group.internal_ties,
        group.external_ties,
        _number(group.ei),
        _number(group.betweenness),
        _number(group.constraint),
        yes_no(group.is_single_point),
    ]


@register_table("network_groups", roles=EVERYONE, archive_query=ALL_TIME)
def groups_table(request: HttpRequest, programme: Programme) -> Table:
    """The groups of one boundary (organisations unless `boundary` says otherwise)."""
    window, boundary = _window(request), _boundary(request)
    rows = _snapshot_rows(GroupMeasure, programme, window, boundary=boundary).order_by(
        "label", "pk"
    )
    heading = Boundary(boundary).label
    filename, title = _names(programme, BOUNDARY_NAMES[boundary].replace(" ", "-"), window)
    return Table(filename, title, [heading, *GROUP_HEADERS], rows, _group_row)


@register_table("network_ties", roles=EVERYONE, archive_query=ALL_TIME)
def ties_table(request: HttpRequest, programme: Programme) -> Table:
    """Ties between two groups of one boundary, strongest first."""
    window, boundary = _window(request), _boundary(request)
    rows = _snapshot_rows(GroupTie, programme, window, boundary=boundary).order_by(
        "-weight", "a_label", "b_label", "pk"
    )
    heading = Boundary(boundary).label
    what = f"ties between {BOUNDARY_NAMES[boundary]}".replace(" ", "-")
    return Table(
        *_names(programme, what, window),
        # Distinct column names: the archive's JSON keys each row by them.
        [heading, "Tied to", "Weight", "Pairs of people"],
        rows,
        lambda tie: [tie.a_label, tie.b_label, _number(tie.weight), tie.ties],
    )


# Weak points and meeting mix --------------------------------------------------------------------


@register_table("network_weak_points", roles=EVERYONE, archive_query=ALL_TIME)
def weak_points_table(request: HttpRequest, programme: Programme) -> Table:
    """Groups never met, inward organisations and single points of failure; people among
    them only for leads and facilitators, and only those who may be named."""
    window = _window(request)
    points = _snapshot_rows(WeakPoint, programme, window).select_related("participant")
    if sees_people(programme):
        points = points.filter(~Q(kind__in=PERSON_KINDS) | named_people("participant__"))
    else:
        points = points.exclude(kind__in=PERSON_KINDS)
    return Table(
        *_names(programme, "weak-points", window),
        ["Weak point", "Which"],
        points.order_by("kind", "label", "pk"),
        lambda point: [
            point.get_kind_display(),
            point.participant.name if point.participant_id else point.label,
        ],
    )


@register_table("network_meeting_mix", roles=EVERYONE, archive_query=ALL_TIME)
def meeting_mix_table(request: HttpRequest, programme: Programme) -> Table:
    """Per held meeting: the groups of one boundary in the room, and the meeting's E-I."""
    window, boundary = _window(request), _boundary(request)
    rows = (
        _snapshot_rows(MeetingMix, programme, window, boundary=boundary)
        .select_related("meeting__space")
        .order_by("meeting__starts_at", "meeting_id", "pk")
    )
    groups = BOUNDARY_NAMES[boundary]
    return Table(
        *_names(programme, f"meeting-mix-by-{groups}".replace(" ", "-"), window),
        [
            "Meeting",
            "Space",
            "Starts",
            "Attendees",
            f"{groups.capitalize()} present",
            "Which",
            "E-I index",
        ],
        rows,
        lambda mix: [
            mix.meeting.title,
            mix.meeting.space.name,
            mix.meeting.starts_at,
            mix.attendees,
            mix.groups,
            "; ".join(mix.group_labels),
            _number(mix.ei),
        ],
    )


# Introductions ----------------------------------------------------------------------------------


@register_table("network_introductions", roles=PEOPLE_VIEWERS, archive_query=ALL_TIME)
def introductions_table(request: HttpRequest, programme: Programme) -> Table:
    """Introductions made in the window, between people who may both be named."""
    window = _window(request)
    introductions = Introduction.objects.for_programme(programme).filter(
        named_people("person_a__"), named_people("person_b__")
    )
    if days := WINDOW_DAYS[Window(window)]:
        introductions = introductions.filter(made_at__gte=timezone.now() - timedelta(days=days))
    return Table(
        *_names(programme, "introductions", window),
        [
            "Person",
            "Introduced to",
            "Why",
            "Message",
            "Status",
            "Made by",
            "Made",
            "Met",
            "Declined",
        ],
        introductions.select_related("person_a", "person_b", "made_by").order_by("made_at", "pk"),
        lambda introduction: [
            introduction.person_a.name,
            introduction.person_b.name,
            introduction.reason,
            introduction.message,
            introduction.get_status_display(),
            (introduction.made_by.name or introduction.made_by.email)
            if introduction.made_by
            else "",
            introduction.made_at,
            introduction.met_at,
            introduction.declined_at,
        ],
    )


# The download views, one per table --------------------------------------------------------------


@require_GET
def people_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return export_response(request, slug, fmt, "network_people")


@require_GET
def groups_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return export_response(request, slug, fmt, "network_groups")


@require_GET
def ties_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return export_response(request, slug, fmt, "network_ties")


@require_GET
def weak_points_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return export_response(request, slug, fmt, "network_weak_points")


@require_GET
def meeting_mix_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return export_response(request, slug, fmt, "network_meeting_mix")


@require_GET
def introductions_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return export_response(request, slug, fmt, "network_introductions")
