"""Core's background jobs: prepared downloads and retention. Each is safe to run twice.

Imports go one way: this module imports the module that does the work, which queues these
tasks by the names declared here, never by importing this module."""

from __future__ import annotations

from celery import shared_task

from . import export_jobs, personal_data


# The hard limit stays under export_jobs.ABANDONED_AFTER, so the sweep never gives up on a job
# that a live worker is still building.
@shared_task(
    name=export_jobs.RUN_EXPORT_TASK, acks_late=True, soft_time_limit=1800, time_limit=1900
)
def run_export_job(job_id: int) -> str:
    """Build one prepared download: returns ready, failed or skipped (not this run's)."""
    return export_jobs.run(job_id)


@shared_task(ignore_result=True)
def delete_expired_exports() -> int:
    """Hourly: delete prepared downloads older than EXPORT_FILE_DAYS; returns how many."""
    return export_jobs.delete_expired()


@shared_task(ignore_result=True, soft_time_limit=600, time_limit=900)
def apply_retention() -> int:
    """Nightly: anonymise the people past the retention period; returns how many, or -1 when
    the period has not been confirmed in the admin (then nothing is done).

    Safe to run twice, even at once: each record is locked and skipped once anonymised."""
    done = personal_data.apply_retention()
    return -1 if done is None else done
