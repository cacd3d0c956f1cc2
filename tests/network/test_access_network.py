"""Who may open the network page and the installation view (DESIGN section 11). The network page
is for everyone in the programme (what each sees depends on their role); the installation view
is for staff, whatever their role in any programme: anyone else gets 404. Both answer GET only."""

import pytest

from tests.access import LOGIN, OK, VISITORS, AccessCase, cases_by_id, check_access, programme_case

P = "/programmes/virtual-wards"
ONLY_STAFF = {**dict.fromkeys(VISITORS, 404), "anonymous": LOGIN, "lead": OK}
REFUSED = {**dict.fromkeys(VISITORS, 405), "anonymous": LOGIN}

CASES = [
    programme_case("network", P + "/network/"),
    programme_case("network", P + "/network/?window=90d&boundary=level"),
    programme_case("network", P + "/network/?window=forever&boundary=planet"),
    AccessCase("network", P + "/network/", REFUSED, method="post"),
    AccessCase("installation_network", "/network/", ONLY_STAFF),
    AccessCase("installation_network", "/network/?window=all&boundary=programme", ONLY_STAFF),
    AccessCase("installation_network", "/network/?boundary=level", ONLY_STAFF),
    AccessCase("installation_network", "/network/", REFUSED, method="post"),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    """The lead is staff here; the outsider leads another programme, and is not."""
    lead.is_staff = True
    lead.save(update_fields=["is_staff"])
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, htmx):
    check_access(client, case, visitor, users, {}, htmx=htmx)


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_lead_of_another_programme_cannot_open_this_programmes_network(
    as_user, outsider, programme, htmx
):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    assert as_user(outsider).get(P + "/network/", **headers).status_code == 404


def test_a_lead_who_is_not_staff_gets_404_from_the_installation_view(as_user, lead):
    assert as_user(lead).get("/network/").status_code == 404
