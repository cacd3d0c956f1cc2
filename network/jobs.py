"""When snapshots are built, and by whom (DESIGN section 11).

A sweep every two minutes compares each programme's fingerprint (network.snapshots) with its
stored snapshot's and queues a build for each that changed: after meetings are logged, after
people or consent change, after an erasure, and once a day as the windows move. A build is
claimed with one conditional UPDATE on the programme's NetworkBuild row: a programme is built
by one worker at a time, and at most once per NETWORK_BUILD_INTERVAL seconds (the
installation once per NETWORK_INSTALLATION_INTERVAL); a task that finds it claimed does
nothing, and the next sweep tries again. A build whose worker died is claimable again after
ABANDONED_AFTER; until then, and whatever happens, the previous snapshot stays in place.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from convening.models import Programme

from . import snapshots
from .models import NetworkBuild, NetworkSnapshot, Window

logger = logging.getLogger(__name__)

BUILD_TASK = "network.tasks.build_network"
# Longer than the task's hard time limit: a build still "running" after this has lost its worker.
ABANDONED_AFTER = timedelta(minutes=15)


def interval(programme_id: int | None) -> timedelta:
    seconds = (
        settings.NETWORK_BUILD_INTERVAL if programme_id else settings.NETWORK_INSTALLATION_INTERVAL
    )
    return timedelta(seconds=seconds)


def claim(programme_id: int | None, *, now=None) -> str | None:
    """Take the build of a programme (None: the installation) for this worker, or None if
    another has it or it was built too recently."""
    now = now or timezone.now()
    key = NetworkBuild.key_for(programme_id)
    NetworkBuild.objects.get_or_create(key=key, defaults={"programme_id": programme_id})
    not_running = Q(finished_at__gte=F("started_at")) | Q(started_at__lt=now - ABANDONED_AFTER)
    free = Q(started_at__isnull=True) | (
        Q(started_at__lte=now - interval(programme_id)) & not_running
    )
    token = secrets.token_hex(16)
    taken = (
        NetworkBuild.objects.filter(key=key)
        .filter(free)
        .update(claim=token, started_at=now, error="")
    )
    return token if taken else None


def run(programme_id: int | None) -> bool:
    """Claim and build; True if this call built the snapshots."""
    if programme_id is not None and not Programme.objects.filter(pk=programme_id).exists():
        return False
    token = claim(programme_id)
    if token is None:
        return False
    key = NetworkBuild.key_for(programme_id)
    try:
        snapshots.build_snapshots(programme_id)
    except Exception as error:
        NetworkBuild.objects.filter(key=key, claim=token).update(
            finished_at=timezone.now(), error=str(error)[:2000]
        )
        raise
    NetworkBuild.objects.filter(key=key, claim=token).update(finished_at=timezone.now())
    return True


def stale() -> list[int | None]:
    """The programmes (and None for the installation) whose snapshots are missing or older
    than their inputs: four queries whatever the number of programmes."""
    current = snapshots.fingerprints(Programme.objects.values_list("pk", flat=True))
    stored = dict(
        NetworkSnapshot.objects.filter(window=Window.MONTHS_12).values_list(
            "programme_id", "fingerprint"
        )
    )
    result: list[int | None] = [
        pk for pk, value in sorted(current.items()) if stored.get(pk) != value
    ]
    if stored.get(None) != snapshots.installation_fingerprint(current):
        result.append(None)
    return result


def sweep(queue: str | None = None) -> list[int | None]:
    """Queue a build for every stale programme; the builds claim for themselves."""
    from convening.celery import app

    queued = stale()
    options = {"queue": queue} if queue else {}
    for programme_id in queued:
        try:
            app.tasks[BUILD_TASK].apply_async(args=[programme_id], retry=False, **options)
        except Exception as error:  # the next sweep tries again
            logger.warning("Network build for %s not queued: %s", programme_id, error)
    return queued
