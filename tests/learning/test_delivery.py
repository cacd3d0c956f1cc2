"""Delivering learning digests: who is due, the period each digest covers, the claim, retries
after a mail server refuses, and the embedded-mode command. Tasks run in this process here;
tests/learning/test_digest_worker.py runs them through a real Celery worker."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from smtplib import SMTPException

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core.mail.backends.locmem import EmailBackend as MemoryEmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone

from learning import delivery
from learning.delivery import claim, deliver, due_subscriptions, period_end_for, run
from learning.models import DigestDelivery, Subscription
from learning.tasks import requeue_stalled_digests, run_digests, send_digest
from tests.factories import InnovationFactory, LearningEntryFactory, SubscriptionFactory

SITE_URL = "https://convening.example.org"
TODAY = delivery.latest_run_date()
# Three run dates in the past, a day apart, so that every period has ended.
DAY_ONE, DAY_TWO, DAY_THREE = (TODAY - timedelta(days=n) for n in (6, 5, 4))
Status = DigestDelivery.Status


@pytest.fixture(autouse=True)
def _in_process(settings):
    settings.SITE_URL = SITE_URL
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def hub(programme):
    programme.hub_visibility = "public"
    programme.save(update_fields=["hub_visibility"])
    return programme


def subscribe(programme, email, *, frequency="daily", weekday=None, confirmed=None, **fields):
    return SubscriptionFactory(
        programme=programme,
        email=email,
        frequency=frequency,
        weekday=weekday,
        confirmed_at=confirmed or period_end_for(DAY_ONE) - timedelta(days=30),
        **fields,
    )


def publish(programme, title, at, **fields):
    fields = {"status": "published", "visibility": "public", **fields}
    return LearningEntryFactory(programme=programme, title=title, published_at=at, **fields)


def by_address(messages) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for message in messages:
        for address in message.to:
            found.setdefault(address, []).append(message.body)
    return found


class RefusesSomeEmailBackend(MemoryEmailBackend):
    """A mail server that refuses anyone at bounce.example.org."""

    attempts = 0

    def send_messages(self, email_messages):
        if any(a.endswith("@bounce.example.org") for m in email_messages for a in m.to):
            type(self).attempts += 1
            raise SMTPException("550 5.1.1 The mailbox is unavailable")
        return super().send_messages(email_messages)


@pytest.fixture
def refusing_mail_server(settings):
    RefusesSomeEmailBackend.attempts = 0
    settings.EMAIL_BACKEND = f"{__name__}.RefusesSomeEmailBackend"
    # A worker runs a task's retries later; here they run one after another.
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    return RefusesSomeEmailBackend


# The period


def test_the_period_ends_at_seven_in_the_morning_london_time_in_winter_and_summer():
    assert period_end_for(date(2026, 1, 15)) == datetime(2026, 1, 15, 7, tzinfo=UTC)
    assert period_end_for(date(2026, 7, 15)) == datetime(2026, 7, 15, 6, tzinfo=UTC)


def test_before_seven_the_latest_run_date_is_yesterday():
    london_six = datetime(2026, 3, 10, 6, 59, tzinfo=delivery.LONDON)
    assert delivery.latest_run_date(london_six) == date(2026, 3, 9)
    assert delivery.latest_run_date(london_six + timedelta(minutes=1)) == date(2026, 3, 10)


def test_a_run_for_a_period_that_has_not_ended_is_refused(hub):
    with pytest.raises(ValueError, match="has not ended yet"):
        run(TODAY + timedelta(days=1), send=list)
    assert not DigestDelivery.objects.exists()


# Who is due


def test_daily_subscriptions_and_weekly_ones_on_their_weekday_are_due(hub):
    daily = subscribe(hub, "daily@example.org")
    weekly = subscribe(hub, "weekly@example.org", frequency="weekly", weekday=DAY_ONE.weekday())
    subscribe(hub, "other-day@example.org", frequency="weekly", weekday=DAY_TWO.weekday())
    subscribe(hub, "off@example.org", frequency="off")
    SubscriptionFactory(programme=hub, email="unconfirmed@example.org", frequency="daily")
    subscribe(hub, "left@example.org", frequency="daily", unsubscribed_at=timezone.now())
    subscribe(hub, "late@example.org", confirmed=period_end_for(DAY_ONE) + timedelta(minutes=1))

    assert set(due_subscriptions(DAY_ONE)) == {daily, weekly}


def test_the_first_digest_starts_when_the_subscription_was_confirmed(hub):
    confirmed = period_end_for(DAY_ONE) - timedelta(hours=5)
    reader = subscribe(hub, "new@example.org", confirmed=confirmed)

    run(DAY_ONE, send=list)

    (claimed,) = DigestDelivery.objects.filter(subscription=reader)
    assert (claimed.period_start, claimed.period_end) == (confirmed, period_end_for(DAY_ONE))


# The claim


def test_of_two_claims_on_the_same_period_only_the_first_wins(hub):
    reader = subscribe(hub, "reader@example.org")
    start, end = reader.confirmed_at, period_end_for(DAY_ONE)

    first = claim(reader, start, end)

    assert first is not None
    assert first.status == Status.SENDING
    assert claim(reader, start, end) is None
    assert DigestDelivery.objects.count() == 1


def test_a_delivery_is_sent_once_however_often_its_task_runs(hub, mailoutbox):
    reader = subscribe(hub, "reader@example.org")
    publish(hub, "Discharge checklists", period_end_for(DAY_ONE) - timedelta(hours=3))
    claimed = claim(reader, reader.confirmed_at, period_end_for(DAY_ONE))

    assert send_digest.delay(claimed.pk).get() == "sent"
    assert send_digest.delay(claimed.pk).get() == "skipped"
    assert deliver(claimed.pk) == "skipped"

    assert len(mailoutbox) == 1
    claimed.refresh_from_db()
    assert (claimed.status, claimed.attempts, claimed.item_count) == (Status.SENT, 1, 1)
    assert claimed.sent_at is not None


def test_a_delivery_in_the_hands_of_a_live_sender_is_not_taken_by_another(hub, mailoutbox):
    reader = subscribe(hub, "reader@example.org")
    publish(hub, "Discharge checklists", period_end_for(DAY_ONE) - timedelta(hours=3))
    claimed = claim(reader, reader.confirmed_at, period_end_for(DAY_ONE))
    DigestDelivery.objects.filter(pk=claimed.pk).update(attempts=1, claimed_at=timezone.now())

    assert deliver(claimed.pk) == "skipped"
    assert mailoutbox == []


def test_a_delivery_whose_sender_died_is_taken_again_after_the_lease(hub, mailoutbox):
    reader = subscribe(hub, "reader@example.org")
    publish(hub, "Discharge checklists", period_end_for(DAY_ONE) - timedelta(hours=3))
    claimed = claim(reader, reader.confirmed_at, period_end_for(DAY_ONE))
    long_ago = timezone.now() - delivery.lease() - timedelta(seconds=1)
    DigestDelivery.objects.filter(pk=claimed.pk).update(attempts=1, claimed_at=long_ago)

    assert deliver(claimed.pk) == "sent"

    claimed.refresh_from_db()
    assert (claimed.status, claimed.attempts) == (Status.SENT, 2)
    assert len(mailoutbox) == 1


# Runs


def test_a_run_sends_each_due_subscriber_one_digest_of_what_is_new(hub, mailoutbox):
    innovation = InnovationFactory(programme=hub, name="Virtual ward app")
    end = period_end_for(DAY_ONE)
    subscribe(hub, "programme@example.org")
    subscribe(hub, "innovation@example.org", innovation=innovation)
    publish(hub, "Night cover", end - timedelta(hours=2), innovation=innovation)
    publish(hub, "Members only", end - timedelta(hours=2), visibility="programme")

    result = run(DAY_ONE)

    assert result.claimed == 2
    assert len(result.queued) == 2
    received = by_address(mailoutbox)
    assert sorted(received) == ["innovation@example.org", "programme@example.org"]
    assert all("Night cover" in bodies[0] for bodies in received.values())
    assert all("Members only" not in bodies[0] for bodies in received.values())
    assert set(DigestDelivery.objects.values_list("status", "item_count")) == {(Status.SENT, 1)}


def test_the_same_day_run_twice_sends_nothing_more(hub, mailoutbox):
    """Beat firing twice, or someone running the command after the beat."""
    subscribe(hub, "one@example.org")
    subscribe(hub, "two@example.org")
    publish(hub, "Night cover", period_end_for(DAY_ONE) - timedelta(hours=2))

    first = run(DAY_ONE)
    second = run(DAY_ONE)
    run_digests.delay()  # today's run; the digest for today's period covers nothing new

    assert (first.claimed, len(first.queued)) == (2, 2)
    assert (second.claimed, second.queued) == (0, [])
    assert sorted(m.to[0] for m in mailoutbox) == ["one@example.org", "two@example.org"]
    assert DigestDelivery.objects.filter(period_end=period_end_for(DAY_ONE)).count() == 2


def test_a_late_run_covers_from_the_last_digest_so_nothing_is_skipped_or_repeated(hub, mailoutbox):
    reader = subscribe(hub, "reader@example.org")
    publish(hub, "Before day one", period_end_for(DAY_ONE) - timedelta(hours=1))
    publish(hub, "On day one at seven", period_end_for(DAY_ONE))
    publish(hub, "Day two", period_end_for(DAY_TWO) - timedelta(hours=1))
    publish(hub, "Day three just before seven", period_end_for(DAY_THREE) - timedelta(seconds=1))
    publish(hub, "Day three after seven", period_end_for(DAY_THREE) + timedelta(hours=1))

    run(DAY_ONE)
    # Day two's run never happened; day three's ran late, in the afternoon.
    run(DAY_THREE)
    # Someone runs day two by hand afterwards: it would cover part of day three's period.
    late = run(DAY_TWO)

    assert late.claimed == 0
    first, second = (m.body for m in mailoutbox)
    assert "Before day one" in first
    assert "On day one at seven" not in first
    for title in ("On day one at seven", "Day two", "Day three just before seven"):
        assert title in second
    assert "Before day one" not in second
    assert "Day three after seven" not in second
    periods = list(
        DigestDelivery.objects.filter(subscription=reader)
        .order_by("period_end")
        .values_list("period_start", "period_end", "item_count")
    )
    assert periods == [
        (reader.confirmed_at, period_end_for(DAY_ONE), 1),
        (period_end_for(DAY_ONE), period_end_for(DAY_THREE), 3),
    ]


def test_a_weekly_digest_covers_the_week_since_the_last(hub, mailoutbox):
    week_one, next_day, week_two = (TODAY - timedelta(days=n) for n in (10, 9, 3))
    subscribe(
        hub,
        "weekly@example.org",
        frequency="weekly",
        weekday=week_one.weekday(),
        confirmed=period_end_for(week_one) - timedelta(days=1),
    )
    publish(hub, "Midweek", period_end_for(week_one) + timedelta(days=3))

    for day in (week_one, next_day, week_two):
        run(day)

    assert ["Midweek" in m.body for m in mailoutbox] == [True]
    ends = list(DigestDelivery.objects.order_by("period_end").values_list("period_end", "status"))
    assert ends == [(period_end_for(week_one), Status.EMPTY), (period_end_for(week_two), "sent")]


def test_an_empty_digest_is_recorded_as_empty_and_sends_no_email(hub, mailoutbox):
    reader = subscribe(hub, "quiet@example.org")
    publish(hub, "Too early", reader.confirmed_at - timedelta(days=1))

    run(DAY_ONE)

    assert mailoutbox == []
    (recorded,) = DigestDelivery.objects.all()
    assert (recorded.status, recorded.item_count, recorded.attempts) == (Status.EMPTY, 0, 1)
    assert recorded.sent_at is None


def test_members_only_learning_never_reaches_an_email_only_subscriber(programme, mailoutbox):
    """The programme's hub is for members only: an email-only reader gets nothing."""
    subscribe(programme, "public@example.org")
    publish(programme, "Public entry", period_end_for(DAY_ONE) - timedelta(hours=1))

    run(DAY_ONE)

    assert mailoutbox == []
    assert DigestDelivery.objects.get().status == Status.EMPTY


def test_pending_confirmation_emails_go_with_the_run(hub, monkeypatch):
    called = []
    monkeypatch.setattr("learning.delivery.send_pending_confirmations", lambda: called.append(True))

    run(DAY_ONE, send=list)

    assert called == [True]


# When the mail server refuses


def test_a_refused_recipient_is_retried_then_recorded_failed_and_the_others_are_sent(
    hub, refusing_mail_server, mailoutbox
):
    for address in ("one@example.org", "gone@bounce.example.org", "two@example.org"):
        subscribe(hub, address)
    publish(hub, "Night cover", period_end_for(DAY_ONE) - timedelta(hours=2))

    run(DAY_ONE)

    assert sorted(m.to[0] for m in mailoutbox) == ["one@example.org", "two@example.org"]
    failed = DigestDelivery.objects.get(subscription__email="gone@bounce.example.org")
    assert failed.status == Status.FAILED
    assert failed.attempts == 1 + send_digest.max_retries == refusing_mail_server.attempts
    assert failed.error == "SMTPException: 550 5.1.1 The mailbox is unavailable"
    assert DigestDelivery.objects.filter(status=Status.SENT).count() == 2


def test_the_next_run_sends_a_failed_digest_for_its_own_period_and_then_the_new_one(
    hub, settings, refusing_mail_server, mailoutbox
):
    reader = subscribe(hub, "gone@bounce.example.org")
    publish(hub, "Night cover", period_end_for(DAY_ONE) - timedelta(hours=2))
    publish(hub, "Weekend rota", period_end_for(DAY_TWO) - timedelta(hours=2))
    run(DAY_ONE)
    assert DigestDelivery.objects.get().status == Status.FAILED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    result = run(DAY_TWO)

    assert result.claimed == 1
    assert len(result.queued) == 2
    bodies = [m.body for m in mailoutbox]
    assert len(bodies) == 2
    assert sum("Night cover" in body for body in bodies) == 1
    assert sum("Weekend rota" in body for body in bodies) == 1
    rows = list(
        DigestDelivery.objects.filter(subscription=reader)
        .order_by("period_end")
        .values_list("period_start", "period_end", "status", "error")
    )
    assert rows == [
        (reader.confirmed_at, period_end_for(DAY_ONE), Status.SENT, ""),
        (period_end_for(DAY_ONE), period_end_for(DAY_TWO), Status.SENT, ""),
    ]


def test_a_digest_failed_more_than_a_week_ago_is_left_failed(hub, mailoutbox):
    reader = subscribe(hub, "reader@example.org", confirmed=timezone.now() - timedelta(days=60))
    old_end = period_end_for(TODAY - timedelta(days=8))
    DigestDelivery.objects.create(
        subscription=reader,
        period_start=reader.confirmed_at,
        period_end=old_end,
        status=Status.FAILED,
        attempts=5,
        error="SMTPException: 451",
    )

    result = run(DAY_ONE, send=list)

    assert len(result.queued) == 1  # this period's, not the old one
    assert DigestDelivery.objects.get(period_end=old_end).status == Status.FAILED


def test_a_delivery_left_waiting_by_a_run_that_crashed_is_queued_by_the_next(hub, mailoutbox):
    reader = subscribe(hub, "reader@example.org")
    publish(hub, "Night cover", period_end_for(DAY_ONE) - timedelta(hours=2))
    stranded = claim(reader, reader.confirmed_at, period_end_for(DAY_ONE))
    crashed_at = timezone.now() - delivery.lease() - timedelta(minutes=1)
    DigestDelivery.objects.filter(pk=stranded.pk).update(claimed_at=crashed_at)

    result = run(DAY_ONE)

    assert (result.claimed, result.queued) == (0, [stranded.pk])
    assert len(mailoutbox) == 1
    stranded.refresh_from_db()
    assert stranded.status == Status.SENT


def test_a_delivery_claimed_moments_ago_by_another_run_is_left_to_it(hub):
    reader = subscribe(hub, "reader@example.org")
    claim(reader, reader.confirmed_at, period_end_for(DAY_ONE))

    assert run(DAY_ONE, send=list).queued == []


# The sweeper: deliveries whose worker died go out again minutes later, not at the next run.


def test_the_sweeper_requeues_a_delivery_whose_sender_died_and_it_is_sent_once(hub, mailoutbox):
    reader = subscribe(hub, "reader@example.org")
    publish(hub, "Night cover", period_end_for(DAY_ONE) - timedelta(hours=2))
    held = claim(reader, reader.confirmed_at, period_end_for(DAY_ONE))
    died_at = timezone.now() - delivery.lease() - timedelta(seconds=1)
    DigestDelivery.objects.filter(pk=held.pk).update(attempts=1, claimed_at=died_at)

    assert requeue_stalled_digests() == 1
    assert requeue_stalled_digests() == 0

    held.refresh_from_db()
    assert (held.status, held.attempts) == (Status.SENT, 2)
    assert len(mailoutbox) == 1


def test_the_sweeper_leaves_live_senders_failed_and_old_deliveries_alone(hub):
    now = timezone.now()
    live, failed, old, stranded = (
        claim(
            subscribe(hub, f"{name}@example.org"),
            now - timedelta(days=40),
            period_end_for(day),
        )
        for name, day in (
            ("live", DAY_ONE),
            ("failed", DAY_ONE),
            ("old", TODAY - timedelta(days=9)),
            ("stranded", DAY_TWO),
        )
    )
    long_ago = now - delivery.lease() - timedelta(minutes=1)
    DigestDelivery.objects.filter(pk=live.pk).update(attempts=1, claimed_at=now)
    DigestDelivery.objects.filter(pk=failed.pk).update(status=Status.FAILED, claimed_at=long_ago)
    DigestDelivery.objects.filter(pk=old.pk).update(attempts=1, claimed_at=long_ago)
    # Claimed by a run that crashed before handing it to a sender.
    DigestDelivery.objects.filter(pk=stranded.pk).update(claimed_at=long_ago)

    assert delivery.sweep(send=list) == [stranded.pk]


def test_the_beat_runs_the_sweeper_every_five_minutes():
    entry = django_settings.CELERY_BEAT_SCHEDULE["requeue-stalled-digests"]
    assert entry["task"] == requeue_stalled_digests.name
    assert entry["schedule"] == crontab(minute="*/5")


# Queries


@pytest.mark.parametrize("readers", [3, 30])
def test_a_run_takes_the_same_queries_however_many_subscribers(
    hub, readers, django_assert_num_queries
):
    for n in range(readers):
        subscribe(hub, f"reader{n}@example.org")

    # Confirmation emails still to send; due subscriptions with their period start; insert;
    # count the claimed; read those to send.
    with django_assert_num_queries(5):
        result = run(DAY_ONE, send=list)

    assert result.claimed == readers


@pytest.mark.parametrize("entries", [1, 12])
def test_sending_a_digest_takes_the_same_queries_however_many_items(
    hub, entries, mailoutbox, django_assert_num_queries
):
    reader = subscribe(hub, "reader@example.org")
    innovation = InnovationFactory(programme=hub)
    for n in range(entries):
        publish(hub, f"Entry {n}", period_end_for(DAY_ONE) - timedelta(hours=1), innovation=None)
        publish(
            hub, f"Innovation {n}", reader.confirmed_at + timedelta(hours=1), innovation=innovation
        )
    claimed = claim(reader, reader.confirmed_at, period_end_for(DAY_ONE))

    # Take it, read it with its subscription, compose (learning, adoption), record it sent.
    with django_assert_num_queries(5):
        deliver(claimed.pk)

    assert len(mailoutbox) == 1


# The embedded mode


def test_the_command_sends_the_digests_and_prints_the_counts(hub, mailoutbox, capsys):
    subscribe(hub, "one@example.org")
    subscribe(hub, "quiet@example.org", innovation=InnovationFactory(programme=hub))
    publish(hub, "Night cover", period_end_for(DAY_ONE) - timedelta(hours=2))

    call_command("send_digests", "--date", DAY_ONE.isoformat())

    day = period_end_for(DAY_ONE).astimezone(delivery.LONDON)
    assert capsys.readouterr().out == (
        f"Digests for the period ending {day:%d %B %Y} 07:00: 1 sent, 1 empty, 0 failed.\n"
    )
    assert [m.to for m in mailoutbox] == [["one@example.org"]]


def test_the_command_reports_failures_and_a_later_run_sends_them(
    hub, settings, refusing_mail_server, mailoutbox, capsys
):
    subscribe(hub, "gone@bounce.example.org")
    publish(hub, "Night cover", period_end_for(DAY_ONE) - timedelta(hours=2))

    with pytest.raises(CommandError, match="1 digest could not be sent"):
        call_command("send_digests", "--date", DAY_ONE.isoformat())

    output = capsys.readouterr()
    assert "0 sent, 0 empty, 1 failed." in output.out
    assert "550 5.1.1 The mailbox is unavailable" in output.err
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_digests", "--date", DAY_ONE.isoformat())
    assert "1 sent, 0 empty, 0 failed." in capsys.readouterr().out
    assert len(mailoutbox) == 1


def test_the_command_refuses_a_date_whose_period_has_not_ended(hub):
    with pytest.raises(CommandError, match="has not ended yet"):
        call_command("send_digests", "--date", (TODAY + timedelta(days=2)).isoformat())


# The schedule and the tasks


def test_the_beat_runs_the_digests_every_day_at_seven_london_time():
    entry = django_settings.CELERY_BEAT_SCHEDULE["send-learning-digests"]
    assert entry["task"] == run_digests.name == "learning.tasks.run_digests"
    assert entry["schedule"] == crontab(hour=7, minute=0)


def test_the_send_task_acknowledges_late_and_retries_mail_errors_within_the_lease():
    assert send_digest.acks_late is True
    assert SMTPException in send_digest.autoretry_for
    assert send_digest.time_limit < delivery.lease().total_seconds()


def test_a_subscription_removed_before_it_is_sent_leaves_nothing_to_send(hub, mailoutbox):
    reader = subscribe(hub, "reader@example.org")
    claimed = claim(reader, reader.confirmed_at, period_end_for(DAY_ONE))
    Subscription.objects.filter(pk=reader.pk).delete()

    assert deliver(claimed.pk) == "skipped"
    assert mailoutbox == []


def test_a_batch_composes_one_digest_for_email_only_readers_of_the_same_scope(
    hub, member, monkeypatch, mailoutbox
):
    from learning import digest
    from learning.tasks import send_digests

    composed = []
    real_compose = digest.compose

    def counting_compose(subscription, start, end):
        composed.append(subscription.email)
        return real_compose(subscription, start, end)

    monkeypatch.setattr(digest, "compose", counting_compose)
    readers = [subscribe(hub, f"reader{n}@example.org") for n in range(3)]
    subscribe(hub, member.email, user=member)
    publish(hub, "Night cover", period_end_for(DAY_ONE) - timedelta(hours=2))

    run(DAY_ONE)

    assert sorted(composed) == sorted([readers[0].email, member.email])
    tokens = {message.to[0]: message.extra_headers["List-Unsubscribe"] for message in mailoutbox}
    assert len(tokens) == 4
    for reader in readers:
        assert reader.unsubscribe_token in tokens[reader.email]
    assert send_digests.name == "learning.tasks.send_digests"


@pytest.mark.parametrize("readers", [2, 20])
def test_a_batch_takes_the_same_queries_however_many_readers_share_a_digest(
    hub, readers, mailoutbox, django_assert_num_queries
):
    from learning.delivery import deliver_batch

    subscriptions = [subscribe(hub, f"reader{n}@example.org") for n in range(readers)]
    quiet = [subscribe(hub, f"quiet{n}@example.org", innovation=None) for n in range(readers)]
    publish(hub, "Night cover", period_end_for(DAY_ONE) - timedelta(hours=2))
    start = subscriptions[0].confirmed_at
    ids = [claim(s, start, period_end_for(DAY_ONE)).pk for s in subscriptions]
    # The quiet ones' period ended before the entry was published.
    early = period_end_for(DAY_ONE) - timedelta(hours=3)
    ids += [claim(s, start, early).pk for s in quiet]

    # Take; read the taken; compose each of the two digests (two queries each); one to record
    # each email sent; one to record the empty ones.
    with django_assert_num_queries(2 + 2 * 2 + readers + 1):
        outcomes = deliver_batch(ids)

    assert outcomes == {"sent": readers, "empty": readers}
    assert len(mailoutbox) == readers
