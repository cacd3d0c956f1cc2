"""The people of a programme as a download, for its leads only."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.exports import csv_rows, xlsx_cell_types, xlsx_rows
from tests.factories import OrganisationFactory, ParticipantFactory

P = "/programmes/virtual-wards/people/"
HEADERS = [
    "Name",
    "Email",
    "Organisation",
    "Job title",
    "Role group",
    "Level",
    "Consents to be recorded",
    "Consents to be contacted",
    "Consents to be named in learning",
    "Consent last answered",
]


@pytest.fixture
def people(programme):
    answered = datetime(2026, 2, 1, 9, 30, tzinfo=ZoneInfo("Europe/London"))
    ParticipantFactory(
        programme=programme,
        name="-Dr Formula",
        email="formula@example.org",
        organisation=OrganisationFactory(name="Bradford Care Homes"),
        job_title="+Matron",
        role_group="operational",
        level="senior",
        consent_recorded=True,
        consent_named=True,
        consent_updated_at=answered,
    )
    ParticipantFactory(programme=programme, name="Bea Plain", organisation=None)
    ParticipantFactory(name="In another programme")


def test_a_lead_downloads_everyone_with_consent(as_user, lead, people):
    rows = csv_rows(as_user(lead).get(P + "export.csv"))

    assert rows[0] == HEADERS
    assert [row[0] for row in rows[1:]] == ["'-Dr Formula", "Bea Plain"]
    assert rows[1][1:] == [
        "formula@example.org",
        "Bradford Care Homes",
        "'+Matron",
        "Operational / managerial",
        "Senior / executive",
        "Yes",
        "No",
        "Yes",
        "2026-02-01 09:30",
    ]
    assert rows[2][2] == ""


def test_the_spreadsheet_keeps_names_as_text(as_user, lead, people):
    response = as_user(lead).get(P + "export.xlsx")
    rows = xlsx_rows(response)
    assert rows[0] == HEADERS
    assert rows[1][0] == "-Dr Formula"
    assert xlsx_cell_types(response, 2)[:4] == ["s", "s", "s", "s"]


def test_the_search_filters_the_download(as_user, lead, people):
    rows = csv_rows(as_user(lead).get(P + "export.csv?q=bradford"))
    assert [row[0] for row in rows[1:]] == ["'-Dr Formula"]


@pytest.mark.parametrize("role", ["member", "facilitator"])
def test_only_leads_download_people(client, request, people, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(P + "export.csv").status_code == 403
    assert client.get(P + "export.xlsx").status_code == 403
    assert "/people/export" not in client.get(P).content.decode()


def test_the_people_page_links_a_lead_to_the_download_with_the_search(as_user, lead, people):
    page = as_user(lead).get(P + "?q=bradford").content.decode()
    assert f'href="{P}export.csv?q=bradford"' in page
    assert f'href="{P}export.xlsx?q=bradford"' in page


def test_a_search_as_you_type_keeps_the_download_to_the_people_found(as_user, lead, people):
    fragment = as_user(lead).get(P + "?q=bradford", headers={"HX-Request": "true"})
    assert f'href="{P}export.csv?q=bradford"' in fragment.content.decode()
