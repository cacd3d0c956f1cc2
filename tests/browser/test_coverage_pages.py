"""The coverage pages pass axe-core's WCAG 2.2 A and AA rules, with no Content-Security-Policy
violation or script error: with work in several areas, for an empty programme, and for one
area's page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import ActivityArea, Practice
from learning.models import LearningEntry

from ..factories import (
    LearningEntryFactory,
    MeetingFactory,
    ParticipantFactory,
    PlannedActivityFactory,
)
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

COVERAGE = "/programmes/virtual-wards/coverage/"


@pytest.fixture
def coverage_data(programme, space):
    """Planned, done and dropped activities, meetings recent and older, and learning, spread
    over areas 1, 3 and 4; the other areas are left empty, so the page shows gaps."""
    areas = {area.number: area for area in ActivityArea.objects.all()}
    practices = {p.code: p for p in Practice.objects.select_related("area")}
    owner = ParticipantFactory(programme=programme, name="Ama Mensah")
    for number, title, status in (
        (3, "Map who knows whom across the two councils", "planned"),
        (3, "Visit the Kirklees discharge hub", "in_progress"),
        (3, "Joint forum with social care", "done"),
        (1, "Agree ground rules for the huddle", "done"),
        (4, "Set up a shared learning log", "idea"),
        (4, "Weekly digest", "dropped"),
    ):
        PlannedActivityFactory(
            programme=programme, area=areas[number], title=title, status=status, owner=owner
        )
    for days_ago, title, codes in (
        (3, "Bridging round table", ("3.1", "3.2", "1.1")),
        (20, "Learning huddle", ("4.1",)),
        (200, "Launch event", ("3.3",)),
    ):
        starts = timezone.now() - timedelta(days=days_ago)
        meeting = MeetingFactory(
            space=space,
            title=title,
            status="held",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        )
        meeting.practices.set([practices[code] for code in codes])
    for title, kind, status in (
        ("Daily calls cut readmissions", "result", "published"),
        ("Who holds the caseload?", "question", "draft"),
    ):
        entry = LearningEntryFactory(
            programme=programme,
            title=title,
            kind=kind,
            status=status,
            published_at=timezone.now() if status == "published" else None,
            visibility=LearningEntry.Visibility.PROGRAMME,
        )
        entry.areas.set([areas[3], areas[4]])


def test_coverage_page_with_data_passes_axe(
    coverage_data, member, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, member)

    response = visitor.visit(COVERAGE)

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Coverage of the ten activity areas")
    table = page.get_by_role("table", name="Coverage of the ten activity areas")
    expect(table.locator("tbody tr")).to_have_count(10)
    bridge = table.get_by_role("row").filter(has_text="3. Be a bridge")
    for name in (
        "2 open activities in Be a bridge",
        "1 done activity in Be a bridge",
        "1 meeting in the last 90 days that served Be a bridge",
        "2 meetings of all time that served Be a bridge",
        "2 learning entries about Be a bridge",
    ):
        expect(bridge.get_by_role("link", name=name)).to_be_visible()
    expect(
        page.get_by_role("img", name="Bar chart: open planned activities, by activity area")
    ).to_be_visible()
    expect(page.get_by_text("No meeting has served Create a shared understanding")).to_be_visible()
    visitor.assert_every_page_passed()


def test_following_a_number_leads_to_the_area_page_which_passes_axe(
    coverage_data, member, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, member)
    visitor.visit(COVERAGE)

    table = page.get_by_role("table", name="Coverage of the ten activity areas")
    table.get_by_role("link", name="2 meetings of all time that served Be a bridge").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Be a bridge")
    visitor.after_navigation("all time, from the coverage table")
    meetings = page.get_by_role("table", name="Meetings that served Be a bridge")
    expect(meetings.locator("tbody tr")).to_have_count(2)
    expect(meetings).to_contain_text("Launch event")
    expect(page.get_by_role("table", name="Learning entries about Be a bridge")).to_contain_text(
        "Daily calls cut readmissions"
    )

    page.get_by_role("link", name="Show only the last 90 days").click()
    expect(
        page.get_by_role("table", name="Meetings that served Be a bridge in the last 90 days")
    ).to_contain_text("Bridging round table")
    visitor.after_navigation("last 90 days")
    visitor.assert_every_page_passed()


def test_coverage_pages_of_an_empty_programme_pass_axe(
    programme, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)

    visitor.visit(COVERAGE)
    expect(page.get_by_text("Nothing is planned for any activity area")).to_be_visible()
    visitor.visit(f"{COVERAGE}10/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Provide spread expertise and guidance"
    )
    expect(page.get_by_text("No learning entry is tagged with this area yet.")).to_be_visible()

    visitor.assert_every_page_passed()
