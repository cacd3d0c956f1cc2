"""Who may read and change the shared understanding (DESIGN section 5)."""

import pytest

from tests.access import VISITORS, cases_by_id, check_access, programme_case

P = "/programmes/virtual-wards"

CASES = [
    programme_case("understanding_edit", P + "/understanding/edit/", view=False),
    programme_case(
        "understanding_edit",
        P + "/understanding/edit/",
        method="post",
        data={"shared_purpose": "Care closer to home", "agreed_on_day": "", "version": "1"},
    ),
    programme_case("understanding_history", P + "/understanding/history/"),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, htmx):
    check_access(client, case, visitor, users, {}, htmx=htmx)
