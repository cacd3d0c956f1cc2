"""The meeting log: saving everything a facilitator wrote in one step, and conflicts."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from convening.history import Conflict, conflict_with
from convening.models import Participant
from learning.models import LearningEntry

from .models import Action, Attendance, Meeting, SpaceMember

LOGGED_FIELDS = ("notes", "tensions", "decisions")
# When and where: at the top of the log page, saved with the rest.
DETAIL_FIELDS = ("title", "starts_at", "ends_at", "format", "location")
# What the log form holds: a save since it was opened that changed none of these (a reminder
# sent, for example) is no conflict.
LOG_FORM_FIELDS = (*DETAIL_FIELDS, *LOGGED_FIELDS, "practices")


def save_log(meeting: Meeting, cleaned: dict, *, by, expected_version: int) -> Conflict | None:
    """Save the details, notes, tensions, decisions and practices, marking the meeting held and
    logged.

    Returns a Conflict (and saves nothing) when someone saved any of the log's fields since the
    form was opened at `expected_version`.
    """
    with transaction.atomic():
        for name in (*DETAIL_FIELDS, *LOGGED_FIELDS):
            setattr(meeting, name, cleaned[name])
        meeting.status = Meeting.Status.HELD
        meeting.logged_by = meeting.logged_by or by
        meeting.logged_at = timezone.now()
        saved = meeting.save_if_unchanged(expected_version, fields=LOG_FORM_FIELDS)
        if saved:
            meeting.practices.set(cleaned["practices"])
    return None if saved else conflict_with(meeting, cleaned, LOG_FORM_FIELDS)


def log_new_meeting(meeting: Meeting, cleaned: dict, *, by) -> Meeting:
    """Record a meeting that was held, with its log, in one step ("Log a meeting")."""
    with transaction.atomic():
        for name in (*DETAIL_FIELDS, *LOGGED_FIELDS):
            setattr(meeting, name, cleaned[name])
        meeting.status = Meeting.Status.HELD
        meeting.logged_by = by
        meeting.logged_at = timezone.now()
        meeting.save()
        meeting.practices.set(cleaned["practices"])
    return meeting


def add_attendee(meeting: Meeting, participant: Participant) -> tuple[Attendance, bool]:
    """Record someone as attended; adding them twice keeps one row (a database constraint)."""
    try:
        with transaction.atomic():
            return Attendance.objects.create(meeting=meeting, participant=participant), True
    except IntegrityError:
        return Attendance.objects.get(meeting=meeting, participant=participant), False


def add_space_members(meeting: Meeting) -> int:
    """Add every member of the meeting's space who is not yet recorded; returns how many."""
    recorded = Attendance.objects.filter(meeting=meeting).values("participant_id")
    missing = SpaceMember.objects.filter(space_id=meeting.space_id).exclude(
        participant_id__in=recorded
    )
    rows = [Attendance(meeting=meeting, participant_id=m.participant_id) for m in missing]
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def add_action(meeting: Meeting, cleaned: dict) -> Action:
    return Action.objects.create(
        programme_id=meeting.space.programme_id,
        meeting=meeting,
        title=cleaned["title"],
        owner=cleaned.get("owner"),
        due=cleaned.get("due"),
    )


def capture_learning(
    meeting: Meeting, cleaned: dict, *, by, meeting_areas: list[int] = ()
) -> LearningEntry:
    """A draft learning entry linked to the meeting and its programme, in the areas chosen or,
    when none is, in the meeting's own areas (`meeting_areas`), so it counts in coverage."""
    visibility = (
        LearningEntry.Visibility.SPACE
        if meeting.space.is_chatham_house
        else LearningEntry.Visibility.PROGRAMME
    )
    with transaction.atomic():
        entry = LearningEntry.objects.create(
            programme_id=meeting.space.programme_id,
            source_meeting=meeting,
            innovation=cleaned.get("innovation"),
            title=cleaned["title"],
            kind=cleaned["kind"],
            body=cleaned["body"],
            author=by,
            visibility=visibility,
        )
        entry.areas.set(cleaned.get("areas") or meeting_areas)
    return entry


def restore(meeting: Meeting, record, *, expected_version: int) -> bool:
    """Put the meeting back as it was in a history record; the restore is itself recorded."""
    with transaction.atomic():
        for name in (
            "title",
            "starts_at",
            "ends_at",
            "format",
            "location",
            "status",
            *LOGGED_FIELDS,
        ):
            setattr(meeting, name, getattr(record, name))
        if not meeting.save_if_unchanged(expected_version):
            return False
        meeting.practices.set([p.practice_id for p in record.practices.all()])
    return True


def set_attendance(meeting: Meeting, statuses: dict[int, str]) -> None:
    """Make the meeting's attendance exactly these people with these statuses (by participant
    id): anyone not listed is taken off, in a fixed number of queries."""
    with transaction.atomic():
        Attendance.objects.filter(meeting=meeting).exclude(participant_id__in=statuses).delete()
        Attendance.objects.bulk_create(
            [
                Attendance(meeting=meeting, participant_id=pk, status=status)
                for pk, status in statuses.items()
            ],
            update_conflicts=True,
            unique_fields=["meeting", "participant"],
            update_fields=["status"],
        )
