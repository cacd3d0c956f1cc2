"""Who may see and make introductions (DESIGN section 11): leads and facilitators; members get
403, outsiders 404, anonymous visitors the sign-in page."""

import pytest

from network.models import Introduction
from tests.access import (
    VISITORS,
    cases_by_id,
    cases_with_ids,
    check_access,
    check_other_programme_ids,
    programme_case,
)

from .intro_data import organisation, person

INTRO = "/programmes/virtual-wards/network/introductions/"
PEOPLE_ROLES = ("lead", "facilitator")

CASES = [
    programme_case("introductions", INTRO, view=False, change_roles=PEOPLE_ROLES),
    programme_case("introduction_new", INTRO + "new/", view=False, change_roles=PEOPLE_ROLES),
    programme_case(
        "introduction_new",
        INTRO + "new/?a=1&b=2&reason=Because",
        view=False,
        change_roles=PEOPLE_ROLES,
    ),
    programme_case(
        "introduction_new",
        INTRO + "new/",
        method="post",
        data={"person_a": "{a}", "person_b": "{b}", "reason": "Never met", "message": "Hello"},
        change_roles=PEOPLE_ROLES,
    ),
    programme_case(
        "introduction_decline",
        INTRO + "{introduction}/decline/",
        method="post",
        change_roles=PEOPLE_ROLES,
    ),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


def _objects(programme) -> dict:
    a, b, c, d = (
        person(programme, f"Person {n} of {programme.slug}", organisation(f"{programme.slug} {n}"))
        for n in range(4)
    )
    introduction = Introduction.objects.create(
        programme=programme, person_a=c, person_b=d, reason="r", message="m"
    )
    return {"a": a.pk, "b": b.pk, "introduction": introduction.pk}


@pytest.fixture
def objects(programme):
    return _objects(programme)


@pytest.fixture
def other_objects(other_programme):
    """The same kind of object in the outsider's programme."""
    return _objects(other_programme)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_with_ids(CASES))
def test_other_programme_ids(client, case, visitor, users, other_objects):
    check_other_programme_ids(client, case, visitor, users, other_objects)


def test_a_get_changes_nothing(client, lead, objects):
    client.force_login(lead)
    client.get(f"{INTRO}{objects['introduction']}/decline/")
    assert Introduction.objects.get(pk=objects["introduction"]).status == "made"


def test_the_people_of_another_programme_are_refused_not_introduced(
    client, lead, objects, other_objects
):
    client.force_login(lead)
    response = client.post(
        INTRO + "new/",
        {
            "person_a": other_objects["a"],
            "person_b": other_objects["b"],
            "reason": "r",
            "message": "m",
        },
    )
    assert response.status_code == 400
    assert Introduction.objects.count() == 2  # the two made by the fixtures
