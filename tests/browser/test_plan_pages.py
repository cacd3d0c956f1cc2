"""The activity plan's pages pass axe-core's WCAG 2.2 A and AA rules with realistic data, and
the inline status change works from the keyboard: the row is swapped in place, the change is
announced in the live region, and focus stays on the row's button."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import ActivityArea, PlannedActivity, Practice
from convening.models import Participant
from spaces.models import Action

from ..factories import MeetingFactory, ParticipantFactory, PlannedActivityFactory
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

PLAN = "/programmes/virtual-wards/plan/"
BRIDGE = "Introduce care homes to the ward team"


@pytest.fixture
def plan_data(programme, space, lead, facilitator):
    areas = {area.number: area for area in ActivityArea.objects.all()}
    practices = {p.code: p for p in Practice.objects.select_related("area")}
    mine = Participant.objects.get(programme=programme, user=facilitator)
    other = ParticipantFactory(programme=programme, name="Ade Okafor")
    today = timezone.localdate()
    bridge = PlannedActivityFactory(
        programme=programme,
        area=areas[3],
        title=BRIDGE,
        description="Start with **two** care homes.\n\n- Bradford\n- Kirklees",
        owner=mine,
        space=space,
        due=today - timedelta(days=3),
        status="in_progress",
        created_by=lead,
    )
    bridge.practices.set([practices["3.1"], practices["3.3"]])
    PlannedActivityFactory(
        programme=programme,
        area=areas[3],
        title="Map who links primary and acute care",
        owner=other,
        due=today + timedelta(days=20),
        status="planned",
        created_by=lead,
    )
    PlannedActivityFactory(
        programme=programme, area=areas[6], title="Agree the shared purpose", status="idea"
    )
    meeting = MeetingFactory(space=space, status="held", title="March huddle")
    Action.objects.create(
        programme=programme,
        meeting=meeting,
        title="Book the room at St James's",
        owner=other,
        planned_activity=bridge,
    )
    Action.objects.create(programme=programme, meeting=meeting, title="Send round the notes")
    bridge.change_status("planned")
    return {"bridge": bridge}


def test_plan_with_rows_and_filters_passes_axe(
    plan_data, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)

    visitor.visit(PLAN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Activity plan")
    expect(page.get_by_role("heading", level=2, name="3. Be a bridge")).to_be_visible()
    expect(page.locator("tr[id^='activity-']")).to_have_count(3)

    page.get_by_label("Area", exact=True).and_(page.locator("select")).select_option("3")
    page.get_by_label("Status", exact=True).select_option("open")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"area=3"))
    expect(page.locator("tr[id^='activity-']")).to_have_count(2)
    expect(
        page.get_by_role("heading", level=2, name="6. Create a shared understanding")
    ).to_have_count(0)
    expect(page.get_by_role("link", name="Download as CSV")).to_have_attribute(
        "href", f"{PLAN}export.csv?area=3&status=open"
    )
    visitor.after_navigation("filtered by area and status")
    visitor.assert_every_page_passed()


def test_add_an_activity_blank_prefilled_and_with_errors_passes_axe(
    plan_data, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)

    visitor.visit(f"{PLAN}new/", state="blank")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an activity")

    visitor.visit(f"{PLAN}new/?from_domain=organisations", state="prefilled from a domain")
    expect(page.get_by_label("Title")).to_have_value(
        "Convene the organisations that depend on each other"
    )
    expect(page.get_by_label("Activity area")).to_have_value("1")

    page.get_by_label("Title").fill("")
    day = page.get_by_role("group", name="Due date")
    day.get_by_label("Day").fill("31")
    day.get_by_label("Month").fill("2")
    day.get_by_label("Year").fill("2030")
    page.get_by_role("main").get_by_role("button", name="Add an activity").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter a title")
    expect(summary).to_contain_text("Enter a real date")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_label("Description")).to_contain_text("The organisations")
    expect(day.get_by_label("Day")).to_have_value("31")
    visitor.after_navigation("no title and a date that does not exist")
    assert not PlannedActivity.objects.filter(title__startswith="Convene").exists()
    visitor.assert_every_page_passed()


def test_activity_detail_passes_axe(plan_data, lead, context, page, visitor, sign_in_by_cookie):
    sign_in_by_cookie(context, lead)

    visitor.visit(f"{PLAN}{plan_data['bridge'].pk}/")

    expect(page.get_by_role("heading", level=1)).to_have_text(BRIDGE)
    expect(page.get_by_role("table", name="Actions that serve this activity")).to_contain_text(
        "Book the room at St James's"
    )
    expect(page.get_by_label("Open action")).to_be_visible()
    expect(page.locator("main strong", has_text="two")).to_be_visible()
    expect(
        page.get_by_role("table", name="Changes to this activity, newest first")
    ).to_contain_text("Status: In progress to Planned")
    visitor.assert_every_page_passed()


def test_an_edit_over_someone_elses_save_shows_the_conflict_and_passes_axe(
    plan_data, lead, context, page, visitor, sign_in_by_cookie
):
    bridge = plan_data["bridge"]
    sign_in_by_cookie(context, lead)
    visitor.visit(f"{PLAN}{bridge.pk}/edit/")

    bridge.change_status("done")  # someone else, meanwhile
    page.get_by_label("Title").fill("Introduce care homes to the virtual ward")
    page.get_by_role("button", name="Save activity").click()

    expect(
        page.get_by_role(
            "heading", name="Someone else saved this activity while you were editing it"
        )
    ).to_be_visible()
    expect(page.locator("#conflict")).to_contain_text("Done")
    expect(page.get_by_label("Title")).to_have_value("Introduce care homes to the virtual ward")
    visitor.after_navigation("conflict")
    page.get_by_role("button", name="Save activity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Introduce care homes to the virtual ward"
    )
    visitor.after_navigation("saved over the conflict")
    visitor.assert_every_page_passed()


def test_link_an_action_error_passes_axe(
    plan_data, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(f"{PLAN}{plan_data['bridge'].pk}/")

    page.get_by_role("button", name="Link action").click()

    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose an action to link")
    visitor.after_navigation("linked nothing")
    visitor.assert_every_page_passed()


def _active(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_inline_status_change_from_the_keyboard_swaps_the_row_and_announces_it(
    plan_data, facilitator, context, page, visitor, sign_in_by_cookie
):
    bridge = plan_data["bridge"]
    sign_in_by_cookie(context, facilitator)
    visitor.visit(f"{PLAN}?area=3")
    page.evaluate("window.__noReload = true")
    select_id = f"status-{bridge.pk}"

    for _ in range(80):
        page.keyboard.press("Tab")
        if _active(page) == select_id:
            break
    else:
        pytest.fail("The status select was not reached with Tab")
    # On a closed select, the down arrow chooses the next status: planned to in progress.
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#{select_id}")).to_have_value("in_progress")
    page.keyboard.press("Tab")
    assert _active(page) == f"status-button-{bridge.pk}"
    page.keyboard.press("Enter")

    row = page.locator(f"#activity-{bridge.pk}")
    expect(row.locator("td").nth(5)).to_have_text("In progress")
    expect(page.locator("#plan-notice")).to_have_text(f"“{BRIDGE}” is now in progress.")
    expect(page.locator(f"#status-button-{bridge.pk}")).to_be_focused()
    assert page.evaluate("window.__noReload") is True, "The page reloaded instead of swapping"
    assert page.url.endswith(f"{PLAN}?area=3")
    bridge.refresh_from_db()
    assert bridge.status == "in_progress"
    visitor.after_navigation("status changed inline")
    visitor.assert_every_page_passed()


def test_a_later_page_of_a_long_plan_passes_axe(
    programme, lead, context, page, visitor, sign_in_by_cookie
):
    areas = {area.number: area for area in ActivityArea.objects.filter(number__in=(1, 2))}
    PlannedActivity.objects.bulk_create(
        PlannedActivity(programme=programme, area=areas[1 if n < 150 else 2], title=f"Step {n}")
        for n in range(230)
    )
    sign_in_by_cookie(context, lead)

    visitor.visit(f"{PLAN}?status=planned&page=2", state="page 2 of 3")

    expect(page.locator("tr[id^='activity-']")).to_have_count(100)
    expect(
        page.get_by_role("heading", level=2, name="1. Enable a spread receptive environment")
    ).to_contain_text("(continued)")
    expect(page.locator("#nothing-planned")).to_contain_text("Nothing that matches the filters")
    pages = page.get_by_role("navigation", name="Pages of the plan")
    pages.get_by_role("link", name=re.compile("Next page")).click()
    page.wait_for_url(re.compile(r"status=planned&page=3"))
    expect(page.locator("tr[id^='activity-']")).to_have_count(30)
    visitor.after_navigation("page 3 of 3")
    visitor.assert_every_page_passed()
