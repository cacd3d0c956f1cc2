"""Journey: an anonymous adopter reads an innovation on the public learning hub, reads the
narrative for patients and carers, filters learning to adaptations and sends feedback; the
innovation's lead answers it from the inbox; a facilitator publishes learning from a meeting and
it appears on the hub and in the Atom feed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from convening.models import Programme
from learning.models import Audience, Feedback, LearningEntry

from ..factories import (
    PASSWORD,
    InnovationFactory,
    LearningEntryFactory,
    MeetingFactory,
    NarrativeFactory,
)
from .conftest import BROWSER_TEST_MARKS, sign_out

pytestmark = BROWSER_TEST_MARKS

INNOVATION = "Virtual ward for frail older people"
PATIENTS_TEXT = "You stay at home, and a nurse checks on you every day."
ADAPTATION = "Calder ran the daily call from the GP surgery"
INSIGHT = "Families want one number to call"
FEEDBACK = "How do you cover weekends when the community team is closed?"
ANSWER = "Two sites share one weekend rota; we will add the details to the hub."
MEETING_LEARNING = "Pharmacists on the ward round cut discharge delays"


@pytest.fixture
def hub(programme, lead, space):
    programme.hub_visibility = Programme.HubVisibility.PUBLIC
    programme.save()
    innovation = InnovationFactory(
        programme=programme,
        name=INNOVATION,
        slug="virtual-ward",
        core_components="- A daily check by a named nurse",
        adaptable_elements="- Who makes the daily call",
    )
    for audience in Audience:
        body = PATIENTS_TEXT if audience == Audience.PATIENTS else f"For {audience.label}."
        NarrativeFactory(innovation=innovation, audience=audience, body=body)
    now = timezone.now()
    for title, kind in ((ADAPTATION, "adaptation"), (INSIGHT, "insight")):
        LearningEntryFactory(
            programme=programme,
            innovation=innovation,
            title=title,
            kind=kind,
            visibility="public",
            status="published",
            published_at=now - timedelta(days=2),
        )
    return innovation


def test_adopter_reads_the_hub_and_the_lead_answers(
    hub, programme, lead, facilitator, space, page, visitor, sign_in_through_form
):
    path = f"/learn/{programme.slug}/{hub.slug}/"
    visitor.visit("/learn/", "hub index, anonymous")
    page.get_by_role("link", name=programme.name).click()
    visitor.after_navigation("programme hub")
    page.get_by_role("link", name=INNOVATION).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(INNOVATION)
    visitor.after_navigation("innovation hub page")

    page.get_by_role("link", name="Patients and carers").click()
    expect(page.locator("#for-patients")).to_contain_text(PATIENTS_TEXT)
    visitor.after_navigation("narrative for patients and carers")

    page.get_by_label("Kind of learning").select_option(label="Adaptation")
    page.get_by_role("button", name="Show learning").click()
    expect(page.get_by_text("1 entry of kind “Adaptation”")).to_be_visible()
    visitor.after_navigation("learning filtered to adaptations")

    page.get_by_role("link", name="Send feedback to the innovator").first.click()
    visitor.after_navigation("feedback form")
    page.get_by_label("Your email address (optional)").fill("adopter@example.org")
    page.get_by_label("Question").check()
    page.get_by_label("Your feedback").fill(FEEDBACK)
    page.get_by_role("button", name="Send feedback to the innovator").click()
    visitor.after_navigation("feedback sent")
    feedback = Feedback.objects.get()
    assert feedback.body == FEEDBACK

    # The lead answers it from the inbox.
    sign_in_through_form(visitor, lead.email, PASSWORD)
    visitor.visit(f"/programmes/{programme.slug}/feedback/", "inbox")
    page.get_by_role("link", name=FEEDBACK).click()
    visitor.after_navigation("feedback page")
    page.get_by_label("Your answer").fill(ANSWER)
    page.get_by_role("button", name="Send reply").click()
    visitor.after_navigation("answered")
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.ANSWERED
    reply = [message for message in mail.outbox if message.to == ["adopter@example.org"]]
    assert len(reply) == 1
    assert ANSWER in reply[0].body
    sign_out(visitor)

    # A facilitator publishes learning captured at a meeting of their space.
    meeting = MeetingFactory(space=space, status="held")
    entry = LearningEntryFactory(
        programme=programme, source_meeting=meeting, title=MEETING_LEARNING, author=facilitator
    )
    sign_in_through_form(visitor, facilitator.email, PASSWORD)
    visitor.visit(f"/programmes/{programme.slug}/learning/{entry.pk}/", "draft from a meeting")
    page.get_by_role("button", name="Edit learning").click()
    visitor.after_navigation("editing the draft")
    page.get_by_label("Innovation", exact=True).select_option(label=INNOVATION)
    page.get_by_label("Public hub").check()
    page.get_by_role("button", name="Save learning").click()
    visitor.after_navigation("draft saved")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published on")).to_be_visible()
    visitor.after_navigation("published")
    entry.refresh_from_db()
    assert entry.status == LearningEntry.Status.PUBLISHED
    sign_out(visitor)

    visitor.visit(path, "hub after publishing")
    expect(page.get_by_role("link", name=MEETING_LEARNING).first).to_be_visible()
    feed = page.request.get(visitor.url(path + "feed/"))
    assert feed.status == 200
    assert MEETING_LEARNING in feed.text()
    visitor.assert_every_page_passed()
