"""The introductions pages run the same number of queries at any size: the suggestions are
worked out from six reads, whatever the number of people, meetings and introductions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convening.models import Sector
from network.introductions import suggestions
from network.models import Introduction
from tests.factories import AdoptionFactory, InnovationFactory, LocalKnowledgeFactory
from tests.network.intro_data import meeting, organisation, person

INTRO = "/programmes/virtual-wards/network/introductions/"
# Pinned: a change that adds a query to one of these pages must change this table on purpose.
# The session and user, the programme with the role; six reads for the suggestions; the
# introductions made with their people, organisations, makers and meetings.
BUDGET = {
    "introductions": (INTRO, 10),
    # The session and user, the programme, the people who may be chosen.
    "introduction_new": (INTRO + "new/?a={a}&b={b}&reason=Because", 4),
}
SECTORS = [value for value, _ in Sector.choices]


def _grow(programme, size: int) -> None:
    """People at organisations of every sector, meetings among some, adoptions at several
    stages, local concerns, and introductions made, met and declined."""
    innovation = InnovationFactory(programme=programme)
    people = []
    for n in range(size):
        site = organisation(f"Site {size}-{n}", SECTORS[n % len(SECTORS)])
        people.append(person(programme, f"Person {size}-{n}", site))
        AdoptionFactory(
            innovation=innovation,
            organisation=site,
            stage=["exploring", "testing", "adopted"][n % 3],
            local_lead=people[-1],
        )
        LocalKnowledgeFactory(programme=programme, kind="workforce", owner=people[-1])
    for n in range(0, size - 2, 3):
        meeting(programme, *people[n : n + 3])
    statuses = list(Introduction.Status.values)
    for n in range(0, size - 1, 4):
        a, b = people[n], people[n + 1]
        Introduction.objects.get_or_create(
            programme=programme,
            person_a=min(a, b, key=lambda p: p.pk),
            person_b=max(a, b, key=lambda p: p.pk),
            defaults={"reason": "r", "message": "m", "status": statuses[n % 3]},
        )


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", list(BUDGET))
def test_introduction_pages_run_the_same_queries_at_two_sizes(
    as_user, programme, facilitator, page
):
    a = person(programme, "Ann Measured", organisation("Measured A", Sector.ACUTE))
    b = person(programme, "Bo Measured", organisation("Measured B", Sector.VCSE))
    url, pinned = BUDGET[page]
    url = url.format(a=a.pk, b=b.pk)
    client = as_user(facilitator)
    _grow(programme, 6)
    small = _count(client, url)
    _grow(programme, 60)
    large = _count(client, url)
    assert small == large, f"{page}: {small} queries small, {large} large"
    assert large == pinned, f"{page}: {large} queries, pinned at {pinned}"
    if page == "introductions":
        assert len(suggestions(programme)) == 20


def test_the_suggestions_take_six_queries(programme, django_assert_num_queries):
    _grow(programme, 30)
    with django_assert_num_queries(6):
        suggestions(programme)
