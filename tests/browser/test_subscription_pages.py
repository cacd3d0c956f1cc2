"""Digest subscriptions in a real browser: an adopter subscribes on the hub, confirms from the
link in the email, changes the digest and unsubscribes with the button; a member subscribes from
their account. Every page passes axe-core's WCAG 2.2 A and AA rules."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from convening.models import Programme
from learning.models import Subscription

from ..conftest import celery_configured
from ..factories import InnovationFactory, ProgrammeFactory
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

SUBSCRIBE = "/learn/open-wards/remote-monitoring/subscribe/"


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings, live_server):
    """The confirmation email is sent in the server's process even where CI sets REDIS_URL."""
    settings.SITE_URL = live_server.url
    with celery_configured(task_always_eager=True):
        yield


@pytest.fixture
def innovation(transactional_db):
    programme = ProgrammeFactory(
        name="Open wards", slug="open-wards", hub_visibility=Programme.HubVisibility.PUBLIC
    )
    return InnovationFactory(
        programme=programme, name="Remote monitoring", slug="remote-monitoring"
    )


def test_an_adopter_subscribes_confirms_changes_and_unsubscribes(innovation, page, visitor):
    visitor.visit(SUBSCRIBE)
    page.get_by_label("Email address").fill("adopter@example.org")
    page.get_by_label("Weekly", exact=True).check()
    page.get_by_label("Day of the week, for a weekly email").select_option("Tuesday")
    page.get_by_role("button", name="Subscribe").click()
    visitor.after_navigation("saved")
    expect(page.get_by_text("Subscription saved")).to_be_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"(http\S+/digests/confirm/\S+/)", mail.outbox[0].body).group(1)
    visitor.visit(link, "asking")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your subscription")
    page.get_by_role("button", name="Confirm subscription").click()
    visitor.after_navigation("confirmed")
    expect(page.get_by_text("Subscription confirmed")).to_be_visible()
    assert Subscription.objects.get().is_confirmed

    visitor.visit(link, "already confirmed")
    expect(page.get_by_role("heading", level=1)).to_have_text("Subscription already confirmed")
    visitor.visit(link[:-3] + "xx/", "forged")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link is not valid")

    page.goto(link)
    page.get_by_role("link", name="Change or stop this subscription").click()
    visitor.after_navigation("manage")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your learning digest")
    page.get_by_label("Weekly", exact=True).check()
    page.get_by_label("Day of the week, for a weekly email").select_option("")
    page.get_by_role("button", name="Save changes").click()
    visitor.after_navigation("manage with an error")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    page.get_by_label("Daily", exact=True).check()
    page.get_by_role("button", name="Save changes").click()
    visitor.after_navigation("manage saved")
    expect(page.get_by_text("Changes saved")).to_be_visible()
    assert Subscription.objects.get().frequency == "daily"

    token = Subscription.objects.get().unsubscribe_token
    visitor.visit(f"/digests/unsubscribe/{token}/", "asking")
    page.get_by_role("button", name="Unsubscribe").click()
    visitor.after_navigation("done")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert Subscription.objects.get().frequency == "off"
    visitor.visit("/digests/unsubscribe/not-a-token/", "unknown")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link is not valid")
    visitor.assert_every_page_passed()


def test_a_member_subscribes_from_their_account(
    programme, member, context, page, visitor, sign_in_by_cookie
):
    InnovationFactory(programme=programme, name="Falls sensors")
    sign_in_by_cookie(context, member)
    visitor.visit("/accounts/digests/", "none yet")
    expect(page.get_by_role("heading", level=1)).to_have_text("Digests")
    page.get_by_role("button", name="Subscribe").click()
    visitor.after_navigation("errors")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    page.get_by_label("What to hear about").select_option(label=f"{programme.name}: Falls sensors")
    page.get_by_label("Daily", exact=True).check()
    page.get_by_role("button", name="Subscribe").click()
    visitor.after_navigation("subscribed")
    expect(page.get_by_role("table")).to_contain_text("Falls sensors")
    page.get_by_role("link", name=re.compile("Change or stop")).click()
    visitor.after_navigation("manage, signed in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your learning digest")
    visitor.assert_every_page_passed()
