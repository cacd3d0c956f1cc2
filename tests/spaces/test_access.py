"""Who may open and change spaces, meetings and actions (DESIGN section 5)."""

import pytest

from tests.access import (
    LOGIN,
    OK,
    VISITORS,
    AccessCase,
    cases_by_id,
    cases_with_ids,
    check_access,
    check_other_programme_ids,
    htmx_fragments,
    programme_case,
)
from tests.factories import (
    AdaptiveSpaceFactory,
    AttendanceFactory,
    MeetingFactory,
    ParticipantFactory,
    SpaceMemberFactory,
)

P = "/programmes/virtual-wards"
S = P + "/spaces/frailty-huddle"
M = S + "/meetings/{meeting}"
LOG = M + "/log"
CHANGERS = ("lead", "facilitator")
SIGNED_IN_OK = {**dict.fromkeys(VISITORS, OK), "anonymous": LOGIN}
PLAN = {
    "title": "Monthly huddle",
    "date_day": "1",
    "date_month": "3",
    "date_year": "2026",
    "start_time": "10:00",
    "end_time": "11:00",
    "format": "online",
}


def change(name, url, **kwargs):
    return programme_case(name, url, change_roles=CHANGERS, **kwargs)


CASES = [
    AccessCase("my_spaces", "/my-spaces/", SIGNED_IN_OK),
    programme_case("space_list", P + "/spaces/"),
    programme_case("space_create", P + "/spaces/new/", view=False),
    programme_case(
        "space_create",
        P + "/spaces/new/",
        method="post",
        data={
            "name": "New space",
            "kind": "huddle",
            "confidentiality": "standard",
            "status": "active",
        },
    ),
    programme_case("space_detail", S + "/"),
    change("space_edit", S + "/edit/", view=False),
    change(
        "space_edit",
        S + "/edit/",
        method="post",
        data={
            "name": "Renamed",
            "kind": "huddle",
            "confidentiality": "standard",
            "status": "active",
            "version": "1",
        },
    ),
    programme_case("space_history", S + "/history/"),
    change(
        "space_member_add",
        S + "/members/add/",
        method="post",
        data={"participant": "{participant}", "role": "participant"},
    ),
    change("space_member_remove", S + "/members/{space_member}/remove/", method="post"),
    change("meeting_plan", S + "/meetings/plan/", view=False),
    change("meeting_plan", S + "/meetings/plan/", method="post", data=PLAN),
    change("meeting_log_new", S + "/meetings/log/", view=False),
    change("meeting_log_new", S + "/meetings/log/", method="post", data=PLAN),
    # Without htmx, the search sends the browser back to the log page with its results.
    change(
        "attendee_search_new",
        S + "/meetings/log/attendees/search/?q=a",
        view=False,
        ok=302,
        htmx_ok=200,
    ),
    programme_case("meeting_detail", M + "/"),
    change("meeting_edit", M + "/edit/", view=False),
    change("meeting_edit", M + "/edit/", method="post", data={**PLAN, "version": "1"}),
    change("meeting_log", LOG + "/", view=False),
    change(
        "meeting_log",
        LOG + "/",
        method="post",
        data={**PLAN, "version": "1", "notes": "Good", "tensions": "", "decisions": ""},
    ),
    change("attendee_search", LOG + "/attendees/search/?q=a", view=False, ok=302, htmx_ok=200),
    change(
        "attendee_add",
        LOG + "/attendees/add/",
        method="post",
        data={"participant": "{participant}"},
    ),
    change(
        "attendee_new_person",
        LOG + "/attendees/new-person/",
        method="post",
        data={"new-name": "Jo New", "new-role_group": "clinical"},
    ),
    change("attendees_add_space_members", LOG + "/attendees/add-space-members/", method="post"),
    change(
        "attendance_update",
        LOG + "/attendees/{attendance}/",
        method="post",
        data={"status": "apologies"},
    ),
    change("attendance_remove", LOG + "/attendees/{attendance}/remove/", method="post"),
    change(
        "meeting_action_add",
        LOG + "/actions/add/",
        method="post",
        data={"action-title": "Write it up"},
    ),
    change(
        "meeting_learning_add",
        LOG + "/learning/add/",
        method="post",
        data={"learning-title": "Huddles work", "learning-kind": "insight"},
    ),
    programme_case("meeting_history", M + "/history/"),
    change("meeting_restore", M + "/history/{history}/restore/", method="post"),
    programme_case("action_list", P + "/actions/"),
    programme_case("action_export", P + "/actions/export.csv"),
    programme_case("action_export", P + "/actions/export.xlsx"),
    programme_case("meeting_export", P + "/meetings/export.csv"),
    programme_case("meeting_export", P + "/meetings/export.xlsx"),
    AccessCase(
        "meeting_export",
        P + "/meetings/export.json",
        {**dict.fromkeys(VISITORS, 404), "anonymous": LOGIN},
    ),
    # Attendance names people in bulk: leads only, as the people download.
    programme_case("attendance_export", P + "/attendance/export.csv", view=False),
    programme_case("attendance_export", P + "/attendance/export.xlsx", view=False),
    change("action_done", P + "/actions/{action}/done/", method="post"),
]
# Answered by htmx with the block that changed, not a redirect.
CASES = htmx_fragments(
    CASES,
    {
        "action_done",
        "attendance_remove",
        "attendance_update",
        "attendee_add",
        "attendee_new_person",
        "attendees_add_space_members",
        "meeting_action_add",
        "meeting_learning_add",
    },
)
# The preview only renders what was posted; it is still for those who may change the meeting.
PREVIEW = change(
    "markdown_preview",
    LOG + "/preview/",
    method="post",
    data={"field": "notes", "notes": "**hello**"},
)
PREVIEW.expect.update({"lead": 200, "facilitator": 200})
CASES.append(PREVIEW)


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


def _objects(programme, space) -> dict:
    from spaces.models import Action

    meeting = MeetingFactory(space=space, status="held")
    attendance = AttendanceFactory(meeting=meeting)
    other = SpaceMemberFactory(space=space)
    action = Action.objects.create(programme=programme, meeting=meeting, title="Do it")
    return {
        "meeting": meeting.pk,
        "attendance": attendance.pk,
        "space_member": other.pk,
        "participant": ParticipantFactory(programme=programme).pk,
        "history": meeting.history.earliest().history_id,
        "action": action.pk,
    }


@pytest.fixture
def objects(programme, space, users):
    return _objects(programme, space)


@pytest.fixture
def other_objects(other_programme, users):
    """The same kinds of object in the outsider's programme, in a space with the same slug."""
    space = AdaptiveSpaceFactory(programme=other_programme, slug="frailty-huddle")
    return _objects(other_programme, space)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_with_ids(CASES))
def test_other_programme_ids(client, case, visitor, users, other_objects):
    check_other_programme_ids(client, case, visitor, users, other_objects)
