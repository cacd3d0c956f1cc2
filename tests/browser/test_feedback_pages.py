"""The feedback inbox in a real browser: the inbox (with feedback and empty), a feedback page
before and after a reply, and acknowledging with htmx all pass axe-core's WCAG 2.2 A and AA
rules; the htmx swap announces the change and moves focus to the status heading."""

import re

import pytest
from playwright.sync_api import expect

from learning.models import Feedback

from ..factories import FeedbackFactory, InnovationFactory
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

INBOX = "/programmes/virtual-wards/feedback/"
QUESTION = "How do you staff the virtual ward at weekends?"


@pytest.fixture
def feedback(programme):
    wards = InnovationFactory(programme=programme, name="Virtual ward for frailty", slug="frailty")
    monitoring = InnovationFactory(programme=programme, name="Remote monitoring", slug="remote")
    return {
        "question": FeedbackFactory(
            innovation=wards,
            name="Sam Adopter",
            email="sam@example.org",
            site="Calderdale Royal",
            kind="question",
            body=f"{QUESTION}\nWe have two nurses.\n\n<script>alert('x')</script>",
        ),
        "problem": FeedbackFactory(
            innovation=monitoring,
            name="",
            email="",
            site="",
            kind="problem",
            status="acknowledged",
            body="The readings upload twice.",
        ),
    }


def test_the_inbox_passes_axe_with_feedback_and_empty(
    feedback, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(INBOX)
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback to innovators")
    expect(page.locator("#new-count")).to_contain_text("1 new item")
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Anonymous")
    expect(rows.last).to_contain_text(QUESTION)
    page.get_by_label("Status").select_option("answered")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"status=answered"))
    visitor.after_navigation("filtered to answered: none")
    expect(page.locator("main")).to_contain_text("No feedback matches these filters")
    Feedback.objects.all().delete()
    visitor.visit(INBOX, state="empty")
    expect(page.locator("main")).to_contain_text("Nothing is waiting for an answer")
    visitor.assert_every_page_passed()


def test_a_lead_acknowledges_with_htmx_and_replies(
    feedback, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(INBOX)
    page.get_by_role("link", name=QUESTION).click()
    page.wait_for_url(re.compile(r"/feedback/\d+/$"))
    visitor.after_navigation("new feedback")
    expect(page.locator("#feedback-text")).to_contain_text("<script>alert('x')</script>")
    address = page.url

    page.get_by_role("button", name="Mark as acknowledged").click()
    expect(page.locator("#status-notice")).to_have_text("Marked as acknowledged.")
    expect(page.locator("#status-heading")).to_be_focused()
    expect(page.get_by_role("button", name="Mark as new")).to_be_visible()
    assert page.url == address  # swapped in place, not a new page
    visitor.after_navigation("after acknowledging, htmx swap")

    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter your answer")
    visitor.after_navigation("reply sent empty")
    page.get_by_label("Your answer").fill("We share a rota across two wards.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("main")).to_contain_text("Your answer was sent to sam@example.org.")
    visitor.after_navigation("after the reply")
    page.get_by_role("button", name="Publish the answer as learning").click()
    expect(page.locator("main")).to_contain_text("The answer is published as learning")
    expect(page.get_by_role("link", name=QUESTION)).to_be_visible()
    visitor.after_navigation("after publishing")
    feedback["question"].refresh_from_db()
    assert feedback["question"].status == Feedback.Status.ANSWERED
    assert feedback["question"].answer_entry is not None
    visitor.assert_every_page_passed()


def test_feedback_without_an_email_passes_axe(
    feedback, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(f"{INBOX}{feedback['problem'].pk}/")
    expect(page.locator("main")).to_contain_text("a reply cannot be emailed")
    page.get_by_label("Your answer").fill("Fixed in the next release.")
    page.get_by_role("button", name="Save answer").click()
    expect(page.locator("main")).to_contain_text("Your answer was saved.")
    visitor.after_navigation("answer saved")
    visitor.assert_every_page_passed()
