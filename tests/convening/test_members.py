"""Members: invitations, accepting them, role changes and removal."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from convening.models import Invitation, Membership, User
from tests.factories import PASSWORD, MembershipFactory, UserFactory

MEMBERS = "/programmes/virtual-wards/members/"
INVITE = MEMBERS + "invite/"


def _link_token(mail) -> str:
    return re.search(r"/invitations/([\w-]+)/", mail.body).group(1)


def test_lead_invites_by_email_and_the_email_carries_a_single_use_link(
    as_user, lead, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(lead).post(
            INVITE, {"email": "New.Person@Example.org", "role": "facilitator"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.org"
    assert invitation.role == "facilitator"
    assert timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=7)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["new.person@example.org"]
    assert "Virtual wards across West Yorkshire" in mail.subject
    token = _link_token(mail)
    assert token not in invitation.token_hash  # only a hash of the token is stored
    assert "http://testserver/invitations/" in mail.body


def test_invite_by_htmx_returns_only_the_invitations_block(as_user, lead, mailoutbox):
    response = as_user(lead).post(
        INVITE, {"email": "someone@example.org", "role": "member"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="invitations"')
    assert "<html" not in body
    assert "Invitation sent to someone@example.org." in body
    assert "someone@example.org</td>" in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"email": "not-an-email", "role": "member"},
            "Enter an email address in the correct format",
        ),
        ({"email": "", "role": "member"}, "Enter an email address"),
        ({"email": "x@example.org", "role": "owner"}, "Choose lead, facilitator or member"),
        ({"email": "x@example.org", "role": ""}, "Choose a role"),
        ({"email": "a" * 250 + "@example.org", "role": "member"}, "254 characters or fewer"),
    ],
)
def test_bad_invitations_get_clear_messages_and_keep_the_input(as_user, lead, data, message):
    for htmx in (False, True):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        response = as_user(lead).post(INVITE, data, **headers)
        body = response.content.decode()
        assert message in body
        assert "There is a problem" in body
        if data["email"]:
            assert f'value="{data["email"]}"' in body
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_or_a_pending_invitee_twice_is_refused(as_user, lead, member):
    client = as_user(lead)
    response = client.post(INVITE, {"email": "MEMBER@example.org", "role": "member"})
    assert "already a member of the programme" in response.content.decode()
    client.post(INVITE, {"email": "twice@example.org", "role": "member"})
    response = client.post(INVITE, {"email": "twice@example.org", "role": "lead"})
    assert "already been invited" in response.content.decode()
    assert Invitation.objects.count() == 1


def _invite(programme, lead, email="new.person@example.org", role="facilitator"):
    return Invitation.issue(programme=programme, email=email, role=role, by=lead)


def test_accepting_creates_the_account_and_membership_and_signs_in(client, programme, lead):
    _, token = _invite(programme, lead)
    page = client.get(f"/invitations/{token}/")
    assert "Join Virtual wards across West Yorkshire" in page.content.decode()
    response = client.post(
        f"/invitations/{token}/", {"name": "New Person", "password": "a-long-enough-passphrase"}
    )
    assert response.headers["Location"] == "/programmes/virtual-wards/"
    user = User.objects.get(email="new.person@example.org")
    assert user.name == "New Person"
    assert Membership.objects.get(user=user).role == "facilitator"
    assert client.get("/programmes/").status_code == 200


def test_an_invitation_works_only_once(client, programme, lead):
    _, token = _invite(programme, lead)
    client.post(
        f"/invitations/{token}/", {"name": "New Person", "password": "a-long-enough-passphrase"}
    )
    client.logout()
    again = client.get(f"/invitations/{token}/")
    assert again.status_code == 410
    assert "This invitation cannot be used" in again.content.decode()


def test_an_expired_or_withdrawn_invitation_cannot_be_used(client, programme, lead):
    invitation, token = _invite(programme, lead)
    invitation.expires_at = timezone.now() - timedelta(seconds=1)
    invitation.save()
    assert client.get(f"/invitations/{token}/").status_code == 410
    withdrawn, token2 = _invite(programme, lead, email="other@example.org")
    as_lead = client
    as_lead.force_login(lead)
    as_lead.post(f"/programmes/virtual-wards/invitations/{withdrawn.pk}/withdraw/")
    as_lead.logout()
    assert client.get(f"/invitations/{token2}/").status_code == 410


def test_a_forged_token_is_refused(client, programme, lead):
    _invite(programme, lead)
    assert client.get("/invitations/not-a-real-token/").status_code == 410


def test_a_weak_password_is_refused_and_the_name_kept(client, programme, lead):
    _, token = _invite(programme, lead)
    response = client.post(f"/invitations/{token}/", {"name": "Kept Name", "password": "short"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "This password is too short" in body
    assert 'value="Kept Name"' in body
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_someone_with_an_account_signs_in_then_accepts(client, programme, lead):
    existing = UserFactory(email="new.person@example.org")
    _, token = _invite(programme, lead)
    page = client.get(f"/invitations/{token}/").content.decode()
    assert "Sign in to accept" in page
    assert f"/accounts/login/?next=/invitations/{token}/" in page
    client.login(email="new.person@example.org", password=PASSWORD)
    response = client.post(f"/invitations/{token}/")
    assert response.status_code == 302
    assert Membership.objects.get(user=existing).role == "facilitator"


def test_signed_in_as_someone_else_cannot_accept(as_user, programme, lead, member):
    _, token = _invite(programme, lead)
    response = as_user(member).post(f"/invitations/{token}/")
    assert response.status_code == 403
    assert "for someone else" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_lead_changes_a_role(as_user, programme, lead, member):
    membership = Membership.objects.get(user=member)
    as_user(lead).post(f"{MEMBERS}{membership.pk}/role/", {"role": "facilitator"})
    membership.refresh_from_db()
    assert membership.role == "facilitator"
    assert membership.history.count() == 2


def test_an_unknown_role_is_refused_with_a_message(as_user, programme, lead, member):
    membership = Membership.objects.get(user=member)
    response = as_user(lead).post(f"{MEMBERS}{membership.pk}/role/", {"role": "owner"}, follow=True)
    assert "Choose lead, facilitator or member" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "member"


def test_the_last_lead_cannot_be_removed_or_demoted(as_user, programme, lead):
    membership = Membership.objects.get(user=lead)
    client = as_user(lead)
    page = client.get(f"{MEMBERS}{membership.pk}/remove/").content.decode()
    assert "only lead" in page
    response = client.post(f"{MEMBERS}{membership.pk}/remove/", follow=True)
    assert "needs at least one lead" in response.content.decode()
    response = client.post(f"{MEMBERS}{membership.pk}/role/", {"role": "member"}, follow=True)
    assert "needs at least one lead" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "lead"


def test_a_lead_can_step_down_once_there_is_another_lead(as_user, programme, lead):
    MembershipFactory(programme=programme, role="lead")
    membership = Membership.objects.get(user=lead)
    as_user(lead).post(f"{MEMBERS}{membership.pk}/role/", {"role": "member"})
    membership.refresh_from_db()
    assert membership.role == "member"


def test_lead_removes_a_member(as_user, programme, lead, member):
    membership = Membership.objects.get(user=member)
    response = as_user(lead).post(f"{MEMBERS}{membership.pk}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_membership_of_another_programme_is_not_found(as_user, programme, lead):
    elsewhere = MembershipFactory(role="member")
    response = as_user(lead).post(f"{MEMBERS}{elsewhere.pk}/remove/")
    assert response.status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


def test_members_see_names_but_not_email_addresses(as_user, programme, lead, member):
    body = as_user(member).get(MEMBERS).content.decode()
    assert "Lead Person" in body
    assert "lead@example.org" not in body.replace(member.email, "")
    assert "Invite someone" not in body
