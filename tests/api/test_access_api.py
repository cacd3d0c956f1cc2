"""Who may call each route of the JSON API (DESIGN sections 5 and 14): signed in by the browser's
session here, and by personal access tokens in the tests below the matrix."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from convening.models import Membership
from tests.access import (
    OK,
    VISITORS,
    AccessCase,
    cases_by_id,
    cases_with_ids,
    check_access,
    check_other_programme_ids,
    with_ids,
)
from tests.factories import AdaptiveSpaceFactory, MembershipFactory

from .conftest import bearer, fill_programme, make_token

A = "/api/programmes/virtual-wards"
READERS = {"anonymous": 401, "outsider": 404, "member": OK, "facilitator": OK, "lead": OK}
MEETING_CHANGERS = {**READERS, "member": 403}
EVERYONE = dict.fromkeys(VISITORS, OK)
LOG = {
    "title": "Frailty huddle, January",
    "date": "2026-01-05",
    "start_time": "10:00",
    "end_time": "11:00",
    "format": "online",
    "notes": "We agreed a **shared** referral form.",
    "practices": ["1.1", "3.1"],
    "attendance": [{"participant_id": "{participant}"}, {"email": "member@example.org"}],
}


def read(name, url, **kwargs):
    return AccessCase(name, url, READERS, **kwargs)


def write(name, url, method, data, expect=READERS, ok=200):
    return AccessCase(name, url, expect, method=method, data=data, ok=ok, json=True)


CASES = [
    AccessCase("openapi-json", "/api/openapi.json", EVERYONE),
    AccessCase("openapi-view", "/api/docs", EVERYONE),
    # The API's root answers nothing, to anyone.
    AccessCase("api-root", "/api/", dict.fromkeys(VISITORS, 404)),
    AccessCase("api_programme_list", "/api/programmes", {**EVERYONE, "anonymous": 401}),
    read("api_programme", A),
    read("api_participant_list", A + "/participants"),
    read("api_innovation_list", A + "/innovations"),
    read("api_adoption_list", A + "/adoptions"),
    read("api_space_list", A + "/spaces"),
    read("api_meeting_list", A + "/meetings"),
    read("api_meeting", A + "/meetings/{meeting}"),
    read("api_action_list", A + "/actions"),
    read("api_activity_list", A + "/activities"),
    read("api_coverage", A + "/coverage"),
    read("api_complexity_list", A + "/complexity-assessments"),
    read("api_knowledge_list", A + "/local-knowledge"),
    read("api_learning_list", A + "/learning"),
    read("api_learning_entry", A + "/learning/{entry}"),
    read("api_narrative_list", A + "/narratives"),
    write(
        "api_meeting_log_new",
        A + "/spaces/frailty-huddle/meetings",
        "post",
        LOG,
        expect=MEETING_CHANGERS,
        ok=201,
    ),
    write(
        "api_meeting_log",
        A + "/meetings/{meeting}/log",
        "put",
        {**LOG, "version": 1},
        expect=MEETING_CHANGERS,
    ),
    write(
        "api_learning_list",
        A + "/learning",
        "post",
        {"title": "Huddles work", "kind": "enabler", "areas": [1, 4]},
        ok=201,
    ),
]
WRITES = [case for case in CASES if case.method != "get"]
PROGRAMME_ROUTES = [case for case in CASES if case.url.startswith(A)]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.fixture
def objects(filled, users):
    return filled


@pytest.fixture
def other_objects(other_programme, users):
    """The same kinds of object in the outsider's programme, in a space with the same slug."""
    return fill_programme(other_programme)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_with_ids(CASES))
def test_other_programme_ids(client, case, visitor, users, other_objects):
    check_other_programme_ids(client, case, visitor, users, other_objects)


# The same routes with personal access tokens ----------------------------------------------------


def _send(client, case, objects, text):
    case = with_ids(case, objects)
    if case.method == "get":
        return client.get(case.url, **bearer(text))
    send = getattr(client, case.method)
    return send(case.url, json.dumps(case.data), content_type="application/json", **bearer(text))


@pytest.mark.parametrize("role", ["member", "facilitator", "lead"])
@pytest.mark.parametrize("case", **cases_by_id(PROGRAMME_ROUTES))
def test_a_token_gets_what_its_user_gets(client, case, role, users, objects):
    _token, text = make_token(users[role], [users[role].memberships.get().programme])
    response = _send(client, case, objects, text)
    expected = case.ok_status(htmx=False) if case.expect[role] == OK else case.expect[role]
    assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize("case", **cases_by_id(PROGRAMME_ROUTES))
def test_a_token_for_another_programme_gets_404(client, case, lead, programme, objects):
    """The lead belongs to both programmes, but the token names only the other one."""
    second = AdaptiveSpaceFactory(slug="elsewhere").programme
    MembershipFactory(programme=second, user=lead, role=Membership.Role.LEAD)
    _token, text = make_token(lead, [second])
    assert _send(client, case, objects, text).status_code == 404


@pytest.mark.parametrize("case", **cases_by_id(WRITES))
def test_a_read_only_token_gets_403_on_writes(client, case, lead, programme, objects):
    _token, text = make_token(lead, [programme], can_write=False)
    response = _send(client, case, objects, text)
    assert response.status_code == 403, response.content
    assert response.json() == {"detail": "This token may only read"}


@pytest.mark.parametrize("case", **cases_by_id(PROGRAMME_ROUTES))
def test_a_revoked_token_gets_401(client, case, lead, programme, objects):
    token, text = make_token(lead, [programme])
    token.revoke()
    assert _send(client, case, objects, text).status_code == 401


@pytest.mark.parametrize("case", **cases_by_id(PROGRAMME_ROUTES))
def test_an_expired_token_gets_401(client, case, lead, programme, objects):
    token, text = make_token(lead, [programme])
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save(update_fields=["expires_at"])
    assert _send(client, case, objects, text).status_code == 401


def test_a_token_follows_its_users_role_as_it_changes(client, lead, programme, filled):
    """Made while its user led the programme; the user is then a member, then gone."""
    MembershipFactory(programme=programme, role=Membership.Role.LEAD)  # a lead stays
    _token, text = make_token(lead, [programme])
    url = f"{A}/meetings/{filled['meeting']}/log"
    body = json.dumps({**LOG, "attendance": None, "version": 1})

    def save_log():
        return client.put(url, body, content_type="application/json", **bearer(text))

    Membership.objects.filter(user=lead).update(role=Membership.Role.MEMBER)
    assert save_log().status_code == 403
    Membership.objects.filter(user=lead).delete()
    assert save_log().status_code == 404
    assert client.get(f"{A}/meetings", **bearer(text)).status_code == 404


def test_a_deactivated_users_token_gets_401(client, lead, programme, filled):
    _token, text = make_token(lead, [programme])
    lead.is_active = False
    lead.save(update_fields=["is_active"])
    assert client.get(f"{A}/meetings", **bearer(text)).status_code == 401
