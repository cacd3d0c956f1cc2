"""The board report runs the same number of queries however much the programme has done: every
section is an aggregate or a list cut short."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import ActivityArea, Practice
from convening.models import Adoption, AdoptionEvent
from tests.factories import (
    ActionFactory,
    AdaptiveSpaceFactory,
    AttendanceFactory,
    ComplexityAssessmentFactory,
    InnovationFactory,
    LearningEntryFactory,
    LocalKnowledgeFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    PlannedActivityFactory,
)

REPORT = "/programmes/virtual-wards/report/"
RANGE = "?start_day=1&start_month=1&start_year=2025&end_day=31&end_month=12&end_year=2026"
# Pinned: a change that adds a query to the report must change this table on purpose.
BUDGET = {"last_12_months": (REPORT, 22), "chosen_range": (REPORT + RANGE, 22)}


def _grow(programme, lead, size: int) -> None:
    areas = list(ActivityArea.objects.all())
    practices = list(Practice.objects.all())
    spaces = [
        AdaptiveSpaceFactory(programme=programme),
        AdaptiveSpaceFactory(programme=programme, confidentiality="chatham_house"),
    ]
    innovation = InnovationFactory(programme=programme)
    now = timezone.now()
    for number in range(size):
        starts = now - timedelta(days=number * 9 % 360 + 1)
        meeting = MeetingFactory(
            space=spaces[number % 2], status="held", starts_at=starts, logged_at=starts
        )
        meeting.practices.set(practices[number % len(practices) :][:2])
        AttendanceFactory(meeting=meeting)
        AttendanceFactory(meeting=meeting)
        owner = ParticipantFactory(programme=programme)
        PlannedActivityFactory(
            programme=programme,
            area=areas[number % 10],
            owner=owner,
            due=now.date() - timedelta(days=2),
        )
        ComplexityAssessmentFactory(programme=programme, ratings={"condition": "complex"})
        LocalKnowledgeFactory(programme=programme, impact="high", owner=owner)
        ActionFactory(
            programme=programme, owner=owner, meeting=meeting, due=now.date() - timedelta(days=3)
        )
        entry = LearningEntryFactory(
            programme=programme,
            author=lead,
            site=owner.organisation,
            source_meeting=meeting,
            status="published",
            published_at=starts,
            visibility=("public", "programme", "space")[number % 3],
        )
        entry.areas.set(areas[: number % 3 + 1])
        adoption = Adoption.objects.create(
            innovation=innovation, organisation=OrganisationFactory(), stage="testing"
        )
        for stage, days in (("exploring", 300), ("testing", number % 200)):
            AdoptionEvent.objects.create(
                adoption=adoption, stage=stage, date=now.date() - timedelta(days=days)
            )


def _count(client, url: str) -> int:
    client.get(url)  # settle session bookkeeping so both sizes are measured alike
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", list(BUDGET))
def test_the_report_runs_the_same_queries_for_3_and_40_of_everything(
    as_user, programme, lead, page
):
    url, pinned = BUDGET[page]
    client = as_user(lead)
    ParticipantFactory(programme=programme, user=lead, consent_named=True)
    _grow(programme, lead, 3)
    small = _count(client, url)
    _grow(programme, lead, 37)
    large = _count(client, url)
    assert small == large, f"{page}: {small} queries with 3 of everything, {large} with 40"
    assert large == pinned, f"{page}: {large} queries, pinned at {pinned}"
    # Enough rows shown that a query per row would show.
    html = client.get(url).content.decode()
    assert "40 open high-impact entries" in html
    assert "40 open actions are past their due date." in html
    assert html.count('href="/programmes/virtual-wards/learning/') == 10
