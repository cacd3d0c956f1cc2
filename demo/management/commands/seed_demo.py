"""`python manage.py seed_demo [--if-empty]`: the demo region of demo/region.py, for `make run`.

Refuses to run when DEBUG is off, so it can never touch a real deployment.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from convening.models import Programme
from demo.region import DemoRegion


class Command(BaseCommand):
    help = "Create demo data for development (refuses to run when DEBUG is off)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any programme exists already (used by `make run`).",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs in development mode (DEBUG=true).")
        if options["if_empty"] and Programme.objects.exists():
            self.stdout.write("Programmes exist already: demo data left as it is.")
            return
        with transaction.atomic():
            DemoRegion().build()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
