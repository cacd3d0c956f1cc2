"""A programme whose network tells a story, built from meetings and attendance with the
factories, then turned into snapshots by network.snapshots.build_snapshots, as the job would.

Three clusters: Aire Valley Hospitals' people meet each other; Harriet Hazel (Hawthorn
Community Health), who has not agreed to be recorded, is the only one who joins them to Calder
Council; Bea Birch (Beck Mental Health) is the only one who joins Calder Council to Dales Care
Network. Nobody from Elm Street Surgery (primary care) has met anyone. The programme's member
attended one meeting with Calder Council.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from convening.models import Sector
from network.snapshots import build_snapshots
from tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
)

HIDDEN = "Harriet Hazel"
NAMED_BRIDGE = "Bea Birch"

ORGANISATIONS = {
    "A": ("Aire Valley Hospitals", Sector.ACUTE),
    "H": ("Hawthorn Community Health", Sector.COMMUNITY),
    "C": ("Calder Council", Sector.LOCAL_AUTHORITY),
    "B": ("Beck Mental Health", Sector.MENTAL_HEALTH),
    "D": ("Dales Care Network", Sector.VCSE),
    "E": ("Elm Street Surgery", Sector.PRIMARY_CARE),
}
PEOPLE = {
    "ann": ("Ann Ash", "A"),
    "abe": ("Abe Alder", "A"),
    "amy": ("Amy Aspen", "A"),
    "harriet": (HIDDEN, "H"),
    "cal": ("Cal Cedar", "C"),
    "cy": ("Cy Cherry", "C"),
    "cora": ("Cora Cypress", "C"),
    "bea": (NAMED_BRIDGE, "B"),
    "dina": ("Dina Dogwood", "D"),
    "dev": ("Dev Damson", "D"),
    "eve": ("Eve Elm", "E"),
}
# (days ago, who attended)
MEETINGS = [
    (10, ["ann", "abe", "amy"]),
    (20, ["ann", "abe", "harriet"]),
    (30, ["harriet", "cal", "cy"]),
    (40, ["cal", "cy", "cora", "bea", "member"]),
    (50, ["bea", "dina", "dev"]),
    (60, ["dina", "dev"]),
    (70, ["amy", "abe"]),
    (200, ["cal", "cora"]),
]


def tell(space, member_record=None, *, suffix: str = "", build: bool = True) -> dict:
    """The story's people and meetings in `space`'s programme; `member_record` is the member's
    own participant record, if any. `suffix` makes names unique when told twice."""
    programme = space.programme
    organisations = {
        key: OrganisationFactory(name=name + suffix, sector=sector)
        for key, (name, sector) in ORGANISATIONS.items()
    }
    people = {
        key: ParticipantFactory(
            programme=programme,
            name=name + suffix,
            organisation=organisations[org],
            consent_recorded=name != HIDDEN,
        )
        for key, (name, org) in PEOPLE.items()
    }
    if member_record is not None:
        people["member"] = member_record
    now = timezone.now()
    for days_ago, attendees in MEETINGS:
        starts = now - timedelta(days=days_ago)
        meeting = MeetingFactory(
            space=space, status="held", starts_at=starts, ends_at=starts + timedelta(hours=1)
        )
        for key in attendees:
            if key in people:
                AttendanceFactory(meeting=meeting, participant=people[key])
    if build:
        build_snapshots(programme.pk)
    return {"organisations": organisations, "people": people}
