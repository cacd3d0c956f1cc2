"""The adoption tracker in a real browser: the tracker (with sites and changes, and empty), the
stage change form (blank and with errors) and a timeline pass axe-core's WCAG 2.2 A and AA
rules, and recording a change lands on the timeline."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from convening.models import AdoptionEvent

from ..factories import AdoptionFactory, InnovationFactory, OrganisationFactory
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

A = "/programmes/virtual-wards/adoption/"


@pytest.fixture
def tracked(programme, lead):
    today = timezone.localdate()
    wards = InnovationFactory(programme=programme, name="Virtual wards", slug="virtual-wards")
    app = InnovationFactory(programme=programme, name="Falls app", slug="falls-app")
    leeds = OrganisationFactory(name="Leeds Teaching Hospitals")
    bradford = OrganisationFactory(name="Bradford District Care")
    calderdale = OrganisationFactory(name="Calderdale and Huddersfield")
    history = {
        (wards, leeds): [("exploring", 300), ("testing", 200), ("adopted", 90), ("sustained", 5)],
        (wards, bradford): [("exploring", 250), ("preparing", 120), ("paused", 30)],
        (app, bradford): [("not_started", 330), ("exploring", 60)],
        (app, calderdale): [("testing", 150), ("abandoned", 20)],
    }
    adoptions = {}
    for (innovation, site), changes in history.items():
        adoption = AdoptionFactory(innovation=innovation, organisation=site)
        for stage, days_ago in changes:
            adoption.move_to(
                stage,
                by=lead,
                on=today - datetime.timedelta(days=days_ago),
                note=f"Agreed at the huddle: {stage.replace('_', ' ')}.",
            )
        adoptions[innovation.slug, site.name] = adoption
    return {"wards": wards, "leeds": leeds, "adoptions": adoptions}


def test_the_tracker_with_data_and_a_timeline_pass_axe(
    tracked, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(A)
    expect(page.get_by_role("heading", level=1)).to_have_text("Adoption")
    sites = page.get_by_role("table", name="Stage of each site with each innovation")
    expect(sites.locator("tbody tr")).to_have_count(3)
    expect(sites).to_contain_text("Not tracked")
    over_time = page.get_by_role("table", name="Sites at each stage at the end of each month")
    expect(over_time.locator("tbody tr")).to_have_count(12)
    expect(
        page.get_by_role("img", name="Sites at each stage at the end of each month")
    ).to_be_visible()

    page.get_by_label("Innovation", exact=True).select_option("falls-app")
    page.get_by_role("button", name="Apply filter").click()
    page.wait_for_url(re.compile(r"innovation=falls-app"))
    visitor.after_navigation("filtered to one innovation")
    expect(sites.locator("tbody tr")).to_have_count(2)

    page.get_by_role("link", name="Bradford District Care, Falls app: Exploring").click()
    page.wait_for_url(re.compile(r"/adoption/\d+/$"))
    visitor.after_navigation("timeline")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bradford District Care: Falls app")
    expect(page.locator("main tbody tr")).to_have_count(2)
    visitor.assert_every_page_passed()


def test_an_empty_tracker_passes_axe(programme, member, context, page, visitor, sign_in_by_cookie):
    sign_in_by_cookie(context, member)
    visitor.visit(A, state="no innovations")
    expect(page.get_by_text("The programme has no innovations yet")).to_be_visible()
    InnovationFactory(programme=programme, name="Virtual wards")
    visitor.visit(A, state="an innovation and no sites")
    expect(page.get_by_text("No site is tracked yet")).to_be_visible()
    visitor.assert_every_page_passed()


def test_recording_a_change_blank_with_errors_and_saved_passes_axe(
    tracked, facilitator, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, facilitator)
    visitor.visit(f"{A}record/", state="blank")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a stage change")

    leeds = tracked["leeds"]
    visitor.visit(f"{A}record/?innovation=virtual-wards&site={leeds.pk}", state="prefilled")
    expect(page.get_by_label("Innovation")).to_have_value("virtual-wards")
    expect(page.get_by_label("Site", exact=True)).to_have_value(str(leeds.pk))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    date = page.get_by_role("group", name="Date of the change")
    date.get_by_label("Day").fill(str(tomorrow.day))
    date.get_by_label("Month").fill(str(tomorrow.month))
    date.get_by_label("Year").fill(str(tomorrow.year))
    page.get_by_label("Note (optional)").fill("Back to testing on two wards")
    page.get_by_role("main").get_by_role("button", name="Record a stage change").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Choose the stage the site has reached")
    expect(summary).to_contain_text("The date cannot be in the future")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_label("Note (optional)")).to_have_value("Back to testing on two wards")
    visitor.after_navigation("no stage and a date in the future")

    today = timezone.localdate()
    page.get_by_label("Testing").check()
    date.get_by_label("Day").fill(str(today.day))
    date.get_by_label("Month").fill(str(today.month))
    date.get_by_label("Year").fill(str(today.year))
    page.get_by_role("main").get_by_role("button", name="Record a stage change").click()
    page.wait_for_url(re.compile(r"/adoption/\d+/$"))
    visitor.after_navigation("timeline after recording")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Stage change recorded")
    expect(page.locator("main tbody tr").first).to_contain_text("Back to testing on two wards")
    assert AdoptionEvent.objects.filter(note="Back to testing on two wards").count() == 1
    visitor.assert_every_page_passed()
