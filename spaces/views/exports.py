"""Downloads of the programme's meetings, attendance and open actions, as CSV or XLSX.

Meetings and actions are for everyone in the programme, as the pages that list them are;
attendance names people in bulk, so, like the people export, it is for leads only.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from activities.models import Practice
from convening import audit
from convening.access import LEAD, get_programme_for_roles, get_programme_for_view
from convening.exports import check_format, table_response, yes_no

from ..models import Action, Attendance, Meeting

MEETING_HEADERS = [
    "Title",
    "Space",
    "Starts",
    "Ends",
    "Status",
    "Logged",
    "Attended",
    "Practices served",
]
ATTENDANCE_HEADERS = ["Meeting", "Space", "Date", "Person", "Organisation", "Status"]
ACTION_HEADERS = ["Action", "Owner", "Due", "Status", "Meeting", "Space", "Planned activity"]


@require_GET
def meeting_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    programme = get_programme_for_view(request, slug)
    check_format(fmt)
    meetings = (
        Meeting.objects.for_programme(programme)
        .select_related("space")
        .annotate(
            attended=Count("attendances", filter=Q(attendances__status=Attendance.Status.ATTENDED))
        )
        .prefetch_related(Prefetch("practices", queryset=Practice.objects.select_related("area")))
        .order_by("starts_at", "pk")
    )
    rows = (
        [
            meeting.title,
            meeting.space.name,
            meeting.starts_at,
            meeting.ends_at,
            meeting.get_status_display(),
            yes_no(meeting.logged_at is not None),
            meeting.attended,
            "; ".join(practice.code for practice in meeting.practices.all()),
        ]
        for meeting in meetings
    )
    return table_response(
        fmt,
        filename=f"{programme.slug}-meetings",
        title="Meetings",
        headers=MEETING_HEADERS,
        rows=rows,
    )


@require_GET
def attendance_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    programme = get_programme_for_roles(request, slug, (LEAD,))
    check_format(fmt)
    audit.record(request, audit.Action.DOWNLOADED_ATTENDANCE, programme=programme, detail=fmt)
    attendances = (
        Attendance.objects.filter(meeting__space__programme=programme)
        .select_related("meeting__space", "participant__organisation")
        .order_by("meeting__starts_at", "meeting_id", "participant__name", "pk")
    )
    rows = (
        [
            attendance.meeting.title,
            attendance.meeting.space.name,
            attendance.meeting.starts_at,
            attendance.participant.name,
            attendance.participant.organisation.name if attendance.participant.organisation else "",
            attendance.get_status_display(),
        ]
        for attendance in attendances
    )
    return table_response(
        fmt,
        filename=f"{programme.slug}-attendance",
        title="Attendance",
        headers=ATTENDANCE_HEADERS,
        rows=rows,
    )


@require_GET
def action_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The open actions, as the actions page lists them."""
    programme = get_programme_for_view(request, slug)
    check_format(fmt)
    actions = (
        Action.objects.filter(programme=programme)
        .open()
        .select_related("owner", "meeting__space", "planned_activity")
        .order_by("due", "pk")
    )
    rows = (
        [
            action.title,
            action.owner.name if action.owner else "",
            action.due,
            action.get_status_display(),
            action.meeting.title if action.meeting else "",
            action.meeting.space.name if action.meeting else "",
            action.planned_activity.title if action.planned_activity else "",
        ]
        for action in actions
    )
    return table_response(
        fmt,
        filename=f"{programme.slug}-actions",
        title="Open actions",
        headers=ACTION_HEADERS,
        rows=rows,
    )
