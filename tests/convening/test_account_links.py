"""A member's account and their person record are linked in either order, and leads can fix it."""

from convening.models import Invitation, Participant
from tests.factories import (
    AdaptiveSpaceFactory,
    MembershipFactory,
    ParticipantFactory,
    SpaceMemberFactory,
    UserFactory,
)

P = "/programmes/virtual-wards"
PERSON = {"name": "Sam Okafor", "role_group": "clinical"}


def _accepted_member(client, programme, lead, email="sam@example.org", role="member"):
    invitation, token = Invitation.issue(programme=programme, email=email, role=role, by=lead)
    client.post(
        f"/invitations/{token}/", {"name": "Sam Okafor", "password": "a-long-enough-passphrase"}
    )
    client.logout()
    return invitation


def test_a_person_added_after_the_member_accepted_is_linked_to_their_account(
    client, as_user, programme, lead
):
    _accepted_member(client, programme, lead)
    as_user(lead).post(P + "/people/new/", {**PERSON, "email": "Sam@Example.org"})
    person = Participant.objects.get(name="Sam Okafor")
    assert person.user is not None
    assert person.user.email == "sam@example.org"


def test_a_facilitator_added_as_a_person_after_accepting_can_log_their_spaces_meetings(
    client, as_user, programme, lead
):
    _accepted_member(client, programme, lead, role="facilitator")
    as_user(lead).post(P + "/people/new/", {**PERSON, "email": "sam@example.org"})
    person = Participant.objects.get(name="Sam Okafor")
    space = AdaptiveSpaceFactory(programme=programme, slug="discharge")
    SpaceMemberFactory(space=space, participant=person, role="facilitator")
    client.force_login(person.user)
    assert "discharge" in client.get("/my-spaces/").content.decode()
    assert client.get(P + "/spaces/discharge/meetings/log/").status_code == 200


def test_a_person_added_before_the_invitation_is_linked_when_it_is_accepted(
    client, programme, lead
):
    person = ParticipantFactory(programme=programme, email="sam@example.org")
    _accepted_member(client, programme, lead)
    person.refresh_from_db()
    assert person.user is not None
    assert person.user.email == "sam@example.org"


def test_an_email_typed_later_links_the_person(as_user, programme, lead, member):
    person = ParticipantFactory(programme=programme, email="")
    as_user(lead).post(
        f"{P}/people/{person.pk}/edit/",
        {**PERSON, "email": "member@example.org", "version": person.version},
    )
    person.refresh_from_db()
    assert person.user == member


def test_a_person_is_not_linked_to_someone_outside_the_programme(programme, outsider):
    person = ParticipantFactory(programme=programme, email=outsider.email)
    assert person.user is None


def test_a_member_already_linked_is_not_linked_to_a_second_person(programme, member):
    first = ParticipantFactory(programme=programme, email="member@example.org")
    assert first.user == member
    first.email = "other@example.org"
    first.save()
    second = ParticipantFactory(programme=programme, email="member@example.org")
    assert second.user is None


def test_the_lead_sees_the_linked_account_on_the_persons_page(as_user, programme, lead, member):
    person = ParticipantFactory(programme=programme, email="member@example.org")
    body = as_user(lead).get(f"{P}/people/{person.pk}/edit/").content.decode()
    assert "signs in as member@example.org" in body
    assert "Save linked account" in body


def test_a_facilitator_sees_the_link_but_no_control(as_user, programme, facilitator, member):
    person = ParticipantFactory(programme=programme, email="member@example.org")
    body = as_user(facilitator).get(f"{P}/people/{person.pk}/edit/").content.decode()
    assert "signs in as member@example.org" in body
    assert "Save linked account" not in body


def test_the_lead_links_and_unlinks_an_account(as_user, programme, lead, member):
    person = ParticipantFactory(programme=programme, email="different@example.org")
    assert person.user is None
    client = as_user(lead)
    url = f"{P}/people/{person.pk}/account/"
    response = client.post(url, {"account": member.pk})
    assert response.status_code == 302
    assert response["Location"] == f"{P}/people/{person.pk}/edit/"
    person.refresh_from_db()
    assert person.user == member
    client.post(url, {"account": ""})
    person.refresh_from_db()
    assert person.user is None


def test_the_lead_cannot_link_someone_outside_the_programme_or_already_linked(
    as_user, programme, lead, member, outsider
):
    ParticipantFactory(programme=programme, email="member@example.org")
    person = ParticipantFactory(programme=programme, email="different@example.org")
    client = as_user(lead)
    for account in (outsider.pk, member.pk, "nonsense"):
        response = client.post(f"{P}/people/{person.pk}/account/", {"account": account})
        assert response.status_code == 400
        assert "Choose one of the members listed" in response.content.decode()
    person.refresh_from_db()
    assert person.user is None


def test_a_person_of_another_programme_cannot_be_linked(as_user, programme, lead, member):
    stranger = ParticipantFactory(email="member@example.org")
    response = as_user(lead).post(f"{P}/people/{stranger.pk}/account/", {"account": member.pk})
    assert response.status_code == 404


def test_a_member_of_another_programme_with_the_same_email_is_not_linked(programme):
    elsewhere = MembershipFactory(user=UserFactory(email="sam@example.org"))
    assert elsewhere.programme != programme
    person = ParticipantFactory(programme=programme, email="sam@example.org")
    assert person.user is None
