"""Composing a digest, and the leads' preview page, run the same number of queries whatever
the number of items."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from convening.models import Adoption, Programme
from learning.digest import build_email, compose
from learning.models import LearningEntry, Subscription
from tests.factories import (
    ActionFactory,
    AdaptiveSpaceFactory,
    AdoptionFactory,
    InnovationFactory,
    LearningEntryFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    SpaceMemberFactory,
    SubscriptionFactory,
)

# Pinned: a change that adds a query must change this table on purpose.
# An email-only digest: learning, stage changes. A member's: the member's role too, their
# meetings and their actions.
COMPOSE_BUDGET = {"email_only": 2, "member": 5}
# The session, the user, the programme, the chosen subscription, the choices, the last
# delivery, then the member's digest (five).
PREVIEW_BUDGET = 11
END = timezone.now() + timedelta(hours=1)  # after the stage changes _grow records now
START = END - timedelta(days=7)


@pytest.fixture
def world(programme, member):
    programme.hub_visibility = Programme.HubVisibility.PUBLIC
    programme.save()
    space = AdaptiveSpaceFactory(programme=programme)
    person = ParticipantFactory(programme=programme, user=member)
    SpaceMemberFactory(space=space, participant=person)
    return programme, space, person


def _grow(world, size: int) -> None:
    """Items of every group, more than a group shows once the size passes ten."""
    programme, space, person = world
    kinds = [LearningEntry.Kind.SUCCESS_STORY, LearningEntry.Kind.INSIGHT]
    visibilities = [LearningEntry.Visibility.PUBLIC, LearningEntry.Visibility.PROGRAMME]
    for n in range(size):
        innovation = InnovationFactory(programme=programme) if n % 4 == 0 else None
        meeting = MeetingFactory(space=space, status="held")
        LearningEntryFactory(
            programme=programme,
            innovation=innovation,
            kind=kinds[n % 2],
            visibility=visibilities[n % 2] if n % 5 else LearningEntry.Visibility.SPACE,
            source_meeting=meeting,
            status=LearningEntry.Status.PUBLISHED,
            published_at=START + timedelta(minutes=n + 1),
            body="**Bold** words " * 40,
        )
        adoption = AdoptionFactory(
            innovation=innovation or InnovationFactory(programme=programme),
            organisation=OrganisationFactory(),
        )
        adoption.move_to(Adoption.Stage.TESTING, by=None, note="A note")
        starts = END + timedelta(days=1, minutes=n)
        MeetingFactory(space=space, starts_at=starts, ends_at=starts + timedelta(hours=1))
        ActionFactory(programme=programme, owner=person, due=date.today() - timedelta(days=n))


def _subscription(programme, user=None) -> Subscription:
    subscription = SubscriptionFactory(programme=programme, user=user, confirmed_at=START)
    return Subscription.objects.select_related("programme", "innovation", "user").get(
        pk=subscription.pk
    )


@pytest.mark.parametrize("reader", list(COMPOSE_BUDGET))
def test_composing_runs_the_same_queries_at_two_sizes(
    world, member, reader, django_assert_num_queries
):
    programme = world[0]
    subscription = _subscription(programme, member if reader == "member" else None)
    counts = []
    for size in (3, 30):
        _grow(world, size)
        with CaptureQueriesContext(connection) as queries:
            digest = compose(subscription, START, END)
            build_email(subscription, digest, period_end=END)
        counts.append(len(queries))
        assert not digest.is_empty
    assert counts[0] == counts[1], counts
    with django_assert_num_queries(COMPOSE_BUDGET[reader]):
        digest = compose(subscription, START, END)
    assert any(group.has_more for group in digest.groups)


def test_the_preview_page_runs_the_same_queries_at_two_sizes(world, as_user, lead, member):
    programme = world[0]
    subscription = _subscription(programme, member)
    client = as_user(lead)
    url = f"/programmes/virtual-wards/digests/preview/?subscription={subscription.pk}"
    counts = []
    for size in (3, 30):
        _grow(world, size)
        for _ in range(size):
            SubscriptionFactory(programme=programme)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] == PREVIEW_BUDGET, f"{counts[1]} queries, pinned at {PREVIEW_BUDGET}"
