"""The digest delivery log runs the same number of queries at any size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learning.models import DigestDelivery
from tests.factories import InnovationFactory, SubscriptionFactory

LOG = "/programmes/virtual-wards/digests/"
# Pinned: session and user, the programme with the lead's role, the counts by status, the
# page's count, the page of deliveries with their subscriptions and innovations.
BUDGET = {LOG: 6, LOG + "?status=failed": 6, LOG + "?page=2": 6}
STATUSES = [value for value, _ in DigestDelivery.Status.choices]


def _grow(programme, size: int) -> None:
    innovation = InnovationFactory(programme=programme)
    now = timezone.now()
    for n in range(size):
        subscription = SubscriptionFactory(
            programme=programme, innovation=innovation if n % 2 else None
        )
        DigestDelivery.objects.bulk_create(
            DigestDelivery(
                subscription=subscription,
                period_start=now - timedelta(days=day + 1),
                period_end=now - timedelta(days=day),
                status=STATUSES[(n + day) % len(STATUSES)],
                error="SMTPException: 451" if (n + day) % len(STATUSES) == 2 else "",
            )
            for day in range(3)
        )


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", list(BUDGET))
def test_the_digest_log_runs_the_same_queries_at_two_sizes(as_user, programme, lead, url):
    client = as_user(lead)
    _grow(programme, 4)
    small = _count(client, url)
    _grow(programme, 40)
    large = _count(client, url)

    assert small == large == BUDGET[url]
