"""The coverage pages run the same number of queries whatever the number of meetings,
planned activities or learning entries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import ActivityArea, PlannedActivity, Practice
from learning.models import LearningEntry
from spaces.models import Meeting
from tests.factories import MeetingFactory, ParticipantFactory

P = "/programmes/virtual-wards/coverage/"
# Pinned: a change that adds a query to one of these pages must change this table on purpose.
BUDGET = {
    "coverage": (P, 7),
    "coverage_area": (P + "3/", 10),
    "coverage_area_all_time": (P + "3/?period=all", 10),
    "coverage_area_page_2": (P + "3/?period=all&page=2", 10),
}


def _grow(space, size: int) -> None:
    """`size` held meetings (recent and older, each serving practices of two areas), planned
    and cancelled ones, `size` activities of every status and `size` tagged learning entries."""
    programme = space.programme
    practices = list(Practice.objects.select_related("area"))
    areas = list(ActivityArea.objects.all())
    owner = ParticipantFactory(programme=programme)
    start = timezone.now()
    for n in range(size):
        starts = start - timedelta(days=n * 7 + 1)
        for status in ("held", "held", "planned", "cancelled"):
            meeting = MeetingFactory(
                space=space, status=status, starts_at=starts, ends_at=starts + timedelta(hours=1)
            )
            meeting.practices.set([practices[n % len(practices)], practices[7]])
    statuses = [choice for choice, _ in PlannedActivity.Status.choices]
    PlannedActivity.objects.bulk_create(
        [
            PlannedActivity(
                programme=programme,
                area=areas[n % len(areas)] if n % 3 else areas[2],
                title=f"Activity {n}",
                owner=owner,
                space=space,
                status=statuses[n % len(statuses)],
            )
            for n in range(size)
        ]
    )
    visibilities = [choice for choice, _ in LearningEntry.Visibility.choices]
    for n in range(size):
        entry = LearningEntry.objects.create(
            programme=programme, title=f"Learnt {n}", visibility=visibilities[n % 3]
        )
        entry.areas.set([areas[2], areas[n % len(areas)]])


def _count(client, url: str) -> int:
    client.get(url)  # settle session bookkeeping so both sizes are measured alike
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", list(BUDGET))
def test_coverage_pages_run_the_same_queries_at_two_sizes(as_user, space, member, page):
    url, pinned = BUDGET[page]
    client = as_user(member)
    _grow(space, 3)
    small = _count(client, url.replace("page=2", "page=1"))
    _grow(space, 60)
    large = _count(client, url)
    assert small == large, f"{page}: {small} queries with 3 rows, {large} with 63"
    assert large == pinned, f"{page}: {large} queries, pinned at {pinned}"
    assert Meeting.objects.held().filter(practices__area__number=3).distinct().count() > 50
