"""The API tokens page in a real browser: making a token and revoking it pass axe-core's WCAG
2.2 A and AA rules; the API's Swagger UI docs run under our content security policy."""

from django.utils import timezone
from playwright.sync_api import expect

from convening.models import ApiToken

from .conftest import BROWSER_TEST_MARKS, PageProblems

pytestmark = BROWSER_TEST_MARKS

TOKENS = "/accounts/api-tokens/"


def test_a_lead_makes_and_revokes_a_token(
    programme, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(TOKENS)
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")

    page.get_by_role("button", name="Make token").click()
    visitor.after_navigation("with errors")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a name for the token")

    day = timezone.localdate() + timezone.timedelta(days=90)
    page.get_by_label("Name").fill("Monthly report")
    page.get_by_label(programme.name).check()
    page.get_by_label("Read only").check()
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_role("button", name="Make token").click()
    visitor.after_navigation("new token shown")
    token_text = page.locator(".convening-token").inner_text()
    assert ApiToken.objects.authenticate(token_text) is not None

    page.get_by_role("button", name="Revoke Monthly report").click()
    visitor.after_navigation("revoked")
    expect(page.locator("main table")).to_contain_text("Revoked")
    assert ApiToken.objects.authenticate(token_text) is None
    visitor.assert_every_page_passed()


def test_the_api_docs_run_under_our_policy(page, live_server):
    problems = PageProblems()
    problems.watch(page)
    page.goto(f"{live_server.url}/api/docs")
    expect(page.locator(".swagger-ui .title")).to_contain_text("Convening API")
    expect(page.get_by_text("/api/programmes/{slug}/meetings", exact=True).first).to_be_visible()
    problems.assert_none("/api/docs")
