"""Who may call each of the network's routes of the JSON API (DESIGN sections 5, 11 and 14):
signed in by the browser's session in the matrix, then with personal access tokens."""

import pytest
from django.utils import timezone

from network import snapshots
from tests.access import (
    OK,
    VISITORS,
    AccessCase,
    cases_by_id,
    check_access,
)
from tests.factories import (
    AdaptiveSpaceFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
)
from tests.network import exported_story

from .conftest import bearer, make_token

A = "/api/programmes/virtual-wards"
READERS = {"anonymous": 401, "outsider": 404, "member": OK, "facilitator": OK, "lead": OK}
# Introductions name people and are made by leads and facilitators.
PEOPLE_VIEWERS = {**READERS, "member": 403}
# An unknown window or boundary is refused before anything is looked up, for anyone signed in.
BAD_INPUT = {**dict.fromkeys(VISITORS, 422), "anonymous": 401}


def read(name, url, expect=READERS):
    return AccessCase(name, url, expect)


CASES = [
    read("api_network", A + "/network"),
    read("api_network", A + "/network?window=90d"),
    read("api_network", A + "/network?window=forever", BAD_INPUT),
    read("api_network_group_list", A + "/network/groups?window=all&boundary=sector"),
    read("api_network_group_list", A + "/network/groups?boundary=programme", BAD_INPUT),
    read("api_network_tie_list", A + "/network/ties"),
    read("api_network_weak_point_list", A + "/network/weak-points?window=12m"),
    read("api_network_meeting_mix_list", A + "/network/meetings?boundary=level"),
    # A member reads only their own row (tests/api/test_network_api.py).
    read("api_network_person_list", A + "/network/people"),
    read("api_network_person_list", A + "/network/people?window=1y", BAD_INPUT),
    read("api_introduction_list", A + "/introductions", PEOPLE_VIEWERS),
]
PROGRAMME_ROUTES = [case for case in CASES if 422 not in case.expect.values()]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.fixture
def objects(programme, space, users):
    exported_story.build(programme, space, users["lead"], users["member"], users["facilitator"])
    return {}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


def test_another_programmes_network_is_never_shown_in_this_programmes_routes(
    client, users, objects, other_programme
):
    """The outsider leads another programme with its own snapshot: asking with this
    programme's slug is 404 for them, and this programme's lead never sees the other's rows."""
    elsewhere = OrganisationFactory(name="Elsewhere Trust")
    people = [
        ParticipantFactory(programme=other_programme, organisation=elsewhere, consent_recorded=True)
        for _ in range(2)
    ]
    exported_story.held(AdaptiveSpaceFactory(programme=other_programme), 5, people, "Elsewhere")
    snapshots.build_snapshots(other_programme.pk)
    client.force_login(users["outsider"])
    assert client.get(A + "/network/groups").status_code == 404
    client.force_login(users["lead"])
    labels = {row["label"] for row in client.get(A + "/network/groups").json()["items"]}
    assert labels == {"Alpha Trust", "Beta Trust", "Calder Council", "Dale University"}
    named = {row["participant_id"] for row in client.get(A + "/network/people").json()["items"]}
    assert named
    assert not named & {person.pk for person in people}


# The same routes with personal access tokens ----------------------------------------------------


@pytest.mark.parametrize("role", ["member", "facilitator", "lead"])
@pytest.mark.parametrize("case", **cases_by_id(PROGRAMME_ROUTES))
def test_a_token_gets_what_its_user_gets(client, case, role, users, objects):
    _token, text = make_token(users[role], [users[role].memberships.get().programme])
    response = client.get(case.url, **bearer(text))
    expected = case.ok_status(htmx=False) if case.expect[role] == OK else case.expect[role]
    assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize("case", **cases_by_id(PROGRAMME_ROUTES))
def test_a_token_for_another_programme_gets_404(client, case, lead, objects):
    """The lead belongs to both programmes, but the token names only the other one."""
    second = AdaptiveSpaceFactory(slug="elsewhere").programme
    MembershipFactory(programme=second, user=lead, role="lead")
    _token, text = make_token(lead, [second])
    assert client.get(case.url, **bearer(text)).status_code == 404


@pytest.mark.parametrize("case", **cases_by_id(PROGRAMME_ROUTES))
def test_a_revoked_or_expired_token_gets_401(client, case, lead, programme, objects):
    token, text = make_token(lead, [programme])
    token.revoke()
    assert client.get(case.url, **bearer(text)).status_code == 401
    token, text = make_token(lead, [programme])
    token.expires_at = timezone.now()
    token.save(update_fields=["expires_at"])
    assert client.get(case.url, **bearer(text)).status_code == 401
