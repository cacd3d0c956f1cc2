"""Who may open the board report (DESIGN section 14): the programme's leads only. Members and
facilitators get 403, outsiders 404, and anyone not signed in is sent to sign in."""

import pytest

from tests.access import VISITORS, cases_by_id, check_access, programme_case

P = "/programmes/virtual-wards"
RANGE = "?start_day=1&start_month=1&start_year=2026&end_day=30&end_month=6&end_year=2026"

CASES = [
    programme_case("board_report", P + "/report/", view=False),
    programme_case("board_report", P + "/report/" + RANGE, view=False),
    # A range it cannot read is refused by role before the dates are read.
    programme_case("board_report", P + "/report/?start_day=31&start_month=2", view=False),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, htmx):
    check_access(client, case, visitor, users, {}, htmx=htmx)


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_lead_of_this_programme_cannot_open_another_programmes_report(
    as_user, lead, other_programme, htmx
):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = "/programmes/stroke-rehab/report/" + RANGE
    assert as_user(lead).get(url, **headers).status_code == 404


def test_the_report_only_answers_get(as_user, lead):
    assert as_user(lead).post(P + "/report/").status_code == 405
