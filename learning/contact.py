"""Who adopters may contact from an innovation's hub page, and relaying their messages.

The people are the programme's facilitators and the innovation's local leads who agreed to be
contacted (DESIGN section 4). Their addresses are for the programme's members only (section 5):
anyone else writes through the hub's contact form, which stores the message and then emails it
to the person with the sender's address as Reply-To, so the sender never learns the person's
address unless the person answers.

Each person on a page is named in URLs by an opaque id: a keyed hash of the innovation and the
person, so a URL says nothing a reader could not see on the page, and ids cannot be guessed
for people who are not shown there. Sending claims the message with a conditional UPDATE, so
running twice sends once; a message whose task could not be queued waits, stored, for
`send_pending_contact_messages()`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from convening.access import FACILITATOR
from convening.models import Adoption, Innovation, Participant, Programme

from .models import ContactMessage
from .subscriptions import PUBLISH_TRANSPORT_OPTIONS

# Queued by name: learning/tasks.py declares the task with it.
SEND_MESSAGE_TASK = "learning.tasks.send_contact_message"

logger = logging.getLogger(__name__)

CONTACT_ID_SALT = "learning.hub-contact"
CONTACT_ID_LENGTH = 20


@dataclass
class HubContact:
    """One person on an innovation's hub page, with every role they have there."""

    person: Participant
    contact_id: str
    roles: list[str] = field(default_factory=list)


def contact_id(innovation: Innovation, person: Participant) -> str:
    """The opaque id of a person as a contact on this innovation's page."""
    digest = salted_hmac(CONTACT_ID_SALT, f"{innovation.pk}.{person.pk}", algorithm="sha256")
    return digest.hexdigest()[:CONTACT_ID_LENGTH]


def hub_contacts(
    programme: Programme, innovation: Innovation, adoptions: list[Adoption]
) -> list[HubContact]:
    """Who adopters may ask: the programme's facilitators and the sites' local leads (from
    `adoptions`, with `local_lead__organisation` and `organisation` selected), and only those
    who agreed to be contacted. Each person once, facilitators first."""
    facilitators = (
        Participant.objects.filter(
            programme=programme,
            consent_contact=True,
            user__memberships__programme=programme,
            user__memberships__role=FACILITATOR,
        )
        .select_related("organisation")
        .order_by("name", "pk")
        .distinct()
    )
    contacts: dict[int, HubContact] = {}

    def add(person: Participant, role: str) -> None:
        if person.pk not in contacts:
            contacts[person.pk] = HubContact(person, contact_id(innovation, person))
        contacts[person.pk].roles.append(role)

    for person in facilitators:
        add(person, "Facilitator of the programme")
    for adoption in adoptions:
        person = adoption.local_lead
        if person is not None and person.consent_contact:
            add(person, f"Local lead at {adoption.organisation.name}")
    return list(contacts.values())


def innovation_adoptions(innovation: Innovation) -> list[Adoption]:
    """The innovation's adoptions as its hub page lists them, with their sites and leads."""
    return list(
        Adoption.objects.filter(innovation=innovation)
        .select_related("organisation", "local_lead__organisation")
        .order_by("organisation__name", "pk")
    )


# Relaying a message ----------------------------------------------------------------------------


def relay(message: ContactMessage) -> None:
    """Once the stored message is committed, queue its email. If the broker is down the
    message stays stored and unsent, and the next sweep sends it."""
    transaction.on_commit(partial(_enqueue, message.pk))


def _enqueue(message_id: int) -> None:
    from convening.celery import app

    try:
        with app.connection_for_write(transport_options=PUBLISH_TRANSPORT_OPTIONS) as connection:
            app.tasks[SEND_MESSAGE_TASK].apply_async(
                args=[message_id], retry=False, connection=connection
            )
    except (BrokerError, RedisError, OSError) as error:
        logger.warning("Contact message %s not queued: %s", message_id, error)


def send_contact_message(message_id: int) -> bool:
    """Email the message to its recipient if it has not gone yet. Returns whether this call
    sent it. The claim is given back if sending fails, so a retry or the next sweep sends it."""
    message = (
        ContactMessage.objects.unsent()
        .filter(pk=message_id)
        .select_related("recipient", "innovation__programme")
        .first()
    )
    if message is None:
        return False
    now = timezone.now()
    if not ContactMessage.objects.unsent().filter(pk=message_id).update(sent_at=now):
        return False
    try:
        _email(message).send()
    except Exception:
        ContactMessage.objects.filter(pk=message_id, sent_at=now).update(sent_at=None)
        raise
    return True


def send_pending_contact_messages() -> int:
    """Send every stored message still waiting (the broker or mail server was away). Returns
    how many were sent."""
    sent = 0
    for message_id in ContactMessage.objects.unsent().order_by("pk").values_list("pk", flat=True):
        try:
            sent += send_contact_message(message_id)
        except Exception:  # one refused address must not stop the others; it stays waiting
            logger.exception("Contact message %s failed", message_id)
    return sent


def _email(message: ContactMessage) -> EmailMessage:
    innovation = message.innovation
    programme = innovation.programme
    context = {
        "message": message,
        "innovation": innovation,
        "programme": programme,
        "link": settings.SITE_URL
        + reverse("hub_innovation", args=[programme.slug, innovation.slug]),
    }
    return EmailMessage(
        subject=f"A message about {innovation.name}, sent through the learning hub",
        body=render_to_string("learning/email/contact_message.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient.email],
        reply_to=[message.email],
    )
