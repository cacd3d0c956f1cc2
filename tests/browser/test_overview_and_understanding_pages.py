"""The programme overview with everything a lead sees, as lead and as member, and the shared
understanding pages, each checked with axe-core (WCAG 2.2 A and AA)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import ActivityArea
from convening.models import Adoption

from ..factories import (
    ActionFactory,
    AdaptiveSpaceFactory,
    ComplexityAssessmentFactory,
    InnovationFactory,
    LocalKnowledgeFactory,
    MeetingFactory,
    OrganisationFactory,
    PlannedActivityFactory,
)
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

OVERVIEW = "/programmes/virtual-wards/"
EDIT = OVERVIEW + "understanding/edit/"


@pytest.fixture
def full_programme(programme, lead):
    programme.shared_purpose = "Care at home when home is the **right place**."
    programme.problem = "- Long stays\n- Readmissions"
    programme.understanding_agreed_on = date(2026, 10, 1)
    programme.understanding_agreed_by = "The programme board"
    programme.save()
    programme.value = "Fewer bed days."
    programme.save()
    ComplexityAssessmentFactory(
        programme=programme,
        assessed_by=lead,
        interdependence="interdependent",
        ratings={"condition": "complex", "value": "simple", "adopters": "complicated"},
    )
    space = AdaptiveSpaceFactory(programme=programme, name="Frailty huddle")
    started = timezone.now() - timedelta(days=5)
    MeetingFactory(
        space=space,
        title="October huddle",
        status="held",
        starts_at=started,
        ends_at=started + timedelta(hours=1),
    )
    PlannedActivityFactory(programme=programme, area=ActivityArea.objects.get(number=3))
    ActionFactory(programme=programme, title="Send the rota", due=date.today() - timedelta(days=2))
    LocalKnowledgeFactory(programme=programme, title="Night handover by phone", impact="high")
    innovation = InnovationFactory(programme=programme)
    for stage in ("exploring", "adopted", "adopted"):
        Adoption.objects.create(
            innovation=innovation, organisation=OrganisationFactory(), stage=stage
        )
    return programme


@pytest.mark.parametrize("role", ["lead", "member"])
def test_the_overview_passes_axe_with_every_section_filled(
    full_programme, lead, member, context, page, visitor, sign_in_by_cookie, role
):
    sign_in_by_cookie(context, lead if role == "lead" else member)
    visitor.visit(OVERVIEW, f"overview as {role}")
    expect(page.get_by_text("Care at home when home is the right place.")).to_be_visible()
    expect(page.get_by_text("Last agreed on 1 October 2026 by The programme board")).to_be_visible()
    expect(page.get_by_role("link", name="October huddle")).to_be_visible()
    expect(page.get_by_text("Send the rota")).to_be_visible()
    expect(page.get_by_role("link", name="Night handover by phone")).to_be_visible()
    edit = page.get_by_role("link", name="Edit the shared understanding")
    expect(edit).to_have_count(1 if role == "lead" else 0)
    visitor.assert_every_page_passed()


def test_the_shared_understanding_pages_pass_axe(
    full_programme, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(EDIT, "edit form")
    page.get_by_label("Our shared purpose").fill("x" * 10_001)
    page.get_by_role("group", name="Last agreed on").get_by_label("Day").fill("31")
    page.get_by_role("group", name="Last agreed on").get_by_label("Month").fill("2")
    page.get_by_role("button", name="Save shared understanding").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    visitor.after_navigation("edit form with errors")

    # Another lead saves meanwhile: this lead's next save meets a conflict.
    full_programme.shared_purpose = "Words saved by another lead"
    full_programme.save()
    page.get_by_label("Our shared purpose").fill("My purpose")
    page.get_by_role("group", name="Last agreed on").get_by_label("Day").fill("28")
    page.get_by_role("button", name="Save shared understanding").click()
    expect(
        page.get_by_role(
            "heading",
            name="Someone else saved this shared understanding while you were editing it",
        )
    ).to_be_visible()
    visitor.after_navigation("conflict")
    page.get_by_role("button", name="Save shared understanding").click()
    expect(page.get_by_text("Shared understanding saved.")).to_be_visible()
    visitor.after_navigation("saved over the conflict")

    page.get_by_role("link", name="How the shared understanding has changed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How the shared understanding changed"
    )
    visitor.after_navigation("history")
    visitor.assert_every_page_passed()
