"""Run the daily learning digests in this process: the beat's job, for the embedded mode."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import pluralize

from learning import delivery
from learning.models import DigestDelivery


class Command(BaseCommand):
    help = (
        "Send the learning digests due for the period ending at 07:00 London time (today's, "
        "or yesterday's before 07:00), with any left over from earlier runs. Each subscription "
        "gets at most one digest per period, however often this runs. Runs here and now, "
        "without a Celery worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            help="The run date (YYYY-MM-DD) whose 07:00 ends the period; it must have passed.",
        )

    def handle(self, *args, **options) -> None:
        outcomes: Counter[str] = Counter()

        def send_here(delivery_ids: list[int]) -> None:
            outcomes.update(delivery.deliver_batch(delivery_ids))
            failed = DigestDelivery.objects.filter(
                pk__in=delivery_ids, status=DigestDelivery.Status.FAILED
            ).values_list("pk", "error")
            for delivery_id, error in failed:
                self.stderr.write(f"Delivery {delivery_id} failed: {error}")

        try:
            result = delivery.run(options["date"], send=send_here)
        except ValueError as error:
            raise CommandError(str(error)) from error
        sent, empty, failed = outcomes["sent"], outcomes["empty"], outcomes["failed"]
        self.stdout.write(
            f"Digests for the period ending {result.period_end:%d %B %Y %H:%M}: "
            f"{sent} sent, {empty} empty, {failed} failed."
        )
        if failed:
            raise CommandError(
                f"{failed} digest{pluralize(failed)} could not be sent; "
                "the next run will try again."
            )
