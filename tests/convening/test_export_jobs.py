"""Large spreadsheets and the programme archive, prepared by a job (convening/export_jobs.py).

Here the job runs in-process (Celery's eager mode, after the transaction commits); the same
through a real worker is in test_export_worker.py."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from openpyxl import load_workbook

from convening import export_jobs
from convening.exports import TABLES, TEXTS
from convening.models import ExportJob, Membership
from tests.conftest import celery_configured
from tests.exports import keep_export_files_in
from tests.factories import (
    AdaptiveSpaceFactory,
    AttendanceFactory,
    FeedbackFactory,
    InnovationFactory,
    LearningEntryFactory,
    MeetingFactory,
    NarrativeFactory,
    ParticipantFactory,
    SpaceMemberFactory,
)

P = "/programmes/virtual-wards"
D = P + "/downloads"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/"}


@pytest.fixture(autouse=True)
def export_files(settings, tmp_path) -> Path:
    """Prepared files in a folder of the test's own, and jobs run in-process."""
    keep_export_files_in(settings, tmp_path / "exports")
    settings.EXPORT_JOB_THRESHOLD_ROWS = 3
    with celery_configured(task_always_eager=True):
        yield tmp_path / "exports"


@pytest.fixture
def meetings(space):
    return [MeetingFactory(space=space, title=f"Huddle {n}") for n in range(5)]


def _file(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def _prepare(client, django_capture_on_commit_callbacks, export="meetings", query=""):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(D + "/new/", {"export": export, "query": query})
    assert response.status_code == 302, response.content[:300]
    return ExportJob.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])


# When a job is used ---------------------------------------------------------------------------


def test_a_spreadsheet_up_to_the_threshold_downloads_at_once(as_user, member, space):
    for n in range(3):
        MeetingFactory(space=space, title=f"Huddle {n}")
    response = as_user(member).get(P + "/meetings/export.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="virtual-wards-meetings.xlsx"'
    assert ExportJob.objects.count() == 0


def test_a_larger_spreadsheet_is_offered_as_a_job_and_asking_changes_nothing(
    as_user, member, meetings
):
    response = as_user(member).get(P + "/meetings/export.xlsx?q=x")
    text = response.content.decode()
    assert response.status_code == 200
    assert "This list has 5 rows" in text
    assert 'name="export" value="meetings"' in text
    assert 'name="query" value="q=x"' in text
    assert f'href="{P}/meetings/export.csv?q=x"' in text
    assert ExportJob.objects.count() == 0  # a GET is safe


def test_a_large_csv_still_streams_at_once(as_user, member, meetings):
    response = as_user(member).get(P + "/meetings/export.csv")
    assert response.streaming
    assert ExportJob.objects.count() == 0


def test_preparing_makes_a_spreadsheet_with_every_row(
    as_user, member, meetings, django_capture_on_commit_callbacks
):
    client = as_user(member)
    job = _prepare(client, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == ("ready", 5, 5)
    assert job.requested_by == member
    assert job.title == "Meetings"
    assert job.format == "xlsx"
    page = client.get(f"{D}/{job.pk}/").content.decode()
    assert f'href="{D}/{job.pk}/file/"' in page
    response = client.get(f"{D}/{job.pk}/file/")
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(_file(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Title", "Space")
    assert sorted(row[0] for row in rows[1:]) == [f"Huddle {n}" for n in range(5)]


def test_the_job_keeps_the_lists_filters(
    as_user, lead, programme, space, django_capture_on_commit_callbacks
):
    for n in range(4):
        ParticipantFactory(programme=programme, name=f"Ada {n}")
    ParticipantFactory(programme=programme, name="Bo Smith")
    job = _prepare(as_user(lead), django_capture_on_commit_callbacks, "people", "q=Ada")
    job.refresh_from_db()
    sheet = load_workbook(job.file.open("rb")).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        f"Ada {n}" for n in range(4)
    ]


def test_text_in_a_prepared_spreadsheet_is_never_a_formula(
    as_user, member, space, django_capture_on_commit_callbacks
):
    for n in range(4):
        MeetingFactory(space=space, title=f"=SUM(A{n})")
    job = _prepare(as_user(member), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    sheet = load_workbook(job.file.open("rb")).active
    assert {sheet.cell(row=n, column=1).data_type for n in range(2, 6)} == {"s"}


def test_the_file_is_kept_outside_static_and_media(as_user, member, meetings, export_files):
    configured = Path(django_settings.STORAGES["exports"]["OPTIONS"]["location"])
    assert configured.resolve() != Path(django_settings.STATIC_ROOT).resolve()
    assert not configured.resolve().is_relative_to(Path(django_settings.BASE_DIR) / "static")


# Bad input and limits -------------------------------------------------------------------------


def test_an_unknown_download_is_a_bad_request(as_user, member):
    response = as_user(member).post(D + "/new/", {"export": "passwords", "query": ""})
    assert response.status_code == 400
    assert ExportJob.objects.count() == 0


def test_a_download_the_role_does_not_allow_is_refused(as_user, member):
    response = as_user(member).post(D + "/new/", {"export": "people", "query": ""})
    assert response.status_code == 403
    assert ExportJob.objects.count() == 0


def test_at_most_three_downloads_wait_at_once(as_user, member, programme, meetings):
    for _ in range(3):
        ExportJob.objects.create(
            requested_by=member, programme=programme, export="meetings", title="M", format="xlsx"
        )
    response = as_user(member).post(D + "/new/", {"export": "meetings", "query": ""}, follow=True)
    assert "You already have 3 downloads being prepared" in response.content.decode()
    assert ExportJob.objects.count() == 3


# Progress -------------------------------------------------------------------------------------


@pytest.fixture
def running(member, programme):
    return ExportJob.objects.create(
        requested_by=member,
        programme=programme,
        export="meetings",
        title="Meetings",
        format="xlsx",
        status="running",
        rows_done=1500,
        rows_total=6000,
    )


def test_the_plain_page_shows_progress_and_a_refresh_link(as_user, member, running):
    text = as_user(member).get(f"{D}/{running.pk}/").content.decode()
    assert "<h1>Meetings</h1>" in text
    assert 'value="25"' in text  # the progress bar
    assert "1,500 of 6,000" in text
    assert f'<a href="{D}/{running.pk}/">Refresh this page</a>' in text
    assert f'hx-get="{D}/{running.pk}/?seen=running"' in text
    assert 'role="status" id="job-announcement"></p>' in text  # quiet on first load


def test_htmx_gets_the_status_block_and_the_live_region_speaks_only_on_a_change(
    as_user, member, running
):
    client = as_user(member)
    same = client.get(f"{D}/{running.pk}/?seen=running", **HTMX).content.decode()
    assert same.lstrip().startswith('<div id="job-status"')
    assert "<h1>" not in same
    assert 'hx-trigger="every 2s"' in same
    assert "hx-swap-oob" not in same

    moved = client.get(f"{D}/{running.pk}/?seen=queued", **HTMX).content.decode()
    assert "hx-swap-oob" in moved
    assert "Being prepared: 1,500 of 6,000 rows written." in moved


def test_a_finished_job_stops_the_polling_and_says_it_is_ready(as_user, member, running):
    running.status = "ready"
    running.save()
    text = as_user(member).get(f"{D}/{running.pk}/?seen=running", **HTMX).content.decode()
    assert "hx-trigger" not in text
    assert "Meetings is ready to download." in text
    assert f'href="{D}/{running.pk}/file/"' in text


def test_a_failed_job_says_why(as_user, member, running):
    running.status, running.error = "failed", export_jobs.NO_ACCESS
    running.save()
    text = as_user(member).get(f"{D}/{running.pk}/").content.decode()
    assert "The file could not be prepared" in text
    assert "You no longer have access" in text


def test_a_file_not_ready_is_not_found(as_user, member, running):
    assert as_user(member).get(f"{D}/{running.pk}/file/").status_code == 404


# Who may download -----------------------------------------------------------------------------


def test_someone_who_lost_the_role_no_longer_downloads_the_file(
    as_user, lead, programme, django_capture_on_commit_callbacks
):
    for n in range(4):
        ParticipantFactory(programme=programme, name=f"Ada {n}")
    client = as_user(lead)
    job = _prepare(client, django_capture_on_commit_callbacks, "people")
    assert client.get(f"{D}/{job.pk}/file/").status_code == 200
    Membership.objects.filter(user=lead).update(role="member")
    assert client.get(f"{D}/{job.pk}/file/").status_code == 403
    Membership.objects.filter(user=lead).delete()
    assert client.get(f"{D}/{job.pk}/file/").status_code == 404


def test_a_job_whose_person_lost_access_before_it_ran_makes_no_file(lead, programme):
    job = ExportJob.objects.create(
        requested_by=lead, programme=programme, export="people", title="People", format="xlsx"
    )
    Membership.objects.filter(user=lead).update(role="member")
    assert export_jobs.run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error == export_jobs.NO_ACCESS
    assert not job.file


def test_a_job_runs_once(as_user, member, meetings, django_capture_on_commit_callbacks):
    job = _prepare(as_user(member), django_capture_on_commit_callbacks)
    assert export_jobs.run(job.pk) == "skipped"


# Retention ------------------------------------------------------------------------------------


def test_the_sweep_deletes_old_files_and_gives_up_on_abandoned_jobs(
    as_user, member, programme, meetings, django_capture_on_commit_callbacks, export_files
):
    job = _prepare(as_user(member), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    path = Path(job.file.path)
    assert path.is_file()
    assert path.is_relative_to(export_files)
    stranded = ExportJob.objects.create(
        requested_by=member, programme=programme, export="meetings", title="M", format="xlsx"
    )
    later = timezone.now() + timedelta(days=django_settings.EXPORT_FILE_DAYS, minutes=1)

    assert export_jobs.delete_expired(now=timezone.now() + timedelta(hours=1)) == 0
    assert ExportJob.objects.get(pk=stranded.pk).status == "failed"
    assert path.is_file()

    assert export_jobs.delete_expired(now=later) == 1
    job.refresh_from_db()
    assert not path.exists()
    assert job.status == "expired"
    assert not job.file
    page = as_user(member).get(f"{D}/{job.pk}/").content.decode()
    assert "This file was deleted 7 days after you asked for it" in page
    assert as_user(member).get(f"{D}/{job.pk}/file/").status_code == 404


def test_the_sweep_deletes_an_old_file_whose_job_went_with_an_erased_person(
    as_user, member, meetings, django_capture_on_commit_callbacks
):
    job = _prepare(as_user(member), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    path = Path(job.file.path)
    ExportJob.objects.filter(pk=job.pk).delete()
    later = timezone.now() + timedelta(days=django_settings.EXPORT_FILE_DAYS, minutes=1)

    assert export_jobs.delete_expired(now=timezone.now()) == 0
    assert path.is_file()
    assert export_jobs.delete_expired(now=later) == 1
    assert not path.exists()


# The archive ----------------------------------------------------------------------------------


@pytest.fixture
def programme_data(programme, lead, space, facilitator):
    """A little of everything, with a Chatham House space and learning from it."""
    innovation = InnovationFactory(programme=programme, name="Virtual ward")
    NarrativeFactory(innovation=innovation, body="For clinicians: **safer** nights.")
    FeedbackFactory(innovation=innovation, status="answered", response="Thanks")
    closed = AdaptiveSpaceFactory(programme=programme, confidentiality="chatham_house")
    writer = ParticipantFactory(programme=programme, name="Nell Named", consent_named=True)
    SpaceMemberFactory(space=closed, participant=writer)
    secret = MeetingFactory(space=closed, title="Closed forum", notes="Frank words.", status="held")
    AttendanceFactory(meeting=secret, participant=writer)
    MeetingFactory(space=space, title="Open huddle", decisions="We agreed a rota.")
    LearningEntryFactory(
        programme=programme, title="Said in the forum", source_meeting=secret, author=facilitator
    )
    LearningEntryFactory(programme=programme, title="Weekend cover", body="Use a rota.")
    return programme


def _archive(client, capture):
    with capture(execute=True):
        response = client.post(D + "/archive/")
    assert response.status_code == 302
    job = ExportJob.objects.get(export="archive")
    job.refresh_from_db()
    assert job.status == "ready", job.error
    return job, zipfile.ZipFile(io.BytesIO(_file(client.get(f"{D}/{job.pk}/file/"))))


def test_the_archive_has_every_table_as_csv_and_json_that_agree(
    as_user, lead, programme_data, django_capture_on_commit_callbacks
):
    job, archive = _archive(as_user(lead), django_capture_on_commit_callbacks)
    names = set(archive.namelist())
    folder = "virtual-wards-archive/"
    for name in TABLES:
        rows = list(
            csv.reader(io.StringIO(archive.read(f"{folder}tables/{name}.csv").decode("utf-8-sig")))
        )
        data = json.loads(archive.read(f"{folder}tables/{name}.json"))
        assert (data["table"], data["columns"]) == (name, rows[0])
        assert len(data["rows"]) == len(rows) - 1, name
        assert [list(record) for record in data["rows"]] == [rows[0]] * len(data["rows"])
    assert f"{folder}README.txt" in names
    assert job.rows_done == job.rows_total > 0
    meetings = json.loads(archive.read(f"{folder}tables/meetings.json"))["rows"]
    assert {row["Title"] for row in meetings} == {"Closed forum", "Open huddle"}
    actions = json.loads(archive.read(f"{folder}tables/actions.json"))
    assert actions["title"] == "Actions"  # every action, not only the open ones


def test_the_archive_has_the_texts_and_a_readme_that_lists_them(
    as_user, lead, programme_data, django_capture_on_commit_callbacks
):
    _job, archive = _archive(as_user(lead), django_capture_on_commit_callbacks)
    folder = "virtual-wards-archive/"
    texts = {n: archive.read(n).decode() for n in archive.namelist() if "/texts/" in n}
    assert {n.split("/")[2] for n in texts} == set(TEXTS)
    (forum,) = [t for n, t in texts.items() if "/meetings/" in n and "Closed forum" in t]
    assert "Frank words." in forum
    assert "Chatham House rule" in forum
    (said,) = [t for n, t in texts.items() if "/learning/" in n and "Said in the forum" in t]
    assert "By: A member of the programme" in said
    assert "Facilitator Person" not in said
    readme = archive.read(folder + "README.txt").decode()
    for name in TABLES:
        assert f"{name}.csv / {name}.json" in readme
    assert "meetings/: 2 files" in readme


def test_the_archive_is_for_leads_only(as_user, facilitator, programme):
    assert as_user(facilitator).post(D + "/archive/").status_code == 403
    assert ExportJob.objects.count() == 0


def test_the_downloads_page_lists_only_your_own_jobs(as_user, member, lead, programme):
    ExportJob.objects.create(
        requested_by=lead, programme=programme, export="people", title="People", format="xlsx"
    )
    ExportJob.objects.create(
        requested_by=member, programme=programme, export="meetings", title="Meetings", format="xlsx"
    )
    text = as_user(member).get(D + "/").content.decode()
    assert ">Meetings</a> (XLSX)" in text
    assert ">People</a> (XLSX)" not in text
    assert "Download everything" not in text
    assert "Download everything" in as_user(lead).get(D + "/").content.decode()


# Queries --------------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 20])
def test_the_downloads_and_status_pages_run_a_fixed_number_of_queries(
    as_user, member, programme, jobs, django_assert_num_queries
):
    made = [
        ExportJob.objects.create(
            requested_by=member, programme=programme, export="meetings", title="M", format="xlsx"
        )
        for _ in range(jobs)
    ]
    client = as_user(member)
    client.get(D + "/")  # the session's first request records the sign-in checks
    # Session, user, the programme with the role, the jobs.
    with django_assert_num_queries(4):
        client.get(D + "/")
    with django_assert_num_queries(4):
        client.get(f"{D}/{made[0].pk}/")
    with django_assert_num_queries(4):
        client.get(f"{D}/{made[0].pk}/?seen=queued", **HTMX)


def test_progress_is_saved_as_rows_are_written(member, programme, monkeypatch):
    monkeypatch.setattr(export_jobs, "PROGRESS_EVERY", 2)
    job = ExportJob.objects.create(
        requested_by=member, programme=programme, export="meetings", title="M", format="xlsx"
    )
    written = list(export_jobs._progress(job, ([n] for n in range(5)), 10))
    assert len(written) == 5
    # Saved at 12 and 14 rows; the last count is saved when the job finishes.
    assert ExportJob.objects.get(pk=job.pk).rows_done == 14


def test_old_files_are_swept_every_hour(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["delete-expired-exports"]
    assert schedule["task"] == "convening.tasks.delete_expired_exports"
    from convening.celery import app

    assert "convening.tasks.delete_expired_exports" in app.tasks
