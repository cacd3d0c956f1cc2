"""Who may use the digest subscription pages (DESIGN section 5): the links in emails work for
whoever holds them, signed in or not; a member's own digests need signing in, and anyone
signed in has them (a non-member simply has no programme to choose)."""

from dataclasses import replace

import pytest
from django.utils import timezone

from learning.subscriptions import confirmation_token
from tests.access import LOGIN, OK, VISITORS, AccessCase, cases_by_id, check_access
from tests.factories import InnovationFactory, SubscriptionFactory

EVERYONE = dict.fromkeys(VISITORS, OK)
SIGNED_IN = {**EVERYONE, "anonymous": LOGIN}
CONFIRM = "/digests/confirm/{confirm}/"
MANAGE = "/digests/manage/{token}/"
UNSUBSCRIBE = "/digests/unsubscribe/{token}/"
DIGESTS = "/accounts/digests/"

# A token names its own subscription, and so its own programme: no programme of ours is in
# these URLs for another programme's ids to be mixed with.
TOKEN = {"programme_ids": False}

CASES = [
    AccessCase("digest_confirm", CONFIRM, EVERYONE, **TOKEN),
    AccessCase("digest_confirm", CONFIRM, EVERYONE, method="post", **TOKEN),
    AccessCase("digest_manage", MANAGE, EVERYONE, **TOKEN),
    AccessCase(
        "digest_manage", MANAGE, EVERYONE, method="post", data={"frequency": "daily"}, **TOKEN
    ),
    AccessCase("digest_unsubscribe", UNSUBSCRIBE, EVERYONE, **TOKEN),
    AccessCase("digest_unsubscribe", UNSUBSCRIBE, EVERYONE, method="post", **TOKEN),
    AccessCase("my_digests", DIGESTS, SIGNED_IN),
    # Only members have the programme to choose; an outsider's choice is refused as invalid.
    AccessCase(
        "my_digests",
        DIGESTS,
        {**SIGNED_IN, "outsider": 400},
        method="post",
        data={"scope": "programme-{programme}", "frequency": "daily"},
    ),
    AccessCase(
        "my_digests",
        DIGESTS,
        {**SIGNED_IN, "outsider": 400},
        method="post",
        data={"scope": "innovation-{innovation}", "frequency": "daily"},
    ),
]
# What each visitor gets choosing the outsider's programme or its innovation on their own
# digests page: our people are refused it; to the outsider, its lead, it is their own.
OTHER_PROGRAMMES_SCOPE = {**SIGNED_IN, "member": 400, "facilitator": 400, "lead": 400}


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


def _objects(programme) -> dict:
    subscription = SubscriptionFactory(programme=programme, frequency="weekly", weekday=1)
    return {
        "programme": programme.pk,
        "innovation": InnovationFactory(programme=programme).pk,
        "token": subscription.unsubscribe_token,
        "confirm": confirmation_token(subscription),
    }


@pytest.fixture
def objects(programme):
    return _objects(programme)


@pytest.fixture
def other_objects(other_programme):
    """The same kinds of object in the outsider's programme."""
    return _objects(other_programme)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


def _with_other_programmes_ids(case: AccessCase) -> AccessCase:
    if case.name == "my_digests" and case.method == "post":
        return replace(case, expect=OTHER_PROGRAMMES_SCOPE)
    return case  # a link answers whoever holds it, whichever programme it is of


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize(
    "case",
    **cases_by_id([case for case in CASES if "{" in case.url or case.data]),
)
def test_other_programme_ids(client, case, visitor, users, objects, other_objects):
    """None of these URLs names a programme of ours (see TOKEN), so there is nothing for
    another programme's ids to be mixed with: its links work as ours do, and its programme and
    innovations are choices for its own members only."""
    check_access(client, _with_other_programmes_ids(case), visitor, users, other_objects)


@pytest.mark.parametrize("path", [CONFIRM, MANAGE, UNSUBSCRIBE])
def test_a_link_of_a_confirmed_subscription_still_answers_anyone(client, programme, path):
    subscription = SubscriptionFactory(programme=programme, confirmed_at=timezone.now())
    url = path.format(
        confirm=confirmation_token(subscription), token=subscription.unsubscribe_token
    )
    assert client.get(url).status_code == 200
