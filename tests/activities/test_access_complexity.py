"""Who may read the complexity assessment and who may start a new one (DESIGN section 5)."""

import pytest

from activities.models import ComplexityAssessment
from tests.access import VISITORS, cases_by_id, check_access, programme_case
from tests.factories import (
    ComplexityAssessmentFactory,
    MembershipFactory,
    ProgrammeFactory,
    UserFactory,
)

P = "/programmes/virtual-wards"
ASSESSMENT = {"rating_condition": "complex", "interdependence": "interdependent"}

CASES = [
    programme_case("complexity", P + "/complexity/"),
    programme_case("complexity_assess", P + "/complexity/new/", view=False),
    programme_case("complexity_assess", P + "/complexity/new/", method="post", data=ASSESSMENT),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.fixture
def objects(programme):
    """A current assessment with a complex domain, so the page shows its whole result."""
    ComplexityAssessmentFactory(programme=programme, ratings={"organisations": "complex"})
    return {}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


@pytest.mark.parametrize("visitor", ["facilitator", "member", "outsider"])
def test_only_a_lead_can_save_an_assessment(client, users, objects, visitor):
    client.force_login(users[visitor])
    client.post(P + "/complexity/new/", ASSESSMENT)
    assert ComplexityAssessment.objects.count() == 1


def test_a_lead_of_another_programme_cannot_see_this_one(client, objects):
    other_lead = UserFactory()
    MembershipFactory(programme=ProgrammeFactory(), user=other_lead, role="lead")
    client.force_login(other_lead)
    assert client.get(P + "/complexity/").status_code == 404
    assert client.post(P + "/complexity/new/", ASSESSMENT).status_code == 404
    assert ComplexityAssessment.objects.count() == 1
