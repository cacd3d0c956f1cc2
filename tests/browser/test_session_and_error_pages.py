"""The session timeout warning, and our pages for forms that cannot be accepted (too large, or
without a valid CSRF token) and for what was typed while signed out: keyboard focus and axe."""

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
