"""Who may download the network's tables (DESIGN sections 5 and 11)."""

import pytest

from tests.access import (
    LOGIN,
    VISITORS,
    AccessCase,
    cases_by_id,
    check_access,
    programme_case,
)

from . import exported_story

N = "/programmes/virtual-wards/network"
PEOPLE_VIEWERS = ("lead", "facilitator")


def everyone(name, url):
    return programme_case(name, url)


def people_viewers(name, url):
    """Tables that name people: leads and facilitators; members get 403."""
    return programme_case(name, url, view=False, change_roles=PEOPLE_VIEWERS)


CASES = [
    people_viewers("network_people_export", N + "/people/export.csv"),
    people_viewers("network_people_export", N + "/people/export.xlsx?window=90d"),
    everyone("network_groups_export", N + "/groups/export.csv?boundary=sector"),
    everyone("network_groups_export", N + "/groups/export.xlsx"),
    everyone("network_ties_export", N + "/ties/export.csv?window=all"),
    everyone("network_ties_export", N + "/ties/export.xlsx?boundary=level"),
    everyone("network_weak_points_export", N + "/weak-points/export.csv"),
    everyone("network_weak_points_export", N + "/weak-points/export.xlsx"),
    everyone("network_meeting_mix_export", N + "/meetings/export.csv?boundary=role_group"),
    everyone("network_meeting_mix_export", N + "/meetings/export.xlsx"),
    people_viewers("network_introductions_export", N + "/introductions/export.csv"),
    people_viewers("network_introductions_export", N + "/introductions/export.xlsx?window=all"),
    # A window or boundary we do not have gets the default, never an error.
    everyone("network_groups_export", N + "/groups/export.csv?window=forever&boundary=%00"),
    AccessCase(
        "network_ties_export",
        N + "/ties/export.json",
        {**dict.fromkeys(VISITORS, 404), "anonymous": LOGIN},
    ),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.fixture
def objects(programme, space, users):
    exported_story.build(programme, space, users["lead"], users["member"], users["facilitator"])
    return {}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)
