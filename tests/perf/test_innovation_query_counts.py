"""Innovation pages run the same number of queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convening.models import Adoption
from learning.models import Audience
from tests.factories import (
    AdoptionFactory,
    InnovationFactory,
    NarrativeFactory,
    OrganisationFactory,
    ParticipantFactory,
)

INNOVATIONS = "/programmes/virtual-wards/innovations/"
A = INNOVATIONS + "measured/"
# Pinned: a change that adds a query to one of these pages must change this table on purpose.
BUDGET = {
    "innovation_list": (INNOVATIONS, 4),
    "innovation_create": (INNOVATIONS + "new/", 6),
    "innovation_detail": (A, 8),
    "innovation_edit": (A + "edit/", 8),
    "innovation_history": (A + "history/", 6),
    "narrative_edit": (A + "narratives/patients/edit/", 8),
    # The shared history list reads each save's contributors in one prefetch.
    "narrative_history": (A + "narratives/patients/history/", 8),
}
STAGES = [stage for stage, _ in Adoption.Stage.choices]


def _grow(programme, measured, size: int) -> None:
    """More innovations, sites, contacts, contributors, narratives and saves of each."""
    for n in range(size):
        organisation = OrganisationFactory()
        person = ParticipantFactory(programme=programme, organisation=organisation)
        other = InnovationFactory(programme=programme, innovator_organisation=organisation)
        AdoptionFactory(innovation=other, organisation=organisation)
        AdoptionFactory(innovation=measured, organisation=organisation, stage=STAGES[n % 8])
        measured.innovator_contacts.add(person)
        measured.summary = f"Saved {size}-{n}"
        measured.save()
        for narrative in measured.narratives.all():
            narrative.contributors.add(person)
            narrative.body += f" more {n}"
            narrative.save()


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", list(BUDGET))
def test_innovation_pages_run_the_same_queries_at_two_sizes(as_user, programme, lead, page):
    measured = InnovationFactory(programme=programme, name="Measured", slug="measured")
    for audience in Audience.values:
        NarrativeFactory(innovation=measured, audience=audience, updated_by=lead)
    url, pinned = BUDGET[page]
    client = as_user(lead)
    _grow(programme, measured, 3)
    small = _count(client, url)
    _grow(programme, measured, 30)
    large = _count(client, url)
    assert small == large, f"{page}: {small} queries when small, {large} when large"
    assert large == pinned, f"{page}: {large} queries, pinned at {pinned}"
    assert measured.adoptions.count() == 33
