"""The network's tables as CSV and XLSX downloads, and in the programme archive: the right rows
for the window and boundary, safe in a spreadsheet, and never the name of a person who did not
consent to be recorded or was erased."""

from __future__ import annotations

import io
import zipfile

import pytest

from convening.models import ExportJob
from tests.conftest import celery_configured
from tests.exports import csv_rows, keep_export_files_in, xlsx_cell_types, xlsx_rows

from . import exported_story
from .exported_story import FORMULA_NAME, NOT_NAMED

N = "/programmes/virtual-wards/network"
SAFE_FORMULA = "'" + FORMULA_NAME


@pytest.fixture
def story(programme, space, lead, member, facilitator):
    return exported_story.build(programme, space, lead, member, facilitator)


def _csv(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response, csv_rows(response)


def _no_one_unnamed(rows) -> None:
    text = repr(rows)
    for name in NOT_NAMED:
        assert name not in text


def test_people_download_names_only_people_who_may_be_named(client, lead, story):
    response, rows = _csv(client, lead, N + "/people/export.csv?window=90d")

    assert "virtual-wards-network-people-90d.csv" in response["Content-Disposition"]
    assert rows[0][:4] == ["Name", "Organisation", "Meetings", "Contacts"]
    assert [row[0] for row in rows[1:]] == sorted(
        [SAFE_FORMULA, "Ann Ash", "Cal Cedar", "Facilitator Person", "Member Person"]
    )
    _no_one_unnamed(rows)
    bea = next(row for row in rows if row[0] == SAFE_FORMULA)
    header = rows[0]
    assert bea[header.index("Organisation")] == "Beta Trust"
    assert bea[header.index("Contacts")] == "6"
    assert bea[header.index("Holds parts together")] == "Yes"


def test_people_download_as_xlsx_keeps_text_as_text_and_numbers_as_numbers(
    client, facilitator, story
):
    client.force_login(facilitator)
    response = client.get(N + "/people/export.xlsx?window=90d")
    rows = xlsx_rows(response)
    header = rows[0]
    bea_row = next(number for number, row in enumerate(rows, 1) if row[0] == FORMULA_NAME)
    types = xlsx_cell_types(response, bea_row)
    assert types[0] == "s"  # the formula is text
    assert types[header.index("Meetings")] == "n"
    assert types[header.index("Share of ties across organisations")] == "n"
    _no_one_unnamed(rows)


def test_a_member_may_not_download_people_or_introductions(client, member, story):
    client.force_login(member)
    assert client.get(N + "/people/export.csv").status_code == 403
    assert client.get(N + "/introductions/export.csv").status_code == 403


def test_groups_download_per_boundary_and_window(client, member, story):
    response, rows = _csv(client, member, N + "/groups/export.csv")
    assert "virtual-wards-network-organisations-12m.csv" in response["Content-Disposition"]
    assert rows[0][:3] == ["Organisation", "Sector", "People"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Alpha Trust", "Beta Trust", "Calder Council", "Dale University"}
    assert by_name["Dale University"][1:4] == ["Academic", "1", "0"]

    _response, rows = _csv(client, member, N + "/groups/export.csv?boundary=sector&window=90d")
    assert rows[0][0] == "Sector"
    assert {row[0] for row in rows[1:]} == {
        "Acute trust",
        "Local authority / social care",
        "Academic",
    }


def test_an_unknown_window_or_boundary_gets_the_default_and_the_file_says_which(
    client, member, story
):
    response, rows = _csv(client, member, N + "/groups/export.csv?window=forever&boundary=x")
    assert "virtual-wards-network-organisations-12m.csv" in response["Content-Disposition"]
    assert rows[0][0] == "Organisation"


def test_ties_download_between_organisations(client, member, story):
    _response, rows = _csv(client, member, N + "/ties/export.csv?window=90d")
    assert rows[0] == ["Organisation", "Tied to", "Weight", "Pairs of people"]
    assert {(row[0], row[1], row[3]) for row in rows[1:]} == {
        ("Alpha Trust", "Beta Trust", "3"),
        ("Beta Trust", "Calder Council", "4"),
    }
    # Over all time, Ann and Cal's meeting ties Alpha to Calder too.
    _response, rows = _csv(client, member, N + "/ties/export.csv?window=all")
    assert ("Alpha Trust", "Calder Council") in {(row[0], row[1]) for row in rows[1:]}


def test_weak_points_name_people_only_for_leads_and_facilitators(client, lead, member, story):
    _response, rows = _csv(client, lead, N + "/weak-points/export.csv?window=90d")
    assert ["Person holding parts together", SAFE_FORMULA] in rows
    assert ["Sector never met", "Academic"] in rows
    _no_one_unnamed(rows)

    _response, member_rows = _csv(client, member, N + "/weak-points/export.csv?window=90d")
    assert "Person holding parts together" not in {row[0] for row in member_rows}
    assert len(member_rows) == len(rows) - 1


def test_meeting_mix_writes_negative_numbers_as_numbers_and_neutralises_text(client, member, story):
    _response, rows = _csv(
        client, member, N + "/meetings/export.csv?window=90d&boundary=role_group"
    )
    assert rows[0] == [
        "Meeting",
        "Space",
        "Starts",
        "Attendees",
        "Role groups present",
        "Which",
        "E-I index",
    ]
    titles = [row[0] for row in rows[1:]]
    assert titles == ["First huddle", "'-1 huddle"]  # a title starting "-" is text
    # Everyone is clinical: every pair is inside one group, so E-I is -1, a number.
    assert {row[6] for row in rows[1:]} == {"-1.0"}
    assert {row[4] for row in rows[1:]} == {"1"}


def test_introductions_download_for_the_window_leaves_out_who_may_not_be_named(
    client, facilitator, story
):
    _response, rows = _csv(client, facilitator, N + "/introductions/export.csv?window=all")
    assert rows[0][:5] == ["Person", "Introduced to", "Why", "Message", "Status"]
    pairs = {frozenset(row[:2]) for row in rows[1:]}
    assert pairs == {
        frozenset({"Ann Ash", "Cal Cedar"}),
        frozenset({SAFE_FORMULA, "Dee Dogwood"}),
    }
    _no_one_unnamed(rows)
    met = next(row for row in rows[1:] if "Ann Ash" in row)
    assert met[4:6] == ["Met", "Lead Person"]

    _response, recent = _csv(client, facilitator, N + "/introductions/export.csv?window=90d")
    assert [frozenset(row[:2]) for row in recent[1:]] == [frozenset({SAFE_FORMULA, "Dee Dogwood"})]


def test_with_no_snapshot_yet_a_download_has_only_its_header(client, lead, programme):
    _response, rows = _csv(client, lead, N + "/people/export.csv")
    assert rows == [rows[0]]
    assert rows[0][0] == "Name"


def test_the_archive_holds_the_network_over_all_time_naming_no_one_it_may_not(
    client, settings, tmp_path, lead, story, django_capture_on_commit_callbacks
):
    keep_export_files_in(settings, tmp_path / "exports")
    client.force_login(lead)
    with (
        celery_configured(task_always_eager=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert client.post("/programmes/virtual-wards/downloads/archive/").status_code == 302
    job = ExportJob.objects.get(export="archive")
    assert job.status == "ready", job.error
    response = client.get(f"/programmes/virtual-wards/downloads/{job.pk}/file/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    folder = "virtual-wards-archive/tables/"
    for name in (
        "network_people",
        "network_groups",
        "network_ties",
        "network_weak_points",
        "network_meeting_mix",
        "network_introductions",
    ):
        text = archive.read(f"{folder}{name}.csv").decode("utf-8-sig")
        text += archive.read(f"{folder}{name}.json").decode()
        for unnamed in NOT_NAMED:
            assert unnamed not in text, name
    people = archive.read(f"{folder}network_people.csv").decode("utf-8-sig")
    assert "Ann Ash" in people
    meetings = archive.read(f"{folder}network_meeting_mix.csv").decode("utf-8-sig")
    assert "Old huddle" in meetings  # all time, not the last 12 months
