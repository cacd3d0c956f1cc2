"""Send the reminders to log meetings in this process: the daily job, for the embedded mode."""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize
from django.utils import timezone

from spaces import reminders
from spaces.tasks import send_log_reminder


class Command(BaseCommand):
    help = (
        "Email the facilitators of each meeting that ended more than 24 hours ago and has not "
        "been logged, once per meeting. Runs here and now, without a Celery worker."
    )

    def handle(self, *args, **options) -> None:
        emails = meetings = failures = 0
        for meeting_id in reminders.due_meeting_ids(timezone.now()):
            try:
                # Called directly, the task runs here; a failure raises instead of retrying.
                sent = send_log_reminder(meeting_id)
            except Exception as error:
                failures += 1
                self.stderr.write(f"Meeting {meeting_id}: the reminder was not sent ({error}).")
                continue
            if sent:
                emails += sent
                meetings += 1
        self.stdout.write(
            f"Sent {emails} reminder{pluralize(emails)} to log "
            f"{meetings} meeting{pluralize(meetings)}."
        )
        if failures:
            raise CommandError(
                f"{failures} reminder{pluralize(failures)} could not be sent; "
                "they will be tried again on the next run."
            )
