"""Who may read, write and publish learning inside a programme (DESIGN section 5): everyone in
the programme reads and drafts; its author, leads and (for learning from their spaces)
facilitators edit; leads publish any entry and facilitators publish learning from the spaces
they facilitate."""

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
from tests.factories import AdaptiveSpaceFactory, LearningEntryFactory, MeetingFactory

P = "/programmes/virtual-wards"
LOG = P + "/learning/"
WRITTEN = LOG + "{written}/"  # written directly by someone else: no space
FROM_SPACE = LOG + "{from_space}/"  # from a meeting of the facilitator's space
MEMBERS_OWN = LOG + "{members_own}/"  # drafted by the member
VALID = {"title": "Pharmacists on the ward round", "kind": "insight", "visibility": "programme"}
# Versioned forms post the version they were opened at: a new object is at version 1.
EDIT = {**VALID, "version": "1"}
EVERYONE = ("member", "facilitator", "lead")


def _case(name, url, *, allowed, method="get", data=None):
    expect: dict[str, str | int] = {"anonymous": LOGIN, "outsider": 404}
    for role in EVERYONE:
        expect[role] = OK if role in allowed else 403
    return AccessCase(name, url, expect, method, data or {})


CASES = [
    programme_case("learning_log", LOG),
    programme_case("learning_export", LOG + "export.csv"),
    programme_case("learning_export", LOG + "export.xlsx?kind=insight&status=draft&q=ward"),
    programme_case("learning_log", LOG + "?q=ward&kind=insight&area=4&status=draft&page=2"),
    programme_case("learning_create", LOG + "new/"),
    programme_case(
        "learning_create", LOG + "new/", method="post", data=VALID, change_roles=EVERYONE
    ),
    programme_case("learning_detail", WRITTEN),
    programme_case("learning_detail", FROM_SPACE),
    _case("learning_edit", WRITTEN + "edit/", allowed=("lead",)),
    _case("learning_edit", FROM_SPACE + "edit/", allowed=("facilitator", "lead")),
    _case("learning_edit", MEMBERS_OWN + "edit/", allowed=("member", "lead")),
    _case("learning_edit", WRITTEN + "edit/", method="post", data=EDIT, allowed=("lead",)),
    _case(
        "learning_edit",
        FROM_SPACE + "edit/",
        method="post",
        data=EDIT,
        allowed=("facilitator", "lead"),
    ),
    _case(
        "learning_edit",
        MEMBERS_OWN + "edit/",
        method="post",
        data=EDIT,
        allowed=("member", "lead"),
    ),
    _case("learning_publish", WRITTEN + "publish/", method="post", allowed=("lead",)),
    _case(
        "learning_publish", FROM_SPACE + "publish/", method="post", allowed=("facilitator", "lead")
    ),
    _case("learning_publish", MEMBERS_OWN + "publish/", method="post", allowed=("lead",)),
    _case("learning_unpublish", WRITTEN + "unpublish/", method="post", allowed=("lead",)),
    _case(
        "learning_unpublish",
        FROM_SPACE + "unpublish/",
        method="post",
        allowed=("facilitator", "lead"),
    ),
]
# Answered by htmx with the block that changed, not a redirect.
CASES = htmx_fragments(CASES, {"learning_publish", "learning_unpublish"})


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


def _objects(programme, space, author) -> dict:
    """An entry written directly by someone else, one from a meeting of `space`, and one
    drafted by `author`."""
    meeting = MeetingFactory(space=space)
    return {
        "written": LearningEntryFactory(programme=programme).pk,
        "from_space": LearningEntryFactory(programme=programme, source_meeting=meeting).pk,
        "members_own": LearningEntryFactory(programme=programme, author=author).pk,
    }


@pytest.fixture
def objects(programme, space, member):
    return _objects(programme, space, member)


@pytest.fixture
def other_objects(other_programme, users):
    """The same kinds of object in the outsider's programme, from a space of its own; the
    outsider's own draft stands for the member's."""
    space = AdaptiveSpaceFactory(programme=other_programme)
    return _objects(other_programme, space, users["outsider"])


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_with_ids(CASES))
def test_other_programme_ids(client, case, visitor, users, other_objects):
    check_other_programme_ids(client, case, visitor, users, other_objects)


# Publishing by htmx: the permitted get the status block, the rest the same refusals.
@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("action", ["publish", "unpublish"])
def test_htmx_publishing_access(client, action, visitor, users, objects):
    expect = {"outsider": 404, "member": 403, "facilitator": 200, "lead": 200}
    if visitor != "anonymous":
        client.force_login(users[visitor])
    response = client.post(
        f"{LOG}{objects['from_space']}/{action}/", headers={"HX-Request": "true"}
    )
    if visitor == "anonymous":
        assert response.headers["HX-Redirect"].startswith("/accounts/login/")
        return
    assert response.status_code == expect[visitor], response.status_code
    if expect[visitor] == 200:
        assert 'id="status-block"' in response.content.decode()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused(client, lead, objects, method):
    client.force_login(lead)
    response = getattr(client, method)(f"{LOG}{objects['written']}/edit/")
    assert response.status_code == 405
    assert client.get(f"{LOG}{objects['written']}/publish/").status_code == 405
