"""Every list of the JSON API runs the same number of queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import bearer, fill_programme, make_token

A = "/api/programmes/virtual-wards"
# Pinned: a change that adds a query to one of these must change this table on purpose. Each
# counts the token (find it, note its use, its programmes) and the programme with the role.
BUDGET = {
    "/api/programmes": 4,
    # A page of people with their organisations.
    A + "/participants": 5,
    A + "/innovations": 5,
    # Adoptions, then their events.
    A + "/adoptions": 6,
    A + "/spaces": 5,
    # Meetings with spaces, their practices, their attendance, and (for all but leads) the
    # spaces the user belongs to, for the Chatham House rule.
    A + "/meetings": 8,
    A + "/actions": 5,
    A + "/activities": 6,
    # Ten areas: the areas, then activities, meetings and learning counted by area.
    A + "/coverage": 8,
    A + "/complexity-assessments": 6,
    A + "/local-knowledge": 5,
    # Entries with their authors, sites and meetings, then their areas.
    A + "/learning": 6,
    A + "/narratives": 6,
}
LEAD_SAVES = {A + "/meetings": 1}  # a lead reads every note: no need to ask about spaces


def _count(client, url: str, text: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"limit": 200} if "coverage" not in url else {}, **bearer(text))
    assert response.status_code == 200, (url, response.content[:300])
    return len(queries)


@pytest.mark.parametrize("role", ["lead", "member"])
@pytest.mark.parametrize("url", list(BUDGET))
def test_api_lists_run_the_same_queries_at_two_sizes(client, request, programme, space, url, role):
    user = request.getfixturevalue(role)
    _token, text = make_token(user, [programme])
    for _ in range(2):
        fill_programme(programme, space)
    small = _count(client, url, text)
    for _ in range(10):
        fill_programme(programme, space)
    large = _count(client, url, text)
    assert small == large, f"{url}: {small} queries with 2 of each, {large} with 12"
    pinned = BUDGET[url] - (LEAD_SAVES.get(url, 0) if role == "lead" else 0)
    assert large == pinned, f"{url} as {role}: {large} queries, pinned at {pinned}"
