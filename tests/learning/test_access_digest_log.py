"""The digest delivery log (DESIGN section 5): only the programme's leads read it. Facilitators
and members get 403, outsiders 404, anonymous visitors the sign-in page. Then what it shows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from learning.models import DigestDelivery
from tests.access import LOGIN, OK, VISITORS, AccessCase, cases_by_id, check_access
from tests.factories import InnovationFactory, ProgrammeFactory, SubscriptionFactory

LOG = "/programmes/virtual-wards/digests/"
LEADS_ONLY = {"anonymous": LOGIN, "outsider": 404, "member": 403, "facilitator": 403, "lead": OK}

CASES = [
    AccessCase("digest_log", LOG, LEADS_ONLY),
    AccessCase("digest_log", LOG + "?status=failed&page=2", LEADS_ONLY),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.fixture
def objects(programme):
    return {}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


def test_a_post_is_not_allowed(as_user, lead):
    assert as_user(lead).post(LOG).status_code == 405


# What the log shows


def delivery(subscription, days_ago: int, status: str, **fields) -> DigestDelivery:
    end = timezone.now().replace(microsecond=0) - timedelta(days=days_ago)
    return DigestDelivery.objects.create(
        subscription=subscription,
        period_start=end - timedelta(days=1),
        period_end=end,
        status=status,
        **fields,
    )


@pytest.fixture
def log(programme):
    innovation = InnovationFactory(programme=programme, name="Virtual ward app")
    reader = SubscriptionFactory(programme=programme, email="reader@example.org")
    bounced = SubscriptionFactory(
        programme=programme, innovation=innovation, email="gone@bounce.example.org"
    )
    delivery(reader, 3, "sent", item_count=4, attempts=1, sent_at=timezone.now())
    delivery(reader, 2, "empty", attempts=1)
    delivery(bounced, 2, "failed", attempts=5, error="SMTPException: 550 <mailbox> unavailable")
    delivery(reader, 1, "sending")
    other = SubscriptionFactory(programme=ProgrammeFactory(), email="elsewhere@example.org")
    delivery(other, 1, "failed", error="Another programme's error")


def test_the_log_lists_the_programmes_deliveries_newest_first_with_counts(as_user, lead, log):
    response = as_user(lead).get(LOG)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Digest deliveries</h1>" in page
    assert "elsewhere@example.org" not in page
    assert "Another programme" not in page
    assert (
        page.index("Sending</strong>") < page.index("Failed</strong>") < page.index("Sent</strong>")
    )
    for label, count in (("All", 4), ("Sending", 1), ("Sent", 1), ("Failed", 1)):
        assert f">{label}</" in page
        assert f"{label}</a>: {count}" in page or f"{label}</strong>: {count}" in page
    assert "Nothing to send</a>: 1" in page
    # The error is text, escaped.
    assert "SMTPException: 550 &lt;mailbox&gt; unavailable" in page
    assert "Virtual ward app, daily" in page or "Virtual ward app, weekly" in page


def test_the_log_filters_by_status(as_user, lead, log):
    page = as_user(lead).get(LOG + "?status=failed").content.decode()

    assert "gone@bounce.example.org" in page
    assert "reader@example.org" not in page
    assert "Digest deliveries, newest first, failed only" in page
    assert "<strong>Failed</strong>: 1" in page


def test_an_unknown_status_shows_every_delivery(as_user, lead, log):
    response = as_user(lead).get(LOG + "?status=<script>&page=x")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>" not in page.split("<main", 1)[1]
    assert "reader@example.org" in page
    assert "gone@bounce.example.org" in page


def test_the_log_shows_fifty_deliveries_a_page(as_user, lead, programme):
    reader = SubscriptionFactory(programme=programme, email="reader@example.org")
    for days in range(1, 53):
        delivery(reader, days, "sent", item_count=days)

    first = as_user(lead).get(LOG).content.decode()
    second = as_user(lead).get(LOG + "?page=2").content.decode()

    assert first.count('<strong class="nhsuk-tag') == 50
    assert "Showing 1 to 50 of 52." in first
    assert second.count('<strong class="nhsuk-tag') == 2


def test_an_empty_log_says_so(as_user, lead, programme):
    page = as_user(lead).get(LOG).content.decode()

    assert "No digest has been due yet." in page
