"""Thin Celery tasks for the network snapshots (network.jobs does the work)."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from . import introductions, jobs


@shared_task(name="network.tasks.build_network")
def build_network(programme_id: int | None) -> bool:
    return jobs.run(programme_id)


@shared_task(name="network.tasks.sweep")
def sweep(queue: str | None = None) -> int:
    return len(jobs.sweep(queue))


# Introductions (network.introductions) -------------------------------------------------------


@shared_task(
    name=introductions.SEND_INTRODUCTION_TASK,
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def send_introduction(introduction_id: int) -> None:
    """Email one introduction to both people, if it has not gone yet."""
    introductions.send_introduction(introduction_id)


@shared_task(ignore_result=True, soft_time_limit=300, time_limit=360)
def send_pending_introductions() -> int:
    """Every few minutes: send the introductions whose task was never queued or whose sending
    failed for good. Safe to run twice: each is claimed before sending."""
    return introductions.send_pending_introductions()
