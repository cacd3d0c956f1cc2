"""Every download runs the same number of queries at any size: a streamed CSV reads its rows
as it writes them, so the count is taken while the whole file is read."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Practice
from convening.models import Participant
from learning.models import LearningEntry
from spaces.models import Action, Attendance
from tests.factories import (
    AdaptiveSpaceFactory,
    AdoptionFactory,
    FeedbackFactory,
    InnovationFactory,
    LearningEntryFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

P = "/programmes/virtual-wards/"
# Pinned: a change that adds a query to one of these downloads must change this table on
# purpose. Each starts with the session, the user and the programme with the user's role. An
# XLSX adds one COUNT, to choose between writing it at once and preparing it in a job (the
# coverage table is a list of ten areas, counted in Python).
BUDGET = {
    # ... the meetings with their counts, their practices with areas
    "meeting_export_csv": (P + "meetings/export.csv", 5),
    "meeting_export_xlsx": (P + "meetings/export.xlsx", 6),
    # ... the audit log entry, the attendance with meeting, space, person and organisation
    "attendance_export_csv": (P + "attendance/export.csv", 5),
    "attendance_export_xlsx": (P + "attendance/export.xlsx", 6),
    # ... the audit log entry, the people with their organisations
    "people_export_csv": (P + "people/export.csv?q=a", 5),
    "people_export_xlsx": (P + "people/export.xlsx", 6),
    # ... the filters' areas, innovations and sites, the entries, their areas
    "learning_export_csv": (P + "learning/export.csv", 8),
    "learning_export_xlsx": (P + "learning/export.xlsx?kind=insight&status=published", 9),
    # ... the innovations for the filter, the stage changes
    "adoption_export_csv": (P + "adoption/export.csv", 5),
    "adoption_export_xlsx": (P + "adoption/export.xlsx?innovation=measured", 6),
    # ... the open actions with owner, meeting, space and planned activity
    "action_export_csv": (P + "actions/export.csv", 4),
    "action_export_xlsx": (P + "actions/export.xlsx", 5),
    # ... the innovations for the filter, the feedback
    "feedback_export_csv": (P + "feedback/export.csv?status=all", 5),
    "feedback_export_xlsx": (P + "feedback/export.xlsx", 6),
    # ... the areas, and the grouped counts behind the figures (coverage_for)
    "coverage_export_csv": (P + "coverage/export.csv", 7),
    "coverage_export_xlsx": (P + "coverage/export.xlsx", 7),
}


def _grow(programme, lead, size: int) -> None:
    """`size` more of everything a download lists, spread over spaces, sites and innovations."""
    practices = list(Practice.objects.select_related("area"))
    innovation = InnovationFactory(programme=programme)
    space = AdaptiveSpaceFactory(programme=programme)
    chatham = AdaptiveSpaceFactory(programme=programme, confidentiality="chatham_house")
    start = timezone.now() - timedelta(days=30)
    for n in range(size):
        site = OrganisationFactory()
        person = ParticipantFactory(programme=programme, organisation=site, name=f"Anna {n}")
        meeting = MeetingFactory(
            space=chatham if n % 3 == 0 else space,
            status="held",
            starts_at=start + timedelta(days=n),
            ends_at=start + timedelta(days=n, hours=1),
            logged_at=start + timedelta(days=n, hours=2),
        )
        meeting.practices.set(practices[n % 10 : n % 10 + 2])
        Attendance.objects.create(meeting=meeting, participant=person)
        Action.objects.create(
            programme=programme, meeting=meeting, title=f"Do {n}", owner=person, due=date.today()
        )
        entry = LearningEntryFactory(
            programme=programme,
            innovation=innovation,
            site=site,
            author=lead,
            source_meeting=meeting,
            status="published" if n % 2 else "draft",
            visibility=LearningEntry.Visibility.SPACE if n % 4 == 0 else "programme",
        )
        entry.areas.set([practice.area for practice in practices[n % 10 : n % 10 + 2]])
        adoption = AdoptionFactory(innovation=innovation, organisation=site)
        adoption.move_to("exploring", by=lead, note="Started")
        adoption.move_to("testing", by=UserFactory())
        FeedbackFactory(innovation=innovation, status="answered" if n % 2 else "new")


def _count(client, url: str) -> int:
    client.get(url).getvalue()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        response.getvalue()  # a streamed download runs its queries as it is read
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("download", list(BUDGET))
def test_downloads_run_the_same_queries_at_two_sizes(as_user, programme, lead, download):
    InnovationFactory(programme=programme, slug="measured")
    ParticipantFactory(programme=programme, user=lead, consent_named=True)
    url, pinned = BUDGET[download]
    client = as_user(lead)
    _grow(programme, lead, 3)
    small = _count(client, url)
    _grow(programme, lead, 30)
    large = _count(client, url)
    assert small == large, f"{download}: {small} queries with 3 of each, {large} with 33"
    assert large == pinned, f"{download}: {large} queries, pinned at {pinned}"
    assert Participant.objects.filter(programme=programme).count() > 33
