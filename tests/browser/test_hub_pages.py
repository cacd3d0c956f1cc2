"""The learning hub in a real browser, as an anonymous adopter: every page and form state passes
axe-core's WCAG 2.2 A and AA rules with realistic content, and works without signing in."""

import re

import pytest
from playwright.sync_api import expect

from convening.models import Membership, Programme
from learning.models import Audience, ContactMessage, Feedback, Subscription

from ..factories import (
    AdoptionFactory,
    InnovationFactory,
    LearningEntryFactory,
    MembershipFactory,
    NarrativeFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
    UserFactory,
)
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

HUB = "/learn/open-wards/"
INNOVATION = HUB + "remote-monitoring/"


@pytest.fixture
def hub(db):
    programme = ProgrammeFactory(
        name="Virtual wards for frailty",
        slug="open-wards",
        hub_visibility=Programme.HubVisibility.PUBLIC,
        summary="Hospital care at home for frail older people across the region.",
        shared_purpose="Care closer to **home**, with the same safety as a ward.",
    )
    leeds = OrganisationFactory(name="Leeds Teaching Hospitals")
    bradford = OrganisationFactory(name="Bradford District Care")
    innovation = InnovationFactory(
        programme=programme,
        name="Remote monitoring",
        slug="remote-monitoring",
        summary="Patients measure their own vital signs at home.",
        innovator_organisation=OrganisationFactory(name="Doccla"),
        evidence_summary="Fewer admissions in two trials.\n\n- trial one\n- trial two",
        core_components="- a daily reading\n- a named clinician who reviews it",
        adaptable_elements="- which devices\n- who phones the patient",
    )
    for audience in Audience.values:
        NarrativeFactory(
            innovation=innovation, audience=audience, body=f"What it means for **{audience}**."
        )
    facilitator = UserFactory(name="Asha Patel")
    MembershipFactory(programme=programme, user=facilitator, role=Membership.Role.FACILITATOR)
    ParticipantFactory(
        programme=programme,
        user=facilitator,
        name="Asha Patel",
        job_title="Spread facilitator",
        organisation=leeds,
        consent_contact=True,
    )
    site_lead = ParticipantFactory(
        programme=programme,
        name="Gareth Lowe",
        job_title="Matron",
        organisation=bradford,
        consent_contact=True,
    )
    AdoptionFactory(innovation=innovation, organisation=leeds, stage="adopted")
    AdoptionFactory(
        innovation=innovation, organisation=bradford, stage="testing", local_lead=site_lead
    )
    entries = {}
    for kind, title in (
        ("adaptation", "We lent tablets to people without phones"),
        ("success_story", "Home in time for Christmas"),
        ("barrier", "Weekend readings had nobody to review them"),
        ("insight", "Families want to see the readings too"),
    ):
        entry = LearningEntryFactory(
            programme=programme,
            innovation=innovation,
            kind=kind,
            title=title,
            visibility="public",
            site=leeds,
            body="What we did, and **why**.\n\n- one\n- two",
        )
        entry.publish()
        entries[kind] = entry
    return programme, innovation, entries


def test_an_anonymous_adopter_reads_the_hub(hub, page, visitor):
    programme, _, entries = hub
    visitor.visit("/learn/")
    page.get_by_role("link", name=programme.name).click()
    visitor.after_navigation()
    expect(page.get_by_role("heading", level=1)).to_have_text(programme.name)
    page.get_by_role("link", name="Remote monitoring").first.click()
    visitor.after_navigation()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remote monitoring")
    expect(page.locator("#contact ~ .nhsuk-card")).to_have_count(2)

    page.get_by_role("link", name="Patients and carers").click()
    page.wait_for_url(re.compile(r"audience=patients#for-patients"))
    visitor.after_navigation("narrative for patients and carers")
    expect(page.locator("#for-patients")).to_contain_text("What it means for patients")
    # The other roles' narratives are closed expanders that open on request.
    clinicians = page.locator("#for-clinicians")
    expect(clinicians.locator(".convening-prose")).to_be_hidden()
    clinicians.get_by_text("Clinicians and frontline staff").click()
    expect(clinicians.locator(".convening-prose")).to_be_visible()

    page.get_by_label("Kind of learning").select_option("adaptation")
    page.get_by_role("button", name="Show learning").click()
    page.wait_for_url(re.compile(r"kind=adaptation"))
    visitor.after_navigation("learning filtered to adaptations")
    expect(page.get_by_text("1 entry of kind")).to_be_visible()

    visitor.visit(f"{INNOVATION}learning/{entries['adaptation'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(entries["adaptation"].title)
    visitor.assert_every_page_passed()


def test_an_anonymous_adopter_subscribes_and_sends_feedback(hub, page, visitor):
    visitor.visit(INNOVATION + "subscribe/", "blank")
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Subscribe").click()
    visitor.after_navigation("with errors")
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    page.get_by_label("Email address").fill("reader@example.org")
    page.get_by_label("Daily").check()
    page.get_by_role("button", name="Subscribe").click()
    visitor.after_navigation("saved")
    expect(page.get_by_text("Check your email for a link to confirm it")).to_be_visible()
    assert Subscription.objects.filter(email="reader@example.org").exists()

    visitor.visit(INNOVATION + "feedback/", "blank")
    page.get_by_role("button", name="Send feedback to the innovator").click()
    visitor.after_navigation("with errors")
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    page.get_by_label("Problem").check()
    page.get_by_label("Your feedback").fill("Readings fail to upload on Sundays.")
    page.get_by_role("button", name="Send feedback to the innovator").click()
    visitor.after_navigation("sent")
    expect(page.get_by_role("heading", name="Feedback sent")).to_be_visible()
    assert Feedback.objects.get().body == "Readings fail to upload on Sundays."
    visitor.assert_every_page_passed()


def test_the_feedback_box_counts_characters_and_lets_people_go_over(hub, page, visitor):
    visitor.visit(INNOVATION + "feedback/", "character count")
    box = page.get_by_label("Your feedback")
    assert box.get_attribute("maxlength") is None
    status = page.locator("#id_body ~ .nhsuk-character-count__status")
    box.fill("Readings fail on Sundays.")
    expect(status).to_have_text(re.compile(r"You have 4,975 characters remaining"))
    page.get_by_label("Problem").check()
    box.fill("x" * 6000)
    expect(status).to_have_text(re.compile(r"You have 1,000 characters too many"))
    page.get_by_role("button", name="Send feedback to the innovator").click()
    visitor.after_navigation("over the limit")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("it is 1,000 characters too long")
    assert len(page.get_by_label("Your feedback").input_value()) == 6000


def test_an_anonymous_adopter_contacts_a_local_lead(hub, page, visitor):
    visitor.visit(INNOVATION)
    expect(page.locator("#contact ~ .nhsuk-card a[href^='mailto:']")).to_have_count(0)
    page.get_by_role("link", name="Contact Gareth Lowe").click()
    visitor.after_navigation("blank")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact Gareth Lowe")
    page.get_by_role("button", name="Send message").click()
    visitor.after_navigation("with errors")
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    page.get_by_label("Your message").fill("How did you staff the weekend reviews?")
    page.get_by_label("Your name").fill("Sam Adopter")
    page.get_by_label("Your email address").fill("sam@adopter.example")
    page.get_by_role("button", name="Send message").click()
    visitor.after_navigation("sent")
    expect(page.get_by_role("heading", name="Message sent")).to_be_visible()
    assert ContactMessage.objects.get().body == "How did you staff the weekend reviews?"
    visitor.assert_every_page_passed()
