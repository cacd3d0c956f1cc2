"""Learning digests through a real Celery worker and Redis: each due subscriber gets exactly one
digest for the period, even when beat fires twice or a worker is killed in the middle of a batch.

Needs REDIS_URL and a PostgreSQL DATABASE_URL (CI sets both); skipped otherwise, except in CI.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest

from learning.delivery import latest_run_date, period_end_for
from learning.models import DigestDelivery
from learning.tasks import requeue_stalled_digests, run_digests
from tests.factories import InnovationFactory
from tests.learning.test_delivery import publish, subscribe
from tests.worker import require_worker_services, start_worker, stop_worker

SITE_URL = "https://convening.example.org"
LEASE_SECONDS = 2
BATCH = 3  # digests per send task in the killed-worker test


@pytest.fixture
def hub(programme):
    programme.hub_visibility = "public"
    programme.save(update_fields=["hub_visibility"])
    return programme


@pytest.fixture
def readers(hub):
    """Ten subscribers due today, with one new learning entry for them."""
    publish(hub, "Night cover", period_end_for(latest_run_date()) - timedelta(hours=1))
    return [subscribe(hub, f"reader{n}@example.org").email for n in range(10)]


@pytest.fixture(scope="module")
def _celery_worker_process(django_db_setup, tmp_path_factory):
    require_worker_services()
    worker = start_worker(tmp_path_factory.mktemp("digest-worker"), site_url=SITE_URL)
    try:
        worker.wait_until_answering()
        yield worker
    finally:
        stop_worker(worker)


@pytest.fixture
def celery_worker(_celery_worker_process):
    _celery_worker_process.clear()
    return _celery_worker_process


def finished(period_end) -> int:
    return DigestDelivery.objects.filter(
        period_end=period_end, status__in=[DigestDelivery.Status.SENT, DigestDelivery.Status.EMPTY]
    ).count()


@pytest.mark.django_db(transaction=True)
def test_two_beat_runs_on_a_worker_send_each_due_subscriber_exactly_one_digest(
    celery_worker, hub, readers
):
    subscribe(hub, "quiet@example.org", innovation=InnovationFactory(programme=hub))
    period_end = period_end_for(latest_run_date())

    runs = {run_digests.apply_async(queue=celery_worker.queue).id for _ in range(2)}

    results = celery_worker.wait_for(
        lambda: (done := celery_worker.results("run_digests")).keys() >= runs and done,
        "result of both runs",
    )
    assert sorted(int(results[run_id]) for run_id in runs) == [0, len(readers) + 1]
    celery_worker.wait_for(lambda: finished(period_end) == len(readers) + 1, "every delivery")
    emails = celery_worker.emails()
    assert Counter(message["To"] for message in emails) == dict.fromkeys(readers, 1)
    assert DigestDelivery.objects.get(subscription__email="quiet@example.org").status == "empty"
    text = emails[0].get_payload()[0].get_payload(decode=True).decode()
    assert "Night cover" in text
    assert f"{SITE_URL}/digests/unsubscribe/" in emails[0]["List-Unsubscribe"]


def _slow_worker(directory, *, queue=None, delay="0"):
    worker = start_worker(
        directory,
        site_url=SITE_URL,
        queue=queue,
        concurrency=1,
        email_backend="tests.worker.SlowFileEmailBackend",
        extra_settings=(
            f"DIGEST_LEASE_SECONDS = {LEASE_SECONDS}\nDIGEST_TASK_BATCH_SIZE = {BATCH}\n"
        ),
        env={"TEST_EMAIL_DELAY": delay},
    )
    worker.wait_until_answering()
    return worker


# Either the next run or, minutes after the lease, the sweeper hands on what the dead worker held.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "recovery", [run_digests, requeue_stalled_digests], ids=["run repeated", "sweeper"]
)
def test_a_worker_killed_mid_batch_then_recovery_sends_each_digest_exactly_once(
    hub, readers, tmp_path, recovery
):
    require_worker_services()
    period_end = period_end_for(latest_run_date())
    first = _slow_worker(tmp_path / "first", delay="0.6")
    try:
        run_digests.apply_async(queue=first.queue)
        first.wait_for(lambda: len(first.emails()) >= 3, "three digests written")
        # Each email takes 0.6 s: 0.2 s after one is written, the next is mid-send.
        time.sleep(0.2)
        first.kill()
    finally:
        stop_worker(first, delete_queue=False)
    sent_before = len(first.emails())
    assert 3 <= sent_before < len(readers)
    # The batch the worker was sending when it died, less what it had sent.
    in_hand = DigestDelivery.objects.filter(status="sending", attempts=1).count()
    assert 1 <= in_hand <= BATCH

    second = _slow_worker(tmp_path / "second", queue=first.queue)
    try:
        # The new worker takes what was still queued; the digest the dead worker held waits
        # until its lease has passed, then the recovery queues it again.
        time.sleep(LEASE_SECONDS + 0.5)
        recovery.apply_async(queue=second.queue)
        second.wait_for(lambda: finished(period_end) == len(readers), "every digest sent")
    finally:
        stop_worker(second)

    emails = first.emails() + second.emails()
    assert Counter(message["To"] for message in emails) == dict.fromkeys(readers, 1)
    assert DigestDelivery.objects.filter(period_end=period_end).count() == len(readers)
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {"sent"}
