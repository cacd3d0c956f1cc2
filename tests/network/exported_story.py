"""A small network in the "virtual-wards" programme, for the network's API and download tests:
who may be named, who may not, and an introduction of each kind.

Four organisations. Ten days ago the member (Alpha), Ann (Alpha), Amir (Alpha, no consent to be
recorded) and Bea (Beta) met; nine days ago Bea, Cal (Calder), Eve (Calder, erased after the
snapshot was built) and the facilitator (Beta) met; two hundred days ago Ann and Cal met. Dee
(Dale University, academic) has met nobody. One person's name would be run as a formula by a
spreadsheet. Bea holds the two meetings together.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from convening.models import Participant, Sector
from network import snapshots
from network.models import Introduction
from tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
)

FORMULA_NAME = '=HYPERLINK("http://x")'
NOT_NAMED = ("Amir Aspen", "Eve Elm")


def held(space, days_ago: int, people, title: str):
    meeting = MeetingFactory(
        space=space,
        title=title,
        status="held",
        starts_at=timezone.now() - timedelta(days=days_ago),
    )
    for person in people:
        AttendanceFactory(meeting=meeting, participant=person)
    return meeting


def introduce(programme, a, b, status="made", **fields):
    a, b = sorted((a, b), key=lambda person: person.pk)
    return Introduction.objects.create(
        programme=programme,
        person_a=a,
        person_b=b,
        reason="They share an innovation but have never met.",
        message="I think you two should talk.",
        status=status,
        **fields,
    )


def build(programme, space, lead, member, facilitator) -> dict:
    """The story above, with its snapshots built; returns the people and meetings by name."""
    orgs = {
        "A": OrganisationFactory(name="Alpha Trust", sector=Sector.ACUTE),
        "B": OrganisationFactory(name="Beta Trust", sector=Sector.ACUTE),
        "C": OrganisationFactory(name="Calder Council", sector=Sector.LOCAL_AUTHORITY),
        "D": OrganisationFactory(name="Dale University", sector=Sector.ACADEMIC),
    }

    def person(name, org, consent=True):
        return ParticipantFactory(
            programme=programme,
            name=name,
            organisation=orgs[org],
            consent_recorded=consent,
            consent_contact=consent,
        )

    mine = Participant.objects.get(programme=programme, user=member)
    facilitators = Participant.objects.get(programme=programme, user=facilitator)
    Participant.objects.filter(pk=mine.pk).update(organisation=orgs["A"], consent_recorded=True)
    Participant.objects.filter(pk=facilitators.pk).update(
        organisation=orgs["B"], consent_recorded=True
    )
    people = {
        "member": mine,
        "facilitator": facilitators,
        "ann": person("Ann Ash", "A"),
        "amir": person("Amir Aspen", "A", consent=False),
        "bea": person(FORMULA_NAME, "B"),
        "cal": person("Cal Cedar", "C"),
        "eve": person("Eve Elm", "C"),
        "dee": person("Dee Dogwood", "D"),
    }
    p = people
    meetings = {
        "first": held(space, 10, [p["member"], p["ann"], p["amir"], p["bea"]], "First huddle"),
        "second": held(space, 9, [p["bea"], p["cal"], p["eve"], p["facilitator"]], "-1 huddle"),
        "old": held(space, 200, [p["ann"], p["cal"]], "Old huddle"),
    }
    introductions = {
        "met": introduce(
            programme,
            p["ann"],
            p["cal"],
            status="met",
            made_by=lead,
            met_at=timezone.now() - timedelta(days=100),
            made_at=timezone.now() - timedelta(days=150),
        ),
        "not_named": introduce(programme, p["ann"], p["amir"], made_by=lead),
        "erased": introduce(programme, p["bea"], p["eve"], made_by=lead),
        "recent": introduce(programme, p["bea"], p["dee"], made_by=lead),
    }
    snapshots.build_snapshots(programme.pk)
    # Erased after the snapshot was built: the record as it is now decides.
    Participant.objects.filter(pk=p["eve"].pk).update(anonymised_at=timezone.now())
    return {"orgs": orgs, "people": people, "meetings": meetings, "introductions": introductions}
