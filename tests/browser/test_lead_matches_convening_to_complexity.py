"""Journey: a lead rates two domains complex, is told convening is too light, turns one complex
domain into a planned activity, and sees the coverage count it under its area."""

import re

from playwright.sync_api import expect

from activities.models import PlannedActivity

from ..factories import PASSWORD
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

PROGRAMME = "/programmes/virtual-wards/"
ORGANISATIONS = "The organisations"
WIDER_SYSTEM = "The wider system: policy, regulation, professions, funding"
AREA_ONE = "Enable a spread receptive environment"


def test_lead_plans_convening_for_a_complex_change(
    programme, lead, page, visitor, sign_in_through_form
):
    sign_in_through_form(visitor, lead.email, PASSWORD)
    visitor.visit(PROGRAMME, "overview before any assessment")
    expect(page.get_by_role("heading", level=1)).to_have_text(programme.name)

    # Two clicks: the Plan section, then its Complexity page.
    nav = page.get_by_role("navigation", name=programme.name)
    nav.get_by_role("link", name="Plan", exact=True).first.click()
    nav.get_by_role("list", name="Plan").get_by_role("link", name="Complexity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complexity and the convening match")
    visitor.after_navigation("no assessment yet")

    page.get_by_role("button", name="Start a new assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New complexity assessment")
    visitor.after_navigation("blank assessment")
    for domain in (ORGANISATIONS, WIDER_SYSTEM):
        page.get_by_role("group", name=domain, exact=True).get_by_label(
            "Complex", exact=True
        ).check()
    page.get_by_label("Note on the organisations (optional)").fill(
        "Three trusts and two councils must change rotas together."
    )
    page.get_by_label("Independent: each organisation can adopt on its own").check()
    page.get_by_role("button", name="Save assessment").click()

    expect(page.get_by_text("Assessment saved.")).to_be_visible()
    expect(page.get_by_text("Programme management plus systems convening").first).to_be_visible()
    expect(page.get_by_role("heading", name="Important: Convening is too light")).to_be_visible()
    expect(
        page.get_by_text(re.compile("too light for the complexity.*no adaptive space is active"))
    ).to_be_visible()
    visitor.after_navigation("assessment saved, too light")

    page.get_by_role("link", name="Plan an activity for the organisations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an activity")
    title = page.get_by_label("Title")
    expect(title).to_have_value("Convene the organisations that depend on each other")
    visitor.after_navigation("prefilled from the organisations domain")
    title.fill("Convene the trusts and councils on rotas")
    page.get_by_role("button", name="Add an activity").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Convene the trusts and councils on rotas"
    )
    visitor.after_navigation("activity added")
    activity = PlannedActivity.objects.get(programme=programme)
    assert activity.area.number == 1
    assert activity.from_domain == "organisations"
    assert [practice.code for practice in activity.practices.all()] == ["1.3"]

    visitor.visit(PROGRAMME + "coverage/", "coverage with the new activity")
    table = page.get_by_role("table", name="Coverage of the ten activity areas")
    expect(table.get_by_role("link", name=f"1 open activity in {AREA_ONE}")).to_be_visible()
    expect(table.get_by_role("link", name="0 open activities in Be a bridge")).to_be_visible()
    expect(
        page.get_by_text("No meeting has served any activity area in the last 90 days")
    ).to_be_visible()

    table.get_by_role("link", name=f"1 open activity in {AREA_ONE}").click()
    expect(page).to_have_url(re.compile(r"/plan/\?area=1&status=open$"))
    expect(
        page.get_by_role("link", name="Convene the trusts and councils on rotas")
    ).to_be_visible()
    visitor.after_navigation("plan filtered from coverage")

    visitor.visit(PROGRAMME, "overview with the match")
    expect(page.get_by_role("heading", name="Important: Convening is too light")).to_be_visible()
    visitor.assert_every_page_passed()
