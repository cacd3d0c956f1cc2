"""The programme archive and a large spreadsheet of a region-scale programme: time and memory.

    .venv/bin/python scripts/bench_archive.py                  # SQLite: var/bench.sqlite3
    DATABASE_URL=postgres://.../convening_bench .venv/bin/python scripts/bench_archive.py

It uses the benchmark database of scripts/bench.py (built there if missing) and its region-wide
programme, led by the benchmark user: about 2,000 people, 1,000 meetings and 10,000 attendance
rows. It builds, in this process and exactly as a worker does (convening.export_jobs.run), the
programme archive and then the attendance spreadsheet, into a temporary folder, and prints for
each the time taken, the rows written, the file's size and how much the process's peak memory
(resident set) grew while building it. The jobs it makes are deleted afterwards.
"""

from __future__ import annotations

import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import configure_environment, database_name, ensure_data


def peak_memory_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(job) -> tuple[float, float]:
    from convening import export_jobs

    before = peak_memory_mb()
    started = time.perf_counter()
    status = export_jobs.run(job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    if status != "ready":
        raise SystemExit(f"The {job.export} job ended {status}: {job.error}")
    return seconds, peak_memory_mb() - before


def main() -> int:
    folder = tempfile.mkdtemp(prefix="bench-archive-")
    os.environ["EXPORT_FILES_ROOT"] = folder
    configure_environment()

    import django

    django.setup()
    from django.core.management import call_command

    from convening.models import ExportJob, Programme, User
    from demo.management.commands.seed_scale import BENCH_EMAIL, SUMMIT_TITLE

    print(f"Database: {database_name()}", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    ensure_data(call_command, 1.0)
    user = User.objects.get(email=BENCH_EMAIL)
    programme = Programme.objects.filter(
        spaces__meetings__title=SUMMIT_TITLE, memberships__user=user
    ).get()
    print(f"Programme: {programme.name} ({programme.slug}); files in {folder}\n", flush=True)
    print(f"{'Build':<28}{'seconds':>9}{'rows written':>14}{'size MB':>9}{'peak memory +MB':>17}")
    jobs = [
        ExportJob(export=ExportJob.ARCHIVE, title="Everything", format="zip"),
        ExportJob(export="attendance", title="Attendance", format="xlsx"),
    ]
    try:
        for job in jobs:
            job.requested_by, job.programme = user, programme
            job.save()
            seconds, memory = build(job)
            size = job.file.size / 1_000_000
            label = "Archive (ZIP)" if job.export == ExportJob.ARCHIVE else "Attendance (XLSX)"
            print(f"{label:<28}{seconds:>9.1f}{job.rows_total:>14}{size:>9.1f}{memory:>17.0f}")
    finally:
        for job in jobs:
            if job.pk:
                job.file.delete(save=False)
                job.delete()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\nPeak memory of this process: {peak_memory_mb():.0f} MB.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
