"""The activity plan's pages run the same number of queries at any size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import ActivityArea, PlannedActivity, Practice
from activities.views.plan import ACTIVITIES_PER_PAGE
from convening.models import Participant
from spaces.models import Action
from tests.factories import (
    AdaptiveSpaceFactory,
    MeetingFactory,
    ParticipantFactory,
    PlannedActivityFactory,
)

P = "/programmes/virtual-wards/plan/"
# Pinned: a change that adds a query to one of these pages must change this table on purpose.
BUDGET = {
    # session, user, programme, areas, owners, spaces, activities counted by area (which gives
    # the paginator its total), the page of activities, their practices' codes
    "plan": (P, 9),
    "plan_filtered": (P + "?area=3&status=open&owner={owner}&space={space}", 9),
    # ... the activity, its practices, actions, actions to link, history and its practices
    "activity_detail": (P + "{activity}/", 9),
    # ... areas, practices, people and spaces to choose from
    "activity_create": (P + "new/", 7),
    "activity_create_from_domain": (P + "new/?from_domain=organisations", 8),
    # ... and the facilitator's own participant record, the default owner
    "activity_create_as_facilitator": (P + "new/", 8, "facilitator"),
    "plan_as_facilitator": (P, 9, "facilitator"),
    "plan_as_member": (P + "?area=3", 9, "member"),
    "activity_edit": (P + "{activity}/edit/", 9),
    # ... the filters' choices, the activities, their practices and actions
    "plan_export_csv": (P + "export.csv", 9),
    # ... and for XLSX one COUNT, to choose between writing it at once and a job
    "plan_export_xlsx": (P + "export.xlsx?status=open", 10),
}


def _grow(programme, space, activity, owner, size: int) -> None:
    """`size` more activities across the areas, people, spaces, actions and history."""
    areas = list(ActivityArea.objects.all())
    practices = list(Practice.objects.all())
    people = [ParticipantFactory(programme=programme, name=f"Person {n}") for n in range(size)]
    spaces = [AdaptiveSpaceFactory(programme=programme) for _ in range(min(size, 5))]
    meeting = MeetingFactory(space=space, status="held")
    today = timezone.localdate()
    for n in range(size):
        grown = PlannedActivityFactory(
            programme=programme,
            area=areas[n % 10],
            owner=owner if n % 2 else people[n],
            space=space if n % 3 else spaces[n % len(spaces)],
            due=today + timedelta(days=n - size // 2),
            status=PlannedActivity.Status.values[n % 5],
        )
        grown.practices.set([p for p in practices if p.area_id == grown.area_id][:2])
    Action.objects.bulk_create(
        [
            Action(
                programme=programme,
                meeting=meeting,
                title=f"Do {n}",
                owner=people[n],
                planned_activity=activity if n % 2 else None,
            )
            for n in range(size)
        ]
    )
    for n in range(size):
        activity.change_status(PlannedActivity.Status.values[n % 5])
    activity.change_status(PlannedActivity.Status.PLANNED)  # still matches the filters
    activity.practices.set(practices[: min(size, 4)])


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        response.getvalue()  # a streamed download runs its queries as it is read
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", list(BUDGET))
def test_plan_pages_run_the_same_queries_at_two_sizes(
    as_user, programme, space, lead, facilitator, member, page
):
    owner = Participant.objects.filter(programme=programme).first()
    activity = PlannedActivityFactory(
        programme=programme,
        area=ActivityArea.objects.get(number=3),
        owner=owner,
        space=space,
        created_by=lead,
    )
    url, pinned, role = (*BUDGET[page], "lead")[:3]
    url = url.format(activity=activity.pk, owner=owner.pk, space=space.pk)
    client = as_user({"lead": lead, "facilitator": facilitator, "member": member}[role])
    _grow(programme, space, activity, owner, 3)
    small = _count(client, url)
    _grow(programme, space, activity, owner, 60)
    large = _count(client, url)
    assert small == large, f"{page}: {small} queries with 3 rows, {large} with 63"
    assert large == pinned, f"{page}: {large} queries, pinned at {pinned}"
    assert PlannedActivity.objects.count() > 60


def test_a_later_page_of_a_long_plan_runs_the_same_queries(as_user, programme, space, lead):
    """Over ACTIVITIES_PER_PAGE rows the plan is paged; page 2 costs what page 1 does."""
    owner = Participant.objects.filter(programme=programme).first()
    activity = PlannedActivityFactory(
        programme=programme, area=ActivityArea.objects.get(number=3), owner=owner, space=space
    )
    client = as_user(lead)
    _grow(programme, space, activity, owner, 3)
    small = _count(client, P)
    _grow(programme, space, activity, owner, 150)
    assert PlannedActivity.objects.count() > ACTIVITIES_PER_PAGE
    first, second = _count(client, P), _count(client, P + "?page=2")
    assert small == first == second == BUDGET["plan"][1]
    assert "Showing 101 to 154 of 154 activities" in client.get(P + "?page=2").content.decode()
