"""Who reaches NHS sign-in's two addresses. They sit inside allauth's URL tree (so the URL sweep
in tests/test_url_access_coverage.py leaves them out) but run our views: everyone may start a
sign-in, signed in or not, and with no provider configured both answer 404 to everyone."""

import pytest

from tests.access import OK, VISITORS, AccessCase, cases_by_id, check_access
from tests.oidc_provider import nhs_sign_in_against

LOGIN_URL = "/accounts/oidc/nhs/login/"
CALLBACK_URL = "/accounts/oidc/nhs/login/callback/"
EVERYONE = dict.fromkeys(VISITORS, OK)
REFUSED = dict.fromkeys(VISITORS, 401)

CONFIGURED = [
    # A GET shows a page with a button; nothing is sent to the provider until it is pressed.
    AccessCase("openid_connect_login", LOGIN_URL, EVERYONE),
    # Pressing it sends the browser to the provider (the check below says where).
    AccessCase("openid_connect_login", LOGIN_URL, EVERYONE, method="post"),
    # Coming back with no sign-in under way is an error page (401), not a sign-in; the
    # provider may also send people back with a POST (its "form_post" response mode).
    AccessCase("openid_connect_callback", CALLBACK_URL + "?code=made-up&state=made-up", REFUSED),
    AccessCase("openid_connect_callback", CALLBACK_URL, REFUSED, method="post"),
]
NOT_CONFIGURED = [
    AccessCase("openid_connect_login", LOGIN_URL, dict.fromkeys(VISITORS, 404)),
    AccessCase("openid_connect_login", LOGIN_URL, dict.fromkeys(VISITORS, 404), method="post"),
    AccessCase("openid_connect_callback", CALLBACK_URL, dict.fromkeys(VISITORS, 404)),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.fixture
def identity_provider(settings, db):
    with nhs_sign_in_against(settings) as provider:
        yield provider


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CONFIGURED))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, identity_provider, htmx):
    check_access(client, case, visitor, users, {}, htmx=htmx)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(NOT_CONFIGURED))
def test_access_with_no_provider(client, case, visitor, users):
    check_access(client, case, visitor, users, {})


def test_starting_a_sign_in_goes_to_the_configured_provider_only(client, identity_provider):
    response = client.post(LOGIN_URL)
    assert response["Location"].startswith(f"{identity_provider.issuer}/authorize?")


def test_a_callback_with_no_sign_in_under_way_signs_nobody_in(client, identity_provider, member):
    response = client.get(CALLBACK_URL + "?code=made-up&state=made-up")
    assert response.status_code == 401
    assert "Sign-in with your work account did not work" in response.content.decode()
    assert "_auth_user_id" not in client.session
