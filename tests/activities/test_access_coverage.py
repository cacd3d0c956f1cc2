"""Who may open the coverage pages (DESIGN section 5): everyone in the programme."""

import pytest

from tests.access import LOGIN, VISITORS, AccessCase, cases_by_id, check_access, programme_case

P = "/programmes/virtual-wards"
NOT_FOUND = {**dict.fromkeys(VISITORS, 404), "anonymous": LOGIN}

CASES = [
    programme_case("coverage", P + "/coverage/"),
    programme_case("coverage_area", P + "/coverage/3/"),
    programme_case("coverage_export", P + "/coverage/export.csv"),
    programme_case("coverage_export", P + "/coverage/export.xlsx"),
    AccessCase("coverage_export", P + "/coverage/export.txt", NOT_FOUND),
    programme_case("coverage_area", P + "/coverage/3/?period=all&page=2"),
    # An area that does not exist is not found, for everyone in the programme too.
    AccessCase("coverage_area", P + "/coverage/11/", NOT_FOUND),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, htmx):
    check_access(client, case, visitor, users, {}, htmx=htmx)


@pytest.mark.parametrize("url", [P + "/coverage/", P + "/coverage/3/"])
def test_the_coverage_pages_only_answer_get(as_user, lead, url):
    assert as_user(lead).post(url).status_code == 405
