"""Background jobs of core. Each calls the module that does the work."""

from celery import shared_task

from . import personal_data


@shared_task(ignore_result=True, soft_time_limit=600, time_limit=900)
def apply_retention() -> int:
    """Nightly: anonymise the people past the retention period; returns how many, or -1 when
    the period has not been confirmed in the admin (then nothing is done).

    Safe to run twice, even at once: each record is locked and skipped once anonymised."""
    done = personal_data.apply_retention()
    return -1 if done is None else done
