"""Who may import attendees into a meeting (DESIGN section 5): the programme's leads and the
space's facilitators. The facilitator fixture facilitates the `space` fixture."""

from pathlib import Path

import pytest

from tests.access import (
    LOGIN,
    VISITORS,
    AccessCase,
    cases_by_id,
    cases_with_ids,
    check_access,
    check_other_programme_ids,
    programme_case,
)
from tests.factories import AdaptiveSpaceFactory, MeetingFactory

IMPORT = "/programmes/virtual-wards/spaces/frailty-huddle/meetings/{meeting}/log/import/"
CHANGE = ("lead", "facilitator")
SAMPLE = (Path(__file__).parent / "samples" / "zoom_participants.csv").read_bytes()


class Upload:
    """An uploaded file the test client can post again for every visitor."""

    name = "zoom_participants.csv"
    content_type = "text/csv"

    def read(self) -> bytes:
        return SAMPLE


# A preview is a page, not a redirect: those who may import get 200.
_preview = programme_case(
    "attendance_import", IMPORT, method="post", data={"report": Upload()}, change_roles=CHANGE
)

CASES = [
    programme_case("attendance_import", IMPORT, view=False, change_roles=CHANGE),
    AccessCase(
        _preview.name,
        _preview.url,
        {**_preview.expect, "lead": 200, "facilitator": 200},
        method="post",
        data=_preview.data,
    ),
    # With no preview waiting, confirming sends those who may import back to the upload form.
    programme_case(
        "attendance_import_confirm",
        IMPORT + "confirm/",
        method="post",
        data={"create_new": "on", "role_group": "clinical"},
        change_roles=CHANGE,
    ),
    # Confirming is POST only.
    AccessCase(
        "attendance_import_confirm",
        IMPORT + "confirm/",
        {**dict.fromkeys(VISITORS, 405), "anonymous": LOGIN},
    ),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.fixture
def objects(space):
    return {"meeting": MeetingFactory(space=space).pk}


@pytest.fixture
def other_objects(other_programme):
    """A meeting of the outsider's programme, in a space with the same slug."""
    space = AdaptiveSpaceFactory(programme=other_programme, slug="frailty-huddle")
    return {"meeting": MeetingFactory(space=space).pk}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_with_ids(CASES))
def test_other_programme_ids(client, case, visitor, users, other_objects):
    check_other_programme_ids(client, case, visitor, users, other_objects)


def test_a_meeting_of_another_space_is_not_found(as_user, lead, space, programme):
    elsewhere = MeetingFactory(space=AdaptiveSpaceFactory(programme=programme))
    response = as_user(lead).get(IMPORT.format(meeting=elsewhere.pk))
    assert response.status_code == 404
