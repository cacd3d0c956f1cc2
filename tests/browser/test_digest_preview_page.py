"""The leads' digest preview in a real browser: with nobody chosen, a subscriber with nothing
new, and one with items (the email's text in a <pre>) all pass axe-core's WCAG 2.2 A and AA
rules, and the choice works with the keyboard-operable form."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from convening.models import Programme
from learning.models import LearningEntry

from ..factories import InnovationFactory, LearningEntryFactory, SubscriptionFactory
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

PREVIEW = "/programmes/virtual-wards/digests/preview/"


@pytest.fixture
def subscribers(programme):
    programme.hub_visibility = Programme.HubVisibility.PUBLIC
    programme.save()
    wards = InnovationFactory(programme=programme, name="Virtual ward for frailty", slug="frailty")
    monitoring = InnovationFactory(programme=programme, name="Remote monitoring", slug="remote")
    confirmed = timezone.now() - timedelta(days=10)
    quiet = SubscriptionFactory(
        programme=programme,
        innovation=monitoring,
        email="quiet@example.org",
        confirmed_at=confirmed,
    )
    busy = SubscriptionFactory(
        programme=programme, innovation=wards, email="busy@example.org", confirmed_at=confirmed
    )
    for n in range(12):
        LearningEntryFactory(
            programme=programme,
            innovation=wards,
            title=f"Weekend staffing lesson {n} <script>alert('x')</script>",
            kind="success_story" if n == 3 else "insight",
            visibility=LearningEntry.Visibility.PUBLIC,
            status=LearningEntry.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(days=1, minutes=n),
            body="We **moved** the huddle to 8am. " * 20,
        )
    return {"quiet": quiet, "busy": busy}


def test_the_preview_passes_axe_empty_and_with_items(
    subscribers, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(PREVIEW, "nobody chosen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Digest preview")
    expect(page.get_by_label("Subscriber").locator("option")).to_have_count(2)

    page.get_by_label("Search by email address").fill("quiet")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=quiet"))
    visitor.after_navigation("searched")
    page.get_by_role("button", name="Show preview").click()
    page.wait_for_url(re.compile(rf"subscription={subscribers['quiet'].pk}"))
    visitor.after_navigation("nothing new")
    expect(page.locator("#nothing-new")).to_have_text("Nothing new: no email would be sent.")

    visitor.visit(PREVIEW)
    page.get_by_label("Subscriber").select_option(str(subscribers["busy"].pk))
    page.get_by_role("button", name="Show preview").click()
    page.wait_for_url(re.compile(rf"subscription={subscribers['busy'].pk}"))
    visitor.after_navigation("with items")
    expect(
        page.get_by_role("heading", level=2, name=re.compile("busy@example.org"))
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        "Learning from Virtual ward for frailty: 12 new items"
    )
    text = page.locator("#email-text")
    expect(text).to_contain_text("Weekend staffing lesson 3 <script>alert('x')</script>")
    expect(text).to_contain_text("2 more. See all learning about Virtual ward for frailty")
    visitor.assert_every_page_passed()
