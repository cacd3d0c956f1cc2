"""A small programme whose network the person and organisation page tests read: people of
three organisations who met at held meetings, one who did not agree to be recorded, and the
member's and facilitator's own records (from the `space` fixture), with snapshots built from
the attendance by network.snapshots.build_snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from convening.models import Level, Organisation, Participant, RoleGroup, Sector
from network.snapshots import build_snapshots
from tests.factories import (
    AdaptiveSpaceFactory,
    AttendanceFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    SpaceMemberFactory,
)

P = "/programmes/virtual-wards/network"


def held(space, days_ago: int, people, title: str = ""):
    meeting = MeetingFactory(
        space=space,
        status="held",
        logged_at=timezone.now(),
        starts_at=timezone.now() - timedelta(days=days_ago),
        **({"title": title} if title else {}),
    )
    for person in people:
        AttendanceFactory(meeting=meeting, participant=person)
    return meeting


@dataclass
class Story:
    leeds: Organisation
    calder: Organisation
    voices: Organisation
    alice: Participant  # Leeds, frontline clinician, recorded
    bob: Participant  # Calder, senior executive, recorded
    carol: Participant  # Calder, did not agree to be recorded
    dev: Participant  # Voices, patient
    mine: Participant  # the member's own record
    facilitators: Participant  # the facilitator's own record
    meetings: list


def build_story(programme, space) -> Story:
    """`space` is the conftest's space, whose member and facilitator have records."""
    leeds = OrganisationFactory(name="Leeds Teaching Hospitals", sector=Sector.ACUTE)
    calder = OrganisationFactory(name="Calderdale Council", sector=Sector.LOCAL_AUTHORITY)
    voices = OrganisationFactory(name="Voices of Yorkshire", sector=Sector.PATIENT_PUBLIC)

    def person(name, organisation, role_group, level, recorded=True):
        return ParticipantFactory(
            programme=programme,
            name=name,
            organisation=organisation,
            role_group=role_group,
            level=level,
            job_title=f"{name}'s job",
            consent_recorded=recorded,
            consent_contact=recorded,
        )

    alice = person("Alice Ashworth", leeds, RoleGroup.CLINICAL, Level.FRONTLINE)
    bob = person("Bob Brennan", calder, RoleGroup.EXECUTIVE, Level.SENIOR)
    carol = person("Carol Cheung", calder, RoleGroup.OPERATIONAL, Level.MIDDLE, recorded=False)
    dev = person("Dev Dhillon", voices, RoleGroup.PATIENT, Level.FRONTLINE)
    mine = Participant.objects.get(programme=programme, user__email="member@example.org")
    facilitators = Participant.objects.get(
        programme=programme, user__email="facilitator@example.org"
    )
    Participant.objects.filter(pk__in=[mine.pk, facilitators.pk]).update(
        consent_recorded=True, organisation=leeds, level=Level.MIDDLE
    )
    mine.refresh_from_db()
    facilitators.refresh_from_db()
    for someone in (alice, bob, carol):
        SpaceMemberFactory(space=space, participant=someone)
    other_space = AdaptiveSpaceFactory(programme=programme, name="Carers forum", slug="carers")
    SpaceMemberFactory(space=other_space, participant=dev)
    meetings = [
        held(space, 10, [alice, bob, mine], "Huddle one"),
        held(space, 20, [alice, carol, mine, facilitators], "Huddle two"),
        held(other_space, 30, [dev, bob], "Carers and the council"),
    ]
    build_snapshots(programme.pk)
    return Story(leeds, calder, voices, alice, bob, carol, dev, mine, facilitators, meetings)
