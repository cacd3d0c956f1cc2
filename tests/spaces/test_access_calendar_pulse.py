"""Who may use the calendar and pulse pages (DESIGN section 5).

The feed and the pulse answer page need no sign-in: whoever holds a valid token gets the same
answer, whoever they are. The pages that show those tokens follow the space's rules.
"""

import pytest

from spaces.pulse import pulse_token
from tests.access import (
    OK,
    VISITORS,
    AccessCase,
    cases_by_id,
    cases_with_ids,
    check_access,
    check_other_programme_ids,
    programme_case,
)
from tests.factories import AdaptiveSpaceFactory, MeetingFactory

S = "/programmes/virtual-wards/spaces/frailty-huddle"
M = S + "/meetings/{meeting}"
EVERYONE_OK = dict.fromkeys(VISITORS, OK)
SPACE_CHANGERS = ("lead", "facilitator")
PULSE_ANSWER = {"felt_safe": "4", "useful": "4", "stretching": "3", "new_connections": "1"}

CASES = [
    programme_case("space_calendar", S + "/calendar/"),
    programme_case(
        "space_calendar",
        S + "/calendar/",
        method="post",
        data={"action": "renew"},
        change_roles=SPACE_CHANGERS,
    ),
    # Tokens stand alone: each names its own space or meeting, whichever programme it is in.
    AccessCase("calendar_feed", "/calendar/{calendar_token}.ics", EVERYONE_OK, programme_ids=False),
    programme_case("meeting_ics", M + "/meeting.ics"),
    programme_case("pulse_results", M + "/pulse/", view=False, change_roles=SPACE_CHANGERS),
    AccessCase("pulse_answer", "/pulse/{pulse_token}/", EVERYONE_OK, programme_ids=False),
    AccessCase(
        "pulse_answer",
        "/pulse/{pulse_token}/",
        EVERYONE_OK,
        method="post",
        data=PULSE_ANSWER,
        programme_ids=False,
    ),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


def _objects(space) -> dict:
    meeting = MeetingFactory(space=space, status="held")
    return {
        "meeting": meeting.pk,
        "calendar_token": space.renew_calendar_token(),
        "pulse_token": pulse_token(meeting),
    }


@pytest.fixture
def objects(space, users):
    return _objects(space)


@pytest.fixture
def other_objects(other_programme, users):
    """The same in the outsider's programme, in a space with the same slug."""
    return _objects(AdaptiveSpaceFactory(programme=other_programme, slug="frailty-huddle"))


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_with_ids(CASES))
def test_other_programme_ids(client, case, visitor, users, other_objects):
    check_other_programme_ids(client, case, visitor, users, other_objects)


def test_facilitator_of_another_space_may_view_but_not_change_its_calendar(
    client, facilitator, programme
):
    AdaptiveSpaceFactory(programme=programme, slug="other-space")
    client.force_login(facilitator)
    url = "/programmes/virtual-wards/spaces/other-space/calendar/"

    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "renew"}).status_code == 403
