"""Downloads prepared in the background: a large spreadsheet, or the programme archive.

A view records an `ExportJob` and queues `run` by name after the transaction commits; a worker
claims the job with one conditional UPDATE (so a task delivered twice builds one file), builds
the file in a temporary file, counting rows as it goes so the status page can show progress,
and keeps it in the private "exports" storage. The worker builds the tables with the person's
own access, checked again when it starts: someone who has lost access since asking gets no file.

The tables come from the registry in convening.exports, which the apps fill, so core never
imports them. A hourly sweep deletes files older than `EXPORT_FILE_DAYS` and gives up on jobs
that a dead worker left waiting or running.
"""

from __future__ import annotations

import json
import logging
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import timedelta
from functools import partial
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from .access import LEAD
from .exports import TABLES, TEXTS, Cell, RegisteredTable, Table, json_value, write_csv, write_xlsx
from .models import ExportJob, Programme, export_storage

logger = logging.getLogger(__name__)

RUN_EXPORT_TASK = "convening.tasks.run_export_job"
# Rows written between two updates of the progress shown on the status page.
PROGRESS_EVERY = 500
# A job still waiting or running after this long has lost its worker; longer than the task's
# hard time limit (convening/tasks.py).
ABANDONED_AFTER = timedelta(minutes=40)
NO_ACCESS = "You no longer have access to this programme's data, so the file was not made."
BROKEN = (
    "Something went wrong while preparing the file. Try again, and tell us if it happens again."
)


class NoLongerAllowed(Exception):
    pass


def start(
    request: HttpRequest, programme: Programme, *, export: str, title: str, fmt: str, query: str
) -> ExportJob:
    """Record the job and queue it once the transaction commits."""
    job = ExportJob.objects.create(
        requested_by=request.user,
        programme=programme,
        export=export,
        title=title,
        format=fmt,
        query=query,
    )
    transaction.on_commit(partial(_enqueue, job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .celery import app

    try:
        app.tasks[RUN_EXPORT_TASK].apply_async(args=[job_id], retry=False)
    except Exception as error:
        # The job stays waiting; the sweep marks it failed, and the person may ask again.
        logger.warning("Export job %s not queued: %s", job_id, error)


def claim(job_id: int) -> ExportJob | None:
    """Take a waiting job for this worker, or None if another worker has it or it is done."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, started_at=now
    )
    if not claimed:
        return None
    return ExportJob.objects.select_related("programme", "requested_by").get(pk=job_id)


def run(job_id: int) -> str:
    """Build the job's file; returns its status, or "skipped" when it was not this run's."""
    job = claim(job_id)
    if job is None:
        return "skipped"
    try:
        with tempfile.TemporaryFile() as out:
            if job.export == ExportJob.ARCHIVE:
                _build_archive(job, out)
            else:
                _build_spreadsheet(job, out)
            out.seek(0)
            job.file.save(job.download_name, File(out), save=False)
    except NoLongerAllowed:
        return _finish(job, ExportJob.Status.FAILED, error=NO_ACCESS)
    except Exception:
        logger.exception("Export job %s failed", job.pk)
        if job.file:
            job.file.delete(save=False)
        return _finish(job, ExportJob.Status.FAILED, error=BROKEN)
    return _finish(job, ExportJob.Status.READY)


def _finish(job: ExportJob, status: str, error: str = "") -> str:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    fields = ["status", "error", "finished_at", "file"]
    if status == ExportJob.Status.READY:
        job.rows_done = job.rows_total
        fields.append("rows_done")
    job.save(update_fields=fields)
    return status


def request_for(job: ExportJob, query: str, roles: Sequence[str]) -> tuple[HttpRequest, Programme]:
    """A request as the person who asked, with the programme fetched for them as a page would;
    NoLongerAllowed if they have left the programme or their role no longer allows it."""
    user = job.requested_by
    programme = Programme.objects.visible_to(user).filter(pk=job.programme_id).first()
    if not user.is_active or programme is None or programme.my_role not in roles:
        raise NoLongerAllowed
    return request_as(user, query), programme


def request_as(user, query: str) -> HttpRequest:
    """What a table's builder reads of a request: who is asking, and the list's filters."""
    request = HttpRequest()
    request.user = user
    request.GET = QueryDict(query)
    return request


def _build_table(job: ExportJob, registered: RegisteredTable, query: str) -> Table:
    request, programme = request_for(job, query, registered.roles)
    return registered.build(request, programme)


def _progress(job: ExportJob, rows: Iterable[Sequence[Cell]], done: int) -> Iterator:
    """The rows, saving how many have been written every PROGRESS_EVERY rows."""
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=done)


def _set_total(job: ExportJob, total: int) -> None:
    job.rows_total = total
    ExportJob.objects.filter(pk=job.pk).update(rows_total=total)


def _build_spreadsheet(job: ExportJob, out: IO[bytes]) -> None:
    registered = TABLES.get(job.export)
    if registered is None:
        raise ValueError(f"No table is registered as {job.export!r}")
    table = _build_table(job, registered, job.query)
    _set_total(job, table.count())
    write_xlsx(out, table.title, table.headers, _progress(job, table.rows(), 0))


# The archive ------------------------------------------------------------------------------


def _build_archive(job: ExportJob, out: IO[bytes]) -> None:
    """Every registered table as CSV and JSON, every registered text as Markdown, and a
    README.txt that lists them, in one ZIP, as the programme's lead sees them."""
    _request, programme = request_for(job, "", (LEAD,))
    tables = {
        name: _build_table(job, registered, registered.archive_query)
        for name, registered in sorted(TABLES.items())
    }
    counts = {name: table.count() for name, table in tables.items()}
    _set_total(job, sum(counts.values()) * 2)
    folder = f"{programme.slug}-archive"
    done = 0
    texts: dict[str, list[str]] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, table in tables.items():
            with archive.open(f"{folder}/tables/{name}.csv", "w", force_zip64=True) as csv_file:
                write_csv(csv_file, table.headers, _progress(job, table.rows(), done))
            done += counts[name]
            with archive.open(f"{folder}/tables/{name}.json", "w", force_zip64=True) as json_file:
                _write_json(json_file, name, table, _progress(job, table.rows(), done))
            done += counts[name]
        for name, source in sorted(TEXTS.items()):
            texts[name] = []
            for path, text in source.texts(programme):
                archive.writestr(f"{folder}/texts/{name}/{path}", text)
                texts[name].append(path)
        archive.writestr(f"{folder}/README.txt", readme(job, programme, tables, counts, texts))


def _write_json(out: IO[bytes], name: str, table: Table, rows: Iterable[Sequence[Cell]]) -> None:
    """{"table", "title", "columns", "rows": [{column: value}]}, written a row at a time."""
    head = {"table": name, "title": table.title, "columns": list(table.headers)}
    out.write(json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "rows": [\n')
    for number, row in enumerate(rows):
        record = {h: json_value(value) for h, value in zip(table.headers, row, strict=True)}
        out.write(
            (",\n" if number else "").encode() + json.dumps(record, ensure_ascii=False).encode()
        )
    out.write(b"\n]}\n")


def readme(
    job: ExportJob,
    programme: Programme,
    tables: dict[str, Table],
    counts: dict[str, int],
    texts: dict[str, list[str]],
) -> str:
    now = timezone.localtime(timezone.now())
    made = f"{now.day} {now:%B %Y at %H:%M}"
    lines = [
        f"Archive of the programme “{programme.name}”",
        f"Made on {made} for {job.requested_by.email}, a lead of the programme.",
        "",
        "It holds everything the programme's leads see in Convening, for moving the programme",
        "to another system or keeping a record of it. It contains personal data (names, email",
        "addresses, consent answers): keep it as your organisation keeps personal data, and",
        "delete it when it is no longer needed.",
        "",
        "tables/",
        "  Each table twice: NAME.csv and NAME.json, with the same rows in the same order.",
        "  CSV files are UTF-8 with a byte order mark, so spreadsheets read them correctly. A",
        "  cell that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a",
        "  carriage return) begins with an apostrophe in the CSV file only.",
        "  JSON files hold {table, title, columns, rows}; each row maps column names to the",
        "  values the CSV file has, with no apostrophes added and numbers as numbers. Dates",
        "  are YYYY-MM-DD; times are ISO 8601 with their offset from UTC.",
        "",
    ]
    for name, table in tables.items():
        noun = "row" if counts[name] == 1 else "rows"
        lines.append(f"  {name}.csv / {name}.json: {table.title}, {counts[name]} {noun}")
    lines += [
        "",
        "texts/",
        "  The programme's written texts as Markdown files, one file each, headed by its title",
        "  and details.",
        "",
    ]
    for name, paths in texts.items():
        noun = "file" if len(paths) == 1 else "files"
        lines.append(f"  {name}/: {len(paths)} {noun}")
    lines += [
        "",
        "Confidentiality",
        "  Notes of spaces under the Chatham House rule are marked as such: use what was said,",
        "  but never say who said it. Learning is attributed only as Convening shows it: people",
        "  who did not agree to be named are not, and learning from Chatham House spaces names",
        "  no one. Learning for a space's members only is marked with who may read it.",
        "",
    ]
    return "\n".join(lines)


# The sweep --------------------------------------------------------------------------------


def delete_expired(now=None) -> int:
    """Delete the files of downloads older than EXPORT_FILE_DAYS and mark them deleted; mark
    jobs left waiting or running by a dead worker as failed. Returns how many files went."""
    now = now or timezone.now()
    ExportJob.objects.filter(
        status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING],
        created_at__lt=now - ABANDONED_AFTER,
    ).update(status=ExportJob.Status.FAILED, error=BROKEN, finished_at=now)
    deleted = 0
    for job in ExportJob.objects.expired(now).only("pk", "file"):
        if job.file:
            job.file.delete(save=False)
            deleted += 1
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.EXPIRED, file="")
    return deleted + _delete_orphans(now)


def _delete_orphans(now) -> int:
    """Files no job names any more (the job went with an erased person) once they are as old
    as a prepared file may be kept."""
    storage = export_storage()
    kept = set(ExportJob.objects.exclude(file="").values_list("file", flat=True))
    cutoff = now - timedelta(days=settings.EXPORT_FILE_DAYS)
    deleted = 0
    folders = ["exports"]
    while folders:
        folder = folders.pop()
        if not storage.exists(folder):
            continue
        subfolders, files = storage.listdir(folder)
        folders += [f"{folder}/{name}" for name in subfolders]
        for name in files:
            path = f"{folder}/{name}"
            if path not in kept and storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                deleted += 1
    return deleted


def threshold() -> int:
    return settings.EXPORT_JOB_THRESHOLD_ROWS
