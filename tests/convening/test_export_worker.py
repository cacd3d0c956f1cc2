"""Prepared downloads through a real Celery worker and Redis: a spreadsheet larger than the
threshold and the programme archive are built by the worker, kept in private storage, and
downloaded by the person who asked.

Needs REDIS_URL and a PostgreSQL DATABASE_URL (CI sets both); skipped otherwise, except in CI.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from convening.exports import TABLES
from convening.models import ExportJob
from spaces.models import Attendance
from tests.conftest import celery_configured
from tests.exports import keep_export_files_in
from tests.factories import MeetingFactory, ParticipantFactory
from tests.worker import require_worker_services, start_worker, stop_worker

P = "/programmes/virtual-wards"
D = P + "/downloads"
MEETINGS, PEOPLE = 60, 100  # 6,000 attendance rows, over the default threshold of 5,000


@pytest.fixture(scope="module")
def _export_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("export-files")


@pytest.fixture(scope="module")
def _celery_worker_process(django_db_setup, tmp_path_factory, _export_folder):
    require_worker_services()
    worker = start_worker(
        tmp_path_factory.mktemp("export-worker"),
        site_url="https://convening.example.org",
        env={"EXPORT_FILES_ROOT": str(_export_folder)},
    )
    try:
        worker.wait_until_answering()
        yield worker
    finally:
        stop_worker(worker)


@pytest.fixture
def celery_worker(_celery_worker_process, settings, _export_folder):
    keep_export_files_in(settings, _export_folder)
    _celery_worker_process.clear()
    with celery_configured(task_default_queue=_celery_worker_process.queue):
        yield _celery_worker_process


@pytest.fixture
def attendance(programme, space):
    meetings = [MeetingFactory(space=space, title=f"Huddle {n:02d}") for n in range(MEETINGS)]
    people = [
        ParticipantFactory(programme=programme, name=f"Person {n:03d}") for n in range(PEOPLE)
    ]
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, participant=person) for meeting in meetings for person in people
    )
    return MEETINGS * PEOPLE


def _finished(worker, job_id: int) -> ExportJob:
    def done():
        job = ExportJob.objects.get(pk=job_id)
        return job if job.is_finished else None

    job = worker.wait_for(done, f"export job {job_id} to finish", seconds=120)
    assert job.status == "ready", (job.error, worker.log())
    return job


def _download(client, job: ExportJob) -> bytes:
    response = client.get(f"{D}/{job.pk}/file/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.django_db(transaction=True)
def test_a_large_spreadsheet_is_built_by_the_worker_with_every_row(
    celery_worker, as_user, lead, attendance
):
    client = as_user(lead)
    offer = client.get(P + "/attendance/export.xlsx")
    assert "This list has 6,000 rows" in offer.content.decode()

    started = client.post(D + "/new/", {"export": "attendance", "query": ""})
    job = _finished(celery_worker, int(started["Location"].rstrip("/").rsplit("/", 1)[1]))

    assert (job.rows_done, job.rows_total) == (attendance, attendance)
    assert celery_worker.results("run_export_job")
    sheet = load_workbook(io.BytesIO(_download(client, job)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Meeting", "Space", "Date", "Person", "Organisation", "Status")
    assert len(rows) == attendance + 1
    assert {row[3] for row in rows[1:]} == {f"Person {n:03d}" for n in range(PEOPLE)}
    assert rows[1][0] == "Huddle 00"
    page = client.get(f"{D}/{job.pk}/").content.decode()
    assert "Attendance is ready" not in page  # the live region speaks only after a change
    assert "Download attendance (XLSX)" in page


@pytest.mark.django_db(transaction=True)
def test_the_archive_is_built_by_the_worker_and_round_trips(
    celery_worker, as_user, lead, attendance
):
    client = as_user(lead)
    client.post(D + "/archive/")
    job = _finished(celery_worker, ExportJob.objects.get(export="archive").pk)

    archive = zipfile.ZipFile(io.BytesIO(_download(client, job)))
    folder = "virtual-wards-archive/tables/"
    for name in TABLES:
        text = archive.read(f"{folder}{name}.csv").decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        records = json.loads(archive.read(f"{folder}{name}.json"))["rows"]
        assert len(records) == len(rows) - 1, name
    attendance_rows = json.loads(archive.read(folder + "attendance.json"))["rows"]
    assert len(attendance_rows) == attendance
    assert (
        "attendance.csv / attendance.json: Attendance, 6000 rows"
        in archive.read("virtual-wards-archive/README.txt").decode()
    )
