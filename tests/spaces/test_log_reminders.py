"""The daily reminder to log a meeting: who gets it, that they get it once, and that this holds
with a real Celery worker and Redis."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path
from smtplib import SMTPException

import pytest
from celery.exceptions import Retry
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as MemoryEmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from convening.celery import app
from spaces import reminders
from spaces.models import Meeting
from spaces.tasks import remind_to_log_meetings, send_log_reminder
from tests.conftest import skip_or_fail
from tests.factories import MeetingFactory, ParticipantFactory, SpaceMemberFactory, UserFactory
from tests.worker import Worker, require_worker_services, start_worker, stop_worker

SITE_URL = "https://convening.example.org"
BASE_DIR = Path(django_settings.BASE_DIR)


def log_page(meeting: Meeting) -> str:
    return f"{SITE_URL}/programmes/virtual-wards/spaces/frailty-huddle/meetings/{meeting.pk}/log/"


def ended(space, hours_ago: float, **fields) -> Meeting:
    ends_at = timezone.now() - timedelta(hours=hours_ago)
    return MeetingFactory(
        space=space, starts_at=ends_at - timedelta(hours=2), ends_at=ends_at, **fields
    )


def recipients(messages) -> Counter:
    return Counter(address for message in messages for address in message.to)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request, settings):
    """Tasks run here even when REDIS_URL is set, except in the tests of a real worker."""
    if "celery_worker" not in request.fixturenames:
        settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def co_facilitator(space):
    """A second facilitator of the space, with no account: reached at the participant address."""
    participant = ParticipantFactory(
        programme=space.programme, name="Co Facilitator", email="co.facilitator@example.org"
    )
    SpaceMemberFactory(space=space, participant=participant, role="facilitator")
    return participant


FACILITATORS = {"facilitator@example.org": 1, "co.facilitator@example.org": 1}


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that never takes a message."""

    attempts = 0

    def send_messages(self, email_messages):
        type(self).attempts += 1
        raise SMTPException("451 The mail server is not taking messages just now")


class FailsOnceEmailBackend(MemoryEmailBackend):
    """A mail server that refuses the first attempt, then takes messages as normal."""

    attempts = 0

    def send_messages(self, email_messages):
        type(self).attempts += 1
        if type(self).attempts == 1:
            raise ConnectionRefusedError("The mail server is restarting")
        return super().send_messages(email_messages)


@pytest.fixture
def mail_server_down(settings):
    FailingEmailBackend.attempts = 0
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    return FailingEmailBackend


# Who is reminded, and when


def test_a_meeting_unlogged_25_hours_after_it_ended_gets_one_email_per_facilitator(
    space, co_facilitator, mailoutbox
):
    meeting = ended(space, hours_ago=25, title="Frailty huddle: March")

    remind_to_log_meetings.delay()

    assert recipients(mailoutbox) == FACILITATORS
    message = mailoutbox[0]
    assert message.subject == "Convening: please log Frailty huddle: March"
    assert log_page(meeting) in message.body
    assert "Frailty huddle: March (Frailty huddle, Virtual wards across West Yorkshire)" in (
        message.body
    )
    meeting.refresh_from_db()
    assert meeting.log_reminder_sent_at is not None


def test_the_participants_who_are_not_facilitators_are_not_emailed(space, mailoutbox):
    ended(space, hours_ago=25)

    remind_to_log_meetings.delay()

    assert recipients(mailoutbox) == {"facilitator@example.org": 1}


def test_a_meeting_that_ended_23_hours_ago_is_not_reminded_about_yet(space, mailoutbox):
    meeting = ended(space, hours_ago=23)

    remind_to_log_meetings.delay()

    assert mailoutbox == []
    meeting.refresh_from_db()
    assert meeting.log_reminder_sent_at is None


def test_a_logged_meeting_is_never_reminded_about(space, facilitator, mailoutbox):
    ended(space, hours_ago=25, status="held", logged_at=timezone.now(), logged_by=facilitator)

    remind_to_log_meetings.delay()

    assert mailoutbox == []


def test_a_cancelled_meeting_is_never_reminded_about(space, mailoutbox):
    ended(space, hours_ago=25, status="cancelled")

    remind_to_log_meetings.delay()

    assert mailoutbox == []


def test_running_the_job_twice_sends_one_email_per_facilitator(space, co_facilitator, mailoutbox):
    ended(space, hours_ago=25)
    ended(space, hours_ago=72)

    remind_to_log_meetings.delay()
    remind_to_log_meetings.delay()

    assert recipients(mailoutbox) == {address: 2 for address in FACILITATORS}
    assert len({message.subject for message in mailoutbox}) == 2


def test_a_reminder_for_a_meeting_already_reminded_about_sends_nothing(space, mailoutbox):
    meeting = ended(space, hours_ago=25)

    assert send_log_reminder(meeting.pk) == 1
    assert send_log_reminder(meeting.pk) == 0
    assert len(mailoutbox) == 1


def test_a_facilitator_without_an_email_address_is_skipped(space, mailoutbox):
    no_address = ParticipantFactory(programme=space.programme, name="No Address", email="")
    SpaceMemberFactory(space=space, participant=no_address, role="facilitator")
    ended(space, hours_ago=25)

    remind_to_log_meetings.delay()

    assert recipients(mailoutbox) == {"facilitator@example.org": 1}


def test_a_space_with_no_facilitator_to_email_is_marked_reminded_without_email(space, mailoutbox):
    space.members.filter(role="facilitator").delete()
    meeting = ended(space, hours_ago=25)

    remind_to_log_meetings.delay()

    assert mailoutbox == []
    meeting.refresh_from_db()
    assert meeting.log_reminder_sent_at is not None


def test_facilitators_with_accounts_get_it_at_the_account_address_and_each_address_once(
    space, co_facilitator, mailoutbox
):
    """The account's address wins over the participant record's, and an address reached
    through two records gets one email."""
    user = UserFactory(email="CO.Facilitator@example.org")
    twin = ParticipantFactory(programme=space.programme, email="old.address@example.org", user=user)
    SpaceMemberFactory(space=space, participant=twin, role="facilitator")
    ended(space, hours_ago=25)

    remind_to_log_meetings.delay()

    assert sorted(address.lower() for address in recipients(mailoutbox)) == sorted(FACILITATORS)


def test_the_email_is_plain_text_with_the_title_as_written(space, mailoutbox):
    ended(space, hours_ago=25, title='Falls & "frailty" <review>\nround two')

    remind_to_log_meetings.delay()

    (message,) = mailoutbox
    assert message.subject == 'Convening: please log Falls & "frailty" <review> round two'
    assert 'Falls & "frailty" <review>' in message.body
    assert "&amp;" not in message.body
    assert "&#34;" not in message.body


@pytest.mark.parametrize("more_facilitators", [0, 5])
def test_sending_a_reminder_takes_three_queries_however_many_facilitators(
    space, mailoutbox, django_assert_num_queries, more_facilitators
):
    """Claim, read the meeting, read its facilitators: no query per facilitator."""
    SpaceMemberFactory.create_batch(more_facilitators, space=space, role="facilitator")
    meeting = ended(space, hours_ago=25)

    with django_assert_num_queries(3):
        send_log_reminder(meeting.pk)

    assert len(mailoutbox) == 1 + more_facilitators


def test_finding_the_meetings_due_takes_one_query(space, django_assert_num_queries):
    meetings = [ended(space, hours_ago=25 + n) for n in range(5)]
    ended(space, hours_ago=2)

    with django_assert_num_queries(1):
        due = reminders.due_meeting_ids(timezone.now())

    assert due == sorted(meeting.pk for meeting in meetings)


# The management command (the embedded mode, where no worker runs)


def test_the_command_sends_the_reminders_and_prints_how_many(
    space, co_facilitator, mailoutbox, capsys
):
    ended(space, hours_ago=25)
    ended(space, hours_ago=30)
    ended(space, hours_ago=3)

    call_command("remind_to_log_meetings")

    assert capsys.readouterr().out == "Sent 4 reminders to log 2 meetings.\n"
    assert recipients(mailoutbox) == {address: 2 for address in FACILITATORS}


def test_the_command_with_nothing_due_says_so(space, mailoutbox, capsys):
    call_command("remind_to_log_meetings")

    assert capsys.readouterr().out == "Sent 0 reminders to log 0 meetings.\n"
    assert mailoutbox == []


def test_the_command_reports_a_failed_send_and_a_later_run_sends_it(
    space, settings, mail_server_down, mailoutbox, capsys
):
    meeting = ended(space, hours_ago=25)

    with pytest.raises(CommandError, match="1 reminder could not be sent"):
        call_command("remind_to_log_meetings")

    assert f"Meeting {meeting.pk}: the reminder was not sent" in capsys.readouterr().err
    meeting.refresh_from_db()
    assert meeting.log_reminder_sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("remind_to_log_meetings")

    assert capsys.readouterr().out == "Sent 1 reminder to log 1 meeting.\n"
    assert len(mailoutbox) == 1


# When sending fails


def test_a_mail_server_failure_gives_the_claim_back_so_a_later_run_sends(
    space, settings, mail_server_down, mailoutbox
):
    meeting = ended(space, hours_ago=25)

    # In process, the failure surfaces as the retry that a worker would schedule.
    with pytest.raises(Retry):
        remind_to_log_meetings.delay()

    meeting.refresh_from_db()
    assert meeting.log_reminder_sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    remind_to_log_meetings.delay()

    assert len(mailoutbox) == 1
    meeting.refresh_from_db()
    assert meeting.log_reminder_sent_at is not None


@pytest.fixture
def retries_run_in_process(settings):
    """Run a task's retries here, one after another, as a worker would run them later."""
    settings.CELERY_TASK_EAGER_PROPAGATES = False


@pytest.mark.usefixtures("retries_run_in_process")
def test_a_send_that_fails_once_is_retried_and_sends_once(space, settings, mailoutbox):
    FailsOnceEmailBackend.attempts = 0
    settings.EMAIL_BACKEND = f"{__name__}.FailsOnceEmailBackend"
    meeting = ended(space, hours_ago=25)

    send_log_reminder.delay(meeting.pk)

    assert FailsOnceEmailBackend.attempts == 2
    assert len(mailoutbox) == 1
    meeting.refresh_from_db()
    assert meeting.log_reminder_sent_at is not None


@pytest.mark.usefixtures("retries_run_in_process")
def test_a_send_that_keeps_failing_stops_after_five_retries_and_gives_the_claim_back(
    space, mail_server_down
):
    meeting = ended(space, hours_ago=25)

    result = send_log_reminder.delay(meeting.pk)

    assert result.failed()
    assert isinstance(result.result, SMTPException)
    assert mail_server_down.attempts == 1 + 5
    meeting.refresh_from_db()
    assert meeting.log_reminder_sent_at is None


# The claim


def test_of_two_claims_on_the_same_meeting_only_the_first_wins(space):
    meeting = ended(space, hours_ago=25)
    now = timezone.now()

    assert reminders.claim_for_reminder(meeting.pk, now) is True
    assert reminders.claim_for_reminder(meeting.pk, now) is False


def test_a_meeting_logged_or_cancelled_after_the_daily_scan_cannot_be_claimed(space, facilitator):
    logged = ended(space, hours_ago=25)
    cancelled = ended(space, hours_ago=25)
    due = reminders.due_meeting_ids(timezone.now())
    Meeting.objects.filter(pk=logged.pk).update(logged_at=timezone.now())
    Meeting.objects.filter(pk=cancelled.pk).update(status="cancelled")

    assert due == sorted([logged.pk, cancelled.pk])
    assert reminders.claim_for_reminder(logged.pk, timezone.now()) is False
    assert reminders.claim_for_reminder(cancelled.pk, timezone.now()) is False


@pytest.mark.django_db(transaction=True)
def test_claims_racing_on_postgresql_have_exactly_one_winner_per_meeting(space):
    if connection.vendor != "postgresql":
        skip_or_fail("DATABASE_URL is not PostgreSQL: racing claims need a shared database")
    meetings = [ended(space, hours_ago=25) for _ in range(5)]
    racers = 6
    for meeting in meetings:
        start = threading.Barrier(racers)
        wins: list[bool] = []

        def claim(meeting_id=meeting.pk, start=start, wins=wins):
            try:
                start.wait(timeout=10)
                wins.append(reminders.claim_for_reminder(meeting_id, timezone.now()))
            finally:
                connection.close()

        threads = [threading.Thread(target=claim) for _ in range(racers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
        assert sorted(wins) == [False] * (racers - 1) + [True]


# The schedule


def test_the_beat_schedule_runs_the_job_every_day_at_eight_london_time():
    entry = django_settings.CELERY_BEAT_SCHEDULE["remind-to-log-meetings"]

    assert entry["task"] == remind_to_log_meetings.name
    assert entry["task"] in app.tasks
    assert entry["schedule"] == crontab(hour=8, minute=0)
    assert app.conf.timezone == "Europe/London"


# A real Celery worker with Redis


@pytest.fixture(scope="module")
def _celery_worker_process(django_db_setup, tmp_path_factory):
    """One worker for the module, reading the test database and writing its emails to files."""
    require_worker_services()
    worker = start_worker(tmp_path_factory.mktemp("celery-worker"), site_url=SITE_URL)
    try:
        worker.wait_until_answering()
        yield worker
    finally:
        stop_worker(worker)


@pytest.fixture
def celery_worker(_celery_worker_process):
    worker = _celery_worker_process
    worker.clear()
    return worker


def sent_to(worker: Worker) -> Counter:
    return Counter((message["To"], message["Subject"]) for message in worker.emails())


@pytest.mark.django_db(transaction=True)
def test_a_worker_given_the_same_reminder_twice_at_once_sends_it_once(
    celery_worker, space, co_facilitator
):
    meeting = ended(space, hours_ago=25, title="Frailty huddle: April")

    task_ids = {
        send_log_reminder.apply_async(args=[meeting.pk], queue=celery_worker.queue).id
        for _ in range(2)
    }

    results = celery_worker.wait_for(
        lambda: (done := celery_worker.results("send_log_reminder")).keys() >= task_ids and done,
        "result of both reminder jobs",
    )
    assert sorted(results[task_id] for task_id in task_ids) == ["0", "2"]
    subject = "Convening: please log Frailty huddle: April"
    assert sent_to(celery_worker) == {(address, subject): 1 for address in FACILITATORS}
    (message,) = [m for m in celery_worker.emails() if m["To"] == "facilitator@example.org"]
    assert log_page(meeting) in message.get_payload(decode=True).decode()
    meeting.refresh_from_db()
    assert meeting.log_reminder_sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_two_beat_runs_on_a_worker_send_one_email_per_facilitator_per_meeting(
    celery_worker, space, co_facilitator
):
    due = [ended(space, hours_ago=hours, title=f"Due {hours}") for hours in (25, 49)]
    not_yet = ended(space, hours_ago=5, title="Not yet")

    scan_ids = {remind_to_log_meetings.apply_async(queue=celery_worker.queue).id for _ in range(2)}

    scans = celery_worker.wait_for(
        lambda: (
            (done := celery_worker.results("remind_to_log_meetings")).keys() >= scan_ids and done
        ),
        "result of both daily scans",
    )
    queued = sum(int(scans[scan_id]) for scan_id in scan_ids)
    assert len(due) <= queued <= 2 * len(due)
    celery_worker.wait_for(
        lambda: len(celery_worker.results("send_log_reminder")) == queued,
        f"result of all {queued} reminder jobs",
    )
    assert sent_to(celery_worker) == {
        (address, f"Convening: please log {meeting.title}"): 1
        for meeting in due
        for address in FACILITATORS
    }
    assert Meeting.objects.filter(log_reminder_sent_at__isnull=False).count() == len(due)
    not_yet.refresh_from_db()
    assert not_yet.log_reminder_sent_at is None


def test_meetings_older_than_fourteen_days_are_not_reminded_about(space, mailoutbox, settings):
    from datetime import timedelta

    from django.utils import timezone

    from spaces.reminders import due_meeting_ids
    from tests.factories import MeetingFactory

    long_ago = timezone.now() - timedelta(days=15)
    old = MeetingFactory(
        space=space, starts_at=long_ago, ends_at=long_ago + timedelta(hours=1), status="held"
    )
    recent = timezone.now() - timedelta(days=3)
    due = MeetingFactory(
        space=space, starts_at=recent, ends_at=recent + timedelta(hours=1), status="held"
    )
    ids = due_meeting_ids(timezone.now())
    assert due.pk in ids
    assert old.pk not in ids
