"""The digest subscription pages run the same number of queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learning.subscriptions import confirmation_token
from tests.factories import (
    InnovationFactory,
    MembershipFactory,
    ProgrammeFactory,
    SubscriptionFactory,
)

# Pinned: a change that adds a query to one of these pages must change this table on purpose.
BUDGET = {
    # Session, user, and the subscription with its programme and innovation in one query.
    "digest_confirm": ("/digests/confirm/{confirm}/", 3),
    "digest_manage": ("/digests/manage/{token}/", 3),
    "digest_unsubscribe": ("/digests/unsubscribe/{token}/", 3),
    # Session, user, their programmes, those programmes' innovations, their subscriptions.
    "my_digests": ("/accounts/digests/", 5),
}


def _grow(member, size: int) -> None:
    """Programmes the member belongs to, each with innovations and a subscription of theirs
    to the programme and to an innovation, and other people's subscriptions."""
    for _ in range(size):
        programme = ProgrammeFactory()
        MembershipFactory(programme=programme, user=member)
        innovations = [InnovationFactory(programme=programme) for _ in range(3)]
        SubscriptionFactory(programme=programme, user=member, email=member.email)
        SubscriptionFactory(
            programme=programme, innovation=innovations[0], user=member, email=member.email
        )
        SubscriptionFactory(programme=programme, confirmed_at=timezone.now())


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", list(BUDGET))
def test_subscription_pages_run_the_same_queries_at_two_sizes(as_user, programme, member, page):
    subscription = SubscriptionFactory(
        programme=programme, user=member, email=member.email, confirmed_at=timezone.now()
    )
    url, pinned = BUDGET[page]
    url = url.format(confirm=confirmation_token(subscription), token=subscription.unsubscribe_token)
    client = as_user(member)
    _grow(member, 2)
    small = _count(client, url)
    _grow(member, 20)
    large = _count(client, url)
    assert small == large, f"{page}: {small} queries with 3 programmes, {large} with 23"
    assert large == pinned, f"{page}: {large} queries, pinned at {pinned}"


@pytest.mark.parametrize("page", ["digest_confirm", "digest_manage", "digest_unsubscribe"])
def test_a_link_opened_from_an_email_runs_one_query(client, programme, member, page):
    subscription = SubscriptionFactory(programme=programme, confirmed_at=timezone.now())
    url = BUDGET[page][0].format(
        confirm=confirmation_token(subscription), token=subscription.unsubscribe_token
    )
    _grow(member, 5)
    assert _count(client, url) == 1
