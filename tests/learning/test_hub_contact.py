"""Contacting people from the learning hub: anonymous readers and non-members never see an
address, only a form that relays their message; the programme's members still see addresses."""

import re
from unittest import mock

import pytest
from django.core import mail

from convening.models import Membership, Programme
from learning.contact import contact_id, send_contact_message, send_pending_contact_messages
from learning.models import ContactMessage
from tests.conftest import celery_configured
from tests.factories import (
    AdoptionFactory,
    InnovationFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
    UserFactory,
)

HUB = "/learn/open-wards/"
INNOVATION = HUB + "remote-monitoring/"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
GOOD = {"name": "Sam Adopter", "email": "sam@adopter.example", "body": "How did you staff it?"}


@pytest.fixture
def innovation(db):
    programme = ProgrammeFactory(
        name="Open wards", slug="open-wards", hub_visibility=Programme.HubVisibility.PUBLIC
    )
    return InnovationFactory(
        programme=programme, name="Remote monitoring", slug="remote-monitoring"
    )


@pytest.fixture
def people(innovation):
    """A consenting facilitator, a consenting local lead, and a local lead who did not agree."""
    programme = innovation.programme
    user = UserFactory(name="Asha Patel")
    MembershipFactory(programme=programme, user=user, role=Membership.Role.FACILITATOR)
    facilitator = ParticipantFactory(
        programme=programme,
        user=user,
        name="Asha Patel",
        email="asha@nhs.example",
        consent_contact=True,
    )
    site_lead = ParticipantFactory(
        programme=programme, name="Lena Lead", email="lena@nhs.example", consent_contact=True
    )
    quiet = ParticipantFactory(
        programme=programme, name="Quinn Quiet", email="quinn@nhs.example", consent_contact=False
    )
    leeds = OrganisationFactory(name="Leeds Teaching Hospitals")
    AdoptionFactory(innovation=innovation, organisation=leeds, local_lead=site_lead)
    AdoptionFactory(innovation=innovation, local_lead=quiet)
    return {"facilitator": facilitator, "site_lead": site_lead, "quiet": quiet}


def contact_url(innovation, person) -> str:
    return f"{INNOVATION}contact/{contact_id(innovation, person)}/"


# The hub page -----------------------------------------------------------------------------------


@pytest.mark.parametrize("visitor", ["anonymous", "signed in, not a member"])
def test_the_hub_page_shows_no_address_to_anyone_outside_the_programme(
    client, innovation, people, visitor
):
    if visitor != "anonymous":
        client.force_login(UserFactory())
    body = client.get(INNOVATION).content.decode()
    assert "Asha Patel" in body
    assert "Lena Lead" in body
    assert "mailto:" not in body
    for person in people.values():
        assert person.email not in body
    contacts = body[body.index('id="contact"') :]
    assert not EMAIL.search(contacts)
    assert f'href="{contact_url(innovation, people["site_lead"])}"' in body
    assert "Contact Lena Lead" in body


@pytest.mark.parametrize("role", ["member", "facilitator", "lead"])
def test_members_of_the_programme_still_see_addresses(client, innovation, people, role):
    user = UserFactory()
    MembershipFactory(programme=innovation.programme, user=user, role=Membership.Role(role))
    client.force_login(user)
    body = client.get(INNOVATION).content.decode()
    assert "mailto:lena@nhs.example" in body
    assert "mailto:asha@nhs.example" in body
    assert "quinn@nhs.example" not in body
    assert "/contact/" not in body


def test_the_contact_id_names_nobody(innovation, people):
    ids = {contact_id(innovation, person) for person in people.values()}
    assert len(ids) == 3
    for person in people.values():
        identifier = contact_id(innovation, person)
        assert str(person.pk) != identifier
        assert person.name not in identifier
        assert re.fullmatch(r"[0-9a-f]{20}", identifier)


# The contact form -------------------------------------------------------------------------------


def test_a_message_is_stored_then_emailed_with_the_senders_address_to_reply_to(
    client, innovation, people, django_capture_on_commit_callbacks
):
    url = contact_url(innovation, people["site_lead"])
    page = client.get(url).content.decode()
    assert "Contact Lena Lead" in page
    assert "lena@nhs.example" not in page
    # The relay's task runs here, in-process, even where CI configures a real broker.
    with (
        celery_configured(task_always_eager=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(url, GOOD)
    assert response.status_code == 302
    assert response["Location"] == url + "?sent=1"
    message = ContactMessage.objects.get()
    assert (message.recipient, message.innovation) == (people["site_lead"], innovation)
    assert (message.name, message.email, message.body) == (
        "Sam Adopter",
        "sam@adopter.example",
        "How did you staff it?",
    )
    assert message.sent_at is not None
    [email] = mail.outbox
    assert email.to == ["lena@nhs.example"]
    assert email.reply_to == ["sam@adopter.example"]
    assert "learning hub" in email.subject
    assert "How did you staff it?" in email.body
    assert "through the learning hub" in email.body
    sent = client.get(response["Location"]).content.decode()
    assert "Message sent" in sent
    assert "lena@nhs.example" not in sent


def test_a_message_is_kept_when_the_mail_server_fails_and_sent_later(
    client, innovation, people, django_capture_on_commit_callbacks
):
    url = contact_url(innovation, people["facilitator"])
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("mail is down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(url, GOOD)
    assert response.status_code == 302
    message = ContactMessage.objects.get()
    assert message.sent_at is None
    assert not mail.outbox
    assert send_pending_contact_messages() == 1
    assert send_contact_message(message.pk) is False  # sent once only
    assert [email.to for email in mail.outbox] == [["asha@nhs.example"]]


def test_a_message_is_kept_when_the_broker_is_down(
    client, innovation, people, django_capture_on_commit_callbacks
):
    with (
        mock.patch("convening.celery.app.connection_for_write", side_effect=OSError("no redis")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(contact_url(innovation, people["site_lead"]), GOOD)
    assert response.status_code == 302
    assert ContactMessage.objects.unsent().count() == 1
    assert not mail.outbox


def test_bad_input_is_refused_and_what_was_typed_is_kept(client, innovation, people):
    url = contact_url(innovation, people["site_lead"])
    text = "<script>alert(1)</script> " + "x" * 5000
    response = client.post(url, {"name": "", "email": "not an address", "body": text})
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert "Enter your name" in body
    assert "Enter an email address in the correct format" in body
    assert "Message must be 5,000 characters or fewer" in body
    assert 'value="not an address"' in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; xxx" in body
    assert "<script>alert(1)" not in body
    assert not ContactMessage.objects.exists()
    empty = client.post(url, {"name": "", "email": "", "body": ""}).content.decode()
    assert "Enter your message" in empty
    assert "Enter your email address, so they can reply" in empty


def test_a_filled_honeypot_looks_like_success_but_stores_and_sends_nothing(
    client, innovation, people, django_capture_on_commit_callbacks
):
    url = contact_url(innovation, people["site_lead"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**GOOD, "website": "https://spam.example"})
    assert response.status_code == 302
    assert response["Location"] == url + "?sent=1"
    assert not ContactMessage.objects.exists()
    assert not mail.outbox


def test_messages_to_one_person_are_limited_to_five_an_hour_from_one_address(
    client, innovation, people
):
    url = contact_url(innovation, people["site_lead"])
    for n in range(5):
        assert client.post(url, {**GOOD, "body": f"Question {n}"}).status_code == 302
    response = client.post(url, {**GOOD, "body": "One too many"})
    body = response.content.decode()
    assert response.status_code == 429
    assert "Wait an hour" in body
    assert "One too many" in body
    assert 'value="sam@adopter.example"' in body
    assert ContactMessage.objects.count() == 5
    # Another person, or another address, is counted apart.
    assert client.post(contact_url(innovation, people["facilitator"]), GOOD).status_code == 302
    assert client.post(url, GOOD, REMOTE_ADDR="10.0.0.9").status_code == 302


@pytest.mark.parametrize("method", ["get", "post"])
def test_people_not_shown_on_the_page_cannot_be_contacted(client, innovation, people, method):
    other = InnovationFactory(programme=innovation.programme, slug="other")
    elsewhere = ParticipantFactory(programme=innovation.programme, consent_contact=True)
    AdoptionFactory(innovation=other, local_lead=elsewhere)
    no_address = ParticipantFactory(programme=innovation.programme, email="", consent_contact=True)
    AdoptionFactory(innovation=innovation, local_lead=no_address)
    urls = [
        contact_url(innovation, people["quiet"]),  # did not agree
        contact_url(innovation, elsewhere),  # on another innovation's page
        f"{INNOVATION}contact/{contact_id(other, people['site_lead'])}/",  # another page's id
        contact_url(innovation, no_address),  # nothing to relay to
        f"{INNOVATION}contact/{people['site_lead'].pk}/",
        f"{INNOVATION}contact/not-an-id/",
    ]
    for url in urls:
        response = getattr(client, method)(url, GOOD)
        assert response.status_code == 404, url
    assert not ContactMessage.objects.exists()
    # The facilitator is on every innovation's page, each with its own id.
    assert (
        client.get(f"{HUB}other/contact/{contact_id(other, people['facilitator'])}/").status_code
        == 200
    )


def test_withdrawing_consent_closes_the_form(client, innovation, people):
    url = contact_url(innovation, people["site_lead"])
    assert client.get(url).status_code == 200
    people["site_lead"].consent_contact = False
    people["site_lead"].save()
    assert client.get(url).status_code == 404
