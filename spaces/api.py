"""The JSON API's routes for spaces, meetings (with attendance) and actions.

Meetings are written with the rules of the "Log a meeting" page: the same form checks every
field, the same service saves the log, and an update carries the version it was read at, so a
save over someone else's gets 409 with the current version instead of overwriting it. Under the
Chatham House rule, notes, tensions and decisions are sent only to the programme's leads and the
space's own members, as on the meeting's page.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.http import QueryDict
from ninja import Field, Router, Schema, Status
from pydantic import model_validator

from activities.models import Practice
from convening.access import LEAD
from convening.api import (
    ConflictError,
    FormInvalidError,
    ListQuery,
    Payload,
    changed_in_history,
    field_error,
    may_write,
    page_of,
    paginate,
    programme_for,
)
from convening.models import Participant

from . import access, services
from .forms import MeetingLogForm
from .models import Action, AdaptiveSpace, Attendance, Meeting

router = Router(tags=["Spaces and meetings"])


class SpaceOut(Schema):
    id: int
    slug: str
    name: str
    purpose: str
    kind: str
    ground_rules: str
    confidentiality: str
    cadence: str
    status: str
    version: int


@router.get("/programmes/{slug:slug}/spaces", response=page_of(SpaceOut), url_name="api_space_list")
def space_list(request, slug: str, params: ListQuery):
    programme = programme_for(request, slug)
    spaces = AdaptiveSpace.objects.for_programme(programme)
    return paginate(spaces, params, changed_in_history(AdaptiveSpace))


class AttendanceOut(Schema):
    participant_id: int
    name: str
    status: str

    @staticmethod
    def resolve_name(attendance) -> str:
        return attendance.participant.name


class MeetingOut(Schema):
    id: int
    space_id: int
    space_slug: str
    title: str
    starts_at: datetime
    ends_at: datetime
    format: str
    location: str
    status: str
    notes: str | None = Field(
        description="Markdown; null under the Chatham House rule when "
        "you are neither a lead nor a member of the space"
    )
    tensions: str | None
    decisions: str | None
    practices: list[str] = Field(description="Codes of the practices served, such as 3.1")
    attendance: list[AttendanceOut]
    logged_at: datetime | None
    version: int

    @staticmethod
    def resolve_space_slug(meeting) -> str:
        return meeting.space.slug

    @staticmethod
    def resolve_practices(meeting) -> list[str]:
        return [practice.code for practice in meeting.practices.all()]

    @staticmethod
    def resolve_attendance(meeting) -> list:
        return list(meeting.attendances.all())

    @staticmethod
    def resolve_notes(meeting) -> str | None:
        return meeting.notes if meeting.readable else None

    @staticmethod
    def resolve_tensions(meeting) -> str | None:
        return meeting.tensions if meeting.readable else None

    @staticmethod
    def resolve_decisions(meeting) -> str | None:
        return meeting.decisions if meeting.readable else None


def _with_log_parts(meetings):
    return meetings.select_related("space").prefetch_related(
        Prefetch("practices", queryset=Practice.objects.select_related("area")),
        Prefetch(
            "attendances",
            queryset=Attendance.objects.select_related("participant").order_by("participant__name"),
        ),
    )


def _mark_readable(meetings: list[Meeting], programme, user) -> None:
    """Set `readable` on each meeting: may this user read its notes (Chatham House rule)."""
    member_of = set() if programme.my_role == LEAD else access.spaces_where_member(programme, user)
    for meeting in meetings:
        meeting.readable = (
            not meeting.space.is_chatham_house
            or programme.my_role == LEAD
            or meeting.space_id in member_of
        )


@router.get(
    "/programmes/{slug:slug}/meetings",
    response=page_of(MeetingOut),
    url_name="api_meeting_list",
)
def meeting_list(request, slug: str, params: ListQuery):
    programme = programme_for(request, slug)
    meetings = _with_log_parts(Meeting.objects.for_programme(programme))
    page = paginate(meetings, params, changed_in_history(Meeting))
    _mark_readable(page["items"], programme, request.user)
    return page


def _meeting_out(request, meeting_id: int, space_access) -> Meeting:
    meeting = _with_log_parts(Meeting.objects.filter(pk=meeting_id)).get()
    _mark_readable([meeting], space_access.programme, request.user)
    return meeting


@router.get(
    "/programmes/{slug:slug}/meetings/{meeting_id}",
    response=MeetingOut,
    url_name="api_meeting",
)
def meeting_detail(request, slug: str, meeting_id: int):
    space_access, meeting = access.get_meeting_by_id_for_view(request, slug, meeting_id)
    return _meeting_out(request, meeting.pk, space_access)


# Writing a meeting's log ------------------------------------------------------------------------


class AttendanceIn(Payload):
    participant_id: int | None = Field(None, description="A person of this programme")
    email: str | None = Field(None, max_length=254, description="Or their email address")
    status: Literal["attended", "apologies", "absent"] = "attended"

    @model_validator(mode="after")
    def _one_way_to_name(self):
        if (self.participant_id is None) == (self.email is None):
            raise ValueError("Give either participant_id or email")
        return self


class MeetingLogIn(Payload):
    title: str
    date: date
    start_time: str = Field(description="24-hour clock, for example 14:00", max_length=8)
    end_time: str = Field(description="24-hour clock, for example 15:30", max_length=8)
    format: Literal["in_person", "online", "hybrid"] = "in_person"
    location: str = ""
    notes: str = Field("", description="Markdown")
    tensions: str = Field("", description="Markdown")
    decisions: str = Field("", description="Markdown")
    practices: list[str] = Field(
        default_factory=list, max_length=50, description="Practice codes, such as 1.2"
    )
    attendance: list[AttendanceIn] | None = Field(
        None,
        max_length=2000,
        description="Who was there: replaces the attendance when given, left as it is if not",
    )


class MeetingLogUpdate(MeetingLogIn):
    version: int = Field(description="The meeting's version when you read it")


def _form_data(payload: MeetingLogIn) -> QueryDict:
    """The log form's fields, as the page would post them."""
    data = QueryDict(mutable=True)
    day = payload.date
    fields = payload.model_dump(exclude={"date", "practices", "attendance"})
    for name, value in fields.items():
        data[name] = str(value)
    data.update(
        {"date_day": str(day.day), "date_month": str(day.month), "date_year": str(day.year)}
    )
    data.setlist("practices", [str(pk) for pk in _practice_ids(payload.practices)])
    return data


def _practice_ids(codes: list[str]) -> list[int]:
    known = {practice.code: practice.pk for practice in Practice.objects.select_related("area")}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise field_error(
            ["body", "payload", "practices"], f"No such practice: {', '.join(unknown)}"
        )
    return [known[code] for code in codes]


def _attendance(programme, items: list[AttendanceIn] | None) -> dict[int, str] | None:
    """Participant ids and statuses, each person found in this programme by id or email."""
    if items is None:
        return None
    ids = {item.participant_id for item in items if item.participant_id is not None}
    emails = {item.email.lower() for item in items if item.email is not None}
    people = (
        Participant.objects.for_programme(programme)
        .annotate(email_lower=Lower("email"))
        .filter(Q(pk__in=ids) | Q(email_lower__in=emails))
        .values_list("pk", "email_lower")
    )
    by_id = {pk: pk for pk, _ in people}
    by_email = {email: pk for pk, email in people if email}
    statuses = {}
    for index, item in enumerate(items):
        if item.participant_id is not None:
            pk = by_id.get(item.participant_id)
        else:
            pk = by_email.get(item.email.lower())
        if pk is None:
            raise field_error(
                ["body", "payload", "attendance", index],
                "That person was not found in this programme",
            )
        statuses[pk] = item.status
    return statuses


def _valid_log(meeting: Meeting, payload: MeetingLogIn) -> tuple[MeetingLogForm, dict | None]:
    form = MeetingLogForm(_form_data(payload), instance=meeting)
    if not form.is_valid():
        raise FormInvalidError(form)
    return form, _attendance(meeting.space.programme, payload.attendance)


@router.post(
    "/programmes/{slug:slug}/spaces/{slug:space_slug}/meetings",
    response={201: MeetingOut},
    url_name="api_meeting_log_new",
)
def meeting_log_new(request, slug: str, space_slug: str, payload: MeetingLogIn):
    """Log a meeting that was held and is not in Convening yet ("Log a meeting")."""
    space_access = access.get_space_for_change(request, slug, space_slug)
    may_write(request)
    meeting = Meeting(space=space_access.space, status=Meeting.Status.HELD)
    form, statuses = _valid_log(meeting, payload)
    with transaction.atomic():
        services.log_new_meeting(meeting, form.cleaned_data, by=request.user)
        if statuses is not None:
            services.set_attendance(meeting, statuses)
    return Status(201, _meeting_out(request, meeting.pk, space_access))


@router.put(
    "/programmes/{slug:slug}/meetings/{meeting_id}/log",
    response=MeetingOut,
    url_name="api_meeting_log",
)
def meeting_log(request, slug: str, meeting_id: int, payload: MeetingLogUpdate):
    """Save a meeting's log: details, notes, tensions, decisions, practices and attendance."""
    space_access, meeting = access.get_meeting_by_id_for_change(request, slug, meeting_id)
    may_write(request)
    form, statuses = _valid_log(meeting, payload)
    with transaction.atomic():
        conflict = services.save_log(
            meeting, form.cleaned_data, by=request.user, expected_version=payload.version
        )
        if conflict:
            raise ConflictError(conflict)
        if statuses is not None:
            services.set_attendance(meeting, statuses)
    return _meeting_out(request, meeting.pk, space_access)


# Actions ----------------------------------------------------------------------------------------


class ActionOut(Schema):
    id: int
    title: str
    meeting_id: int | None
    owner_id: int | None
    due: date | None
    status: str
    planned_activity_id: int | None
    done_at: datetime | None
    created_at: datetime


def _action_changed_since(when: datetime) -> Q:
    """Actions keep no history: made, or marked done, since then."""
    return Q(created_at__gte=when) | Q(done_at__gte=when)


@router.get(
    "/programmes/{slug:slug}/actions", response=page_of(ActionOut), url_name="api_action_list"
)
def action_list(request, slug: str, params: ListQuery):
    programme = programme_for(request, slug)
    return paginate(Action.objects.filter(programme=programme), params, _action_changed_since)
