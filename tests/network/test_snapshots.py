"""Building network snapshots from attendance, and the jobs that build them (DESIGN 11)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from convening.celery import app
from convening.models import Sector
from network import jobs, snapshots
from network.models import (
    GroupMeasure,
    GroupTie,
    MeetingMix,
    NetworkBuild,
    NetworkSnapshot,
    PersonMeasure,
    WeakPoint,
    Window,
)
from network.tasks import build_network
from tests.factories import (
    AdaptiveSpaceFactory,
    AttendanceFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
)
from tests.worker import require_worker_services, start_worker, stop_worker

pytestmark = pytest.mark.django_db


def held(space, days_ago: int, people):
    meeting = MeetingFactory(
        space=space, status="held", starts_at=timezone.now() - timedelta(days=days_ago)
    )
    for person in people:
        AttendanceFactory(meeting=meeting, participant=person)
    return meeting


@pytest.fixture
def story():
    """Four organisations. Recently: A's two people met B's one, who met C's two; nobody from
    D (academic) has met anyone. Two hundred days ago a1 met c1 too."""
    programme = ProgrammeFactory()
    space = AdaptiveSpaceFactory(programme=programme)
    orgs = {
        "A": OrganisationFactory(name="Alpha Trust", sector=Sector.ACUTE),
        "B": OrganisationFactory(name="Beta Trust", sector=Sector.ACUTE),
        "C": OrganisationFactory(name="Calder Council", sector=Sector.LOCAL_AUTHORITY),
        "D": OrganisationFactory(name="Dale University", sector=Sector.ACADEMIC),
    }

    def person(name, org, **fields):
        return ParticipantFactory(
            programme=programme,
            name=name,
            organisation=orgs[org],
            consent_recorded=fields.pop("consent_recorded", True),
            **fields,
        )

    people = {
        "a1": person("Ann Ash", "A"),
        "a2": person("Amir Aspen", "A", consent_recorded=False),
        "b1": person("Bea Birch", "B"),
        "c1": person("Cal Cedar", "C"),
        "c2": person("Cy Cherry", "C"),
        "d1": person("Dee Dogwood", "D"),
    }
    p = people
    held(space, 10, [p["a1"], p["a2"], p["b1"]])
    held(space, 9, [p["b1"], p["c1"], p["c2"]])
    held(space, 200, [p["a1"], p["c1"]])
    return programme, orgs, people


def snapshot_of(programme, window) -> NetworkSnapshot:
    return NetworkSnapshot.objects.get(programme=programme, window=window)


def test_a_snapshot_counts_people_meetings_and_ties_per_window(story):
    programme, _, _ = story
    snapshots.build_snapshots(programme.pk)

    recent = snapshot_of(programme, Window.DAYS_90)
    assert (recent.people, recent.people_met, recent.meetings, recent.ties) == (6, 5, 2, 6)
    assert recent.people_not_named == 1  # Amir did not consent to be recorded
    year = snapshot_of(programme, Window.MONTHS_12)
    assert (year.meetings, year.ties) == (3, 7)  # the older meeting adds a1-c1


def test_organisation_ties_sum_the_newman_weights_of_their_people(story):
    programme, orgs, _ = story
    snapshots.build_snapshots(programme.pk)
    recent = snapshot_of(programme, Window.DAYS_90)
    ties = {
        (t.a_label, t.b_label): (t.weight, t.ties)
        for t in GroupTie.objects.filter(snapshot=recent, boundary="organisation")
    }
    # Each meeting had 3 people, so each pair in it weighs 1/(3-1) = 0.5; A-B is a1-b1 and
    # a2-b1: 0.5 + 0.5 = 1.0 from two pairs; B-C likewise.
    assert ties == {
        ("Alpha Trust", "Beta Trust"): (1.0, 2),
        ("Beta Trust", "Calder Council"): (1.0, 2),
    }
    dale = GroupMeasure.objects.get(snapshot=recent, boundary="organisation", key=str(orgs["D"].pk))
    assert (dale.people, dale.people_met, dale.sector) == (1, 0, Sector.ACADEMIC)
    assert 0 <= dale.x <= 1
    assert 0 <= dale.y <= 1


def test_weak_points_name_the_sector_never_met_and_who_holds_the_network_together(story):
    programme, orgs, people = story
    snapshots.build_snapshots(programme.pk)
    recent = snapshot_of(programme, Window.DAYS_90)
    points = {
        (w.kind, w.label, w.participant_id, w.organisation_id) for w in recent.weak_points.all()
    }
    assert (WeakPoint.Kind.SECTOR_NEVER_MET, "Academic", None, None) in points
    # Bea is the only link between A and C, and so is her organisation.
    assert (WeakPoint.Kind.PERSON_HOLDS_TOGETHER, "", people["b1"].pk, None) in points
    assert (
        WeakPoint.Kind.ORGANISATION_HOLDS_TOGETHER,
        "Beta Trust",
        None,
        orgs["B"].pk,
    ) in points
    # Over the year, a1 met c1 too: nobody holds it together alone any more.
    year = snapshot_of(programme, Window.MONTHS_12)
    kinds = set(year.weak_points.values_list("kind", flat=True))
    assert WeakPoint.Kind.PERSON_HOLDS_TOGETHER not in kinds


def test_person_measures_hold_reach_and_contacts_by_group(story):
    programme, _, people = story
    snapshots.build_snapshots(programme.pk)
    bea = PersonMeasure.objects.get(
        snapshot__programme=programme, snapshot__window="90d", participant=people["b1"]
    )
    assert (bea.meetings, bea.contacts, bea.organisations_met, bea.sectors_met) == (2, 4, 2, 2)
    assert bea.contacts_by["organisation"] == [["Alpha Trust", 2], ["Calder Council", 2]]
    assert bea.crossing["organisation"] == 1.0
    assert bea.is_single_point
    # Gould-Fernandez, by organisation: Bea's unconnected pairs are the 2 x 2 pairs across A
    # and C, each in a group that is not hers: liaison 4.
    assert bea.brokerage["organisation"] == {"liaison": 4}
    assert snapshot_of(programme, Window.DAYS_90).ranking_reason  # too few meetings to rank
    assert not PersonMeasure.objects.filter(participant=people["d1"]).exists()


def test_each_meeting_has_its_mix_of_groups(story):
    programme, _, _ = story
    snapshots.build_snapshots(programme.pk)
    mixes = MeetingMix.objects.filter(
        snapshot__programme=programme, snapshot__window="90d", boundary="organisation"
    )
    assert sorted((m.attendees, m.groups, m.group_labels) for m in mixes) == [
        (3, 2, ["Alpha Trust", "Beta Trust"]),
        (3, 2, ["Beta Trust", "Calder Council"]),
    ]


def test_a_programme_with_no_meetings_gets_empty_snapshots():
    programme = ProgrammeFactory()
    ParticipantFactory(programme=programme)
    snapshots.build_snapshots(programme.pk)
    empty = snapshot_of(programme, Window.MONTHS_12)
    assert (empty.people, empty.meetings, empty.ties) == (1, 0, 0)
    assert empty.ranking_reason == ""
    assert not empty.persons.exists()


def test_the_installation_matches_people_across_programmes_by_account_or_email(story):
    programme, orgs, people = story
    other = ProgrammeFactory()
    space = AdaptiveSpaceFactory(programme=other)
    # Bea takes part in a second programme under the same email, and meets someone there.
    bea_again = ParticipantFactory(
        programme=other, name="Bea Birch", email=people["b1"].email, organisation=orgs["B"]
    )
    held(space, 5, [bea_again, ParticipantFactory(programme=other, organisation=orgs["D"])])
    snapshots.build_snapshots(None)
    installation = NetworkSnapshot.objects.get(programme__isnull=True, window="90d")
    bridges = list(installation.persons.all())
    assert [(b.participant_id, b.programmes, b.contacts) for b in bridges] == [
        (people["b1"].pk, 2, 5)
    ]
    labels = set(installation.groups.filter(boundary="programme").values_list("label", flat=True))
    assert labels == {programme.name, other.name}


def test_building_again_replaces_the_snapshots(story):
    programme, _, _ = story
    snapshots.build_snapshots(programme.pk)
    snapshots.build_snapshots(programme.pk)
    assert NetworkSnapshot.objects.filter(programme=programme).count() == 3
    assert PersonMeasure.objects.filter(snapshot__programme=programme).count() == 5 + 5 + 5


def test_a_build_that_fails_midway_leaves_the_previous_snapshots(story, monkeypatch, settings):
    programme, _, _people = story
    settings.NETWORK_BUILD_INTERVAL = 0
    assert jobs.run(programme.pk)
    before = snapshot_of(programme, Window.ALL)
    computed = snapshots.compute
    calls = []

    def fails_on_the_last_window(network, programme_id, window, now):
        # All time holds the same meetings as 12 months here, so it is copied, not computed:
        # 12 months is the last window computed.
        calls.append(window)
        if window == Window.MONTHS_12:
            raise RuntimeError("worker lost")
        return computed(network, programme_id, window, now)

    monkeypatch.setattr(snapshots, "compute", fails_on_the_last_window)
    with pytest.raises(RuntimeError):
        jobs.run(programme.pk)
    assert calls == [Window.DAYS_90, Window.MONTHS_12]
    assert snapshot_of(programme, Window.ALL).pk == before.pk
    assert NetworkSnapshot.objects.filter(programme=programme).count() == 3
    build = NetworkBuild.objects.get(programme=programme)
    assert "worker lost" in build.error
    assert not build.running

    monkeypatch.setattr(snapshots, "compute", computed)
    assert jobs.run(programme.pk)
    assert snapshot_of(programme, Window.ALL).pk != before.pk


def test_a_programme_is_built_at_most_once_every_few_minutes(story, settings):
    programme, _, _ = story
    settings.NETWORK_BUILD_INTERVAL = 180
    assert jobs.run(programme.pk)
    assert not jobs.run(programme.pk)  # too soon
    later = timezone.now() + timedelta(seconds=181)
    assert jobs.claim(programme.pk, now=later)


def test_a_build_whose_worker_died_can_be_claimed_once_abandoned(story, settings):
    programme, _, _ = story
    settings.NETWORK_BUILD_INTERVAL = 0
    now = timezone.now()
    assert jobs.claim(programme.pk, now=now)  # and the worker dies: never finished
    assert NetworkBuild.objects.get(programme=programme).running
    assert not jobs.claim(programme.pk, now=now + timedelta(minutes=5))
    assert jobs.claim(programme.pk, now=now + jobs.ABANDONED_AFTER + timedelta(seconds=1))


def test_the_sweep_finds_what_changed(story):
    programme, _, people = story
    quiet = ProgrammeFactory()
    assert set(jobs.stale()) == {programme.pk, quiet.pk, None}
    for programme_id in (programme.pk, quiet.pk, None):
        snapshots.build_snapshots(programme_id)
    assert jobs.stale() == []

    # A meeting logged, consent changed or a person erased makes the programme stale again.
    space = AdaptiveSpaceFactory(programme=programme)
    held(space, 1, [people["a1"], people["d1"]])
    assert set(jobs.stale()) == {programme.pk, None}
    snapshots.build_snapshots(programme.pk)
    people["c2"].consent_recorded = False
    people["c2"].save()
    assert programme.pk in jobs.stale()


def test_newer_on_the_way_when_inputs_changed_or_a_build_runs(story):
    programme, _, people = story
    snapshots.build_snapshots(programme.pk)
    current = snapshots.current_snapshot(programme, Window.MONTHS_12)
    assert not snapshots.newer_on_the_way(programme, current)
    held(AdaptiveSpaceFactory(programme=programme), 1, [people["a1"], people["d1"]])
    assert snapshots.newer_on_the_way(programme, current)


def test_in_the_embedded_mode_a_page_builds_a_stale_snapshot_in_process(story, settings):
    programme, _, _ = story
    settings.NETWORK_BUILD_IN_PROCESS = True
    first = snapshots.current_snapshot(programme, Window.MONTHS_12)
    assert first is not None
    assert first.meetings == 3
    assert snapshots.current_snapshot(programme, Window.MONTHS_12).pk == first.pk  # fresh


def test_the_beat_schedule_sweeps_every_two_minutes():
    entry = django_settings.CELERY_BEAT_SCHEDULE["build-network-snapshots"]
    assert entry["task"] in app.tasks
    assert entry["schedule"] == crontab(minute="*/2")


@pytest.mark.django_db(transaction=True)
def test_two_builds_writing_at_once_leave_one_snapshot_per_window(story):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks across connections")
    programme, _, _ = story
    errors = []

    def build():
        try:
            snapshots.build_snapshots(programme.pk)
        except Exception as error:  # pragma: no cover - shown by the assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=build) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert NetworkSnapshot.objects.filter(programme=programme).count() == 3


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
def test_two_build_jobs_at_once_on_a_real_worker_build_once(celery_worker, story):
    programme, _, _ = story
    task_ids = {
        build_network.apply_async(args=[programme.pk], queue=celery_worker.queue).id
        for _ in range(2)
    }
    results = celery_worker.wait_for(
        lambda: (done := celery_worker.results("build_network")).keys() >= task_ids and done,
        "result of both builds",
    )
    assert sorted(str(results[task_id]) for task_id in task_ids) == ["False", "True"]
    assert NetworkSnapshot.objects.filter(programme=programme).count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_sweep_on_a_real_worker_builds_every_stale_programme(celery_worker, story):
    programme, _, _ = story
    jobs.sweep(queue=celery_worker.queue)
    celery_worker.wait_for(
        lambda: (
            NetworkSnapshot.objects.filter(programme__isnull=True).count() == 3
            and NetworkSnapshot.objects.filter(programme=programme).count() == 3
        ),
        "the programme's and the installation's snapshots",
    )
