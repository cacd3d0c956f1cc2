"""`python manage.py seed_scale [--scale 1.0] [--force]`: region-scale data for benchmarks.

What it builds is described in demo/scale.py. It refuses to run with DEBUG off unless --force is
given: it is for benchmark databases only.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from convening.models import User
from demo.scale import BENCH_EMAIL, SUMMIT_TITLE, Plan, ScaleBuilder

__all__ = ["BENCH_EMAIL", "SUMMIT_TITLE", "Command"]  # scripts/bench.py imports them from here


class Command(BaseCommand):
    help = "Build a region-scale benchmark dataset (refuses to run when DEBUG is off)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Fraction of the full size (default 1.0)."
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (benchmark databases)."
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_scale is for benchmark databases: it runs with DEBUG=true, or with --force."
            )
        if options["scale"] <= 0:
            raise CommandError("--scale must be more than 0.")
        if User.objects.filter(email=BENCH_EMAIL).exists():
            self.stdout.write(f"{BENCH_EMAIL} exists already: the benchmark data is in place.")
            return
        plan = Plan.for_scale(options["scale"])
        self.stdout.write(f"Building {plan} on {connection.vendor}")
        started = time.perf_counter()
        ScaleBuilder(self.stdout.write).run(plan)
        self.stdout.write(
            self.style.SUCCESS(f"Benchmark data built in {time.perf_counter() - started:.1f} s.")
        )
