"""Who may read and change the adoption tracker (DESIGN section 5): everyone in the programme
reads the tracker and the timelines; leads and facilitators record stage changes."""

from dataclasses import replace

import pytest

from tests.access import (
    OK,
    VISITORS,
    AccessCase,
    cases_by_id,
    check_access,
    check_other_programme_ids,
    programme_case,
)
from tests.factories import AdoptionFactory, InnovationFactory, OrganisationFactory

P = "/programmes/virtual-wards"
A = P + "/adoption"
CHANGERS = ("lead", "facilitator")
VALID = {
    "innovation": "{innovation}",
    "site": "{site}",
    "stage": "testing",
    "date_day": "3",
    "date_month": "2",
    "date_year": "2026",
    "note": "Two wards started",
}

TRACKER_FILTER = A + "/?innovation={innovation}"
RECORD_PREFILL = A + "/record/?innovation={innovation}&site={site}"

CASES = [
    programme_case("adoption_tracker", A + "/"),
    programme_case("adoption_export", A + "/export.csv"),
    programme_case("adoption_export", A + "/export.xlsx?innovation=not-one-of-ours"),
    programme_case("adoption_tracker", TRACKER_FILTER),
    programme_case("adoption_record", A + "/record/", view=False, change_roles=CHANGERS),
    programme_case("adoption_record", RECORD_PREFILL, view=False, change_roles=CHANGERS),
    programme_case(
        "adoption_record", A + "/record/", method="post", data=VALID, change_roles=CHANGERS
    ),
    programme_case("adoption_timeline", A + "/{adoption}/"),
]


def _with_other_programmes_ids(case: AccessCase) -> AccessCase | None:
    """What the case gets with another programme's innovation and site, when that is not
    simply 404: the tracker's filter and the record form's prefill are not lookups, and ignore
    a value that is not one of the programme's own (test_adoption.py), so the page answers as
    for ours; a stage change for them is refused as the form's invalid choice (400)."""
    if case.url in (TRACKER_FILTER, RECORD_PREFILL):
        return case
    if case.name == "adoption_record" and case.method == "post":
        refused = {v: 400 if result == OK else result for v, result in case.expect.items()}
        return replace(case, expect=refused)
    return None


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


def _objects(programme, innovation_name: str, site_name: str) -> dict:
    slug = innovation_name.lower().replace(" ", "-")
    innovation = InnovationFactory(programme=programme, name=innovation_name, slug=slug)
    site = OrganisationFactory(name=site_name)
    adoption = AdoptionFactory(innovation=innovation, organisation=site)
    return {"innovation": innovation.slug, "site": site.pk, "adoption": adoption.pk}


@pytest.fixture
def objects(programme):
    return _objects(programme, "Remote monitoring", "Leeds Teaching Hospitals")


@pytest.fixture
def other_objects(other_programme):
    """The same kinds of object in the outsider's programme: an innovation whose slug is not
    used here, and a site that adopts only there."""
    return _objects(other_programme, "Early supported discharge", "Bradford Royal Infirmary")


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize(
    "case", **cases_by_id([case for case in CASES if case.takes_ids or case.data])
)
def test_other_programme_ids(client, case, visitor, users, objects, other_objects):
    if (other := _with_other_programmes_ids(case)) is not None:
        check_access(client, other, visitor, users, other_objects)
    else:
        check_other_programme_ids(client, case, visitor, users, other_objects)


def test_another_programmes_innovation_and_site_in_the_address_show_nothing_of_it(
    client, users, objects, other_objects
):
    client.force_login(users["lead"])
    for url in (TRACKER_FILTER, RECORD_PREFILL):
        page = client.get(url.format(**other_objects)).content.decode()
        assert "early-supported-discharge" not in page, url
        assert "Early supported discharge" not in page, url
        assert "Bradford Royal Infirmary" not in page, url
    tracker = client.get(TRACKER_FILTER.format(**other_objects)).content.decode()
    assert "Leeds Teaching Hospitals" in tracker  # the filter is ignored: ours are all shown


def test_a_timeline_of_another_programme_is_not_found_even_for_a_lead(client, lead):
    other = AdoptionFactory()
    client.force_login(lead)
    assert client.get(f"{A}/{other.pk}/").status_code == 404


def test_the_tracker_of_a_programme_the_user_is_not_in_is_not_found(client, outsider):
    client.force_login(outsider)
    response = client.get(f"{A}/record/", {"innovation": "x"})
    assert response.status_code == 404
