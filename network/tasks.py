"""Thin Celery tasks for the network snapshots (network.jobs does the work)."""

from __future__ import annotations

from celery import shared_task

from . import jobs


@shared_task(name="network.tasks.build_network")
def build_network(programme_id: int | None) -> bool:
    return jobs.run(programme_id)


@shared_task(name="network.tasks.sweep")
def sweep(queue: str | None = None) -> int:
    return len(jobs.sweep(queue))
