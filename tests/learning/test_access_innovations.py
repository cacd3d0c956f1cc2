"""Who may read and change innovations and their narratives (DESIGN section 5): everyone in
the programme reads them; leads add and change innovations; leads and facilitators write
narratives; members get 403 on change, outsiders 404."""

import pytest

from tests.access import VISITORS, cases_by_id, check_access, programme_case
from tests.factories import InnovationFactory, NarrativeFactory

P = "/programmes/virtual-wards"
INNOVATIONS = P + "/innovations"
INNOVATION = INNOVATIONS + "/virtual-ward-app"
NARRATIVE = INNOVATION + "/narratives/patients"
VALID = {"name": "Remote monitoring kit", "summary": "Kit for home"}
NARRATIVE_EDITORS = ("lead", "facilitator")

# Versioned forms post the version they were opened at: a new object is at version 1.
CASES = [
    programme_case("innovation_list", INNOVATIONS + "/"),
    programme_case("innovation_create", INNOVATIONS + "/new/", view=False),
    programme_case("innovation_create", INNOVATIONS + "/new/", method="post", data=VALID),
    programme_case("innovation_detail", INNOVATION + "/"),
    programme_case("innovation_edit", INNOVATION + "/edit/", view=False),
    programme_case(
        "innovation_edit",
        INNOVATION + "/edit/",
        method="post",
        data={**VALID, "name": "Virtual ward app", "version": "1"},
    ),
    programme_case("innovation_history", INNOVATION + "/history/"),
    programme_case(
        "narrative_edit", NARRATIVE + "/edit/", view=False, change_roles=NARRATIVE_EDITORS
    ),
    programme_case(
        "narrative_edit",
        NARRATIVE + "/edit/",
        method="post",
        data={"body": "What it means for you", "version": "1"},
        change_roles=NARRATIVE_EDITORS,
    ),
    programme_case("narrative_history", NARRATIVE + "/history/"),
    programme_case("narrative_history", INNOVATION + "/narratives/clinicians/history/"),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.fixture
def objects(programme):
    innovation = InnovationFactory(
        programme=programme, name="Virtual ward app", slug="virtual-ward-app"
    )
    NarrativeFactory(innovation=innovation, audience="clinicians")
    return {"innovation": innovation.pk}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


def test_an_innovation_of_another_programme_is_not_found_even_for_a_lead(client, lead):
    other = InnovationFactory(slug="elsewhere")
    NarrativeFactory(innovation=other, audience="patients")
    client.force_login(lead)
    base = f"{INNOVATIONS}/{other.slug}/"
    for path in (
        "",
        "edit/",
        "history/",
        "narratives/patients/edit/",
        "narratives/patients/history/",
    ):
        assert client.get(base + path).status_code == 404, path
    assert client.post(base + "edit/", VALID).status_code == 404
    assert client.post(base + "narratives/patients/edit/", {"body": "x"}).status_code == 404


@pytest.mark.parametrize("path", ["edit/", "history/"])
@pytest.mark.parametrize("audience", ["nurses", "PATIENTS", "patients-and-carers"])
def test_an_unknown_audience_is_not_found(client, lead, objects, path, audience):
    client.force_login(lead)
    assert client.get(f"{INNOVATION}/narratives/{audience}/{path}").status_code == 404
    if path == "edit/":
        response = client.post(f"{INNOVATION}/narratives/{audience}/edit/", {"body": "x"})
        assert response.status_code == 404
