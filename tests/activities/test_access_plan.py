"""Who may open and change the activity plan (DESIGN section 5): everyone in the programme
views it; leads change every activity; facilitators add activities and change the ones they
own; members only read."""

import pytest

from activities.models import ActivityArea, PlannedActivity
from convening.models import Participant
from tests.access import (
    LOGIN,
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
    ActionFactory,
    AdaptiveSpaceFactory,
    MeetingFactory,
    ParticipantFactory,
    PlannedActivityFactory,
)

P = "/programmes/virtual-wards/plan/"
# The lead's activity, which the facilitator does not own.
THEIRS = P + "{activity}/"
# An activity whose owner is the facilitator's participant record.
OWN = P + "{own}/"
PLANNERS = ("lead", "facilitator")
ACTIVITY = {
    "area": "3",
    "title": "Introduce the care home leads to the ward team",
    "status": "planned",
}
# An edit posts the version it was opened at; each fixture activity is at its first.
EDIT = {**ACTIVITY, "version": "1"}


def planners(name, url, **kwargs):
    return programme_case(name, url, change_roles=PLANNERS, **kwargs)


def lead_only(name, url, **kwargs):
    return programme_case(name, url, change_roles=("lead",), **kwargs)


CASES = [
    programme_case("plan", P),
    programme_case("plan", P + "?area=3&status=open&owner=999&space=abc"),
    programme_case("plan", P + "?page=2&area=3"),
    planners("activity_create", P + "new/", view=False),
    planners("activity_create", P + "new/?from_domain=organisations", view=False),
    planners("activity_create", P + "new/", method="post", data=ACTIVITY),
    programme_case("plan_export", P + "export.csv"),
    programme_case("plan_export", P + "export.xlsx?status=done"),
    programme_case("activity_detail", THEIRS),
    programme_case("activity_detail", OWN),
    lead_only("activity_edit", THEIRS + "edit/", view=False),
    lead_only("activity_edit", THEIRS + "edit/", method="post", data=EDIT),
    planners("activity_edit", OWN + "edit/", view=False),
    planners("activity_edit", OWN + "edit/", method="post", data=EDIT),
    lead_only("activity_status", THEIRS + "status/", method="post", data={"status": "done"}),
    planners("activity_status", OWN + "status/", method="post", data={"status": "done"}),
    lead_only(
        "activity_link_action",
        THEIRS + "actions/",
        method="post",
        data={"action": "{action}"},
    ),
    planners("activity_link_action", OWN + "actions/", method="post", data={"action": "{action}"}),
    lead_only("activity_unlink_action", THEIRS + "actions/{linked}/unlink/", method="post"),
    planners("activity_unlink_action", OWN + "actions/{own_linked}/unlink/", method="post"),
    # Exports are CSV or XLSX; any other format is not found, for everyone signed in.
    AccessCase(
        "plan_export",
        P + "export.pdf",
        {**dict.fromkeys(VISITORS, 404), "anonymous": LOGIN},
    ),
]
# Answered by htmx with the block that changed, not a redirect.
CASES = htmx_fragments(CASES, {"activity_status"})


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


def _objects(programme, space, lead, owner) -> dict:
    """An activity of the lead's, one owned by `owner`'s participant record, an action of a
    meeting in `space` and one action linked to each activity."""
    area = ActivityArea.objects.get(number=3)
    theirs = PlannedActivityFactory(programme=programme, area=area, created_by=lead)
    own = PlannedActivityFactory(programme=programme, area=area, owner=owner, created_by=lead)
    meeting = MeetingFactory(space=space, status="held")
    action = ActionFactory(programme=programme, meeting=meeting, title="Open and free")
    linked = ActionFactory(programme=programme, meeting=meeting, planned_activity=theirs)
    own_linked = ActionFactory(programme=programme, meeting=meeting, planned_activity=own)
    ParticipantFactory(programme=programme)
    return {
        "activity": theirs.pk,
        "own": own.pk,
        "action": action.pk,
        "linked": linked.pk,
        "own_linked": own_linked.pk,
    }


@pytest.fixture
def objects(programme, space, lead, facilitator):
    mine = Participant.objects.get(programme=programme, user=facilitator)
    return _objects(programme, space, lead, mine)


@pytest.fixture
def other_objects(other_programme, users):
    """The same kinds of object in the outsider's programme, in a space of its own; the
    "own" activity is the outsider's."""
    outsider = users["outsider"]
    space = AdaptiveSpaceFactory(programme=other_programme)
    owner = ParticipantFactory(programme=other_programme, user=outsider, email=outsider.email)
    return _objects(other_programme, space, outsider, owner)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_with_ids(CASES))
def test_other_programme_ids(client, case, visitor, users, other_objects):
    check_other_programme_ids(client, case, visitor, users, other_objects)


# htmx: the inline status change on the plan ------------------------------------------------------

HX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver" + P}
HTMX_STATUS = {
    # (visitor, whose activity): status code
    ("anonymous", "activity"): 200,  # with HX-Redirect to sign in, checked below
    ("outsider", "activity"): 404,
    ("member", "activity"): 403,
    ("member", "own"): 403,
    ("facilitator", "activity"): 403,
    ("facilitator", "own"): 200,
    ("lead", "activity"): 200,
    ("lead", "own"): 200,
}


@pytest.mark.parametrize(("visitor", "which"), list(HTMX_STATUS), ids=str)
def test_htmx_status_change_access(client, users, objects, visitor, which):
    if visitor != "anonymous":
        client.force_login(users[visitor])
    activity_id = objects[which]

    response = client.post(f"{P}{activity_id}/status/", {"status": "done"}, **HX)

    assert response.status_code == HTMX_STATUS[(visitor, which)]
    changed = PlannedActivity.objects.get(pk=activity_id).status == "done"
    assert changed == (response.status_code == 200 and visitor != "anonymous")
    if visitor == "anonymous":
        assert response.headers["HX-Redirect"].startswith("/accounts/login/")
    elif response.status_code == 200:
        assert f'id="activity-{activity_id}"' in response.content.decode()


def test_facilitator_owns_an_activity_they_added_even_with_another_owner(
    client, programme, space, facilitator, lead
):
    other = ParticipantFactory(programme=programme)
    added = PlannedActivityFactory(
        programme=programme,
        area=ActivityArea.objects.get(number=1),
        owner=other,
        created_by=facilitator,
    )
    client.force_login(facilitator)

    assert client.get(f"{P}{added.pk}/edit/").status_code == 200
    response = client.post(f"{P}{added.pk}/status/", {"status": "in_progress"})

    assert response.status_code == 302
    added.refresh_from_db()
    assert added.status == "in_progress"


def test_an_activity_of_another_programme_is_not_found(client, lead, programme):
    from tests.factories import ProgrammeFactory

    elsewhere = PlannedActivityFactory(
        programme=ProgrammeFactory(), area=ActivityArea.objects.get(number=1)
    )
    client.force_login(lead)

    for suffix in ("", "edit/"):
        assert client.get(f"{P}{elsewhere.pk}/{suffix}").status_code == 404
    assert client.post(f"{P}{elsewhere.pk}/status/", {"status": "done"}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == "planned"
