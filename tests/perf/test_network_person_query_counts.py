"""The person and organisation pages of the network run the same number of queries at any
size: more meetings, attendance, actions, learning, introductions, people and ties add rows,
never queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convening.models import Participant
from learning.models import LearningEntry
from network.models import Introduction
from network.snapshots import build_snapshots
from tests.factories import (
    ActionFactory,
    AdoptionFactory,
    InnovationFactory,
    LearningEntryFactory,
    OrganisationFactory,
    ParticipantFactory,
    SpaceMemberFactory,
)
from tests.network.people_pages import P, build_story, held

# Pinned: a change that adds a query to one of these pages must change this table on purpose.
# Both pages: the session, the user, the programme with the user's role, then
# - person (a lead looking at someone): the person with their organisation and account, the
#   audit entry, their spaces, the page of meetings and its count, their actions and their
#   count, their learning and its count, their introductions, the snapshot, their measures,
#   and whether a newer snapshot is on the way (the build row, two for the fingerprint);
# - person (a member looking at themselves): the same, with no audit entry;
# - organisation: the organisation, the snapshot, its people counted and named, its
#   adoptions, the meetings and their count, its measures, its ties, and the same three for a
#   newer snapshot.
BUDGET = {
    "person_seen_by_a_lead": ("lead", "/people/{alice}/", 18),
    "person_seen_by_themselves": ("member", "/people/{mine}/?window=all", 17),
    "organisation_seen_by_a_lead": ("lead", "/organisations/{leeds}/", 15),
    "organisation_seen_by_a_member": ("member", "/organisations/{leeds}/?window=90d", 14),
}


def _grow(programme, space, story, lead, member, size: int) -> None:
    """More of everything the pages show, for the people and organisation measured."""
    falls = InnovationFactory(programme=programme)
    AdoptionFactory(innovation=falls, organisation=story.leeds)
    newcomers = []
    for n in range(size):
        organisation = OrganisationFactory()
        someone = ParticipantFactory(
            programme=programme,
            organisation=story.leeds if n % 2 else organisation,
            consent_recorded=True,
            consent_contact=True,
        )
        SpaceMemberFactory(space=space, participant=someone)
        newcomers.append(someone)
        held(space, 5 + n, [story.alice, story.mine, someone])
        ActionFactory(programme=programme, owner=story.alice)
        ActionFactory(programme=programme, owner=story.mine)
        for author in (member, story.alice.user):
            LearningEntryFactory(
                programme=programme,
                author=author,
                status="published",
                visibility=LearningEntry.Visibility.PROGRAMME,
            )
        for person in (story.alice, story.mine):
            a, b = sorted([person, someone], key=lambda p: p.pk)
            Introduction.objects.create(
                programme=programme, person_a=a, person_b=b, reason="Both", message="Hi"
            )
    build_snapshots(programme.pk)


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", list(BUDGET))
def test_network_person_pages_run_the_same_queries_at_two_sizes(
    client, programme, space, lead, member, page
):
    story = build_story(programme, space)
    # Alice writes learning under her own account and may be named in it.
    from tests.factories import UserFactory

    story.alice.user = UserFactory()
    story.alice.consent_named = True
    story.alice.save()
    Participant.objects.filter(pk=story.mine.pk).update(consent_named=True)
    visitor, path, pinned = BUDGET[page]
    url = P + path.format(alice=story.alice.pk, mine=story.mine.pk, leeds=story.leeds.pk)
    client.force_login({"lead": lead, "member": member}[visitor])
    _grow(programme, space, story, lead, member, 2)
    small = _count(client, url)
    _grow(programme, space, story, lead, member, 25)
    large = _count(client, url)
    assert small == large, f"{page}: {small} queries when small, {large} when large"
    assert large == pinned, f"{page}: {large} queries, pinned at {pinned}"
