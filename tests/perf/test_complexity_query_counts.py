"""The complexity pages run the same number of queries however many assessments, meetings,
attendances and learning entries the programme has."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import ComplexityAssessment, Domain, DomainRating, Rating
from convening.models import Sector
from learning.models import LearningEntry
from spaces.models import Attendance, Meeting
from tests.factories import (
    AdaptiveSpaceFactory,
    OrganisationFactory,
    ParticipantFactory,
)

P = "/programmes/virtual-wards/complexity/"
# Pinned: a change that adds a query to one of these pages must change this table on purpose.
BUDGET = {
    "complexity": (P, 8),
    "complexity_assess": (P + "new/", 5),
}
RATINGS = list(Rating.values)


def _grow(programme, lead, size: int) -> None:
    """`size` more assessments (each rating all seven domains), held meetings with attendees
    from two sectors, active spaces and learning entries."""
    now = timezone.now()
    assessments = ComplexityAssessment.objects.bulk_create(
        ComplexityAssessment(
            programme=programme,
            interdependence="interdependent" if n % 2 else "independent",
            summary=f"Look number {n}",
            assessed_at=now - timedelta(days=size - n, minutes=size),
            assessed_by=lead,
        )
        for n in range(size)
    )
    DomainRating.objects.bulk_create(
        DomainRating(
            assessment=assessment,
            domain=domain.value,
            rating=RATINGS[(n + index) % 4],
            note=f"Note {n}",
        )
        for n, assessment in enumerate(assessments)
        for index, domain in enumerate(Domain)
    )
    space = AdaptiveSpaceFactory(programme=programme)
    people = [
        ParticipantFactory(
            programme=programme,
            organisation=OrganisationFactory(
                sector=Sector.ACUTE if n % 2 else Sector.LOCAL_AUTHORITY
            ),
        )
        for n in range(min(size, 6))
    ]
    meetings = Meeting.objects.bulk_create(
        Meeting(
            space=space,
            title=f"Meeting {n}",
            status="held",
            starts_at=now - timedelta(days=n + 1),
            ends_at=now - timedelta(days=n + 1) + timedelta(hours=1),
        )
        for n in range(size * 2)
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, participant=person) for meeting in meetings for person in people
    )
    LearningEntry.objects.bulk_create(
        LearningEntry(programme=programme, title=f"Learnt {n}", created_at=now) for n in range(size)
    )


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", list(BUDGET))
def test_complexity_pages_run_the_same_queries_at_two_sizes(as_user, programme, lead, page):
    url, pinned = BUDGET[page]
    client = as_user(lead)
    _grow(programme, lead, 2)
    small = _count(client, url)
    _grow(programme, lead, 18)
    large = _count(client, url)
    assert small == large, f"{page}: {small} queries with 2 assessments, {large} with 20"
    assert large == pinned, f"{page}: {large} queries, pinned at {pinned}"
    assert ComplexityAssessment.objects.count() == 20
    assert Attendance.objects.count() > 200
