"""Anonymise the people past the retention period, here and now; --dry-run lists them."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from convening import personal_data
from convening.models import RetentionPolicy


class Command(BaseCommand):
    help = (
        "Anonymise every participant record with no activity for longer than RETENTION_YEARS "
        "(the nightly job does the same). With --dry-run, list who that would be and change "
        "nothing. Nothing is anonymised until the period is confirmed in the admin."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be anonymised; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        years = settings.RETENTION_YEARS
        confirmed = RetentionPolicy.current().is_confirmed_for(years)
        if dry_run:
            cutoff = personal_data.retention_cutoff()
            people = list(personal_data.inactive_participants(cutoff))
            for person in people:
                self.stdout.write(f"{person.programme.name}: {person.name} (record {person.pk})")
            count = len(people)
            self.stdout.write(
                f"{count} {'person' if count == 1 else 'people'} with no activity since "
                f"{cutoff:%-d %B %Y} ({years} year{pluralize(years)}) would be anonymised."
            )
            if not confirmed:
                self.stdout.write(
                    f"The retention period of {years} years is not confirmed in the admin yet, "
                    "so the nightly job does nothing."
                )
            return
        done = personal_data.apply_retention()
        if done is None:
            raise CommandError(
                f"The retention period of {years} years is not confirmed: a data protection "
                "officer confirms it in the admin (Retention policy). Nothing was changed."
            )
        self.stdout.write(f"Anonymised {done} {'person' if done == 1 else 'people'}.")
