"""The local knowledge register in a real browser: every page passes axe-core's WCAG 2.2 A and
AA rules with realistic entries, and closing an entry with htmx swaps the table, announces
what happened and moves focus to the register's heading."""

import re

import pytest
from playwright.sync_api import expect

from activities.models import LocalKnowledge

from ..factories import LocalKnowledgeFactory, OrganisationFactory, ParticipantFactory
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

REGISTER = "/programmes/virtual-wards/local-knowledge/"
HIGH = "Night handover is by phone only"
MEDIUM = "Two community teams merge in June"
LOW = "Clinic letters are still posted"
CLOSED = "Ward 5 refurbishment"


@pytest.fixture
def register(programme, lead, member):
    leeds = OrganisationFactory(name="Leeds Teaching Hospitals")
    bradford = OrganisationFactory(name="Bradford District Care")
    owner = ParticipantFactory(programme=programme, name="Priya Ramanathan", organisation=leeds)
    ParticipantFactory(programme=programme, name="Gareth Lowe", organisation=bradford)
    entries = {
        "high": LocalKnowledgeFactory(
            programme=programme,
            title=HIGH,
            kind="routines",
            impact="high",
            site=leeds,
            owner=owner,
            description="Nurses phone the ward at 8pm.\n\n- no written record\n- calls missed",
            mitigation="Add the virtual ward to the **handover sheet**.",
            created_by=lead,
        ),
        "medium": LocalKnowledgeFactory(
            programme=programme, title=MEDIUM, kind="workforce", impact="medium", site=bradford
        ),
        "low": LocalKnowledgeFactory(
            programme=programme, title=LOW, kind="it_data", impact="low", description=""
        ),
        "closed": LocalKnowledgeFactory(
            programme=programme, title=CLOSED, kind="estates", impact="high", status="closed"
        ),
    }
    return entries


def test_the_register_passes_axe_with_rows_and_filters(
    register, lead, member, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(REGISTER)
    expect(page.get_by_role("heading", level=1)).to_have_text("Local knowledge and disruption")
    rows = page.locator("#register tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text(HIGH)
    # Open the details of the first entry: its Markdown is shown too.
    page.locator("#register summary").first.click()
    expect(page.locator("#register .nhsuk-details__text").first.locator("li")).to_have_count(2)
    visitor.after_navigation("details open")

    page.get_by_label("Likely impact").select_option("high")
    page.get_by_label("Status").select_option("all")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"impact=high"))
    visitor.after_navigation("filtered: high impact, open and closed")
    expect(rows).to_have_count(2)
    expect(page.get_by_label("Likely impact")).to_have_value("high")
    expect(page.get_by_role("link", name="Download as CSV")).to_have_attribute(
        "href", re.compile(r"export\.csv\?impact=high&status=all$")
    )
    visitor.assert_every_page_passed()


def test_the_add_form_passes_axe_blank_and_with_errors(
    register, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(REGISTER)
    page.get_by_role("button", name="Add an entry").click()
    page.wait_for_url(re.compile(r"/local-knowledge/new/$"))
    visitor.after_navigation("blank")
    page.get_by_label("What we are doing about it").fill("Keep what I typed")
    page.get_by_role("button", name="Add an entry").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter a title")
    expect(page.get_by_label("What we are doing about it")).to_have_value("Keep what I typed")
    expect(page).to_have_title(re.compile(r"^Error: Add an entry"))
    visitor.after_navigation("submitted without a title, kind or impact")
    visitor.assert_every_page_passed()


def test_the_edit_page_passes_axe(register, lead, context, page, visitor, sign_in_by_cookie):
    sign_in_by_cookie(context, lead)
    visitor.visit(f"{REGISTER}{register['high'].pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit an entry")
    expect(page.get_by_label("Title")).to_have_value(HIGH)
    expect(page.locator("main")).to_contain_text("Last changed")

    # Another lead closes the entry meanwhile: this lead's save meets the conflict panel.
    register["high"].close()
    page.get_by_label("What we are doing about it").fill("My careful plan")
    page.get_by_role("button", name="Save entry").click()
    expect(
        page.get_by_role("heading", name="Someone else saved this entry while you were editing it")
    ).to_be_visible()
    expect(page.get_by_label("What we are doing about it")).to_have_value("My careful plan")
    visitor.after_navigation("conflict")
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url(re.compile(r"/local-knowledge/$"))
    register["high"].refresh_from_db()
    assert register["high"].mitigation == "My careful plan"
    visitor.assert_every_page_passed()


def test_closing_an_entry_with_htmx_swaps_the_table_and_announces_it(
    register, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(REGISTER)
    address = page.url
    page.get_by_role("button", name=f"Close {MEDIUM}").click()
    notice = page.locator("#register-notice")
    expect(notice).to_have_text(f"“{MEDIUM}” closed. 2 open entries.")
    expect(notice).to_have_attribute("aria-live", "polite")
    expect(page.locator("#register tbody tr")).to_have_count(2)
    expect(page.locator("#register")).not_to_contain_text(MEDIUM)
    expect(page.locator("#register-heading")).to_be_focused()
    assert page.url == address  # swapped in place, not a new page
    visitor.after_navigation("after closing an entry, htmx swap")
    register["medium"].refresh_from_db()
    assert register["medium"].status == LocalKnowledge.Status.CLOSED
    visitor.assert_every_page_passed()
