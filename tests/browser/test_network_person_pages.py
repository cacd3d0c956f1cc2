"""The person and organisation pages of the network in a real browser: both pass axe-core's
WCAG 2.2 A and AA rules for a lead and for a member on their own page, a name on a meeting's
page leads to the person's page and from there to their organisation's, and both pages fit a
phone 390 px wide (the document no wider than the window; wide tables scroll in their own
region)."""

import re

import pytest
from playwright.sync_api import expect

from ..network.people_pages import P, build_story
from .conftest import BROWSER_TEST_MARKS, Visitor

pytestmark = BROWSER_TEST_MARKS

PHONE = 390
WIDTHS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture
def story(programme, space, lead):
    return build_story(programme, space)


def test_a_lead_goes_from_a_meeting_to_a_person_and_their_organisation(
    story, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    meeting = story.meetings[0]
    visitor.visit(f"/programmes/virtual-wards/spaces/frailty-huddle/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Bob Brennan").click()
    page.wait_for_url(re.compile(r"/network/people/\d+/$"))
    visitor.after_navigation("a lead on someone's person page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bob Brennan")
    expect(page.get_by_role("table", name="By organisation")).to_be_visible()
    expect(page.get_by_role("heading", name="Bridging")).to_be_visible()

    page.get_by_role("link", name="All time").click()
    page.wait_for_url(re.compile(r"window=all"))
    visitor.after_navigation("all time")

    page.get_by_role("link", name="Calderdale Council").first.click()
    page.wait_for_url(re.compile(r"/network/organisations/\d+/$"))
    visitor.after_navigation("organisation page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Calderdale Council")
    ties = page.get_by_role("region", name=re.compile("Organisations whose people have met"))
    expect(ties.get_by_role("link", name="Leeds Teaching Hospitals")).to_be_visible()
    visitor.assert_every_page_passed()


def test_a_member_sees_their_own_page_and_someone_not_recorded_has_no_network(
    story, member, lead, browser, live_server, sign_in_by_cookie, client
):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    try:
        sign_in_by_cookie(context, member)
        visitor = Visitor(context.new_page(), live_server.url)
        visitor.visit(f"{P}/people/{story.mine.pk}/", "a member on their own page")
        expect(visitor.page.get_by_text("This is your own page")).to_be_visible()
        expect(visitor.page.get_by_role("heading", name="Bridging")).to_have_count(0)
        visitor.visit(f"{P}/organisations/{story.calder.pk}/", "a member on an organisation")
        visitor.assert_every_page_passed()
    finally:
        context.close()
    context = browser.new_context(locale="en-GB")
    try:
        sign_in_by_cookie(context, lead)
        visitor = Visitor(context.new_page(), live_server.url)
        visitor.visit(f"{P}/people/{story.carol.pk}/", "someone not recorded")
        expect(visitor.page.get_by_text("has not agreed to be recorded")).to_be_visible()
        visitor.assert_every_page_passed()
    finally:
        context.close()


def test_both_pages_fit_a_phone(story, lead, browser, live_server, sign_in_by_cookie):
    context = browser.new_context(locale="en-GB", viewport={"width": PHONE, "height": 800})
    try:
        sign_in_by_cookie(context, lead)
        visitor = Visitor(context.new_page(), live_server.url)
        for path in (
            f"{P}/people/{story.alice.pk}/",
            f"{P}/people/{story.bob.pk}/?window=all",
            f"{P}/organisations/{story.leeds.pk}/",
        ):
            visitor.visit(path, f"{PHONE} px wide")
            document_width, window_width = visitor.page.evaluate(WIDTHS)
            assert document_width <= window_width, (path, document_width, window_width)
        visitor.assert_every_page_passed()
    finally:
        context.close()
