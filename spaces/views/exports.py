"""Downloads of the programme's meetings, attendance and open actions, as CSV or XLSX.

Meetings and actions are for everyone in the programme, as the pages that list them are;
attendance names people in bulk, so, like the people export, it is for leads only.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from activities.models import Practice
from convening.access import EVERYONE, LEAD
from convening.exports import Table, register_table, yes_no
from convening.models import Programme
from convening.views.downloads import export_response

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
    return export_response(request, slug, fmt, "meetings")


@require_GET
def attendance_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return export_response(request, slug, fmt, "attendance")


@require_GET
def action_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return export_response(request, slug, fmt, "actions")


@register_table("meetings", roles=EVERYONE)
def meetings_table(request: HttpRequest, programme: Programme) -> Table:
    meetings = (
        Meeting.objects.for_programme(programme)
        .select_related("space")
        .annotate(
            attended=Count("attendances", filter=Q(attendances__status=Attendance.Status.ATTENDED))
        )
        .prefetch_related(Prefetch("practices", queryset=Practice.objects.select_related("area")))
        .order_by("starts_at", "pk")
    )
    return Table(
        f"{programme.slug}-meetings",
        "Meetings",
        MEETING_HEADERS,
        meetings,
        lambda meeting: [
            meeting.title,
            meeting.space.name,
            meeting.starts_at,
            meeting.ends_at,
            meeting.get_status_display(),
            yes_no(meeting.logged_at is not None),
            meeting.attended,
            "; ".join(practice.code for practice in meeting.practices.all()),
        ],
    )


@register_table("attendance", roles=(LEAD,))
def attendance_table(request: HttpRequest, programme: Programme) -> Table:
    attendances = (
        Attendance.objects.filter(meeting__space__programme=programme)
        .select_related("meeting__space", "participant__organisation")
        .order_by("meeting__starts_at", "meeting_id", "participant__name", "pk")
    )
    return Table(
        f"{programme.slug}-attendance",
        "Attendance",
        ATTENDANCE_HEADERS,
        attendances,
        lambda attendance: [
            attendance.meeting.title,
            attendance.meeting.space.name,
            attendance.meeting.starts_at,
            attendance.participant.name,
            attendance.participant.organisation.name if attendance.participant.organisation else "",
            attendance.get_status_display(),
        ],
    )


@register_table("actions", roles=EVERYONE, archive_query="status=all")
def actions_table(request: HttpRequest, programme: Programme) -> Table:
    """The open actions, as the actions page lists them; every action with `status=all`."""
    actions = Action.objects.filter(programme=programme)
    every = request.GET.get("status") == "all"
    if not every:
        actions = actions.open()
    return Table(
        f"{programme.slug}-actions",
        "Actions" if every else "Open actions",
        ACTION_HEADERS,
        actions.select_related("owner", "meeting__space", "planned_activity").order_by("due", "pk"),
        lambda action: [
            action.title,
            action.owner.name if action.owner else "",
            action.due,
            action.get_status_display(),
            action.meeting.title if action.meeting else "",
            action.meeting.space.name if action.meeting else "",
            action.planned_activity.title if action.planned_activity else "",
        ],
    )
