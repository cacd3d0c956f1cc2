"""Journey: a lead creates a programme and invites a facilitator, who joins and signs in."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD, UserFactory
from .conftest import BROWSER_TEST_MARKS, sign_out

pytestmark = BROWSER_TEST_MARKS

PROGRAMME_NAME = "Frailty at home in Calderdale"
NEW_EMAIL = "new.facilitator@example.org"
NEW_PASSWORD = "walnut-lantern-orchard-9"


@pytest.fixture
def staff_lead(db):
    return UserFactory(email="lena.lead@example.org", name="Lena Lead", is_staff=True)


def test_lead_creates_programme_and_invites_a_facilitator_who_joins(
    staff_lead, live_server, page, visitor, sign_in_through_form, mailoutbox
):
    sign_in_through_form(visitor, staff_lead.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Programmes")

    page.get_by_role("button", name="Create programme").or_(
        page.get_by_role("link", name="Create programme")
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create programme")
    visitor.after_navigation()

    _submit_empty_form_and_follow_the_error(page, visitor)

    page.get_by_label("Programme name").fill(PROGRAMME_NAME)
    page.get_by_label("Summary").fill("Virtual wards for older people living with frailty.")
    page.get_by_role("group", name="Status").get_by_label("Active").check()
    page.get_by_role("group", name="Learning hub").get_by_label("Signed-in users").check()
    page.get_by_role("button", name="Create programme").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(PROGRAMME_NAME)
    expect(page.get_by_text(f"Programme “{PROGRAMME_NAME}” created.")).to_be_visible()
    visitor.after_navigation("just created")
    overview_url = page.url

    # Two clicks: the People section, then its Members page.
    nav = page.get_by_role("navigation", name=PROGRAMME_NAME)
    nav.get_by_role("link", name="People", exact=True).first.click()
    nav.get_by_role("list", name="People").get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    visitor.after_navigation()

    _invite_without_reloading(page, visitor)

    assert len(mailoutbox) == 1
    invitation_email = mailoutbox[0]
    assert invitation_email.to == [NEW_EMAIL]
    assert PROGRAMME_NAME in invitation_email.subject
    link = re.search(r"http://testserver(/invitations/\S+/)", invitation_email.body)
    assert link, f"No invitation link in the email:\n{invitation_email.body}"
    invitation_url = live_server.url + link.group(1)

    sign_out(visitor)

    visitor.visit(invitation_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Join {PROGRAMME_NAME}")
    expect(page.get_by_text(NEW_EMAIL)).to_be_visible()

    page.get_by_label("Your full name").fill("Femi Facilitator")
    page.get_by_label("Choose a password").fill("short")
    page.get_by_role("button", name="Create account and join").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page.get_by_label("Your full name")).to_have_value("Femi Facilitator")
    visitor.after_navigation("password too short")

    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account and join").click()

    expect(page).to_have_url(overview_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(PROGRAMME_NAME)
    expect(page.get_by_text(f"Welcome to {PROGRAMME_NAME}. You are a facilitator.")).to_be_visible()
    your_role = page.locator(".nhsuk-summary-list__row").filter(has_text="Your role")
    expect(your_role).to_contain_text("Facilitator")
    visitor.after_navigation("joined as facilitator")

    sign_out(visitor)
    sign_in_through_form(visitor, NEW_EMAIL, NEW_PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Programmes")
    row = page.get_by_role("row").filter(
        has=page.get_by_role("link", name=PROGRAMME_NAME, exact=True)
    )
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(2)).to_have_text("Facilitator")
    expect(page.get_by_role("link", name="Create programme")).to_have_count(0)

    visitor.assert_every_page_passed()


def _submit_empty_form_and_follow_the_error(page, visitor) -> None:
    page.get_by_role("button", name="Create programme").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    visitor.after_navigation("submitted empty")

    summary.get_by_role("link", name="Enter the programme name").click()
    expect(page.get_by_label("Programme name")).to_be_focused()


def _invite_without_reloading(page, visitor) -> None:
    """Send the invitation through htmx: the page stays, and the result is announced."""
    page.evaluate("window.__noReload = true")
    invitations = page.locator("#invitations")
    invitations.get_by_label("Email address").fill(NEW_EMAIL)
    invitations.get_by_role("group", name="Role").get_by_label("Facilitator").check()

    invitations.get_by_role("button", name="Send invitation").click()

    notice = page.get_by_text(f"Invitation sent to {NEW_EMAIL}.")
    expect(notice).to_be_visible()
    assert page.evaluate("window.__noReload") is True, "The page reloaded instead of swapping"
    pending = page.get_by_role("table", name="Invitations waiting for an answer")
    expect(pending.get_by_role("row").filter(has_text=NEW_EMAIL)).to_contain_text("Facilitator")
    # The swap replaces the button that had focus; focus must not fall back to <body>.
    expect(page.locator("#invitations")).to_contain_text(f"Invitation sent to {NEW_EMAIL}.")
    focus = page.evaluate(
        """() => {
            const focused = document.activeElement;
            const notice = [...document.querySelectorAll('#invitations *')].find(
                (element) => element.children.length === 0
                    && element.textContent.trim().startsWith('Invitation sent to'));
            return {
                onNotice: focused === notice,
                inInvitations: Boolean(focused.closest('#invitations')),
                noticeInLiveRegion: Boolean(notice.closest('[aria-live], [role=status]')),
                focused: focused.outerHTML.slice(0, 120),
            };
        }"""
    )
    assert focus["inInvitations"], f"Focus was lost after the htmx swap: {focus}"
    assert focus["onNotice"] or focus["noticeInLiveRegion"], (
        f"Nothing announces the confirmation: {focus}"
    )
    visitor.after_navigation("invitation sent, htmx swap")
