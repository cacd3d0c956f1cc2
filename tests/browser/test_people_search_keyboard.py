"""Journey: a facilitator finds people with the keyboard alone, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD, OrganisationFactory, ParticipantFactory
from .conftest import BROWSER_TEST_MARKS, Visitor

pytestmark = BROWSER_TEST_MARKS

PEOPLE_PATH = "/programmes/virtual-wards/people/"
FIRST_NAMES = ["Amara", "Bethan", "Callum", "Deepa", "Eilidh", "Fraser", "Gwen", "Harpreet"]
LAST_NAMES = ["Ashworth", "Brennan", "Chowdhury", "Dalton", "Ellery", "Fenwick", "Grainger"]
CALDER = "Calder Community Health"
CALDER_PEOPLE = 9


@pytest.fixture
def thirty_people(programme):
    calder = OrganisationFactory(name=CALDER)
    others = [OrganisationFactory(name=f"Leeds Teaching Hospitals {n}") for n in range(3)]
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES][:29]
    people = [
        ParticipantFactory(
            programme=programme,
            name=name,
            organisation=calder if index < CALDER_PEOPLE else others[index % 3],
        )
        for index, name in enumerate(names)
    ]
    people.append(
        ParticipantFactory(programme=programme, name="Zainab Okonkwo-Whitfield", organisation=None)
    )
    return people


def _tab_to(page, element_id: str, most: int = 40) -> None:
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    pytest.fail(f"#{element_id} was not reached after pressing Tab {most} times")


def _search_by_typing(page, text: str) -> None:
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.type(text, delay=20)


def test_facilitator_searches_people_with_the_keyboard(
    thirty_people, facilitator, page, visitor, sign_in_through_form
):
    sign_in_through_form(visitor, facilitator.email, PASSWORD)
    visitor.visit(PEOPLE_PATH)
    count = page.locator("#people-count")
    expect(count).to_have_text("30 people in this programme")
    expect(count).to_have_attribute("aria-live", "polite")
    page.evaluate("window.__noReload = true")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    _tab_to(page, "people-search")
    expect(page.get_by_label("Search by name or organisation")).to_be_focused()
    _search_by_typing(page, "calder")

    expect(count).to_have_text(f"{CALDER_PEOPLE} people found for “calder”")
    results = page.locator("#people-results tbody tr")
    expect(results).to_have_count(CALDER_PEOPLE)
    expect(results.filter(has_not_text=CALDER)).to_have_count(0)
    expect(page).to_have_url(re.compile(r"\?q=calder$"))
    expect(page.locator("#people-search")).to_be_focused()
    visitor.after_navigation("searched for an organisation")

    _search_by_typing(page, "okonkwo")

    expect(count).to_have_text("1 person found for “okonkwo”")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("Zainab Okonkwo-Whitfield")
    visitor.after_navigation("searched for part of a name")

    _search_by_typing(page, "nobody-by-this-name")

    expect(count).to_have_text("0 people found for “nobody-by-this-name”")
    expect(page.get_by_text("Nobody matches.")).to_be_visible()
    visitor.after_navigation("searched and found nobody")

    _search_by_typing(page, "okonkwo")
    expect(count).to_have_text("1 person found for “okonkwo”")
    # Past the Search button come the results' scroll region (for phones), then the first result.
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Search")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('convening-table-scroll')")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Zainab Okonkwo-Whitfield", exact=True)).to_be_focused()
    assert page.evaluate("Boolean(document.activeElement.closest('#people-results'))")

    assert page.evaluate("window.__noReload") is True, "The page reloaded instead of swapping"
    visitor.assert_every_page_passed()


def test_people_search_works_without_javascript(
    thirty_people, facilitator, browser, live_server, sign_in_by_cookie
):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    try:
        sign_in_by_cookie(context, facilitator)
        page = context.new_page()
        visitor = Visitor(page, live_server.url, javascript=False)
        visitor.visit(PEOPLE_PATH, state="JavaScript off")
        expect(page.locator("body")).not_to_have_class(re.compile(r"js-enabled"))

        page.get_by_label("Search by name or organisation").fill("calder")
        page.keyboard.press("Enter")

        expect(page).to_have_url(re.compile(r"/people/\?q=calder$"))
        visitor.after_navigation("JavaScript off, searched for an organisation")
        expect(page.locator("#people-count")).to_have_text(
            f"{CALDER_PEOPLE} people found for “calder”"
        )
        expect(page.locator("#people-results tbody tr")).to_have_count(CALDER_PEOPLE)
        expect(page.get_by_label("Search by name or organisation")).to_have_value("calder")
        visitor.assert_every_page_passed()
    finally:
        context.close()
