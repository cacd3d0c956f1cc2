"""The network page and the installation view run the same number of queries whatever the number
of organisations, people, meetings, ties, weak points, brokers and bridging people: they read
one snapshot's rows, never attendance."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from convening.models import Participant, Sector
from network.models import Introduction
from network.snapshots import build_snapshots
from tests.factories import (
    AdaptiveSpaceFactory,
    AttendanceFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
)

P = "/programmes/virtual-wards/network/"
# Pinned: a change that adds a query to one of these pages must change this table on purpose.
BUDGET = {
    "lead": (P, "lead", 14),
    "lead_by_sector_all_time": (P + "?window=all&boundary=sector", "lead", 14),
    "lead_bad_values": (P + "?window=x&boundary=y", "lead", 14),
    "member": (P, "member", 14),
    "installation": ("/network/", "staff", 13),
    "installation_by_programme": ("/network/?boundary=programme&window=all", "staff", 13),
}
SECTORS = [choice for choice, _ in Sector.choices]


def _grow(space, other_space, size: int) -> None:
    """`size` organisations of three people each, some not consenting; meetings in which each
    organisation meets itself and its neighbour, spread over two years so the trend has many
    quarters; people in both programmes; introductions; then the snapshots."""
    programme, other = space.programme, other_space.programme
    now = timezone.now()
    batch = Participant.objects.count()
    people = []
    for n in range(size):
        organisation = OrganisationFactory(
            name=f"Organisation {batch}-{n}", sector=SECTORS[n % len(SECTORS)]
        )
        people.append(
            [
                ParticipantFactory(
                    programme=programme,
                    organisation=organisation,
                    email=f"p{batch}-{n}-{k}@example.org",
                    consent_recorded=k != 2,
                )
                for k in range(3)
            ]
        )
    for n in range(size):
        for offset, attendees in (
            (0, people[n]),
            (1, people[n][:2] + people[(n + 1) % size][:1]),
        ):
            starts = now - timedelta(days=(n * 23 + offset * 7) % 700 + 1)
            meeting = MeetingFactory(
                space=space, status="held", starts_at=starts, ends_at=starts + timedelta(hours=1)
            )
            for person in attendees:
                AttendanceFactory(meeting=meeting, participant=person)
    # Half of them take part in the other programme too.
    meeting = MeetingFactory(space=other_space, status="held")
    for group in people[::2]:
        record = group[0]
        AttendanceFactory(
            meeting=meeting,
            participant=ParticipantFactory(
                programme=other,
                email=record.email,
                organisation=record.organisation,
                consent_recorded=True,
            ),
        )
    for n in range(size - 1):
        Introduction.objects.create(
            programme=programme,
            person_a=people[n][0],
            person_b=people[n + 1][1],
            reason="Two organisations with no tie",
            message="Hello",
            status="met" if n % 2 else "made",
        )
    build_snapshots(programme.pk)
    build_snapshots(other.pk)
    build_snapshots(None)


def _count(client, url: str) -> int:
    client.get(url)  # settle session bookkeeping so both sizes are measured alike
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    assert b"convening-map" in response.content, url
    return len(queries)


@pytest.mark.parametrize("page", list(BUDGET))
def test_network_pages_run_the_same_queries_at_two_sizes(
    as_user, space, lead, member, other_programme, page
):
    url, who, pinned = BUDGET[page]
    lead.is_staff = True
    lead.save(update_fields=["is_staff"])
    client = as_user(member if who == "member" else lead)
    other_space = AdaptiveSpaceFactory(programme=other_programme)
    _grow(space, other_space, 3)
    small = _count(client, url)
    _grow(space, other_space, 40)
    large = _count(client, url)
    assert small == large, f"{page}: {small} queries with 3 organisations, {large} with 43"
    assert large == pinned, f"{page}: {large} queries, pinned at {pinned}"
