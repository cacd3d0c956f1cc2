"""Delivering learning digests: which subscriptions are due, the period each digest covers, and
sending each one exactly once.

A run claims one `DigestDelivery` row per due subscription before anything is sent; the unique
constraint on subscription and period end means a repeated or overlapping run claims nothing
twice. Each delivery is then taken by one sender at a time with a conditional UPDATE (see
`_take`), so a task run twice, redelivered after a worker died, or queued again by the next run
sends at most once while the row says it is in hand.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import islice
from smtplib import SMTPException
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import DigestDelivery, Subscription
from .subscriptions import send_pending_confirmations

# The task that sends a batch, queued by name: learning/tasks.py declares it with this name, and
# only tasks.py imports the modules, never the reverse.
SEND_DIGESTS_TASK = "learning.tasks.send_digests"

logger = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")
SEND_HOUR = 7  # digests cover everything up to 07:00 London time on the day of the run
BATCH_SIZE = 1000
# Deliveries per send task: few enough that a batch ends well inside its time limit.
TASK_BATCH_SIZE = 50
# How long a sender holds a delivery it has taken. Longer than the task's hard time limit, so a
# live sender is never overtaken; after it, a delivery whose sender died is taken again.
DEFAULT_LEASE_SECONDS = 600
# Failed deliveries are tried again by each run for this long, then left as failed.
RETRY_FAILED_FOR = timedelta(days=7)
Status = DigestDelivery.Status


def lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "DIGEST_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def period_end_for(run_date: date) -> datetime:
    """The end of the period a run on that date covers: 07:00 London time that day, whenever
    the run actually happens, so a late or repeated run computes the same end."""
    return datetime.combine(run_date, time(SEND_HOUR), tzinfo=LONDON)


def latest_run_date(now: datetime | None = None) -> date:
    """The date of the latest 07:00 London time that has passed."""
    local = (now or timezone.now()).astimezone(LONDON)
    return local.date() if local.hour >= SEND_HOUR else local.date() - timedelta(days=1)


def due_subscriptions(run_date: date) -> QuerySet[Subscription]:
    """Confirmed, active subscriptions due a digest on that date: daily ones, and weekly ones
    whose weekday it is. Email-only subscriptions are confirmed by their link; members' when
    they subscribe. One confirmed after the period's end waits for the next run."""
    return (
        Subscription.objects.active()
        .filter(unsubscribed_at__isnull=True, confirmed_at__lt=period_end_for(run_date))
        .filter(
            Q(frequency=Subscription.Frequency.DAILY)
            | Q(frequency=Subscription.Frequency.WEEKLY, weekday=run_date.weekday())
        )
    )


def previous_period_end(period_end: datetime) -> Subquery:
    """For each subscription, the end of its latest earlier delivery, whatever its status: a
    failed one keeps its period and is retried, so the next period starts where it ended."""
    earlier = DigestDelivery.objects.filter(
        subscription=OuterRef("pk"), period_end__lt=period_end
    ).order_by("-period_end")
    return Subquery(earlier.values("period_end")[:1])


def period_start_for(subscription: Subscription, period_end: datetime) -> datetime:
    """Where this subscription's next digest starts: the end of its previous one, or when it
    was confirmed."""
    previous = (
        DigestDelivery.objects.filter(subscription=subscription, period_end__lt=period_end)
        .order_by("-period_end")
        .values_list("period_end", flat=True)
        .first()
    )
    return previous or subscription.confirmed_at


def claim(
    subscription: Subscription, period_start: datetime, period_end: datetime
) -> DigestDelivery | None:
    """Claim the digest of one subscription for one period, before anything is sent; None if
    someone has already claimed it."""
    try:
        with transaction.atomic():
            return DigestDelivery.objects.create(
                subscription=subscription, period_start=period_start, period_end=period_end
            )
    except IntegrityError:
        return None


def _take(delivery_ids: list[int], now: datetime) -> list[DigestDelivery]:
    """Take claimed deliveries to send them: one conditional UPDATE, so of any number of
    senders exactly one gets each. A delivery can be taken when it is waiting to be sent for
    the first time, when its last attempt failed, or when its sender has held it longer than
    the lease (the worker died); never once sent or found empty. Returns those taken, with
    their subscriptions, marked by the moment of taking."""
    taken = (
        DigestDelivery.objects.filter(pk__in=delivery_ids)
        .filter(
            Q(status=Status.FAILED)
            | Q(status=Status.SENDING, attempts=0)
            | Q(status=Status.SENDING, claimed_at__lt=now - lease())
        )
        .update(status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    )
    if not taken:
        return []
    return list(
        DigestDelivery.objects.filter(pk__in=delivery_ids, status=Status.SENDING, claimed_at=now)
        .select_related("subscription__programme", "subscription__innovation", "subscription__user")
        .order_by("pk")
    )


def _compose(delivery: DigestDelivery, shared: dict):
    """The digest for the delivery. Email-only subscribers to the same scope get the same
    digest for the same period, so within a batch (`shared`) it is composed once for them;
    a member's digest is their own (their spaces, their actions)."""
    from .digest import compose

    subscription = delivery.subscription
    if subscription.user_id is not None:
        return compose(subscription, delivery.period_start, delivery.period_end)
    key = (
        subscription.programme_id,
        subscription.innovation_id,
        delivery.period_start,
        delivery.period_end,
    )
    if key not in shared:
        shared[key] = compose(subscription, delivery.period_start, delivery.period_end)
    return shared[key]


def _mine(delivery: DigestDelivery) -> QuerySet[DigestDelivery]:
    return DigestDelivery.objects.filter(
        pk=delivery.pk, status=Status.SENDING, claimed_at=delivery.claimed_at
    )


def _send(delivery: DigestDelivery, shared: dict) -> str:
    """Compose and send one taken delivery, recording it as sent at once (so that a worker
    dying later in its batch cannot send it again). Returns empty for an empty digest, which
    the caller records. Records a failure with its error and raises it."""
    from .digest import build_email

    try:
        digest = _compose(delivery, shared)
        if digest.is_empty:
            return Status.EMPTY.value
        build_email(delivery.subscription, digest, period_end=delivery.period_end).send()
    except Exception as error:
        _mine(delivery).update(
            status=Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    _mine(delivery).update(
        status=Status.SENT, sent_at=timezone.now(), item_count=digest.item_count, error=""
    )
    return Status.SENT.value


def deliver_batch(
    delivery_ids: list[int], *, retry: Callable[[int], None] | None = None
) -> Counter[str]:
    """Send a batch of claimed digests, each once, and count what became of them (sent,
    empty, failed, retrying, or skipped when not this caller's to send). Queries are per
    batch, not per digest, except the one that records each email sent, and composing each
    different digest. A digest the mail server refused goes to `retry` if given, else counts
    as failed; either way it is recorded as failed with its error."""
    outcomes: Counter[str] = Counter()
    shared: dict = {}
    taken = _take(delivery_ids, timezone.now())
    outcomes["skipped"] = len(delivery_ids) - len(taken)
    empty: list[int] = []
    try:
        for delivery in taken:
            try:
                outcome = _send(delivery, shared)
            except (SMTPException, OSError):
                if retry is None:
                    outcomes["failed"] += 1
                else:
                    retry(delivery.pk)
                    outcomes["retrying"] += 1
                continue
            except Exception:
                logger.exception("Digest delivery %s failed", delivery.pk)
                outcomes["failed"] += 1
                continue
            if outcome == Status.EMPTY:
                empty.append(delivery.pk)
            outcomes[outcome] += 1
    finally:
        if empty:
            DigestDelivery.objects.filter(
                pk__in=empty, status=Status.SENDING, claimed_at=taken[0].claimed_at
            ).update(status=Status.EMPTY, item_count=0, error="")
    return +outcomes


def deliver(delivery_id: int) -> str:
    """Compose and send one claimed digest; returns what became of it (sent, empty, or skipped
    when it was not this caller's to send). An empty digest is recorded without an email.

    Raises what sending raised, after recording it as failed with the error, so that the task
    retries; the last failure stays recorded and the next run tries again.
    """
    taken = _take([delivery_id], timezone.now())
    if not taken:
        return "skipped"
    outcome = _send(taken[0], {})
    if outcome == Status.EMPTY:
        _mine(taken[0]).update(status=Status.EMPTY, item_count=0, error="")
    return outcome


@dataclass
class Run:
    """What a run did: the period it claimed and the deliveries it handed to senders."""

    period_end: datetime
    claimed: int = 0
    queued: list[int] = field(default_factory=list)


def _batches(items: Iterable, size: int = BATCH_SIZE) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _send_pending_confirmations() -> None:
    """Confirmation emails that could not be queued when asked for (the broker was down) go
    with the daily run; a failure there never stops the digests."""
    try:
        send_pending_confirmations()
    except Exception:
        logger.exception("Pending confirmation emails were not sent; the next run will")


def claim_due(run_date: date, claimed_at: datetime) -> int:
    """Claim the digests of every subscription due on that date, in batches; returns how many
    were claimed now (those claimed before are left alone)."""
    period_end = period_end_for(run_date)
    # A run for a date before a period already claimed (run late, out of order) would cover
    # part of that period again.
    later = DigestDelivery.objects.filter(subscription=OuterRef("pk"), period_end__gt=period_end)
    due = (
        due_subscriptions(run_date)
        .exclude(Exists(later))
        .annotate(start=Coalesce(previous_period_end(period_end), F("confirmed_at")))
        .order_by("pk")
        .values_list("pk", "start")
    )
    for batch in _batches(list(due)):
        rows = [
            DigestDelivery(
                subscription_id=pk,
                period_start=start,
                period_end=period_end,
                claimed_at=claimed_at,
            )
            for pk, start in batch
        ]
        DigestDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return DigestDelivery.objects.filter(period_end=period_end, claimed_at=claimed_at).count()


def to_send(period_end: datetime, claimed_at: datetime, now: datetime) -> QuerySet:
    """The deliveries a run hands to senders: those it has just claimed; those of any recent
    period left waiting or in the hands of a sender that died (a crashed run or worker); and
    recent ones that failed."""
    recent = now - RETRY_FAILED_FOR
    return (
        DigestDelivery.objects.filter(
            Q(period_end=period_end, claimed_at=claimed_at, status=Status.SENDING)
            | Q(
                Q(status=Status.SENDING, claimed_at__lt=now - lease()) | Q(status=Status.FAILED),
                period_end__gte=recent,
                period_end__lte=period_end,
            )
        )
        # Subscribers who get the same digest are sent in the same batch.
        .order_by(
            "subscription__programme_id",
            F("subscription__innovation_id").asc(nulls_first=True),
            "period_start",
            "pk",
        )
        .values_list("pk", flat=True)
    )


def queue_with_celery(delivery_ids: list[int]) -> None:
    """Queue the deliveries as tasks of TASK_BATCH_SIZE each, through one broker connection."""
    from convening.celery import app

    size = getattr(settings, "DIGEST_TASK_BATCH_SIZE", TASK_BATCH_SIZE)
    with app.producer_or_acquire() as producer:
        for batch in _batches(delivery_ids, size):
            app.tasks[SEND_DIGESTS_TASK].apply_async((batch,), producer=producer)


def run(
    run_date: date | None = None,
    *,
    send: Callable[[list[int]], None] = queue_with_celery,
) -> Run:
    """The daily run: claim the digests due for the period ending at 07:00 on run_date (the
    latest that has passed, by default), then hand them, with any left over from earlier runs,
    to `send` in batches."""
    _send_pending_confirmations()
    now = timezone.now()
    run_date = run_date or latest_run_date(now)
    period_end = period_end_for(run_date)
    if period_end > now:
        raise ValueError(f"The period ending {period_end:%Y-%m-%d %H:%M} has not ended yet")
    result = Run(period_end=period_end)
    result.claimed = claim_due(run_date, claimed_at=now)
    for batch in _batches(list(to_send(period_end, now, now))):
        send(batch)
        result.queued.extend(batch)
    return result


def stalled(now: datetime) -> QuerySet:
    """Deliveries of recent periods still held by a sender after the lease has passed: the
    worker sending them died. Failed ones are not here: the daily run retries those."""
    return (
        DigestDelivery.objects.filter(
            status=Status.SENDING,
            claimed_at__lt=now - lease(),
            period_end__gte=now - RETRY_FAILED_FOR,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def sweep(*, send: Callable[[list[int]], None] = queue_with_celery) -> list[int]:
    """Hand stalled deliveries to senders again, so that a killed worker costs minutes rather
    than a day. Safe to run any number of times: a sender takes each delivery with one
    conditional UPDATE, so a delivery queued twice is still sent once."""
    requeued = list(stalled(timezone.now()))
    for batch in _batches(requeued):
        send(batch)
    return requeued
