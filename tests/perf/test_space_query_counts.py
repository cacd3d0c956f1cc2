"""Spaces and meetings pages run the same number of queries at any size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Practice
from learning.models import LearningEntry
from spaces.models import Action, Attendance, Meeting, SpaceMember
from tests.factories import MeetingFactory, ParticipantFactory, SpaceMemberFactory

S = "/programmes/virtual-wards/spaces/frailty-huddle/"
# Pinned: a change that adds a query to one of these pages must change this table on purpose.
BUDGET = {
    "my_spaces": ("/my-spaces/", 3),
    "space_list": ("/programmes/virtual-wards/spaces/", 4),
    "space_detail": (S, 11),
    "meeting_detail": (S + "meetings/{meeting}/", 12),
    "meeting_log": (S + "meetings/{meeting}/log/", 19),
    "meeting_log_search": (S + "meetings/{meeting}/log/?q=person", 20),
    "meeting_history": (S + "meetings/{meeting}/history/", 8),
    "action_list": ("/programmes/virtual-wards/actions/", 5),
    "space_edit": (S + "edit/", 5),
    "space_calendar": (S + "calendar/", 5),
    "meeting_plan": (S + "meetings/plan/", 5),
    "meeting_log_new": (S + "meetings/log/", 11),
    "meeting_edit": (S + "meetings/{meeting}/edit/", 6),
    "attendance_import": (S + "meetings/{meeting}/log/import/", 6),
}


def _grow(space, meeting, size: int) -> None:
    programme = space.programme
    people = [ParticipantFactory(programme=programme, name=f"Person {n}") for n in range(size)]
    SpaceMember.objects.bulk_create(
        [SpaceMember(space=space, participant=p) for p in people], ignore_conflicts=True
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, participant=p) for p in people], ignore_conflicts=True
    )
    start = timezone.now()
    for n in range(size):
        MeetingFactory(
            space=space,
            starts_at=start + timedelta(days=n + 1),
            ends_at=start + timedelta(days=n + 1, hours=1),
        )
        MeetingFactory(
            space=space,
            status="held",
            starts_at=start - timedelta(days=n + 3),
            ends_at=start - timedelta(days=n + 3) + timedelta(hours=1),
        )
    Action.objects.bulk_create(
        [
            Action(programme=programme, meeting=meeting, title=f"Do {n}", owner=people[n])
            for n in range(size)
        ]
    )
    LearningEntry.objects.bulk_create(
        [
            LearningEntry(programme=programme, source_meeting=meeting, title=f"Learnt {n}")
            for n in range(size)
        ]
    )
    meeting.practices.add(*Practice.objects.all()[: min(size, 20)])
    meeting.notes = f"Notes {size}"
    meeting.save()
    SpaceMemberFactory.create_batch(min(size, 5), space=space)


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", list(BUDGET))
def test_space_pages_run_the_same_queries_at_two_sizes(as_user, space, facilitator, page):
    meeting = MeetingFactory(space=space, status="held", title="Measured")
    url, pinned = BUDGET[page]
    url = url.format(meeting=meeting.pk)
    client = as_user(facilitator)
    _grow(space, meeting, 3)
    small = _count(client, url)
    _grow(space, meeting, 60)
    large = _count(client, url)
    assert small == large, f"{page}: {small} queries with 3 rows, {large} with 63"
    assert large == pinned, f"{page}: {large} queries, pinned at {pinned}"
    assert Meeting.objects.count() > 100
