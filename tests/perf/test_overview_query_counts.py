"""The overview gathers the match, coverage, adoption, meetings, actions and risks in a fixed
number of queries, however much the programme has done."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import ActivityArea, Practice
from convening.models import Adoption
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
    PlannedActivityFactory,
)

OVERVIEW = "/programmes/virtual-wards/"
PINNED = 21  # 20 before the first complexity assessment, which adds its ratings
# Leads and facilitators may confirm their own consent, so their own record is looked up.
PINNED_FOR_ROLE = {"lead": PINNED + 1, "member": PINNED}


def _grow(programme, size: int) -> None:
    areas = list(ActivityArea.objects.all())
    practices = list(Practice.objects.all())
    space = AdaptiveSpaceFactory(programme=programme)
    innovation = InnovationFactory(programme=programme)
    now = timezone.now()
    for number in range(size):
        meeting = MeetingFactory(
            space=space,
            status="held",
            starts_at=now - timedelta(days=number % 120 + 1),
            ends_at=now - timedelta(days=number % 120 + 1) + timedelta(hours=1),
        )
        meeting.practices.set(practices[number % len(practices) :][:2])
        AttendanceFactory(meeting=meeting)
        PlannedActivityFactory(programme=programme, area=areas[number % 10])
        ComplexityAssessmentFactory(programme=programme, ratings={"condition": "complex"})
        LocalKnowledgeFactory(programme=programme, impact="high")
        ActionFactory(programme=programme, due=now.date() - timedelta(days=3))
        entry = LearningEntryFactory(programme=programme)
        entry.areas.set(areas[: number % 3 + 1])
        Adoption.objects.create(
            innovation=innovation, organisation=OrganisationFactory(), stage="exploring"
        )


def _count(client) -> int:
    client.get(OVERVIEW)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(OVERVIEW)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["lead", "member"])
def test_the_overview_runs_the_same_queries_for_3_and_40_of_everything(
    as_user, programme, lead, member, role
):
    client = as_user(lead if role == "lead" else member)
    _grow(programme, 3)
    small = _count(client)
    _grow(programme, 37)
    large = _count(client)
    assert small == large, f"{small} queries with 3 of everything, {large} with 40"
    assert large == PINNED_FOR_ROLE[role]
