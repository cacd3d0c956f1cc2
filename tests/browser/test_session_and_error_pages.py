"""The session timeout warning, and our pages for forms that cannot be accepted (too large, or
without a valid CSRF token) and for what was typed while signed out: keyboard focus and axe."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

ADD_PERSON = "/programmes/virtual-wards/people/new/"


def test_when_the_time_is_up_the_warning_says_so_and_offers_sign_in(
    settings, lead, context, page, visitor, sign_in_by_cookie
):
    settings.SESSION_IDLE_SECONDS = 4
    settings.SESSION_WARNING_SECONDS = 2
    sign_in_by_cookie(context, lead)
    visitor.visit(ADD_PERSON)

    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="You have been signed out")).to_be_visible(
        timeout=10_000
    )
    expect(dialog.get_by_role("link", name="Sign in again")).to_be_focused()
    visitor.after_navigation("session ended")
    visitor.assert_every_page_passed()


def test_a_form_with_a_stale_token_gets_our_page_with_what_was_typed(
    lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(ADD_PERSON)
    page.locator("#id_name").fill("Priya Shah")
    form = page.locator("main form").filter(has=page.locator("#id_name"))
    form.locator("input[name='csrfmiddlewaretoken']").evaluate(
        "input => { input.value = 'stale'.repeat(13).slice(0, 64); }"
    )
    page.context.clear_cookies(name="csrftoken")
    page.get_by_role("button", name="Save person").click()
    visitor.after_navigation("CSRF failure")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your form could not be sent")
    expect(page.get_by_text("Priya Shah")).to_be_visible()
    visitor.assert_every_page_passed()


@pytest.mark.usefixtures("programme")
def test_the_page_for_what_was_typed_while_signed_out_passes_axe(
    lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit("/signed-out-changes/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What you typed before you were signed out"
    )
    visitor.assert_every_page_passed()


def test_the_warning_takes_focus_and_staying_signed_in_gives_it_back(
    settings, lead, context, page, visitor, sign_in_by_cookie
):
    settings.SESSION_IDLE_SECONDS = 60
    settings.SESSION_WARNING_SECONDS = 58
    sign_in_by_cookie(context, lead)
    visitor.visit(ADD_PERSON)
    name = page.locator("#id_name")
    name.fill("Priya Shah")
    name.focus()

    dialog = page.get_by_role("dialog")
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused(timeout=10_000)
    visitor.after_navigation("session warning")
    stay.click()

    expect(dialog).to_be_hidden()
    expect(name).to_be_focused()
    expect(name).to_have_value("Priya Shah")
    visitor.assert_every_page_passed()


def test_a_form_too_large_to_accept_gets_our_page_and_a_way_back(
    lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(ADD_PERSON)
    page.locator("#id_job_title").evaluate("input => { input.value = 'x'.repeat(2_700_000); }")
    page.locator("#id_name").fill("Priya Shah")
    page.get_by_role("button", name="Save person").click()
    visitor.after_navigation("too large")

    expect(page.get_by_role("heading", level=1)).to_have_text("What you sent is too large")
    back = page.get_by_role("link", name="Go back to the page you were on")
    expect(back).to_have_attribute("href", re.compile(re.escape(ADD_PERSON) + "$"))
    visitor.assert_every_page_passed()
