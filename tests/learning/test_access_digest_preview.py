"""Who may preview a subscriber's digest (DESIGN section 5): only the programme's leads.
Facilitators and members get 403, outsiders 404, anonymous visitors the sign-in page; a
subscription that is not the programme's is 404 for everyone, even a lead: it is looked up
before the role is checked."""

from datetime import timedelta

import pytest
from django.utils import timezone

from convening.models import Programme
from learning.models import DigestDelivery, LearningEntry
from tests.access import (
    LOGIN,
    OK,
    VISITORS,
    AccessCase,
    cases_by_id,
    cases_with_ids,
    check_access,
    check_other_programme_ids,
)
from tests.factories import LearningEntryFactory, SubscriptionFactory

PREVIEW = "/programmes/virtual-wards/digests/preview/"
LEADS_ONLY = {"anonymous": LOGIN, "outsider": 404, "member": 403, "facilitator": 403, "lead": OK}
NOT_HERE = {**dict.fromkeys(VISITORS, 404), "anonymous": LOGIN}

CASES = [
    AccessCase("digest_preview", PREVIEW, LEADS_ONLY),
    AccessCase("digest_preview", PREVIEW + "?q=reader", LEADS_ONLY),
    AccessCase("digest_preview", PREVIEW + "?subscription={subscription}", LEADS_ONLY),
    AccessCase("digest_preview", PREVIEW + "?subscription={elsewhere}", NOT_HERE),
    AccessCase("digest_preview", PREVIEW + "?subscription=not-a-number", NOT_HERE),
    AccessCase("digest_preview", PREVIEW + "?subscription=999999", NOT_HERE),
    AccessCase("digest_preview", PREVIEW + "?subscription=%C2%B2", NOT_HERE),
    AccessCase("digest_preview", PREVIEW + "?subscription=" + "9" * 30, NOT_HERE),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


def _objects(programme) -> dict:
    """A subscription of the programme, and one of a third programme."""
    return {
        "subscription": SubscriptionFactory(programme=programme).pk,
        "elsewhere": SubscriptionFactory().pk,
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


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_with_ids(CASES))
def test_other_programme_ids(client, case, visitor, users, other_objects):
    check_other_programme_ids(client, case, visitor, users, other_objects)


def test_a_post_is_not_allowed(as_user, lead):
    assert as_user(lead).post(PREVIEW).status_code == 405


# The page ---------------------------------------------------------------------------------------


@pytest.fixture
def public_hub(programme):
    programme.hub_visibility = Programme.HubVisibility.PUBLIC
    programme.save()
    return programme


def _published(programme, title, *, ago, visibility="public"):
    return LearningEntryFactory(
        programme=programme,
        title=title,
        visibility=visibility,
        status=LearningEntry.Status.PUBLISHED,
        published_at=timezone.now() - ago,
    )


def _subscriber(programme, email="adopter@example.org", **fields):
    fields.setdefault("confirmed_at", timezone.now() - timedelta(days=30))
    return SubscriptionFactory(programme=programme, email=email, **fields)


def test_the_preview_covers_what_is_new_since_the_last_digest_sent(as_user, lead, public_hub):
    subscription = _subscriber(public_hub)
    now = timezone.now()
    DigestDelivery.objects.create(
        subscription=subscription,
        period_start=now - timedelta(days=9),
        period_end=now - timedelta(days=2),
        status=DigestDelivery.Status.SENT,
    )
    # A failed delivery is sent again later, so it does not move the start.
    DigestDelivery.objects.create(
        subscription=subscription,
        period_start=now - timedelta(days=2),
        period_end=now - timedelta(days=1),
        status=DigestDelivery.Status.FAILED,
    )
    _published(public_hub, "Already sent", ago=timedelta(days=3))
    _published(public_hub, "New since then", ago=timedelta(days=1, hours=12))
    _published(public_hub, "<script>alert(1)</script> beds", ago=timedelta(hours=1))
    _published(public_hub, "Members only", ago=timedelta(hours=1), visibility="programme")

    response = as_user(lead).get(f"{PREVIEW}?subscription={subscription.pk}")

    html = response.content.decode()
    assert response.status_code == 200
    assert "What adopter@example.org would get now" in html
    assert "Learning from Virtual wards across West Yorkshire: 2 new items" in html
    assert '<pre class="convening-email-text" id="email-text"' in html
    assert "New since then" in html
    assert "Already sent" not in html
    assert "Members only" not in html
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; beds" in html
    assert "Nothing new" not in html


def test_a_members_subscription_previews_member_items(as_user, lead, member, public_hub):
    subscription = _subscriber(public_hub, email=member.email, user=member)
    _published(public_hub, "Members only", ago=timedelta(hours=1), visibility="programme")

    html = as_user(lead).get(f"{PREVIEW}?subscription={subscription.pk}").content.decode()

    assert "Members only" in html
    assert "1 new item" in html


def test_nothing_new_says_no_email_would_be_sent(as_user, lead, public_hub):
    subscription = _subscriber(public_hub)
    _published(public_hub, "Before they confirmed", ago=timedelta(days=31))

    html = as_user(lead).get(f"{PREVIEW}?subscription={subscription.pk}").content.decode()

    assert "Nothing new: no email would be sent." in html
    assert 'id="email-text"' not in html


def test_an_unconfirmed_subscription_is_previewed_with_a_warning(as_user, lead, public_hub):
    subscription = _subscriber(public_hub, confirmed_at=None)

    html = as_user(lead).get(f"{PREVIEW}?subscription={subscription.pk}").content.decode()

    assert "This subscription gets nothing at present" in html


def test_the_choice_lists_the_fifty_newest_and_searches_by_email(as_user, lead, public_hub):
    now = timezone.now()
    for n in range(52):
        _subscriber(public_hub, email=f"person{n}@example.org", created_at=now - timedelta(hours=n))
    client = as_user(lead)

    html = client.get(PREVIEW).content.decode()
    assert html.count("<option ") == 50
    assert "person0@example.org" in html
    assert "person51@example.org" not in html

    html = client.get(PREVIEW + "?q=+PERSON51@").content.decode()
    assert html.count("<option ") == 1
    assert "person51@example.org" in html
    assert 'value="PERSON51@"' in html

    html = client.get(PREVIEW + "?q=nobody").content.decode()
    assert "No subscription's address contains “nobody”." in html


def test_a_programme_with_no_subscribers_says_so(as_user, lead, public_hub):
    html = as_user(lead).get(PREVIEW).content.decode()

    assert "Nobody has subscribed to this programme's digests yet." in html
