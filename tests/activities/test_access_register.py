"""Who may read and change the local knowledge register (DESIGN section 5): everyone in the
programme reads it and downloads it; only its leads add, edit, close and reopen entries."""

import pytest

from tests.access import (
    VISITORS,
    cases_by_id,
    cases_with_ids,
    check_access,
    check_other_programme_ids,
    htmx_fragments,
    programme_case,
)
from tests.factories import LocalKnowledgeFactory

P = "/programmes/virtual-wards"
K = P + "/local-knowledge"
ENTRY = K + "/{entry}"
VALID = {"title": "Handover is by phone", "kind": "routines", "impact": "high"}

CASES = [
    programme_case("knowledge_list", K + "/"),
    programme_case("knowledge_list", K + "/?kind=workforce&impact=high&status=all"),
    programme_case("knowledge_export", K + "/export.csv"),
    programme_case("knowledge_export", K + "/export.xlsx?status=closed"),
    programme_case("knowledge_create", K + "/new/", view=False),
    programme_case("knowledge_create", K + "/new/", method="post", data=VALID),
    programme_case("knowledge_edit", ENTRY + "/edit/", view=False),
    programme_case(
        "knowledge_edit",
        ENTRY + "/edit/",
        method="post",
        data={**VALID, "status": "open", "version": "1"},
    ),
    programme_case("knowledge_close", ENTRY + "/close/", method="post"),
    programme_case("knowledge_reopen", ENTRY + "/reopen/", method="post"),
]
# Answered by htmx with the block that changed, not a redirect.
CASES = htmx_fragments(CASES, {"knowledge_close", "knowledge_reopen"})


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


def _objects(programme) -> dict:
    return {"entry": LocalKnowledgeFactory(programme=programme).pk}


@pytest.fixture
def objects(programme):
    return _objects(programme)


@pytest.fixture
def other_objects(other_programme):
    """The same kind of object in the outsider's programme."""
    return _objects(other_programme)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_with_ids(CASES))
def test_other_programme_ids(client, case, visitor, users, other_objects):
    check_other_programme_ids(client, case, visitor, users, other_objects)


# The same changes sent by htmx: the lead gets the register's table back, not a redirect.
HTMX_EXPECT = {
    "anonymous": "login",
    "outsider": 404,
    "member": 403,
    "facilitator": 403,
    "lead": 200,
}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("action", ["close", "reopen"])
def test_htmx_close_and_reopen_access(client, action, visitor, users, objects):
    if visitor != "anonymous":
        client.force_login(users[visitor])
    response = client.post(
        f"{K}/{objects['entry']}/{action}/",
        {"next": K + "/"},
        headers={"HX-Request": "true"},
    )
    if visitor == "anonymous":
        assert response.headers["HX-Redirect"].startswith("/accounts/login/")
        return
    assert response.status_code == HTMX_EXPECT[visitor], response.status_code
    if visitor == "lead":
        assert 'id="register"' in response.content.decode()


def test_an_entry_of_another_programme_is_not_found_even_for_a_lead(client, lead):
    other = LocalKnowledgeFactory()
    client.force_login(lead)
    for path in ("edit/", "close/", "reopen/"):
        url = f"{K}/{other.pk}/{path}"
        response = client.get(url) if path == "edit/" else client.post(url)
        assert response.status_code == 404, url


@pytest.mark.parametrize("fmt", ["pdf", "csv.exe", "json"])
def test_an_export_in_another_format_is_not_found(client, member, fmt):
    client.force_login(member)
    assert client.get(f"{K}/export.{fmt}").status_code == 404
