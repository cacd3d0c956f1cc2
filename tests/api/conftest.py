"""Fixtures for the JSON API: a programme with one of everything, and tokens."""

from datetime import timedelta

import pytest
from django.utils import timezone

from convening.models import ApiToken
from tests.factories import (
    ActionFactory,
    AdaptiveSpaceFactory,
    AdoptionFactory,
    AttendanceFactory,
    ComplexityAssessmentFactory,
    InnovationFactory,
    LearningEntryFactory,
    LocalKnowledgeFactory,
    MeetingFactory,
    NarrativeFactory,
    ParticipantFactory,
    PlannedActivityFactory,
)


def make_token(user, programmes, *, can_write=True, days=30):
    """A token of the user's for the programmes; returns (token, the text to send)."""
    return ApiToken.objects.issue(
        user=user,
        name="Reporting script",
        programmes=programmes,
        can_write=can_write,
        expires_at=timezone.now() + timedelta(days=days),
    )


def bearer(text: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


def fill_programme(programme, space=None) -> dict:
    """One of each kind of object the API lists, in the programme; returns their ids."""
    from activities.models import ActivityArea

    space = space or AdaptiveSpaceFactory(programme=programme, slug="frailty-huddle")
    meeting = MeetingFactory(space=space, status="held")
    person = ParticipantFactory(programme=programme)
    AttendanceFactory(meeting=meeting, participant=person)
    innovation = InnovationFactory(programme=programme)
    AdoptionFactory(innovation=innovation).move_to("testing", by=None)
    NarrativeFactory(innovation=innovation)
    entry = LearningEntryFactory(programme=programme, source_meeting=meeting)
    ActionFactory(programme=programme, meeting=meeting, owner=person)
    ComplexityAssessmentFactory(programme=programme, ratings={"condition": "complex"})
    LocalKnowledgeFactory(programme=programme)
    PlannedActivityFactory(programme=programme, area=ActivityArea.objects.get(number=1))
    return {"meeting": meeting.pk, "entry": entry.pk, "participant": person.pk}


@pytest.fixture
def filled(programme, space):
    return fill_programme(programme, space)
