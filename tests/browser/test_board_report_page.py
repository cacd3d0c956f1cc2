"""The board report passes axe-core's WCAG 2.2 A and AA rules with no CSP violation or script
error, its print button opens the print dialogue, and printed it shows no navigation."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import ActivityArea
from convening.models import Sector

from ..factories import (
    AttendanceFactory,
    LearningEntryFactory,
    LocalKnowledgeFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    PlannedActivityFactory,
)
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

REPORT = "/programmes/virtual-wards/report/"


@pytest.fixture
def report_data(programme, space):
    programme.shared_purpose = "Care at home when home is the right place."
    programme.save()
    starts = timezone.now() - timedelta(days=10)
    meeting = MeetingFactory(
        space=space, title="Bridging round table", status="held", starts_at=starts, logged_at=starts
    )
    for sector in (Sector.ACUTE, Sector.LOCAL_AUTHORITY):
        AttendanceFactory(
            meeting=meeting,
            participant=ParticipantFactory(
                programme=programme, organisation=OrganisationFactory(sector=sector)
            ),
        )
    LearningEntryFactory(
        programme=programme,
        title="Daily calls cut readmissions",
        status="published",
        published_at=starts,
    )
    LocalKnowledgeFactory(programme=programme, title="No weekend cover", impact="high")
    PlannedActivityFactory(
        programme=programme,
        area=ActivityArea.objects.get(number=1),
        title="Agree ground rules",
        due=timezone.localdate() - timedelta(days=3),
    )


def test_a_lead_opens_the_report_from_the_overview_and_prints_it(
    report_data, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit("/programmes/virtual-wards/")

    page.get_by_role("link", name="Board report to print").click()
    visitor.after_navigation("the report for the last 12 months")

    expect(page.get_by_role("heading", level=1)).to_have_text("Board report")
    today = timezone.localdate()
    expect(page.get_by_text("1 logged meeting in the range")).to_be_visible()
    expect(page.get_by_role("link", name="Daily calls cut readmissions")).to_be_visible()
    expect(page.get_by_text("No weekend cover")).to_be_visible()
    expect(page.get_by_role("img", name="Bar chart: logged meetings in each month")).to_be_visible()
    expect(
        page.get_by_role("table", name="Logged meetings in each month").locator("tbody tr")
    ).to_have_count(13 if (today - timedelta(days=364)).month == today.month else 12)

    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print or save as PDF").click()
    assert page.evaluate("window.printed === true")

    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("header.nhsuk-header")).to_be_hidden()
    expect(navigation).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_hidden()
    expect(page.get_by_role("heading", name="Top learning")).to_be_visible()
    # On paper, a link is followed by its address.
    after = page.get_by_role("link", name="Daily calls cut readmissions").evaluate(
        "link => getComputedStyle(link, '::after').content"
    )
    assert "/programmes/virtual-wards/learning/" in after
    page.emulate_media(media="screen")

    visitor.assert_every_page_passed()


def test_bad_dates_keep_what_was_typed_and_pass_axe(
    programme, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(REPORT)

    page.get_by_role("group", name="From").get_by_label("Day").fill("31")
    page.get_by_role("group", name="From").get_by_label("Month").fill("2")
    page.get_by_role("group", name="From").get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Show the report").click()
    visitor.after_navigation("a date that does not exist")

    expect(page.get_by_role("alert")).to_contain_text("Enter a real date")
    expect(page.get_by_role("group", name="From").get_by_label("Day")).to_have_value("31")
    visitor.assert_every_page_passed()
