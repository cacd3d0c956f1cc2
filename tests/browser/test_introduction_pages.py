"""Journey: a facilitator opens the suggested introductions, makes one with an edited message,
and sees it listed; every page passes axe-core's WCAG 2.2 A and AA rules."""

import pytest
from playwright.sync_api import expect

from convening.models import Sector
from network.models import Introduction

from ..conftest import celery_configured
from ..network.intro_data import organisation, person
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

INTRODUCTIONS = "/programmes/virtual-wards/network/introductions/"


@pytest.fixture
def people(programme):
    ann = person(
        programme,
        "Ann Okafor",
        organisation("Leeds Teaching Hospitals", Sector.ACUTE),
        job_title="Ward sister",
    )
    val = person(programme, "Val Brennan", organisation("Carers Leeds", Sector.VCSE))
    return ann, val


def test_a_facilitator_makes_a_suggested_introduction_with_an_edited_message(
    people, facilitator, context, page, visitor, sign_in_by_cookie, mailoutbox
):
    ann, val = people
    sign_in_by_cookie(context, facilitator)
    visitor.visit(INTRODUCTIONS)
    expect(page.get_by_role("heading", level=1)).to_have_text("Introductions")
    suggestion = page.locator(".nhsuk-card").filter(has_text="Ann Okafor and Val Brennan")
    expect(suggestion).to_contain_text("Nobody from Acute trust has met anyone")

    suggestion.get_by_role("link", name="Make an introduction").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make an introduction")
    visitor.after_navigation("prefilled from a suggestion")
    message = page.get_by_label("Message")
    expect(message).to_contain_text("Dear Ann Okafor and Val Brennan,")

    # Emptied, the form says what is missing and keeps the people chosen.
    message.fill("")
    page.get_by_role("button", name="Send the introduction").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Write the message to send")
    visitor.after_navigation("message missing")

    message.fill("Dear Ann and Val,\n\nYou both work on discharge home: please talk.\n\nFemi")
    with celery_configured(task_always_eager=True):
        page.get_by_role("button", name="Send the introduction").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Introductions")
    expect(page.get_by_text("Introduction sent to Ann Okafor and Val Brennan.")).to_be_visible()
    visitor.after_navigation("introduction made")

    table = page.get_by_role("table", name="Introductions made, newest first")
    expect(table).to_contain_text("Ann Okafor and Val Brennan")
    expect(table).to_contain_text("Made")
    expect(page.get_by_text("1 introduction made; 0 turned into a meeting.")).to_be_visible()
    expect(page.locator(".nhsuk-card").filter(has_text="Ann Okafor and Val Brennan")).to_have_count(
        0
    )

    introduction = Introduction.objects.get()
    assert introduction.message.startswith("Dear Ann and Val,")
    assert [sorted(email.to) for email in mailoutbox] == [sorted([ann.email, val.email])]
    assert "You both work on discharge home" in mailoutbox[0].body

    page.get_by_role("button", name="Mark declined").click()
    expect(table).to_contain_text("Declined")
    visitor.after_navigation("declined")
    visitor.assert_every_page_passed()
