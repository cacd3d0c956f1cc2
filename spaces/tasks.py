"""Background jobs for spaces. Each takes ids and calls `spaces.reminders` to do the work."""

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from . import reminders


@shared_task(ignore_result=True, soft_time_limit=120, time_limit=180)
def remind_to_log_meetings() -> int:
    """Daily: queue one reminder job per meeting due a reminder; returns how many were queued.

    Safe to run twice: each reminder job claims its meeting before sending.
    """
    meeting_ids = reminders.due_meeting_ids(timezone.now())
    # Nothing is written here, so there is no transaction to wait for before queueing.
    for meeting_id in meeting_ids:
        send_log_reminder.delay(meeting_id)
    return len(meeting_ids)


# SMTPException is an OSError; both are named because a refused or dropped connection is too.
# Backoff starts at a minute and stays well inside Redis's one-hour visibility timeout. Once the
# retries are spent the claim has been given back, so the next daily run tries again.
@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def send_log_reminder(meeting_id: int) -> int:
    """Email the facilitators of one meeting a link to log it, once; returns emails sent."""
    return reminders.remind_facilitators(meeting_id)
