"""The digest delivery log in a real browser: with deliveries of each status, filtered to the
failed ones, and empty, it passes axe-core's WCAG 2.2 A and AA rules."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from learning.models import DigestDelivery

from ..factories import InnovationFactory, SubscriptionFactory
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

LOG = "/programmes/virtual-wards/digests/"


@pytest.fixture
def deliveries(programme):
    innovation = InnovationFactory(programme=programme, name="Virtual ward app")
    reader = SubscriptionFactory(programme=programme, email="reader@example.org")
    bounced = SubscriptionFactory(
        programme=programme, innovation=innovation, email="gone@bounce.example.org"
    )
    end = timezone.now() - timedelta(hours=2)
    for days, subscription, status, fields in (
        (3, reader, "sent", {"item_count": 4, "attempts": 1, "sent_at": end}),
        (2, reader, "empty", {"attempts": 1}),
        (2, bounced, "failed", {"attempts": 5, "error": "SMTPException: 550 mailbox unavailable"}),
        (1, reader, "sending", {}),
    ):
        DigestDelivery.objects.create(
            subscription=subscription,
            period_start=end - timedelta(days=days + 1),
            period_end=end - timedelta(days=days),
            status=status,
            **fields,
        )


def test_the_log_passes_axe_with_deliveries_filtered_and_empty(
    deliveries, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(LOG)
    expect(page.get_by_role("heading", level=1)).to_have_text("Digest deliveries")
    expect(page.locator("main tbody tr")).to_have_count(4)

    page.get_by_role("link", name="Failed").click()
    page.wait_for_url(re.compile(r"status=failed"))
    visitor.after_navigation("filtered to failed")
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("SMTPException: 550 mailbox unavailable")

    DigestDelivery.objects.all().delete()
    visitor.visit(LOG)
    expect(page.get_by_text("No digest has been due yet.")).to_be_visible()
