"""What the digest benchmark (scripts/bench_digests.py) waits for: every delivery the run
queued, the demo data's subscribers' as well as its own, and a failure rather than a figure
when they are not all sent in time (bug 15 of step 6b)."""

import importlib.util
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from learning.models import DigestDelivery
from tests.factories import SubscriptionFactory

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_digests.py"
Status = DigestDelivery.Status


@pytest.fixture(scope="module")
def bench_digests():
    spec = importlib.util.spec_from_file_location("bench_digests", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def queued(programme, bench_digests):
    """A run's queued deliveries: two to the benchmark's subscribers and one to a demo one."""
    end = timezone.now() - timedelta(hours=1)
    emails = [f"reader{n}@{bench_digests.DOMAIN}" for n in range(2)] + ["lead@example.org"]
    return [
        DigestDelivery.objects.create(
            subscription=SubscriptionFactory(programme=programme, email=email),
            period_start=end - timedelta(days=1),
            period_end=end,
            status=Status.SENDING,
        )
        for email in emails
    ]


def _finish(*deliveries) -> None:
    DigestDelivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(status=Status.SENT)


def test_it_waits_for_the_demo_subscribers_deliveries_too(bench_digests, queued):
    ids = [delivery.pk for delivery in queued]
    assert bench_digests.outstanding(ids) == 3
    _finish(*queued[:2])  # all of the benchmark's own
    assert bench_digests.outstanding(ids) == 1
    _finish(queued[2])
    assert bench_digests.outstanding(ids) == 0


def test_deliveries_it_did_not_queue_are_not_waited_for(bench_digests, queued):
    assert bench_digests.outstanding([queued[0].pk]) == 1
    assert bench_digests.outstanding([]) == 0


def test_the_time_is_taken_when_every_queued_delivery_is_done(bench_digests, queued):
    _finish(*queued)
    started = time.perf_counter() - 5
    assert bench_digests.wait_until_sent([d.pk for d in queued], started) >= 5


def test_it_gives_up_loudly_at_the_cap_instead_of_reporting_a_time(bench_digests, queued):
    _finish(*queued[:2])
    started = time.perf_counter() - 11
    with pytest.raises(bench_digests.GaveUp, match="1 of the 3 queued deliveries"):
        bench_digests.wait_until_sent([d.pk for d in queued], started, cap=10)
