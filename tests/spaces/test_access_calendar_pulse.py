"""Who may use the calendar and pulse pages (DESIGN section 5).

The feed and the pulse answer page need no sign-in: whoever holds a valid token gets the same
answer, whoever they are. The pages that show those tokens follow the space's rules.
"""

import pytest

from spaces.pulse import pulse_token
from tests.access import OK, VISITORS, AccessCase, cases_by_id, check_access, programme_case
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
    AccessCase("calendar_feed", "/calendar/{calendar_token}.ics", EVERYONE_OK),
    programme_case("meeting_ics", M + "/meeting.ics"),
    programme_case("pulse_results", M + "/pulse/", view=False, change_roles=SPACE_CHANGERS),
    AccessCase("pulse_answer", "/pulse/{pulse_token}/", EVERYONE_OK),
    AccessCase(
        "pulse_answer", "/pulse/{pulse_token}/", EVERYONE_OK, method="post", data=PULSE_ANSWER
    ),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.fixture
def objects(space, users):
    meeting = MeetingFactory(space=space, status="held")
    return {
        "meeting": meeting.pk,
        "calendar_token": space.renew_calendar_token(),
        "pulse_token": pulse_token(meeting),
    }


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
def test_access(client, case, visitor, users, objects):
    check_access(client, case, visitor, users, objects)


def test_facilitator_of_another_space_may_view_but_not_change_its_calendar(
    client, facilitator, programme
):
    AdaptiveSpaceFactory(programme=programme, slug="other-space")
    client.force_login(facilitator)
    url = "/programmes/virtual-wards/spaces/other-space/calendar/"

    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "renew"}).status_code == 403
