"""Who may read and change the adoption tracker (DESIGN section 5): everyone in the programme
reads the tracker and the timelines; leads and facilitators record stage changes."""

import pytest

from tests.access import VISITORS, cases_by_id, check_access, programme_case, with_ids
from tests.factories import AdoptionFactory, InnovationFactory, OrganisationFactory

P = "/programmes/virtual-wards"
A = P + "/adoption"
CHANGERS = ("lead", "facilitator")
VALID = {
    "innovation": "{innovation}",
    "site": "{site}",
    "stage": "testing",
    "date_day": "3",
    "date_month": "2",
    "date_year": "2026",
    "note": "Two wards started",
}

CASES = [
    programme_case("adoption_tracker", A + "/"),
    programme_case("adoption_tracker", A + "/?innovation={innovation}"),
    programme_case("adoption_record", A + "/record/", view=False, change_roles=CHANGERS),
    programme_case(
        "adoption_record",
        A + "/record/?innovation={innovation}&site={site}",
        view=False,
        change_roles=CHANGERS,
    ),
    programme_case(
        "adoption_record", A + "/record/", method="post", data=VALID, change_roles=CHANGERS
    ),
    programme_case("adoption_timeline", A + "/{adoption}/"),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.fixture
def objects(programme):
    innovation = InnovationFactory(programme=programme, slug="remote-monitoring")
    site = OrganisationFactory(name="Leeds Teaching Hospitals")
    adoption = AdoptionFactory(innovation=innovation, organisation=site)
    return {"innovation": innovation.slug, "site": site.pk, "adoption": adoption.pk}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
def test_access(client, case, visitor, users, objects):
    check_access(client, with_ids(case, objects), visitor, users, objects)


def test_a_timeline_of_another_programme_is_not_found_even_for_a_lead(client, lead):
    other = AdoptionFactory()
    client.force_login(lead)
    assert client.get(f"{A}/{other.pk}/").status_code == 404


def test_the_tracker_of_a_programme_the_user_is_not_in_is_not_found(client, outsider):
    client.force_login(outsider)
    response = client.get(f"{A}/record/", {"innovation": "x"})
    assert response.status_code == 404
