"""Who may open the person and organisation pages of a programme's network (DESIGN section 11):
leads and facilitators open anyone's person page, a member only their own (anyone else's is
404, so it leaks nothing); every member opens the programme's organisations' pages."""

import pytest

from convening.models import Participant
from tests.access import (
    LOGIN,
    OK,
    VISITORS,
    AccessCase,
    cases_by_id,
    check_access,
    check_other_programme_ids,
    programme_case,
)
from tests.factories import AdoptionFactory, InnovationFactory, ParticipantFactory

N = "/programmes/virtual-wards/network"
SOMEONE_ELSES = {"anonymous": LOGIN, "outsider": 404, "member": 404, "facilitator": OK, "lead": OK}

CASES = [
    AccessCase("network_person", N + "/people/{person}/", SOMEONE_ELSES),
    AccessCase("network_person", N + "/people/{person}/?window=all&page=2", SOMEONE_ELSES),
    programme_case("network_person", N + "/people/{own_person}/"),
    programme_case("network_person", N + "/people/{own_person}/?window=not-a-window"),
    programme_case("network_organisation", N + "/organisations/{organisation}/"),
    programme_case("network_organisation", N + "/organisations/{site}/?window=90d"),
    # Refused before any id is read: every GET is safe, and these pages take no POST.
    AccessCase(
        "network_person",
        N + "/people/{person}/",
        {"anonymous": LOGIN, "outsider": 405, "member": 405, "facilitator": 405, "lead": 405},
        method="post",
        ok=405,
    ),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


def _objects(programme, own_person) -> dict:
    person = ParticipantFactory(programme=programme, consent_recorded=True)
    site = AdoptionFactory(innovation=InnovationFactory(programme=programme)).organisation
    return {
        "person": person.pk,
        "own_person": own_person.pk,
        "organisation": person.organisation_id,
        "site": site.pk,
    }


@pytest.fixture
def objects(programme, member):
    own = ParticipantFactory(programme=programme, user=member, email=member.email)
    return _objects(programme, own)


@pytest.fixture
def other_objects(other_programme, outsider):
    """The same kinds of object in the outsider's programme, their own record included."""
    own = Participant.objects.filter(programme=other_programme, user=outsider).first()
    own = own or ParticipantFactory(programme=other_programme, user=outsider)
    return _objects(other_programme, own)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id([case for case in CASES if case.takes_ids]))
def test_other_programme_ids(client, case, visitor, users, objects, other_objects):
    check_other_programme_ids(client, case, visitor, users, other_objects)


def test_a_member_of_two_programmes_cannot_open_their_other_record_here(
    client, member, other_programme, objects
):
    """A member's own record in another programme is still another programme's."""
    from tests.factories import MembershipFactory

    MembershipFactory(programme=other_programme, user=member)
    theirs = ParticipantFactory(programme=other_programme, user=member, email=member.email)
    client.force_login(member)
    assert client.get(f"{N}/people/{theirs.pk}/").status_code == 404
    assert client.get(f"/programmes/stroke-rehab/network/people/{theirs.pk}/").status_code == 200
