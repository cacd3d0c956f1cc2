"""The complexity pages pass axe-core's WCAG 2.2 A and AA rules with no CSP violation or script
error: empty, with a current assessment that shows the too-light warning and the prompts, the
form, and the form with errors. A lead saves an assessment through the form with the keyboard."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import ComplexityAssessment, DomainRating

from ..factories import ComplexityAssessmentFactory
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

PAGE = "/programmes/virtual-wards/complexity/"
FORM = PAGE + "new/"


@pytest.fixture
def assessed(programme, lead):
    """An earlier assessment and a current one with two complex domains, interdependent: with
    nothing else in the programme, convening is too light."""
    ComplexityAssessmentFactory(
        programme=programme,
        assessed_by=lead,
        assessed_at=timezone.now() - timedelta(days=30),
        ratings={"condition": "complicated", "organisations": "simple", "value": "unknown"},
    )
    current = ComplexityAssessmentFactory(
        programme=programme,
        assessed_by=lead,
        interdependence="interdependent",
        summary="Agreed at the **March** board, with two sites absent.",
        ratings={
            "condition": "complex",
            "organisations": "complex",
            "value": "simple",
            "embedding": "unknown",
        },
    )
    DomainRating.objects.filter(assessment=current, domain="condition").update(
        note="Frailty looks different in every ward:\n\n- Leeds\n- Bradford"
    )
    return current


def test_the_empty_page_passes_axe(programme, lead, context, page, visitor, sign_in_by_cookie):
    sign_in_by_cookie(context, lead)
    response = visitor.visit(PAGE)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Complexity and the convening match")
    expect(page.get_by_role("heading", name="No assessment yet")).to_be_visible()
    expect(page.get_by_role("button", name="Start a new assessment")).to_be_visible()
    visitor.assert_every_page_passed()


def test_the_current_assessment_with_a_warning_and_prompts_passes_axe(
    assessed, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(PAGE)
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Convening is too light")).to_be_visible()
    expect(main).to_contain_text("Programme management plus systems convening")
    plan_links = main.get_by_role("link", name=re.compile(r"^Plan an activity"))
    expect(plan_links).to_have_count(2)
    expect(plan_links.first).to_have_attribute(
        "href", "/programmes/virtual-wards/plan/new/?from_domain=condition"
    )
    expect(main.get_by_role("table", name=re.compile("oldest first"))).to_contain_text(
        "Complicated to complex"
    )
    visitor.assert_every_page_passed()


def test_the_form_and_its_errors_pass_axe_and_a_lead_saves_an_assessment(
    assessed, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(FORM, "blank")
    expect(page.get_by_role("heading", level=1)).to_have_text("New complexity assessment")
    condition = page.get_by_role("group", name="The condition or need")
    expect(condition.get_by_label("Complex", exact=True)).not_to_be_checked()
    page.get_by_role("link", name="Start from the last assessment").click()
    visitor.after_navigation("prefilled from the current assessment")
    expect(condition.get_by_label("Complex", exact=True)).to_be_checked()

    # Each prefilled rating goes back to "Not rated", and the one prefilled note is cleared (a
    # note with no rating is refused too).
    for domain in (
        "The condition or need",
        "The organisations",
        "Its value proposition",
        "Embedding and adaptation over time",
    ):
        page.get_by_role("group", name=domain).get_by_label("Not rated").check()
    page.get_by_label("Note on the condition or need (optional)").fill("")
    page.get_by_label("Notes on the discussion (optional)").fill("Nobody could agree.")
    page.get_by_role("button", name="Save assessment").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Rate at least one domain")).to_have_attribute(
        "href", "#id_rating_condition"
    )
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_label("Notes on the discussion (optional)")).to_have_value(
        "Nobody could agree."
    )
    visitor.after_navigation("no domain rated")

    summary.get_by_role("link", name="Rate at least one domain").press("Enter")
    expect(page.locator("#id_rating_condition")).to_be_focused()
    page.keyboard.press("ArrowRight")  # radios: the arrow moves to and selects the next one
    expect(condition.get_by_label("Complicated")).to_be_checked()
    page.get_by_role("button", name="Save assessment").click()

    page.wait_for_url(f"**{PAGE}")
    visitor.after_navigation("saved")
    expect(page.get_by_role("main")).to_contain_text("Assessment saved")
    assert ComplexityAssessment.objects.count() == 3
    visitor.assert_every_page_passed()
