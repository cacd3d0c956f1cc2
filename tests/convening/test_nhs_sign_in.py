"""NHS sign-in with a work Microsoft account, end to end against a real OpenID Connect provider
on loopback (tests/oidc_provider.py): allauth's own flow, the provider's discovery, keys,
authorise, token and userinfo endpoints, and the ID token's signature."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount

from convening.models import Invitation, Membership, User
from tests.convening.test_accounts import EMAILED_CODE, totp_code, turn_on_totp
from tests.factories import ProgrammeFactory, UserFactory
from tests.oidc_provider import Person, nhs_sign_in_against

SIGN_IN_BUTTON = "Sign in with your NHS work account"
PASSWORD = "a-long-password-for-tests"


@pytest.fixture
def identity_provider(settings, db):
    with nhs_sign_in_against(settings) as provider:
        yield provider


def sign_in_with_work_account(client, provider, person: Person, *, next_url: str = ""):
    """Press the button, follow the browser's redirects to the provider and back; returns the
    response to the callback."""
    provider.person = person
    start = "/accounts/oidc/nhs/login/" + (f"?next={next_url}" if next_url else "")
    response = client.post(start)
    assert response.status_code == 302, response.content[:300]
    authorise = response["Location"]
    assert authorise.startswith(f"{provider.issuer}/authorize?"), authorise
    query = parse_qs(urlsplit(authorise).query)
    assert query["code_challenge_method"] == ["S256"]
    back = requests.get(authorise, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text[:300]
    callback = back.headers["Location"]
    assert callback.startswith("http://testserver/accounts/oidc/nhs/login/callback/?code="), (
        callback
    )
    return client.get(callback.removeprefix("http://testserver"))


def signed_in_user(client):
    response = client.get("/programmes/")
    return response.wsgi_request.user if response.status_code == 200 else None


def person(email="sam.okafor@nhs.net", **claims) -> Person:
    return Person(sub=f"entra-{email}", email=email, **claims)


# The button --------------------------------------------------------------------------------


def test_without_settings_there_is_no_button_and_no_provider(client, db):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert SIGN_IN_BUTTON not in page.content.decode()
    assert "/accounts/oidc/" not in page.content.decode()
    assert client.post("/accounts/oidc/nhs/login/").status_code == 404
    assert client.get("/accounts/oidc/nhs/login/callback/?code=x&state=y").status_code == 404


def test_with_settings_the_sign_in_page_has_the_button(client, identity_provider):
    page = client.get("/accounts/login/?next=/programmes/").content.decode()
    assert SIGN_IN_BUTTON in page
    assert 'action="/accounts/oidc/nhs/login/?process=login&amp;next=%2Fprogrammes%2F"' in page
    # Password and code sign-in are still offered beside it.
    assert 'name="password"' in page
    assert "Sign in with a code sent by email" in page


def test_the_settings_build_the_app_from_the_tenant(monkeypatch):
    import importlib

    from convening import settings as project_settings

    monkeypatch.setenv("NHS_SIGN_IN_TENANT", "11111111-2222-3333-4444-555555555555")
    monkeypatch.setenv("NHS_SIGN_IN_CLIENT_ID", "client")
    monkeypatch.setenv("NHS_SIGN_IN_SECRET", "secret")
    monkeypatch.setenv("NHS_SIGN_IN_NAME", "NHSmail account")
    try:
        built = importlib.reload(project_settings)
        (app,) = built.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
        assert app["name"] == "NHSmail account"
        assert app["settings"]["server_url"] == (
            "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0"
        )
        # The button's post is redirected there, which the browser checks against form-action.
        form_action = built.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"]
        assert form_action == ["'self'", "https://login.microsoftonline.com"]
        monkeypatch.delenv("NHS_SIGN_IN_SECRET")
        with pytest.raises(Exception, match="NHS_SIGN_IN_SECRET"):
            importlib.reload(project_settings)
    finally:
        monkeypatch.delenv("NHS_SIGN_IN_TENANT")
        monkeypatch.delenv("NHS_SIGN_IN_CLIENT_ID")
        monkeypatch.delenv("NHS_SIGN_IN_SECRET", raising=False)
        monkeypatch.delenv("NHS_SIGN_IN_NAME")
        importlib.reload(project_settings)


# Linking ------------------------------------------------------------------------------------


def test_first_sign_in_links_the_account_with_the_same_verified_email(client, identity_provider):
    user = UserFactory(email="Sam.Okafor@nhs.net")
    user.set_password(PASSWORD)
    user.save()

    response = sign_in_with_work_account(
        client, identity_provider, person(), next_url="/programmes/"
    )

    assert response.status_code == 302
    assert response["Location"] == "/programmes/"
    assert signed_in_user(client) == user
    account = SocialAccount.objects.get(user=user)
    assert account.provider == "nhs"
    assert account.uid == "entra-sam.okafor@nhs.net"
    assert identity_provider.userinfo_requests == 1
    # Signing in with a password still works afterwards: nothing was wiped.
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_later_sign_ins_use_the_linked_account(client, identity_provider):
    user = UserFactory(email="sam.okafor@nhs.net")
    sign_in_with_work_account(client, identity_provider, person())
    client.logout()

    sign_in_with_work_account(client, identity_provider, person())

    assert signed_in_user(client) == user
    assert SocialAccount.objects.filter(user=user).count() == 1


def test_an_invited_person_without_an_account_gets_one_and_joins(client, identity_provider):
    programme = ProgrammeFactory(name="Frailty virtual wards")
    Invitation.issue(
        programme=programme, email="sam.okafor@nhs.net", role=Membership.Role.FACILITATOR, by=None
    )

    response = sign_in_with_work_account(client, identity_provider, person(name="Sam Okafor"))

    assert response.status_code == 302
    user = User.objects.get(email="sam.okafor@nhs.net")
    assert user.name == "Sam Okafor"
    assert not user.has_usable_password()
    assert Membership.objects.get(programme=programme, user=user).role == "facilitator"
    assert Invitation.objects.get().accepted_by == user
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Welcome to Frailty virtual wards. You are a facilitator." in page


def test_someone_with_no_account_or_invitation_is_refused(client, identity_provider):
    UserFactory(email="someone.else@nhs.net")

    response = sign_in_with_work_account(client, identity_provider, person())

    assert response.status_code == 403
    page = response.content.decode()
    assert "You need an invitation to join" in page
    assert "No Convening account or invitation uses sam.okafor@nhs.net" in page
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="sam.okafor@nhs.net").exists()
    assert not SocialAccount.objects.exists()


def test_a_used_or_withdrawn_invitation_does_not_let_anyone_in(client, identity_provider):
    programme = ProgrammeFactory()
    invitation, _token = Invitation.issue(
        programme=programme, email="sam.okafor@nhs.net", role="member", by=None
    )
    invitation.revoked_at = invitation.created_at
    invitation.save()

    response = sign_in_with_work_account(client, identity_provider, person())

    assert response.status_code == 403
    assert not User.objects.filter(email="sam.okafor@nhs.net").exists()


@pytest.mark.parametrize("email_verified", [False, None], ids=["false", "missing"])
def test_an_unverified_email_is_not_linked(client, identity_provider, email_verified):
    user = UserFactory(email="sam.okafor@nhs.net")
    Invitation.issue(programme=ProgrammeFactory(), email=user.email, role="member", by=None)

    response = sign_in_with_work_account(
        client, identity_provider, person(email_verified=email_verified)
    )

    assert response.status_code == 403
    assert "We could not confirm your email address" in response.content.decode()
    assert signed_in_user(client) is None
    assert not SocialAccount.objects.exists()


def test_entra_ids_domain_owner_claim_counts_as_verified(client, identity_provider):
    user = UserFactory(email="sam.okafor@nhs.net")

    sign_in_with_work_account(client, identity_provider, person(email_verified=None, xms_edov=True))

    assert signed_in_user(client) == user


def test_an_id_token_signed_with_a_key_the_provider_does_not_publish_is_refused(
    client, identity_provider
):
    UserFactory(email="sam.okafor@nhs.net")
    identity_provider.sign_with_unpublished_key()

    response = sign_in_with_work_account(client, identity_provider, person())

    assert "Sign-in with your work account did not work" in response.content.decode()
    assert signed_in_user(client) is None
    assert not SocialAccount.objects.exists()


def test_password_and_code_sign_in_still_work_with_the_provider_on(
    client, identity_provider, mailoutbox
):
    user = UserFactory(email="sam.okafor@nhs.net")
    user.set_password(PASSWORD)
    user.save()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in_user(client) == user
    client.logout()

    client.post("/accounts/login/code/", {"email": user.email})
    code = EMAILED_CODE.search(mailoutbox[-1].body).group(1)
    client.post("/accounts/login/code/confirm/", {"code": code})
    assert signed_in_user(client) == user


# MFA for leads --------------------------------------------------------------------------------


@pytest.fixture
def lead_with_work_account(programme, settings):
    settings.REQUIRE_MFA_FOR_LEADS = True
    user = UserFactory(email="sam.okafor@nhs.net")
    Membership.objects.create(programme=programme, user=user, role=Membership.Role.LEAD)
    return user


def test_the_providers_mfa_meets_the_rule_for_leads(
    client, identity_provider, lead_with_work_account
):
    sign_in_with_work_account(client, identity_provider, person(amr=["pwd", "mfa"]))

    page = client.get("/programmes/virtual-wards/")
    assert page.status_code == 200
    assert page.wsgi_request.user == lead_with_work_account


def test_without_the_providers_mfa_a_lead_must_set_up_ours(
    client, identity_provider, lead_with_work_account
):
    sign_in_with_work_account(client, identity_provider, person(amr=["pwd"]))

    page = client.get("/programmes/virtual-wards/")
    assert page.status_code == 302
    assert page["Location"] == "/accounts/2fa/totp/activate/"


def test_an_entra_authentication_context_counts_when_configured(
    client, identity_provider, lead_with_work_account, settings
):
    settings.NHS_SIGN_IN_MFA_AUTH_CONTEXT = "c1"
    identity_provider.extra_id_token_claims = {"acrs": ["c1"]}

    response = client.post("/accounts/oidc/nhs/login/")
    claims = parse_qs(urlsplit(response["Location"]).query)["claims"]
    assert claims == ['{"id_token": {"acrs": {"essential": true, "value": "c1"}}}']
    sign_in_with_work_account(client, identity_provider, person(amr=[]))

    assert client.get("/programmes/virtual-wards/").status_code == 200


def test_a_lead_with_our_authenticator_is_not_asked_for_it_when_the_provider_did_mfa(
    client, identity_provider, lead_with_work_account
):
    turn_on_totp(lead_with_work_account)

    response = sign_in_with_work_account(client, identity_provider, person(amr=["pwd", "mfa"]))

    assert response["Location"] != "/accounts/2fa/authenticate/"
    assert client.get("/programmes/virtual-wards/").status_code == 200


def test_a_lead_with_our_authenticator_gives_its_code_when_the_provider_did_not(
    client, identity_provider, lead_with_work_account
):
    secret = turn_on_totp(lead_with_work_account)

    response = sign_in_with_work_account(client, identity_provider, person(amr=["pwd"]))

    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_user(client) is None
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/programmes/virtual-wards/").status_code == 200
    assert Authenticator.objects.filter(user=lead_with_work_account).count() == 1


# Connecting from the account page ---------------------------------------------------------


def test_a_signed_in_person_connects_a_work_account_with_another_email(client, identity_provider):
    user = UserFactory(email="sam@example.org")
    other = UserFactory(email="sam.okafor@nhs.net")
    client.force_login(user)
    page = client.get("/accounts/3rdparty/").content.decode()
    assert "No work account is connected" in page
    assert 'action="/accounts/oidc/nhs/login/?process=connect"' in page

    provider_person = person()
    identity_provider.person = provider_person
    response = client.post("/accounts/oidc/nhs/login/?process=connect")
    back = requests.get(response["Location"], allow_redirects=False, timeout=10)
    client.get(back.headers["Location"].removeprefix("http://testserver"))

    # Joined to the person signed in, not to the account that has the work account's email.
    assert SocialAccount.objects.get().user == user
    assert not SocialAccount.objects.filter(user=other).exists()
    client.logout()
    sign_in_with_work_account(client, identity_provider, provider_person)
    assert signed_in_user(client) == user


def test_the_account_pages_link_to_the_work_account_only_when_it_is_on(client, db, settings):
    user = UserFactory()
    client.force_login(user)
    assert "Your work account" not in client.get("/accounts/password/change/").content.decode()
    with nhs_sign_in_against(settings):
        page = client.get("/accounts/password/change/").content.decode()
    assert '<a href="/accounts/3rdparty/">Your work account</a>' in page
