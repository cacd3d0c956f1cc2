"""Small hand-built programmes for the introduction tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from convening.models import Sector
from tests.factories import (
    AdaptiveSpaceFactory,
    AttendanceFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
)


def organisation(name: str, sector: str = Sector.ACUTE):
    return OrganisationFactory(name=name, sector=sector)


def person(programme, name: str, organisation, **fields):
    values = {"consent_recorded": True, "consent_contact": True, "email": _email(name)}
    values.update(fields)
    return ParticipantFactory(programme=programme, name=name, organisation=organisation, **values)


def _email(name: str) -> str:
    return name.lower().replace(" ", ".") + "@example.org"


def meeting(programme, *people, days_ago: int = 10, status: str = "held", attended=True):
    """A meeting of the programme that the people attended."""
    space = AdaptiveSpaceFactory(programme=programme)
    starts_at = timezone.now() - timedelta(days=days_ago)
    held = MeetingFactory(space=space, status=status, starts_at=starts_at)
    for someone in people:
        AttendanceFactory(
            meeting=held, participant=someone, status="attended" if attended else "apologies"
        )
    return held
