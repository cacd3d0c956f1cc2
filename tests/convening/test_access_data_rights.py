"""Who may open the data rights pages. The data protection officer's pages are for staff
granted the permission: everyone else gets 404, whatever their role in any programme (a lead
who is staff included). "Data we hold" is for everyone in the programme."""

import pytest
from django.contrib.auth.models import Permission

from tests.access import (
    LOGIN,
    VISITORS,
    AccessCase,
    cases_by_id,
    check_access,
    programme_case,
)

P = "/programmes/virtual-wards"
NOBODY = {**dict.fromkeys(VISITORS, 404), "anonymous": LOGIN}
EMAIL = {"email": "lead@example.org"}

CASES = [
    AccessCase("data_protection", "/data-protection/", NOBODY),
    AccessCase("data_protection", "/data-protection/", NOBODY, method="post", data=EMAIL),
    AccessCase(
        "subject_access_export", "/data-protection/download/", NOBODY, method="post", data=EMAIL
    ),
    AccessCase("erasure", "/data-protection/erase/", NOBODY, method="post", data=EMAIL),
    AccessCase(
        "erasure",
        "/data-protection/erase/",
        NOBODY,
        method="post",
        data={**EMAIL, "confirm": "True"},
    ),
    programme_case("data_we_hold", P + "/data-we-hold/"),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    lead.is_staff = True
    lead.save(update_fields=["is_staff"])
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.fixture
def objects(programme, users):
    return {}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


@pytest.mark.parametrize(
    "case",
    **cases_by_id([case for case in CASES if case.name != "data_we_hold"]),
)
def test_the_permission_opens_the_data_protection_pages(client, case, users):
    officer = users["member"]
    officer.user_permissions.add(Permission.objects.get(codename="data_protection"))
    client.force_login(officer)

    response = getattr(client, case.method)(case.url, case.data)

    # Finding shows the page; the download is a file; erasure confirms, then redirects.
    expected = 302 if case.data.get("confirm") else 200
    assert response.status_code == expected, response.content[:300]
