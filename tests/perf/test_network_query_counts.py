"""The network's API routes and downloads run the same number of queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network import snapshots
from tests.api.conftest import bearer, make_token
from tests.factories import OrganisationFactory, ParticipantFactory
from tests.network.exported_story import held, introduce

A = "/api/programmes/virtual-wards"
N = "/programmes/virtual-wards/network"
# Pinned: a change that adds a query to one of these must change this table on purpose. Each
# API route counts the token (find it, note its use, its programmes), the programme with the
# role, and the window's snapshot.
API_BUDGET = {
    # ... whether a newer one is on the way (the build, the inputs' fingerprint), the
    # introductions counted by status
    A + "/network": 9,
    A + "/network/groups": 6,
    A + "/network/ties?boundary=sector": 6,
    # ... the people left out (leads and facilitators), then the page
    A + "/network/weak-points": 7,
    # ... the meetings with the mix
    A + "/network/meetings": 6,
    # ... the people left out, then the page with their organisations
    A + "/network/people": 7,
    # The token and programme, the people left out, the page (no snapshot).
    A + "/introductions": 6,
}
# Members are not shown people who hold parts together, so nobody is counted.
MEMBER_SAVES = {A + "/network/weak-points": 1}
# Members may not list introductions (403 once the role is read).
MEMBER_REFUSED = {A + "/introductions"}
# Each download: the session, the user, the programme with the role, the snapshot, the rows;
# an XLSX adds one COUNT.
EXPORT_BUDGET = {
    N + "/people/export.csv?window=all": 5,
    N + "/people/export.xlsx": 6,
    N + "/groups/export.csv?boundary=level": 5,
    N + "/ties/export.xlsx": 6,
    N + "/weak-points/export.csv": 5,
    N + "/meetings/export.csv": 5,
    # no snapshot: the introductions themselves
    N + "/introductions/export.csv?window=all": 4,
}


def _grow(programme, space, size: int) -> None:
    """`size` more organisations, three people at each (one who may not be named), meetings of
    three that mostly stay inside an organisation and sometimes cross, and introductions."""
    people = []
    for n in range(size):
        site = OrganisationFactory()
        people += [
            ParticipantFactory(
                programme=programme, organisation=site, consent_recorded=k != 2, name=f"P{n}-{k}"
            )
            for k in range(3)
        ]
    for n in range(size):
        held(space, 5 + n, people[3 * n : 3 * n + 3], f"Huddle {n}")
        if n:
            held(space, 100 + n, [people[3 * n], people[3 * n - 3]], f"Crossing {n}")
            introduce(programme, people[3 * n + 1], people[3 * n - 2], made_by=None)
    snapshots.build_snapshots(programme.pk)


def _count(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
        response.getvalue()  # a streamed download reads its rows as it is read
    assert response.status_code in (200, 403), (url, response.content[:300])
    return len(queries)


@pytest.mark.parametrize("role", ["lead", "member"])
@pytest.mark.parametrize("url", list(API_BUDGET))
def test_network_api_runs_the_same_queries_at_two_sizes(
    client, request, programme, space, url, role
):
    user = request.getfixturevalue(role)
    _token, text = make_token(user, [programme])
    _grow(programme, space, 3)
    small = _count(client, url + ("&" if "?" in url else "?") + "limit=200", **bearer(text))
    _grow(programme, space, 12)
    large = _count(client, url + ("&" if "?" in url else "?") + "limit=200", **bearer(text))
    assert small == large, f"{url}: {small} queries small, {large} large"
    if role == "member" and url in MEMBER_REFUSED:
        return
    pinned = API_BUDGET[url] - (MEMBER_SAVES.get(url, 0) if role == "member" else 0)
    assert large == pinned, f"{url} as {role}: {large} queries, pinned at {pinned}"


@pytest.mark.parametrize("url", list(EXPORT_BUDGET))
def test_network_downloads_run_the_same_queries_at_two_sizes(client, lead, programme, space, url):
    client.force_login(lead)
    _grow(programme, space, 3)
    _count(client, url)  # the first request of a session also loads what it caches
    small = _count(client, url)
    _grow(programme, space, 12)
    large = _count(client, url)
    assert small == large, f"{url}: {small} queries small, {large} large"
    assert large == EXPORT_BUDGET[url], f"{url}: {large} queries, pinned at {EXPORT_BUDGET[url]}"
