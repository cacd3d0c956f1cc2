"""Reminding facilitators to log a meeting that ended more than a day ago and is not logged.

Each meeting is reminded about once: the reminder is claimed with one conditional UPDATE before
anything is sent, so two workers, or two runs of the daily job, never both send it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Meeting, SpaceMember

logger = logging.getLogger(__name__)

TEMPLATE = "spaces/email/log_reminder.txt"


def due_meeting_ids(now: datetime) -> list[int]:
    """The meetings to remind about now, as ids for the jobs to take (one query)."""
    return list(Meeting.objects.due_a_log_reminder(now).order_by("pk").values_list("pk", flat=True))


def claim_for_reminder(meeting_id: int, now: datetime) -> bool:
    """Mark the meeting as reminded, unless someone has already claimed it or it is no longer due.

    One conditional UPDATE: of any number of concurrent claims exactly one changes the row, and
    only that caller sends the reminder. The conditions are those of `due_a_log_reminder`, so a
    meeting logged, cancelled or moved since the daily scan is not claimed.
    """
    return bool(
        Meeting.objects.due_a_log_reminder(now)
        .filter(pk=meeting_id)
        .update(log_reminder_sent_at=now)
    )


def release_claim(meeting_id: int, claimed_at: datetime) -> None:
    """Give back a claim whose email was not sent, so a retry or the next run can send it."""
    Meeting.objects.filter(pk=meeting_id, log_reminder_sent_at=claimed_at).update(
        log_reminder_sent_at=None
    )


def facilitator_addresses(meeting: Meeting) -> list[str]:
    """The email address of each facilitator of the meeting's space, each address once.

    A facilitator with an account is reached at the account's address, which they keep up to
    date; otherwise at the address on their participant record. People with neither are left out.
    """
    facilitators = SpaceMember.objects.filter(
        space_id=meeting.space_id, role=SpaceMember.Role.FACILITATOR
    ).select_related("participant__user")
    addresses: dict[str, str] = {}
    for facilitator in facilitators:
        person = facilitator.participant
        address = (person.user.email if person.user and person.user.email else person.email).strip()
        if address:
            addresses.setdefault(address.lower(), address)
    return list(addresses.values())


def send_reminder(meeting: Meeting) -> int:
    """Email each facilitator a link to log the meeting; returns how many emails were sent.

    Raises whatever the mail server raises; the caller decides what happens to the claim.
    """
    addresses = facilitator_addresses(meeting)
    if not addresses:
        logger.warning("Meeting %s has no facilitator with an email address to remind", meeting.pk)
        return 0
    space = meeting.space
    link = settings.SITE_URL + reverse(
        "meeting_log", args=[space.programme.slug, space.slug, meeting.pk]
    )
    held_at = timezone.localtime(meeting.starts_at)
    body = render_to_string(
        TEMPLATE,
        {
            "meeting": meeting,
            "space": space,
            "programme": space.programme,
            "held_on": f"{held_at:%A} {held_at.day} {held_at:%B %Y}",
            "link": link,
        },
    )
    # A line break in a title would make the header invalid, and the send would fail every day.
    subject = "Convening: please log " + " ".join(meeting.title.split())
    messages = [EmailMessage(subject, body, to=[address]) for address in addresses]
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def remind_facilitators(meeting_id: int, now: datetime | None = None) -> int:
    """Claim the meeting's reminder and send it; returns how many emails were sent.

    Returns 0 when another worker or run has the claim, or the meeting no longer needs one. If
    sending fails the claim is released before the error is raised, so it is never lost silently.
    """
    now = now or timezone.now()
    if not claim_for_reminder(meeting_id, now):
        return 0
    try:
        meeting = Meeting.objects.select_related("space__programme").get(pk=meeting_id)
        sent = send_reminder(meeting)
    # Also the soft time limit and a worker shutting down: the claim must go back.
    except BaseException:
        release_claim(meeting_id, now)
        raise
    logger.info("Reminded %s facilitator(s) to log meeting %s", sent, meeting_id)
    return sent
