"""Table-driven access tests, shared by every app (DESIGN section 5).

Each app's tests/<app>/test_access*.py lists one AccessCase per URL and method with the outcome
for each kind of visitor, and runs it three ways with the helpers below: as listed, sent by htmx
(`HX-Request`), and with the ids of the same kinds of object from another programme in the
URL and the form (`check_other_programme_ids`). tests/test_url_access_coverage.py fails if a URL
of ours has no case, or a module with ids in its URLs does not try another programme's.

The outsider is the lead of another programme, who holds every role there: what stops them is
the programme, never a missing role.

Outcomes: OK (the case's exact success status: 200 for a GET, a 302 that is not to sign-in for
a POST, unless the case says otherwise), LOGIN (sent to sign in: a 302, or for htmx a 200 with
HX-Redirect, so no sign-in form is ever swapped into a page), or an exact HTTP status.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

OK = "ok"
LOGIN = "login"
VISITORS = ("anonymous", "outsider", "member", "facilitator", "lead")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/"}


@dataclass(frozen=True)
class AccessCase:
    name: str  # the URL name, which the coverage test matches
    url: str  # a literal URL; {placeholders} are filled from the objects fixture
    expect: dict[str, str | int]
    method: str = "get"
    data: dict = field(default_factory=dict)
    # The status that means "allowed": by default 200 for GET and 302 for POST. `htmx_ok` is the
    # same for an htmx request, when its answer differs (a fragment instead of a redirect).
    ok: int | None = None
    htmx_ok: int | None = None
    # False when the URL's ids are not tied to a programme (an invitation's token).
    programme_ids: bool = True
    # True for the JSON API: `data` is sent as a JSON body (with any method, such as PUT).
    json: bool = False

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"

    def ok_status(self, htmx: bool) -> int:
        if htmx and self.htmx_ok is not None:
            return self.htmx_ok
        if self.ok is not None:
            return self.ok
        return 200 if self.method == "get" else 302

    @property
    def takes_ids(self) -> bool:
        return self.programme_ids and "{" in self.url


def programme_case(name, url, *, method="get", data=None, change_roles=("lead",), view=True, **kw):
    """A page inside a programme: anonymous to sign-in, outsiders 404, and members who may
    not change get 403 (or, for a view, everyone in the programme gets OK)."""
    expect: dict[str, str | int] = {"anonymous": LOGIN, "outsider": 404}
    for role in ("member", "facilitator", "lead"):
        expect[role] = OK if (view and method == "get") or role in change_roles else 403
    return AccessCase(name, url, expect, method, data or {}, **kw)


def htmx_fragments(cases, names: set[str]) -> list[AccessCase]:
    """The cases whose POST answers an htmx request with the changed block (200) rather than a
    redirect; every name must be among the cases."""
    assert names <= {case.name for case in cases}, names - {case.name for case in cases}
    return [
        replace(case, htmx_ok=200) if case.name in names and case.method == "post" else case
        for case in cases
    ]


def cases_by_id(cases):
    return {"argvalues": cases, "ids": [str(case) for case in cases]}


def cases_with_ids(cases):
    """The cases whose URL names objects of a programme."""
    return cases_by_id([case for case in cases if case.takes_ids])


def check_access(
    client, case: AccessCase, visitor: str, users: dict, objects: dict, *, htmx: bool = False
) -> None:
    _check(client, with_ids(case, objects), visitor, users, case.expect[visitor], htmx=htmx)


def check_other_programme_ids(
    client, case: AccessCase, visitor: str, users: dict, other_objects: dict
) -> None:
    """This programme's URL with another programme's ids: not found, for everyone who gets
    past sign-in, including the lead of that other programme (the object is looked up in this
    programme before any role is checked)."""
    normal = case.expect[visitor]
    if normal == 405:
        expected = 405  # the method is refused before any id is read
    elif visitor == "anonymous" and normal in (LOGIN, 401):
        expected = normal  # not signed in: nothing is looked up
    else:
        expected = 404
    _check(client, with_ids(case, other_objects), visitor, users, expected, htmx=False)


def _check(client, case: AccessCase, visitor: str, users: dict, expected, *, htmx: bool):
    if visitor != "anonymous":
        client.force_login(users[visitor])
    headers = HTMX if htmx else {}
    if case.method == "get":
        response = client.get(case.url, **headers)
    elif case.json:
        send = getattr(client, case.method)
        response = send(case.url, json.dumps(case.data), content_type="application/json", **headers)
    else:
        response = client.post(case.url, case.data, **headers)
    location = response.headers.get("Location", "")
    client_redirect = response.headers.get("HX-Redirect", "")
    # getvalue() reads a streamed download too, so an error while writing its rows shows here.
    summary = (response.status_code, location or client_redirect, response.getvalue()[:300])
    if expected == LOGIN:
        if htmx:
            assert response.status_code == 200, summary
            assert client_redirect.startswith("/accounts/login/"), summary
        else:
            assert response.status_code == 302, summary
            assert location.startswith("/accounts/login/"), summary
    elif expected == OK:
        assert response.status_code == case.ok_status(htmx), summary
        assert not location.startswith("/accounts/login/"), summary
        assert not client_redirect.startswith("/accounts/login/"), summary
    else:
        assert response.status_code == expected, summary


def with_ids(case: AccessCase, objects: dict) -> AccessCase:
    """The case with {placeholders} in its URL and form data filled in."""
    return replace(case, url=case.url.format(**objects), data=_filled(case.data, objects))


def _filled(value, objects: dict):
    """Form data or a JSON body with its {placeholders} filled; "{x}" alone becomes x itself,
    so a JSON body can carry an id as a number."""
    if isinstance(value, dict):
        return {key: _filled(item, objects) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, objects) for item in value]
    if isinstance(value, str):
        name = value[1:-1]
        if value.startswith("{") and value.endswith("}") and name in objects:
            return objects[name]
        return value.format(**objects)
    return value
