"""Learning's background jobs. Each takes ids, is safe to run twice, and calls model or service
code to do the work.

Imports go one way: this module imports the modules that do the work; they queue these tasks by
the names declared here (`name=`), never by importing this module."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from . import contact, delivery, subscriptions


@shared_task(
    name=subscriptions.SEND_CONFIRMATION_TASK,
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_confirmation_email(subscription_id: int) -> None:
    """Send the double opt-in email for one subscription, if it is still waiting for one."""
    subscriptions.send_confirmation_email(subscription_id)


@shared_task(ignore_result=True, soft_time_limit=300, time_limit=360)
def run_digests() -> int:
    """Daily at 07:00 London time: claim the digests due and queue one send per delivery;
    returns how many were queued. Safe to run twice: a period is claimed once."""
    return len(delivery.run().queued)


# SMTPException is an OSError; both are named because a refused or dropped connection is too.
# The hard time limit stays well under the delivery's lease (learning.delivery), so a live
# sender is never overtaken; the backoff stays inside Redis's one-hour visibility timeout.
@shared_task(
    acks_late=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=4,
    soft_time_limit=60,
    time_limit=90,
)
def send_digest(delivery_id: int) -> str:
    """Send one claimed digest, once: returns sent, empty or skipped (not this task's to send).
    The run sends in batches (`send_digests`); a digest whose mail server refused it is
    retried alone, here."""
    return delivery.deliver(delivery_id)


@shared_task(name=delivery.SEND_DIGESTS_TASK, acks_late=True, soft_time_limit=300, time_limit=360)
def send_digests(delivery_ids: list[int]) -> str:
    """Send a batch of claimed digests, each once. One the mail server refuses is handed to
    `send_digest` to retry with backoff, counting this attempt as its first; the others go on.
    """

    def retry(delivery_id: int) -> None:
        send_digest.apply_async((delivery_id,), countdown=30, retries=1)

    outcomes = delivery.deliver_batch(delivery_ids, retry=retry)
    return ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))


@shared_task(ignore_result=True, soft_time_limit=120, time_limit=180)
def requeue_stalled_digests() -> int:
    """Every five minutes: queue again the digests whose worker died holding them (their lease
    has passed); returns how many. A crash then delays them by minutes, not to the next run."""
    return len(delivery.sweep())


@shared_task(
    name=contact.SEND_MESSAGE_TASK,
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def send_contact_message(message_id: int) -> None:
    """Email one message sent through the hub's contact form, if it has not gone yet."""
    contact.send_contact_message(message_id)


@shared_task(ignore_result=True, soft_time_limit=300, time_limit=360)
def send_pending_contact_messages() -> int:
    """Every few minutes: send the stored contact messages whose task was never queued or
    whose sending failed for good. Safe to run twice: each message is claimed before sending."""
    return contact.send_pending_contact_messages()
