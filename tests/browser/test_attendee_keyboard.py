"""Journey: on "Log a meeting", a facilitator adds an attendee with the keyboard alone."""

import pytest
from playwright.sync_api import expect

from spaces.models import Attendance, Meeting

from ..factories import PASSWORD, MeetingFactory, OrganisationFactory, ParticipantFactory
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

NAME = "Priya Ramanathan"


@pytest.fixture
def meeting(programme, space):
    calder = OrganisationFactory(name="Calder Community Health")
    ParticipantFactory(programme=programme, name=NAME, organisation=calder)
    for name in ("Priyanka Shah", "Gareth Lowe", "Siobhan Farrell"):
        ParticipantFactory(programme=programme, name=name, organisation=calder)
    return MeetingFactory(space=space, title="Weekly huddle", status=Meeting.Status.HELD)


def _log_path(meeting) -> str:
    return f"/programmes/virtual-wards/spaces/frailty-huddle/meetings/{meeting.pk}/log/"


def _active(page) -> dict:
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            return {
                id: element.id,
                tag: element.tagName,
                name: (element.innerText || element.value || '').replace(/\\s+/g, ' ').trim(),
            };
        }"""
    )


def _tab_until(page, found, what: str, most: int = 60) -> None:
    for _ in range(most):
        page.keyboard.press("Tab")
        if found(_active(page)):
            return
    pytest.fail(f"{what} was not reached after pressing Tab {most} times")


def test_facilitator_adds_an_attendee_with_the_keyboard_alone(
    meeting, facilitator, page, visitor, sign_in_through_form
):
    sign_in_through_form(visitor, facilitator.email, PASSWORD)
    visitor.visit(_log_path(meeting))
    expect(page.locator("#attendee-notice")).to_have_text("0 people on the list.")
    page.evaluate("window.__noReload = true")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    _tab_until(page, lambda active: active["id"] == "attendee-q", "The attendee search box")
    assert page.evaluate("document.activeElement.id") == "attendee-q"
    page.keyboard.type("ramanath", delay=20)

    results = page.locator("#attendee-results")
    expect(results).to_contain_text("1 match for “ramanath”")
    visitor.after_navigation("searched by typing")
    _tab_until(
        page,
        lambda active: active["tag"] == "BUTTON" and active["name"] == f"Add {NAME}",
        f"The “Add {NAME}” button",
        most=5,
    )
    expect(results.get_by_role("button", name=f"Add {NAME}")).to_be_focused()
    page.keyboard.press("Enter")

    table = page.get_by_role("table", name="People recorded for this meeting")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_contain_text(NAME)
    expect(page.locator("#attendee-notice")).to_contain_text(f"{NAME} added.")
    expect(page.locator("#attendee-q")).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "attendee-q"
    # The person just added is named as already on the list, not offered again.
    expect(results).to_have_text(f"{NAME} is already on the list.")
    assert page.evaluate("window.__noReload") is True, "The page reloaded instead of swapping"
    assert Attendance.objects.filter(meeting=meeting, participant__name=NAME).count() == 1
    visitor.after_navigation("attendee added from the keyboard")
    visitor.assert_every_page_passed()


def test_enter_in_the_search_box_searches_and_does_not_save_the_log(
    meeting, facilitator, page, visitor, sign_in_through_form
):
    sign_in_through_form(visitor, facilitator.email, PASSWORD)
    visitor.visit(_log_path(meeting))
    log_url = page.url
    page.evaluate("window.__noReload = true")
    navigations = []
    page.on(
        "framenavigated",
        lambda frame: navigations.append(frame.url) if frame == page.main_frame else None,
    )
    search_box = page.get_by_label("Search the programme's people by name or organisation")
    # Typed without the input events that search as you type, so only Enter can search.
    search_box.evaluate("(box) => { box.value = 'priya'; }")
    search_box.focus()

    page.keyboard.press("Enter")

    results = page.locator("#attendee-results")
    expect(results).to_contain_text("2 matches for “priya”")
    expect(results.get_by_role("button", name=f"Add {NAME}")).to_be_visible()
    expect(results.get_by_role("button", name="Add Priyanka Shah")).to_be_visible()
    assert page.evaluate("window.__noReload") is True, "Enter reloaded or submitted the page"
    assert navigations == [], f"Enter navigated away: {navigations}"
    assert page.url == log_url
    meeting.refresh_from_db()
    assert meeting.logged_at is None, "Enter saved the meeting log"
    assert meeting.version == 1
    visitor.after_navigation("pressed Enter in the search box")
    visitor.assert_every_page_passed()
