"""Who may use the digest subscription pages (DESIGN section 5): the links in emails work for
whoever holds them, signed in or not; a member's own digests need signing in, and anyone
signed in has them (a non-member simply has no programme to choose)."""

import pytest
from django.utils import timezone

from learning.subscriptions import confirmation_token
from tests.access import LOGIN, OK, VISITORS, AccessCase, cases_by_id, check_access, with_ids
from tests.factories import SubscriptionFactory

EVERYONE = dict.fromkeys(VISITORS, OK)
SIGNED_IN = {**EVERYONE, "anonymous": LOGIN}
CONFIRM = "/digests/confirm/{confirm}/"
MANAGE = "/digests/manage/{token}/"
UNSUBSCRIBE = "/digests/unsubscribe/{token}/"
DIGESTS = "/accounts/digests/"

CASES = [
    AccessCase("digest_confirm", CONFIRM, EVERYONE),
    AccessCase("digest_confirm", CONFIRM, EVERYONE, method="post"),
    AccessCase("digest_manage", MANAGE, EVERYONE),
    AccessCase("digest_manage", MANAGE, EVERYONE, method="post", data={"frequency": "daily"}),
    AccessCase("digest_unsubscribe", UNSUBSCRIBE, EVERYONE),
    AccessCase("digest_unsubscribe", UNSUBSCRIBE, EVERYONE, method="post"),
    AccessCase("my_digests", DIGESTS, SIGNED_IN),
    # Only members have the programme to choose; an outsider's choice is refused as invalid.
    AccessCase(
        "my_digests",
        DIGESTS,
        {**SIGNED_IN, "outsider": 400},
        method="post",
        data={"scope": "programme-{programme}", "frequency": "daily"},
    ),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.fixture
def objects(programme):
    subscription = SubscriptionFactory(programme=programme, frequency="weekly", weekday=1)
    return {
        "programme": programme.pk,
        "token": subscription.unsubscribe_token,
        "confirm": confirmation_token(subscription),
    }


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
def test_access(client, case, visitor, users, objects):
    check_access(client, with_ids(case, objects), visitor, users, objects)


@pytest.mark.parametrize("path", [CONFIRM, MANAGE, UNSUBSCRIBE])
def test_a_link_of_a_confirmed_subscription_still_answers_anyone(client, programme, path):
    subscription = SubscriptionFactory(programme=programme, confirmed_at=timezone.now())
    url = path.format(
        confirm=confirmation_token(subscription), token=subscription.unsubscribe_token
    )
    assert client.get(url).status_code == 200
