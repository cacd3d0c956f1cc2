"""The learning log, the learning form and a learning entry in a real browser: every page
passes axe-core's WCAG 2.2 A and AA rules, with filters and a search; publishing with htmx swaps
the status block, announces it and moves focus to the status heading."""

import re

import pytest
from playwright.sync_api import expect

from activities.models import ActivityArea
from learning.models import LearningEntry

from ..factories import (
    InnovationFactory,
    LearningEntryFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

LOG = "/programmes/virtual-wards/learning/"
ADAPTATION = "Pharmacists join the virtual ward round"
BARRIER = "Night handover is by phone only"


@pytest.fixture
def learning(programme, lead, space):
    leeds = OrganisationFactory(name="Leeds Teaching Hospitals")
    author = UserFactory(name="Priya Ramanathan")
    ParticipantFactory(programme=programme, user=author, organisation=leeds, consent_named=True)
    app = InnovationFactory(programme=programme, name="Virtual ward app", slug="app")
    adaptation = LearningEntryFactory(
        programme=programme,
        title=ADAPTATION,
        body="Pharmacists now join twice a week.\n\n- fewer readmissions\n- quicker discharge",
        kind="adaptation",
        innovation=app,
        site=leeds,
        author=author,
        source_meeting=MeetingFactory(space=space, title="Huddle 3"),
    )
    adaptation.areas.add(*ActivityArea.objects.filter(number__in=[3, 4]))
    LearningEntryFactory(programme=programme, title=BARRIER, kind="barrier", status="published")
    return {"adaptation": adaptation}


def test_the_log_passes_axe_with_filters_and_a_search(
    learning, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(LOG)
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("main")).to_contain_text("Priya Ramanathan")

    page.get_by_label("Kind").select_option("adaptation")
    page.get_by_label("Activity area").select_option("4")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"kind=adaptation"))
    visitor.after_navigation("filtered: adaptations in area 4")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(ADAPTATION)

    page.get_by_label("Search").fill("phone & !ward")
    page.get_by_label("Kind").select_option("")
    page.get_by_label("Activity area").select_option("")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"q=phone"))
    visitor.after_navigation("searched with operators")
    expect(page.locator("#log-count")).to_contain_text("match")

    page.get_by_label("Search").fill("handover")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"q=handover"))
    visitor.after_navigation("searched for handover")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(BARRIER)
    expect(page.get_by_label("Search")).to_have_value("handover")
    visitor.assert_every_page_passed()


def test_the_form_passes_axe_blank_and_with_errors(
    learning, member, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, member)
    visitor.visit(LOG)
    page.get_by_role("button", name="Add learning").click()
    page.wait_for_url(re.compile(r"/learning/new/$"))
    visitor.after_navigation("blank")
    page.get_by_label("What we learned").fill("Keep what I typed")
    page.get_by_role("button", name="Add learning").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter a title")
    expect(page.get_by_label("What we learned")).to_have_value("Keep what I typed")
    expect(page).to_have_title(re.compile(r"^Error: Add learning"))
    visitor.after_navigation("submitted without a title")
    visitor.assert_every_page_passed()


def test_publishing_with_htmx_swaps_the_status_and_announces_it(
    learning, facilitator, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, facilitator)
    entry = learning["adaptation"]
    visitor.visit(f"{LOG}{entry.pk}/", state="draft")
    expect(page.get_by_role("heading", level=1)).to_have_text(ADAPTATION)
    expect(page.locator("main")).to_contain_text("Priya Ramanathan")
    expect(page.locator(".convening-prose li")).to_have_count(2)
    address = page.url
    page.get_by_role("button", name="Publish").click()
    notice = page.locator("#status-notice")
    expect(notice).to_have_text(f"“{ADAPTATION}” is published.")
    expect(notice).to_have_attribute("aria-live", "polite")
    expect(page.locator("#status-heading")).to_be_focused()
    expect(page.get_by_role("button", name="Unpublish")).to_be_visible()
    assert page.url == address
    visitor.after_navigation("after publishing, htmx swap")
    entry.refresh_from_db()
    assert entry.status == LearningEntry.Status.PUBLISHED
    visitor.assert_every_page_passed()
