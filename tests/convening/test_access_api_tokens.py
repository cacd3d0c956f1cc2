"""Who may open the "API tokens" page, make a token and revoke one."""

import pytest
from django.utils import timezone

from tests.access import LOGIN, OK, VISITORS, AccessCase, cases_by_id, check_access
from tests.api.conftest import make_token

NEXT_MONTH = timezone.localdate() + timezone.timedelta(days=30)
NEW_TOKEN = {
    "name": "Monthly report",
    "programmes": "{programme}",
    "access": "read",
    "expires_on_day": str(NEXT_MONTH.day),
    "expires_on_month": str(NEXT_MONTH.month),
    "expires_on_year": str(NEXT_MONTH.year),
}

CASES = [
    AccessCase(
        "api_tokens", "/accounts/api-tokens/", {**dict.fromkeys(VISITORS, OK), "anonymous": LOGIN}
    ),
    # The new token is shown on the page that answers, once. The outsider may not choose a
    # programme they do not belong to.
    AccessCase(
        "api_tokens",
        "/accounts/api-tokens/",
        {**dict.fromkeys(VISITORS, OK), "anonymous": LOGIN, "outsider": 400},
        method="post",
        data=NEW_TOKEN,
        ok=200,
    ),
    # Only its own user revokes a token; anyone else is told it does not exist.
    AccessCase(
        "api_token_revoke",
        "/accounts/api-tokens/{token}/revoke/",
        {**dict.fromkeys(VISITORS, 404), "anonymous": LOGIN, "lead": OK},
        method="post",
        programme_ids=False,
    ),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.fixture
def objects(programme, users):
    token, _text = make_token(users["lead"], [programme])
    return {"programme": programme.pk, "token": token.pk}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)
