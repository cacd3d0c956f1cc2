"""Each page runs the same number of queries whatever the data size (DESIGN section 9)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convening.models import Adoption, Membership
from tests.factories import (
    InnovationFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
    UserFactory,
)

# Pinned counts: a change that adds a query to a page must change this table on purpose.
BUDGET = {
    "/programmes/": 5,
    "/programmes/virtual-wards/": 21,
    "/programmes/virtual-wards/people/": 7,
    "/programmes/virtual-wards/people/?q=org": 7,
    "/programmes/virtual-wards/members/": 5,
}


def _grow(programme, lead, size: int) -> None:
    """Add `size` participants, organisations, members, innovations and adoptions."""
    organisations = [OrganisationFactory() for _ in range(max(2, size // 5))]
    for number in range(size):
        ParticipantFactory(
            programme=programme, organisation=organisations[number % len(organisations)]
        )
    for _ in range(max(1, size // 10)):
        MembershipFactory(programme=programme, user=UserFactory(), role=Membership.Role.MEMBER)
        innovation = InnovationFactory(programme=programme, innovator_organisation=organisations[0])
        for organisation in organisations[:3]:
            Adoption.objects.get_or_create(innovation=innovation, organisation=organisation)
    for _ in range(max(1, size // 10)):
        other = ProgrammeFactory()
        MembershipFactory(programme=other, user=lead, role=Membership.Role.FACILITATOR)


def _count(client, url: str) -> int:
    client.get(url)  # settle session bookkeeping so both sizes are measured alike
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", list(BUDGET))
def test_query_count_is_the_same_for_3_and_60_rows_and_within_budget(as_user, programme, lead, url):
    client = as_user(lead)
    _grow(programme, lead, 3)
    small = _count(client, url)
    _grow(programme, lead, 57)
    large = _count(client, url)
    assert small == large, f"{url}: {small} queries with 3 rows, {large} with 60"
    assert large == BUDGET[url], f"{url}: {large} queries, pinned at {BUDGET[url]}"
