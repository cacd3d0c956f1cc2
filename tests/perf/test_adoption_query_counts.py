"""The adoption tracker and a timeline run the same number of queries at any size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convening.models import Adoption
from tests.factories import AdoptionFactory, InnovationFactory, OrganisationFactory, UserFactory

A = "/programmes/virtual-wards/adoption/"
# Pinned: a change that adds a query to one of these pages must change this table on purpose.
# Each page: the session, the user and the programme with the user's role, then
# - tracker: the innovations, the adoptions with their sites, all their stage changes;
# - timeline: the adoption with its innovation and site, its stage changes with who recorded them;
# - record form: the innovations and the programme's organisations for the two selects.
BUDGET = {
    "adoption_tracker": (A, 6),
    "adoption_tracker_filtered": (A + "?innovation=measured", 6),
    "adoption_timeline": (A + "{adoption}/", 5),
    "adoption_record": (A + "record/?innovation=measured&site={site}", 5),
}
STAGES = [stage for stage, _ in Adoption.Stage.choices]


def _grow(programme, size: int) -> None:
    """Innovations, sites and their adoptions, each with a few stage changes over a year."""
    recorder = UserFactory()
    innovations = [InnovationFactory(programme=programme) for _ in range(2)]
    for n in range(size):
        site = OrganisationFactory()
        for innovation in innovations:
            adoption = AdoptionFactory(innovation=innovation, organisation=site)
            for step in range(3):
                adoption.move_to(
                    STAGES[(n + step) % len(STAGES)],
                    by=recorder,
                    on=datetime.date(2026, 1 + step * 3, 1 + n % 27),
                    note=f"Step {step}",
                )


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", list(BUDGET))
def test_adoption_pages_run_the_same_queries_at_two_sizes(as_user, programme, lead, page):
    innovation = InnovationFactory(programme=programme, slug="measured")
    site = OrganisationFactory(name="Measured site")
    adoption = AdoptionFactory(innovation=innovation, organisation=site)
    url, pinned = BUDGET[page]
    url = url.format(adoption=adoption.pk, site=site.pk)
    client = as_user(lead)
    _grow(programme, 2)
    adoption.move_to("exploring", by=lead, on=datetime.date(2026, 1, 1))
    small = _count(client, url)
    _grow(programme, 20)
    for day in range(2, 20):
        adoption.move_to(STAGES[day % len(STAGES)], by=lead, on=datetime.date(2026, 2, day))
    large = _count(client, url)
    assert small == large, f"{page}: {small} queries when small, {large} when large"
    assert large == pinned, f"{page}: {large} queries, pinned at {pinned}"
