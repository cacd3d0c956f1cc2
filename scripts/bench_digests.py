"""A learning-digest run at region scale through a real Celery worker and Redis.

    REDIS_URL=redis://127.0.0.1:6379/0 DATABASE_URL=postgres://.../convening_bench \\
        .venv/bin/python scripts/bench_digests.py

It uses the benchmark database of scripts/bench.py (built there if missing) and adds 20,000
confirmed daily subscriptions across the region's programmes (one in ten a member's, the rest
email-only; some to one innovation), made once with bulk_create and reused. Each run forgets
their earlier deliveries and gives each subscriber a previous digest ending --days-since-last
days before (7 by default: what the digests then cover), starts one Celery worker (two
processes, as on a 2-core machine) on its own queue with the file email backend, and times the
daily run from the claim until every delivery is recorded. Then it measures queries per
delivery in this process on a sample of digests. Prints the total time, deliveries per second
and queries per delivery; the target (under 60 s) is reported, not asserted. It waits for every
delivery the run queued (the demo data's subscribers' too) and fails, with exit status 2, if
they are not all sent within 600 s (--cap to change it). Without REDIS_URL it says so and stops.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import configure_environment, ensure_data  # noqa: E402

SUBSCRIPTIONS = 20_000
DOMAIN = "bench-digests.example.org"
TARGET_SECONDS = 60
CAP_SECONDS = 600  # a run still going after this is a failure, not a figure
SAMPLE = 200
WORKER_SETTINGS = '''"""Settings for the digest benchmark's Celery worker."""
import os

from convening.settings import *  # noqa: F403

EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
CELERY_TASK_DEFAULT_QUEUE = os.environ["CELERY_TASK_DEFAULT_QUEUE"]
'''


def ensure_subscriptions(count: int) -> int:
    """Confirmed daily subscriptions across the region's programmes, made once."""
    from datetime import timedelta

    from django.utils import timezone

    from convening.models import Innovation, Membership, Programme
    from learning.models import Subscription

    existing = Subscription.objects.filter(email__endswith="@" + DOMAIN).count()
    if existing >= count:
        return 0
    programmes = list(Programme.objects.filter(slug__startswith="region-").order_by("pk"))
    innovations: dict[int, list[int]] = {}
    for programme_id, pk in Innovation.objects.values_list("programme_id", "pk"):
        innovations.setdefault(programme_id, []).append(pk)
    members: dict[int, list[int]] = {}
    for programme_id, user_id in Membership.objects.values_list("programme_id", "user_id"):
        members.setdefault(programme_id, []).append(user_id)
    confirmed = timezone.now() - timedelta(days=365)
    rows = []
    for n in range(existing, count):
        programme = programmes[n % len(programmes)]
        scoped = innovations.get(programme.pk) if n % 3 == 0 else None
        users = members.get(programme.pk) if n % 10 == 0 else None
        rows.append(
            Subscription(
                email=f"reader{n}@{DOMAIN}",
                programme=programme,
                innovation_id=scoped[n % len(scoped)] if scoped else None,
                user_id=users[n % len(users)] if users else None,
                frequency=Subscription.Frequency.DAILY,
                confirmed_at=confirmed,
            )
        )
    Subscription.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def previous_digests(period_end, days: int) -> None:
    """A sent digest for each subscription, ending `days` before this run's period."""
    from datetime import timedelta

    from learning.models import DigestDelivery, Subscription

    end = period_end - timedelta(days=days)
    DigestDelivery.objects.bulk_create(
        (
            DigestDelivery(
                subscription_id=pk,
                period_start=end - timedelta(days=1),
                period_end=end,
                status=DigestDelivery.Status.SENT,
                attempts=1,
                sent_at=end,
            )
            for pk in Subscription.objects.filter(email__endswith="@" + DOMAIN).values_list(
                "pk", flat=True
            )
        ),
        batch_size=2000,
    )


def start_worker(directory: Path, queue: str, concurrency: int) -> subprocess.Popen:
    from convening.celery import app

    (directory / "emails").mkdir()
    (directory / "digest_bench_worker_settings.py").write_text(WORKER_SETTINGS)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "digest_bench_worker_settings",
        "PYTHONPATH": os.pathsep.join([str(directory), str(BASE_DIR)]),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(directory / "emails"),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    hostname = f"digest-bench-{queue}@localhost"
    command = [
        sys.executable, "-m", "celery", "-A", "convening", "worker", "--loglevel=WARNING",
        f"--concurrency={concurrency}", "--pool=prefork", "-Q", queue, "--without-gossip",
        "--without-mingle", "--without-heartbeat", "--hostname", hostname,
    ]  # fmt: skip
    log = (directory / "worker.log").open("wb")
    # The command is ours, built above from fixed words and a queue name we made.
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=log)  # noqa: S603
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[hostname], timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit((directory / "worker.log").read_text())
    return process


def queue_to(queue: str):
    """Queue batches of deliveries as the run does, but to the benchmark worker's queue."""
    from learning.delivery import TASK_BATCH_SIZE, _batches
    from learning.tasks import send_digests

    def send(delivery_ids: list[int]) -> None:
        with send_digests.app.producer_or_acquire() as producer:
            for batch in _batches(delivery_ids, TASK_BATCH_SIZE):
                send_digests.apply_async((batch,), queue=queue, producer=producer)

    return send


def queries_per_delivery(period_end) -> tuple[list[int], list[int], float]:
    """Deliver a sample again in this process, counting queries: one at a time (email-only,
    members'), and in batches as the worker sends them (queries per delivery)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from learning.delivery import TASK_BATCH_SIZE, _batches, deliver, deliver_batch
    from learning.models import DigestDelivery

    deliveries = DigestDelivery.objects.filter(period_end=period_end)
    sample = list(deliveries.order_by("?")[:SAMPLE].values_list("pk", "subscription__user_id"))
    # Four batches from across the run, in the order the run sends them.
    ordered = list(to_send_order(deliveries).values_list("pk", flat=True))
    step = max(len(ordered) // 4, TASK_BATCH_SIZE)
    in_batches = [
        pk
        for start in range(0, len(ordered), step)
        for pk in ordered[start : start + TASK_BATCH_SIZE]
    ][: 4 * TASK_BATCH_SIZE]
    again = [pk for pk, _ in sample] + in_batches
    deliveries.filter(pk__in=again).update(status=DigestDelivery.Status.SENDING, attempts=0)
    email_only, members = [], []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for pk, user_id in sample:
            with CaptureQueriesContext(connection) as queries:
                deliver(pk)
            (members if user_id else email_only).append(len(queries))
        deliveries.filter(pk__in=in_batches).update(
            status=DigestDelivery.Status.SENDING, attempts=0
        )
        with CaptureQueriesContext(connection) as queries:
            for batch in _batches(in_batches, TASK_BATCH_SIZE):  # each as the worker does
                deliver_batch(batch)
    return email_only, members, len(queries) / max(len(in_batches), 1)


def to_send_order(deliveries):
    from django.db.models import F

    return deliveries.order_by(
        "subscription__programme_id",
        F("subscription__innovation_id").asc(nulls_first=True),
        "period_start",
        "pk",
    )


def outstanding(queued: list[int]) -> int:
    """How many of the deliveries the run queued are still being sent. That is every delivery
    it queued, whoever subscribed (the demo data's subscribers as well as ours, and any left
    over from an earlier run), since the run hands the worker all of them."""
    from learning.models import DigestDelivery

    if not queued:
        return 0
    waiting = set(queued)
    sending = DigestDelivery.objects.filter(
        status=DigestDelivery.Status.SENDING, pk__gte=min(waiting), pk__lte=max(waiting)
    ).values_list("pk", flat=True)
    return sum(1 for pk in sending.iterator() if pk in waiting)


class GaveUp(Exception):
    """The worker did not finish the run within the cap."""


def wait_until_sent(queued: list[int], started: float, cap: float = CAP_SECONDS) -> float:
    """Seconds from `started` until none of the queued deliveries is still being sent; GaveUp
    after `cap` seconds."""
    while left := outstanding(queued):
        if time.perf_counter() - started > cap:
            raise GaveUp(
                f"Gave up after {cap:.0f} s: {left} of the {len(queued)} queued deliveries "
                "were still being sent, so there is no time to report."
            )
        time.sleep(0.25)
    return time.perf_counter() - started


def describe(counts: list[int]) -> str:
    if not counts:
        return "none in the sample"
    return f"mean {statistics.mean(counts):.1f}, max {max(counts)} ({len(counts)} sampled)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscriptions", type=int, default=SUBSCRIPTIONS)
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument(
        "--days-since-last",
        type=int,
        default=7,
        help="how long since each subscriber's previous digest: what the digests cover",
    )
    parser.add_argument(
        "--cap",
        type=float,
        default=CAP_SECONDS,
        help="seconds to wait for the run before failing (a busy machine may need more)",
    )
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        print("Digest benchmark skipped: set REDIS_URL (a Redis the worker can use).")
        return 0
    configure_environment()
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from learning import delivery
    from learning.delivery import TASK_BATCH_SIZE
    from learning.models import DigestDelivery

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    from convening.models import Programme

    # Region-scale data as scripts/bench.py builds it; any age of it will do here.
    if not Programme.objects.filter(slug__startswith="region-").exists():
        ensure_data(call_command, 1.0)
    made = ensure_subscriptions(args.subscriptions)
    print(f"Subscriptions: {args.subscriptions} confirmed daily ({made} made now).", flush=True)
    bench = DigestDelivery.objects.filter(subscription__email__endswith="@" + DOMAIN)
    bench.delete()
    previous_digests(delivery.period_end_for(delivery.latest_run_date()), args.days_since_last)

    queue = f"digest-bench-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as directory:
        worker = start_worker(Path(directory), queue, args.concurrency)
        try:
            started = time.perf_counter()
            result = delivery.run(send=queue_to(queue))
            fanned_out = time.perf_counter() - started
            due = len(result.queued)
            total = wait_until_sent(result.queued, started, cap=args.cap)
        except GaveUp as error:
            log = (Path(directory) / "worker.log").read_text(errors="replace")[-3000:]
            print(f"{error}\nThe end of the worker's log:\n{log}", file=sys.stderr)
            return 2
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:  # still busy with the tasks it had taken
                worker.kill()
                worker.wait()
        emails = sum(
            path.read_bytes().count(b"\nList-Unsubscribe-Post:")
            for path in (Path(directory) / "emails").iterdir()
        )
    statuses = dict(
        bench.filter(period_end=result.period_end)
        .order_by()
        .values_list("status")
        .annotate(Count("pk"))
    )
    ours = bench.filter(pk__in=result.queued).count()
    email_only, members, batched = queries_per_delivery(result.period_end)
    verdict = "meets" if total < TARGET_SECONDS else "MISSES"
    print(
        f"Period ending {result.period_end:%Y-%m-%d %H:%M %Z}, {args.days_since_last} days "
        f"since each subscriber's last digest; {due} deliveries queued "
        f"({ours} of them to the benchmark's subscribers, {result.claimed} claimed in this "
        f"run) on {args.concurrency} worker processes.\n"
        f"  Claim and queue: {fanned_out:.1f} s\n"
        f"  Total time:      {total:.1f} s ({verdict} the {TARGET_SECONDS} s target)\n"
        f"  Deliveries/s:    {due / total:.0f}\n"
        f"  Statuses:        {statuses}; {emails} emails written\n"
        f"  Queries per delivery, email-only: {describe(email_only)}\n"
        f"  Queries per delivery, members':   {describe(members)}\n"
        f"  Queries per delivery in batches of {TASK_BATCH_SIZE} as the worker sends: "
        f"{batched:.2f}",
        flush=True,
    )
    return 0 if statuses.get("failed", 0) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
