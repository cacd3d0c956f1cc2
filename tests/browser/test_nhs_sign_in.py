"""NHS sign-in in a real browser: the button on the sign-in page, the round trip through the
loopback OpenID Connect provider (tests/oidc_provider.py), and the refusal page, each checked
with axe-core."""

import pytest
from playwright.sync_api import expect

from convening.models import Invitation, Membership
from tests.factories import ProgrammeFactory
from tests.oidc_provider import Person, nhs_sign_in_against

from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS


@pytest.fixture
def identity_provider(settings, live_server):
    with nhs_sign_in_against(settings, site_url=live_server.url) as provider:
        yield provider


def test_an_invited_person_signs_in_with_their_work_account(page, visitor, identity_provider):
    programme = ProgrammeFactory(name="Frailty virtual wards")
    Invitation.issue(
        programme=programme, email="sam.okafor@nhs.net", role=Membership.Role.MEMBER, by=None
    )
    identity_provider.person = Person(sub="entra-1", email="sam.okafor@nhs.net")

    visitor.visit("/accounts/login/", state="signed out, NHS sign-in on")
    button = page.get_by_role("button", name="Sign in with your NHS work account")
    expect(button).to_be_visible()
    button.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    visitor.after_navigation("after NHS sign-in")

    expect(page.locator(".nhsuk-notification-banner").first).to_contain_text(
        "Welcome to Frailty virtual wards"
    )
    expect(page.get_by_role("link", name="Frailty virtual wards").first).to_be_visible()

    visitor.visit("/accounts/3rdparty/", state="the work account page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work account")
    expect(page.get_by_label("NHS work account: sam.okafor@nhs.net")).to_be_visible()
    visitor.assert_every_page_passed()


def test_the_page_before_leaving_for_the_provider_passes_axe(page, visitor, identity_provider):
    # Reached by a plain link (a GET), it asks before sending anyone to the provider.
    visitor.visit("/accounts/oidc/nhs/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in with your NHS work account")
    expect(page.get_by_role("button", name="Continue")).to_be_visible()
    visitor.assert_every_page_passed()


def test_someone_with_no_invitation_is_told_what_to_do(page, visitor, identity_provider):
    identity_provider.person = Person(sub="entra-2", email="stranger@nhs.net")

    visitor.visit("/accounts/login/")
    page.get_by_role("button", name="Sign in with your NHS work account").click()
    page.wait_for_url("**/accounts/oidc/nhs/login/callback/**")
    visitor.after_navigation("refused: no invitation")

    expect(page.get_by_role("heading", level=1)).to_have_text("You need an invitation to join")
    expect(page.locator("main")).to_contain_text("stranger@nhs.net")
    visitor.assert_every_page_passed()
