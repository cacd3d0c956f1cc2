"""Table-driven access tests, shared by every app (DESIGN section 5).

Each app's tests/<app>/test_access.py lists one AccessCase per URL and method with the outcome
for each kind of visitor, and calls `check_access`. tests/test_url_access_coverage.py fails if a
URL of ours has no case.

Outcomes: OK (200 for GET; for POST a redirect that is not to sign-in), LOGIN (sent to the
sign-in page), or an HTTP status (403, 404, 410).
"""

from __future__ import annotations

from dataclasses import dataclass, field

OK = "ok"
LOGIN = "login"
VISITORS = ("anonymous", "outsider", "member", "facilitator", "lead")


@dataclass(frozen=True)
class AccessCase:
    name: str  # the URL name, which the coverage test matches
    url: str  # a literal URL; {placeholders} are filled from the objects fixture
    expect: dict[str, str | int]
    method: str = "get"
    data: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"


def programme_case(name, url, *, method="get", data=None, change_roles=("lead",), view=True):
    """A page inside a programme: anonymous to sign-in, outsiders 404, and members who may
    not change get 403 (or, for a view, everyone in the programme gets OK)."""
    expect: dict[str, str | int] = {"anonymous": LOGIN, "outsider": 404}
    for role in ("member", "facilitator", "lead"):
        expect[role] = OK if (view and method == "get") or role in change_roles else 403
    return AccessCase(name, url, expect, method, data or {})


def cases_by_id(cases):
    return {"argvalues": cases, "ids": [str(case) for case in cases]}


def check_access(client, case: AccessCase, visitor: str, users: dict, objects: dict) -> None:
    if visitor != "anonymous":
        client.force_login(users[visitor])
    url = case.url.format(**objects)
    response = client.get(url) if case.method == "get" else client.post(url, case.data)
    expected = case.expect[visitor]
    location = response.headers.get("Location", "")
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert location.startswith("/accounts/login/"), location
    elif expected == OK:
        if case.method == "get":
            assert response.status_code in (200, 302), response.status_code
            if response.status_code == 302:
                assert not location.startswith("/accounts/login/"), location
        else:
            assert response.status_code == 302, (response.status_code, response.content[:500])
            assert not location.startswith("/accounts/login/"), location
    else:
        assert response.status_code == expected, (response.status_code, location)


def with_ids(case: AccessCase, objects: dict) -> AccessCase:
    """The case with {placeholders} in its form data filled in too."""
    data = {key: str(value).format(**objects) for key, value in case.data.items()}
    return AccessCase(case.name, case.url, case.expect, case.method, data)
