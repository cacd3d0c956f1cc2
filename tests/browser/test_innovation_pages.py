"""Innovation pages in a real browser: the list, an innovation's page (as a lead and as a
member), the forms blank and with errors, and both histories pass axe-core's WCAG 2.2 A and
AA rules with realistic content."""

import pytest
from playwright.sync_api import expect

from learning.models import Narrative

from ..factories import (
    AdoptionFactory,
    InnovationFactory,
    NarrativeFactory,
    OrganisationFactory,
    ParticipantFactory,
)
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

INNOVATIONS = "/programmes/virtual-wards/innovations/"
APP = INNOVATIONS + "virtual-ward-app/"


@pytest.fixture
def innovation(programme, lead):
    docobo = OrganisationFactory(name="Docobo")
    app = InnovationFactory(
        programme=programme,
        name="Virtual ward app",
        slug="virtual-ward-app",
        summary="Patients send readings from home; a team watches and acts.",
        innovator_organisation=docobo,
        evidence_summary="Evaluated in **three** trusts.\n\n- fewer admissions\n- shorter stays",
        core_components="- Daily readings\n- A named clinician responds the same day",
        adaptable_elements="- Which device\n- Who watches at night",
    )
    ada = ParticipantFactory(
        programme=programme, name="Ada Innovator", organisation=docobo, job_title="Clinical lead"
    )
    app.innovator_contacts.add(ada)
    narrative = NarrativeFactory(
        innovation=app, audience="patients", body="You stay **at home**.", updated_by=lead
    )
    narrative.contributors.add(ada)
    for name, stage in (("Leeds", "testing"), ("Bradford", "adopted"), ("Wakefield", "paused")):
        AdoptionFactory(innovation=app, organisation=OrganisationFactory(name=name), stage=stage)
    InnovationFactory(programme=programme, name="Frailty score", slug="frailty-score")
    return app


def test_lead_pages_pass_axe(innovation, lead, context, page, visitor, sign_in_by_cookie):
    sign_in_by_cookie(context, lead)
    visitor.visit(INNOVATIONS)
    expect(page.locator("main tbody tr")).to_have_count(2)
    page.get_by_role("link", name="Virtual ward app").click()
    page.wait_for_url(f"**{APP}")
    visitor.after_navigation("as lead")
    expect(page.get_by_role("heading", level=1)).to_have_text("Virtual ward app")
    expect(page.locator("#narrative-patients")).to_contain_text("You stay at home.")

    # The narrative form: blank, then with errors, then saved.
    page.get_by_role("link", name="Write the narrative for clinicians and frontline staff").click()
    visitor.after_navigation("narrative blank")
    # The browser stops typing at the field's maxlength; a script-free client need not.
    page.locator("#id_body").evaluate("field => field.removeAttribute('maxlength')")
    page.get_by_label("Narrative").fill("x" * 50_001)
    page.get_by_role("button", name="Save narrative").click()
    visitor.after_navigation("narrative with errors")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("50,000 characters or fewer")
    page.get_by_label("Narrative").fill("Fewer calls at night.")
    page.get_by_label("Ada Innovator (Docobo)").check()
    page.get_by_role("button", name="Save narrative").click()
    page.wait_for_url(f"**{APP}#narrative-clinicians")
    visitor.after_navigation("narrative saved")
    assert Narrative.objects.filter(audience="clinicians").exists()
    visitor.visit(APP + "narratives/clinicians/history/")
    expect(page.locator("main")).to_contain_text("Fewer calls at night.")

    # The innovation's form with errors, then its history.
    visitor.visit(APP + "edit/")
    page.locator("#id_name").evaluate("field => field.removeAttribute('maxlength')")
    page.get_by_label("Name", exact=True).fill("n" * 201)
    page.get_by_role("button", name="Save innovation").click()
    visitor.after_navigation("innovation form with errors")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("200 characters or fewer")
    page.get_by_label("Name", exact=True).fill("Virtual ward app at home")
    page.get_by_role("button", name="Save innovation").click()
    page.wait_for_url(f"**{APP}")
    visitor.visit(APP + "history/")
    expect(page.locator("main tbody tr")).to_have_count(2)
    visitor.visit(INNOVATIONS + "new/", "add blank")
    visitor.assert_every_page_passed()


def test_member_sees_the_innovation_without_contact_details(
    innovation, member, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, member)
    visitor.visit(APP, "as member")
    expect(page.locator("main")).to_contain_text("Ada Innovator")
    expect(page.get_by_role("link", name="Write the narrative")).to_have_count(0)
    visitor.assert_every_page_passed()
