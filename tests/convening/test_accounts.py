"""The account pages (django-allauth) in our NHS.UK layout, and the sign-in rules behind them."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.totp.internal.auth import app_settings as mfa_settings
from django import forms
from django.contrib.auth import get_user
from django.template import Context, Origin, Template, engines

from tests.factories import PASSWORD, UserFactory

# allauth's code format: 8 letters in two groups of 4 (allauth.core.internal.cryptokit).
EMAILED_CODE = re.compile(r"^([A-Z]{4}-[A-Z]{4})$", re.MULTILINE)


def page_title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.DOTALL)
    assert match, "page has no <title>"
    return " ".join(match.group(1).split())


def assert_our_page(response, title: str) -> str:
    """The page is ours: the service header and footer, NHS.UK classes, our title, no sign-up
    offer, and nothing a strict Content Security Policy would block."""
    assert response.status_code == 200
    html = response.content.decode()
    assert page_title(response) == f"{title} – Convening"
    assert 'class="nhsuk-header' in html
    assert re.search(r"nhsuk-header__service-name[^>]*>\s*Convening\s*<", html)
    assert "Accessibility statement" in html
    heading = title.removeprefix("Error: ")
    assert html.count("<h1") == 1
    assert f'<h1 class="nhsuk-heading-l">{heading}</h1>' in html
    assert "sign up" not in html.lower()
    assert " style=" not in html
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script or "nonce=" in script, f"inline script without a nonce: {script}"
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    return html


def totp_code(secret: str) -> str:
    """The code an authenticator app would show now (allauth's own HOTP maths)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def turn_on_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def is_signed_in_as(client, user) -> bool:
    signed_in = get_user(client)
    return signed_in.is_authenticated and signed_in.pk == user.pk


@pytest.fixture
def sign_in(client):
    """Sign in through the real sign-in form, then confirm the password once more, as allauth
    asks before anyone changes their two-factor settings."""

    def sign_in_as(user, secret: str | None = None):
        response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
        assert response.status_code == 302
        if secret:
            assert response.url == "/accounts/2fa/authenticate/"
            response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
            assert response.status_code == 302
        assert is_signed_in_as(client, user)
        response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
        assert response.status_code == 302
        return client

    return sign_in_as


# Pages anyone can see.


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/accounts/login/", "Sign in"),
        ("/accounts/login/code/", "Sign in with a code sent by email"),
        ("/accounts/password/reset/", "Reset your password"),
        ("/accounts/password/reset/done/", "Your password has been changed"),
        ("/accounts/signup/", "You need an invitation to join"),
        ("/accounts/inactive/", "Your account is not active"),
    ],
)
def test_anonymous_account_page_renders_inside_our_layout(client, db, url, title):
    assert_our_page(client.get(url), title)


def test_sign_in_page_labels_its_fields_and_offers_the_other_ways_in(client, db):
    html = assert_our_page(client.get("/accounts/login/"), "Sign in")
    assert '<label class="nhsuk-label" for="id_login">Email address</label>' in html
    assert '<label class="nhsuk-label" for="id_password">Password</label>' in html
    assert 'class="nhsuk-input" id="id_login" name="login" type="email"' in html
    assert 'data-module="nhsuk-password-input"' in html
    assert "placeholder=" not in html
    assert '<button type="submit" class="nhsuk-button" data-module="nhsuk-button">' in html
    assert "Forgot your password?" in html
    assert 'href="/accounts/password/reset/"' in html
    assert "Sign in with a code sent by email" in html
    assert 'href="/accounts/login/code/"' in html
    assert "invites people to join" in html
    assert "/accounts/signup/" not in html


# Signing in with a password.


def test_signing_in_with_email_and_password_starts_a_session(client, member):
    response = client.post(
        "/accounts/login/", {"login": "member@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == "/programmes/"
    assert is_signed_in_as(client, member)


def test_signing_in_ignores_the_case_of_the_email_address(client, member):
    response = client.post(
        "/accounts/login/", {"login": "Member@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert is_signed_in_as(client, member)


def test_wrong_password_shows_an_error_summary_and_keeps_the_typed_email(client, member):
    response = client.post(
        "/accounts/login/", {"login": "member@example.org", "password": "not-the-password"}
    )
    html = assert_our_page(response, "Error: Sign in")
    assert 'class="nhsuk-error-summary"' in html
    assert '<div role="alert">' in html
    assert "There is a problem" in html
    # An error about the whole form links to its first field.
    assert re.search(r'<a href="#id_login">Enter a correct email address and password</a>', html)
    assert 'value="member@example.org"' in html
    assert 'value="not-the-password"' not in html
    assert not get_user(client).is_authenticated


def test_empty_sign_in_marks_each_field_and_links_to_it(client, db):
    html = assert_our_page(client.post("/accounts/login/", {}), "Error: Sign in")
    assert '<a href="#id_login">' in html
    assert '<a href="#id_password">' in html
    assert 'class="nhsuk-form-group nhsuk-form-group--error"' in html
    assert 'class="nhsuk-input nhsuk-input--error" id="id_login"' in html
    assert (
        '<span class="nhsuk-error-message" id="id_login-error">'
        '<span class="nhsuk-u-visually-hidden">Error: </span>'
    ) in html
    assert 'aria-describedby="id_login-error"' in html
    assert 'aria-invalid="true"' in html


def test_repeated_failed_sign_ins_for_one_account_are_refused_even_with_the_right_password(
    client, member
):
    # allauth's default login_failed limit: 5 failures per account in 5 minutes.
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"login": "member@example.org", "password": "guess-again-1"}
        )
        assert "Too many sign-in attempts with wrong details" not in response.content.decode()
    response = client.post(
        "/accounts/login/", {"login": "member@example.org", "password": PASSWORD}
    )
    html = assert_our_page(response, "Error: Sign in")
    assert "Too many sign-in attempts with wrong details" in html
    assert not get_user(client).is_authenticated


def test_signed_in_person_can_sign_out(sign_in, member):
    client = sign_in(member)
    assert_our_page(client.get("/accounts/logout/"), "Sign out")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/"
    assert not get_user(client).is_authenticated


# Signing in with an emailed code.


def test_asking_for_a_sign_in_code_emails_one_and_the_code_signs_you_in(client, member, mailoutbox):
    response = client.post("/accounts/login/code/", {"email": "member@example.org"})
    assert response.status_code == 302
    assert response.url == "/accounts/login/code/confirm/"
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["member@example.org"]
    assert email.subject == "Convening: Your sign-in code"
    code = EMAILED_CODE.search(email.body).group(1)

    html = assert_our_page(client.get("/accounts/login/code/confirm/"), "Check your email")
    assert "member@example.org" in html
    assert '<label class="nhsuk-label" for="id_code">Code</label>' in html
    assert 'autocomplete="one-time-code"' in html
    assert not get_user(client).is_authenticated

    response = client.post("/accounts/login/code/confirm/", {"code": code})
    assert response.status_code == 302
    assert response.url == "/programmes/"
    assert is_signed_in_as(client, member)


def test_a_wrong_sign_in_code_is_refused_with_an_error(client, member, mailoutbox):
    client.post("/accounts/login/code/", {"email": "member@example.org"})
    response = client.post("/accounts/login/code/confirm/", {"code": "BBBB-CCCC"})
    html = assert_our_page(response, "Error: Check your email")
    assert '<a href="#id_code">' in html
    assert not get_user(client).is_authenticated


# Resetting a password by code.


def test_password_reset_emails_a_code_that_lets_you_choose_a_new_password(
    client, member, mailoutbox
):
    response = client.post("/accounts/password/reset/", {"email": "member@example.org"})
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/confirm/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Convening: Your code to reset your password"
    code = EMAILED_CODE.search(mailoutbox[0].body).group(1)

    assert_our_page(client.get("/accounts/password/reset/confirm/"), "Check your email")
    response = client.post("/accounts/password/reset/confirm/", {"code": code})
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/complete/"

    html = assert_our_page(
        client.get("/accounts/password/reset/complete/"), "Choose a new password"
    )
    assert '<label class="nhsuk-label" for="id_password1">New password</label>' in html
    assert 'aria-describedby="id_password1-hint"' in html
    assert "at least 12 characters" in html

    new_password = "a-much-longer-new-passphrase"
    response = client.post(
        "/accounts/password/reset/complete/",
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/done/"
    member.refresh_from_db()
    assert member.check_password(new_password)


def test_password_reset_for_an_unknown_address_does_not_offer_to_sign_up(client, db, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "programme lead" in body
    assert "sign up" not in body.lower()
    assert "/accounts/signup/" not in body


def test_new_passwords_that_do_not_match_are_shown_next_to_the_field(client, member, mailoutbox):
    client.post("/accounts/password/reset/", {"email": "member@example.org"})
    code = EMAILED_CODE.search(mailoutbox[0].body).group(1)
    client.post("/accounts/password/reset/confirm/", {"code": code})
    response = client.post(
        "/accounts/password/reset/complete/",
        {"password1": "a-much-longer-new-passphrase", "password2": "something-else-entirely"},
    )
    html = assert_our_page(response, "Error: Choose a new password")
    assert '<a href="#id_password2">' in html
    assert '<span class="nhsuk-error-message" id="id_password2-error">' in html


# Sign-up is closed: people join by invitation.


def test_sign_up_page_explains_people_join_by_invitation_and_has_no_form(client, db):
    html = assert_our_page(client.get("/accounts/signup/"), "You need an invitation to join")
    assert "programme lead" in html
    assert "password1" not in html
    assert 'href="/accounts/login/"' in html


def test_posting_to_sign_up_creates_no_account(client, db):
    from convening.models import User

    client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": "a-long-enough-passphrase"},
    )
    assert not User.objects.filter(email="new@example.org").exists()


# Pages for a signed-in person.


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/accounts/password/change/", "Change your password"),
        ("/accounts/reauthenticate/", "Confirm it is you"),
        ("/accounts/2fa/", "Two-factor authentication"),
        ("/accounts/2fa/totp/activate/", "Set up an authenticator app"),
        ("/accounts/email/", "Your email addresses"),
    ],
)
def test_signed_in_account_page_renders_inside_our_layout(sign_in, member, url, title):
    assert_our_page(sign_in(member).get(url), title)


def test_password_change_page_words_its_fields_in_sentence_case(sign_in, member):
    html = assert_our_page(
        sign_in(member).get("/accounts/password/change/"), "Change your password"
    )
    assert '<label class="nhsuk-label" for="id_oldpassword">Current password</label>' in html
    assert '<label class="nhsuk-label" for="id_password2">Confirm new password</label>' in html
    # For password managers: which account the new password is for (unnamed, so never posted).
    assert '<input type="email" autocomplete="username" value="member@example.org"' in html
    assert 'href="/accounts/2fa/"' in html


def test_changing_password_with_a_wrong_current_password_shows_the_error(sign_in, member):
    response = sign_in(member).post(
        "/accounts/password/change/",
        {
            "oldpassword": "not-my-password",
            "password1": "a-much-longer-new-passphrase",
            "password2": "a-much-longer-new-passphrase",
        },
    )
    html = assert_our_page(response, "Error: Change your password")
    assert '<a href="#id_oldpassword">' in html


def test_person_without_a_password_can_set_one(as_user, db):
    person = UserFactory(email="invited@example.org")
    person.set_unusable_password()
    person.save()
    html = assert_our_page(as_user(person).get("/accounts/password/set/"), "Set a password")
    assert '<label class="nhsuk-label" for="id_password1">New password</label>' in html


def test_authenticator_setup_shows_the_qr_code_and_the_key_as_text(sign_in, member):
    client = sign_in(member)
    html = assert_our_page(
        client.get("/accounts/2fa/totp/activate/"), "Set up an authenticator app"
    )
    secret = client.session[SECRET_SESSION_KEY]
    assert re.search(r'<img [^>]*src="data:image/svg\+xml;base64,[^"]+"', html)
    assert 'alt="QR code to scan with your authenticator app"' in html
    assert f'<code id="authenticator-secret">{secret}</code>' in html
    assert 'inputmode="numeric"' in html


# allauth adds its "turned on" message after the transaction commits, as in production.
@pytest.mark.django_db(transaction=True)
def test_entering_the_app_code_turns_on_two_factor_authentication(sign_in, member):
    client = sign_in(member)
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    html = assert_our_page(client.get(response.url), "Recovery codes")
    codes = RecoveryCodes(
        Authenticator.objects.get(user=member, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    assert f"<code>{codes[0]}</code>" in html
    assert "Two-factor authentication is on" in html


def test_a_wrong_app_code_does_not_turn_on_two_factor_authentication(sign_in, member):
    client = sign_in(member)
    client.get("/accounts/2fa/totp/activate/")
    response = client.post("/accounts/2fa/totp/activate/", {"code": "000000x"})
    html = assert_our_page(response, "Error: Set up an authenticator app")
    assert '<a href="#id_code">' in html
    assert not Authenticator.objects.filter(user=member).exists()


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/accounts/2fa/", "Two-factor authentication"),
        ("/accounts/2fa/totp/deactivate/", "Turn off two-factor authentication"),
        ("/accounts/2fa/recovery-codes/", "Recovery codes"),
        ("/accounts/2fa/recovery-codes/generate/", "Create new recovery codes"),
        ("/accounts/2fa/reauthenticate/", "Confirm it is you"),
    ],
)
def test_two_factor_page_renders_inside_our_layout_for_someone_using_an_app(
    sign_in, lead, url, title
):
    secret = turn_on_totp(lead)
    RecoveryCodes.activate(lead)
    assert_our_page(sign_in(lead, secret).get(url), title)


def test_two_factor_overview_says_whether_the_app_is_on(sign_in, lead):
    client = sign_in(lead)
    html = assert_our_page(client.get("/accounts/2fa/"), "Two-factor authentication")
    assert "Off</strong>" in html
    assert "Set up an authenticator app" in html


# The second step of signing in for someone using an authenticator app.


def test_signing_in_with_an_authenticator_app_asks_for_the_code_after_the_password(client, lead):
    secret = turn_on_totp(lead)
    response = client.post("/accounts/login/", {"login": lead.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/authenticate/"
    assert not get_user(client).is_authenticated

    html = assert_our_page(
        client.get("/accounts/2fa/authenticate/"), "Enter the code from your authenticator app"
    )
    assert '<label class="nhsuk-label" for="id_code">Code</label>' in html

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response.url == "/programmes/"
    assert is_signed_in_as(client, lead)


def test_a_wrong_authenticator_code_does_not_sign_you_in(client, lead):
    turn_on_totp(lead)
    client.post("/accounts/login/", {"login": lead.email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    html = assert_our_page(response, "Error: Enter the code from your authenticator app")
    assert '<a href="#id_code">' in html
    assert not get_user(client).is_authenticated


# Leads must use two-factor authentication when REQUIRE_MFA_FOR_LEADS is on.


@pytest.fixture
def mfa_required_for_leads(settings):
    settings.REQUIRE_MFA_FOR_LEADS = True


@pytest.mark.usefixtures("mfa_required_for_leads")
def test_lead_without_an_authenticator_app_is_sent_to_set_one_up(as_user, lead):
    response = as_user(lead).get("/programmes/")
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/totp/activate/"


@pytest.mark.usefixtures("mfa_required_for_leads")
def test_htmx_request_from_a_lead_without_an_app_gets_a_client_redirect(as_user, lead):
    response = as_user(lead).get("/programmes/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/accounts/2fa/totp/activate/"


@pytest.mark.usefixtures("mfa_required_for_leads")
def test_member_is_not_asked_to_set_up_an_authenticator_app(as_user, member):
    assert as_user(member).get("/programmes/").status_code == 200


@pytest.mark.usefixtures("mfa_required_for_leads")
def test_lead_with_an_authenticator_app_reaches_their_programmes(client, lead):
    secret = turn_on_totp(lead)
    client.post("/accounts/login/", {"login": lead.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert client.get("/programmes/").status_code == 200


@pytest.mark.usefixtures("mfa_required_for_leads")
def test_lead_who_sets_up_an_app_after_signing_in_stays_signed_in(client, lead):
    client.post("/accounts/login/", {"login": lead.email, "password": PASSWORD})
    assert client.get("/programmes/").url == "/accounts/2fa/totp/activate/"
    turn_on_totp(lead)
    assert client.get("/programmes/").status_code == 200


# A session must have passed the second factor whenever the person has one, however it began.


@pytest.mark.parametrize("required", [True, False])
def test_session_that_skipped_the_authenticator_code_is_ended(as_user, lead, settings, required):
    settings.REQUIRE_MFA_FOR_LEADS = required
    turn_on_totp(lead)
    client = as_user(lead)  # signed in without passing the second factor
    response = client.get("/programmes/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/programmes/"
    assert not get_user(client).is_authenticated


def test_htmx_session_that_skipped_the_authenticator_code_is_sent_to_sign_in(as_user, lead):
    turn_on_totp(lead)
    response = as_user(lead).get("/programmes/", headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == "/accounts/login/?next=/programmes/"


# The admin's own sign-in form is not used: it had no second factor and no rate limit.


@pytest.mark.usefixtures("mfa_required_for_leads")
def test_admin_sign_in_sends_people_to_our_sign_in_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=%2Fadmin%2F"


@pytest.mark.usefixtures("mfa_required_for_leads")
def test_posting_a_password_to_the_admin_sign_in_does_not_sign_anyone_in(client, lead):
    lead.is_staff = True
    lead.save(update_fields=["is_staff"])
    turn_on_totp(lead)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": lead.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert not get_user(client).is_authenticated
    assert client.get("/admin/").status_code == 302


@pytest.mark.usefixtures("mfa_required_for_leads")
def test_staff_must_pass_the_authenticator_code_to_reach_the_admin(client, lead):
    lead.is_staff = True
    lead.is_superuser = True
    lead.save(update_fields=["is_staff", "is_superuser"])
    secret = turn_on_totp(lead)
    response = client.post("/accounts/login/", {"login": lead.email, "password": PASSWORD})
    assert response.url == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302  # not signed in yet
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert client.get("/admin/").status_code == 200


def test_wrong_passwords_through_the_admin_route_meet_our_lockout(client, lead):
    lead.is_staff = True
    lead.save(update_fields=["is_staff"])
    # The admin's form no longer checks passwords at all, so it cannot be used to guess them.
    for _ in range(30):
        response = client.post("/admin/login/", {"username": lead.email, "password": "wrong"})
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    # Where passwords are checked, five failures lock the account for a while.
    for _ in range(5):
        client.post("/accounts/login/?next=/admin/", {"login": lead.email, "password": "wrong"})
    response = client.post(
        "/accounts/login/?next=/admin/", {"login": lead.email, "password": PASSWORD}
    )
    assert "Too many sign-in attempts with wrong details" in response.content.decode()
    assert not get_user(client).is_authenticated


# The allauth elements, used directly, for forms we have not written a page for.


class ExampleForm(forms.Form):
    name = forms.CharField(help_text="As you would like it shown.")
    notes = forms.CharField(widget=forms.Textarea, required=False)
    agree = forms.BooleanField(label="I have saved my codes")

    def clean(self):
        raise forms.ValidationError("Something about the whole form.")


def render_elements(source: str, **context) -> str:
    # allauth's element tag needs the template to have a name.
    template = Template(
        "{% load allauth %}" + source,
        origin=Origin("<test>", template_name="test.html"),
        engine=engines["django"].engine,
    )
    return template.render(Context(context))


def test_fields_element_renders_each_widget_the_nhs_way():
    html = render_elements(
        "{% element fields form=form %}{% endelement %}",
        form=ExampleForm({"name": "", "notes": "Kept <b>as typed</b>"}),
    )
    assert '<label class="nhsuk-label" for="id_name">Name</label>' in html
    assert '<div class="nhsuk-hint" id="id_name-hint">As you would like it shown.</div>' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert '<textarea class="nhsuk-textarea" id="id_notes" name="notes"' in html
    assert "Kept &lt;b&gt;as typed&lt;/b&gt;</textarea>" in html
    assert '<div class="nhsuk-checkboxes" data-module="nhsuk-checkboxes">' in html
    assert (
        '<input class="nhsuk-checkboxes__input" id="id_agree" name="agree" type="checkbox"' in html
    )
    assert (
        '<label class="nhsuk-label nhsuk-checkboxes__label" for="id_agree">'
        "I have saved my codes</label>"
    ) in html


def test_form_element_puts_an_error_summary_above_a_failed_form():
    form = ExampleForm({"name": "Ada"})
    html = render_elements(
        '{% element form form=form method="post" action="/x/" %}{% slot body %}'
        "{% element fields form=form %}{% endelement %}{% endslot %}{% endelement %}",
        form=form,
    )
    summary = html[: html.index("<form")]
    assert 'class="nhsuk-error-summary"' in summary
    assert '<a href="#id_name">Something about the whole form.</a>' in summary
    assert '<a href="#id_agree">This field is required.</a>' in summary
    assert '<form method="post" action="/x/" novalidate>' in html


def test_form_element_shows_no_error_summary_for_an_unsubmitted_form():
    html = render_elements(
        '{% element form form=form method="post" %}{% endelement %}', form=ExampleForm()
    )
    assert "nhsuk-error-summary" not in html


def test_too_many_requests_get_our_own_page(client, db):
    statuses = []
    for _ in range(32):
        response = client.post("/accounts/login/", {"login": "x@example.org", "password": "x"})
        statuses.append(response.status_code)
    assert statuses[-1] == 429
    body = response.content.decode()
    assert "<title>Too many requests – Convening</title>" in body
    assert "Wait a few minutes" in body


def test_an_empty_sign_in_says_which_box_needs_what(client, db):
    body = client.post("/accounts/login/", {"login": "", "password": ""}).content.decode()
    assert "Enter your email address" in body
    assert "Enter your password" in body
    assert "This field is required" not in body
