"""The retention job: people with no activity for longer than RETENTION_YEARS are anonymised
each night, but only once the period is confirmed in the admin; a dry run lists them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from convening import personal_data
from convening.celery import app
from convening.models import AuditEntry, Participant, RetentionPolicy
from convening.tasks import apply_retention
from tests.factories import (
    AttendanceFactory,
    LearningEntryFactory,
    MeetingFactory,
    ParticipantFactory,
    ProgrammeFactory,
    SubscriptionFactory,
    UserFactory,
)
from tests.worker import require_worker_services, start_worker, stop_worker

pytestmark = pytest.mark.django_db
LONG_AGO = timedelta(days=365 * 7)


def old_person(programme, name, **fields) -> Participant:
    return ParticipantFactory(
        programme=programme, name=name, created_at=timezone.now() - LONG_AGO, **fields
    )


@pytest.fixture
def people(settings):
    """One person inactive for seven years, and others active in each way an app knows of."""
    settings.RETENTION_YEARS = 6
    programme = ProgrammeFactory()
    recent = timezone.now() - timedelta(days=30)
    gone = old_person(programme, "Gone Quiet")
    attended = old_person(programme, "Still Attending")
    AttendanceFactory(meeting=MeetingFactory(space__programme=programme), participant=attended)
    writer = UserFactory()
    LearningEntryFactory(programme=programme, author=writer)
    wrote = old_person(programme, "Still Writing", user=writer)
    signed_in = old_person(programme, "Signed In", user=UserFactory(last_login=recent))
    reader = old_person(programme, "Still Reading")
    SubscriptionFactory(programme=programme, participant=reader, confirmed_at=recent)
    new = ParticipantFactory(programme=programme, name="Just Joined")
    return {
        "gone": gone,
        "active": [attended, wrote, signed_in, reader, new],
    }


def confirm(years=6) -> None:
    RetentionPolicy.current().confirm(years, by=None)


def test_the_dry_run_lists_only_the_inactive_and_changes_nothing(people, capsys):
    call_command("apply_retention", "--dry-run")

    out = capsys.readouterr().out
    assert f"Gone Quiet (record {people['gone'].pk})" in out
    for active in people["active"]:
        assert active.name not in out
    assert "1 person with no activity since" in out
    assert "not confirmed in the admin yet" in out
    people["gone"].refresh_from_db()
    assert people["gone"].name == "Gone Quiet"


def test_nothing_is_anonymised_until_the_period_is_confirmed(people):
    assert personal_data.apply_retention() is None
    assert apply_retention() == -1
    with pytest.raises(CommandError, match="not confirmed"):
        call_command("apply_retention")
    assert Participant.objects.filter(anonymised_at__isnull=False).count() == 0


def test_a_confirmation_of_another_period_does_not_count(people, settings):
    confirm(years=5)

    assert personal_data.apply_retention() is None


def test_once_confirmed_the_job_anonymises_the_inactive_only_and_audits_it(people):
    confirm()

    assert apply_retention() == 1

    gone = Participant.objects.get(pk=people["gone"].pk)
    assert gone.name == f"Former participant {gone.pk}"
    assert gone.anonymised_at is not None
    for active in people["active"]:
        active.refresh_from_db()
        assert active.anonymised_at is None, active.name
    entry = AuditEntry.objects.get(action=AuditEntry.Action.RETENTION)
    assert entry.subject == gone
    assert entry.actor is None
    assert "6 years" in entry.detail


def test_running_again_anonymises_nobody_twice(people, capsys):
    confirm()
    call_command("apply_retention")

    assert apply_retention() == 0
    assert AuditEntry.objects.filter(action=AuditEntry.Action.RETENTION).count() == 1
    assert "Anonymised 1 person." in capsys.readouterr().out


def test_an_account_is_anonymised_only_when_nothing_else_keeps_it(people, settings):
    programme = people["gone"].programme
    lonely = UserFactory(last_login=timezone.now() - LONG_AGO)
    old_person(programme, "Lonely Account", user=lonely)
    shared = UserFactory(last_login=timezone.now() - LONG_AGO)
    old_person(programme, "Shared Account", user=shared)
    ParticipantFactory(programme=ProgrammeFactory(), user=shared)
    confirm()

    apply_retention()

    lonely.refresh_from_db()
    shared.refresh_from_db()
    assert not lonely.is_active
    assert lonely.name == f"Former user {lonely.pk}"
    assert shared.is_active


def test_the_beat_schedule_runs_it_every_night():
    entry = django_settings.CELERY_BEAT_SCHEDULE["apply-retention"]

    assert entry["task"] == apply_retention.name
    assert entry["task"] in app.tasks
    assert entry["schedule"] == crontab(hour=2, minute=30)


# A real Celery worker with Redis


@pytest.fixture
def celery_worker(django_db_setup, tmp_path):
    require_worker_services()
    worker = start_worker(tmp_path / "worker", site_url="http://testserver")
    try:
        worker.wait_until_answering()
        yield worker
    finally:
        stop_worker(worker)


@pytest.mark.django_db(transaction=True)
def test_two_runs_on_a_real_worker_at_once_anonymise_each_person_once(celery_worker, people):
    confirm()

    task_ids = {apply_retention.apply_async(queue=celery_worker.queue).id for _ in range(2)}

    results = celery_worker.wait_for(
        lambda: (done := celery_worker.results("apply_retention")).keys() >= task_ids and done,
        "result of both retention runs",
    )
    assert sorted(int(results[task_id]) for task_id in task_ids) == [0, 1]
    gone = Participant.objects.get(pk=people["gone"].pk)
    assert gone.name == f"Former participant {gone.pk}"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.RETENTION).count() == 1
