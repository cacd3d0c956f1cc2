"""The programme's meetings, attendance and open actions as CSV and XLSX downloads."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from activities.models import Practice
from spaces.models import Action
from tests.exports import csv_rows, xlsx_cell_types, xlsx_rows
from tests.factories import (
    ActionFactory,
    AttendanceFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
)

P = "/programmes/virtual-wards"
LONDON = ZoneInfo("Europe/London")
STARTS = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)


@pytest.fixture
def meeting(programme, space):
    """A held, logged meeting serving practices 2.1 and 7.2, whose title a spreadsheet would
    run as a formula: two attended, one sent apologies."""
    meeting = MeetingFactory(
        space=space,
        title='=HYPERLINK("http://x")',
        starts_at=STARTS,
        ends_at=STARTS.replace(hour=11),
        status="held",
        logged_at=STARTS.replace(hour=12),
    )
    meeting.practices.set(
        [
            Practice.objects.get(area__number=7, number=2),
            Practice.objects.get(area__number=2, number=1),
        ]
    )
    site = OrganisationFactory(name="Leeds Teaching Hospitals")
    AttendanceFactory(
        meeting=meeting,
        participant=ParticipantFactory(programme=programme, name="Ada Ward", organisation=site),
    )
    AttendanceFactory(meeting=meeting)
    AttendanceFactory(meeting=meeting, status="apologies")
    return meeting


def test_meetings_download_has_counts_and_practices(as_user, member, meeting, space):
    MeetingFactory(space=space, title="Next huddle", starts_at=STARTS.replace(day=20))

    rows = csv_rows(as_user(member).get(f"{P}/meetings/export.csv"))

    assert rows[0] == [
        "Title",
        "Space",
        "Starts",
        "Ends",
        "Status",
        "Logged",
        "Attended",
        "Practices served",
    ]
    assert rows[1] == [
        '\'=HYPERLINK("http://x")',
        "Frailty huddle",
        "2026-03-04 10:00",
        "2026-03-04 11:00",
        "Held",
        "Yes",
        "2",
        "2.1; 7.2",
    ]
    assert rows[2][0] == "Next huddle"
    assert rows[2][4:] == ["Planned", "No", "0", ""]


def test_meetings_spreadsheet_keeps_the_formula_as_text(as_user, member, meeting):
    response = as_user(member).get(f"{P}/meetings/export.xlsx")

    rows = xlsx_rows(response)
    assert rows[1][0] == '=HYPERLINK("http://x")'
    assert xlsx_cell_types(response, 2)[0] == "s"
    assert rows[1][2] == datetime(2026, 3, 4, 10, 0)
    assert rows[1][6] == 2
    assert rows[1][7] == "2.1; 7.2"


def test_meetings_of_another_programme_are_not_in_the_download(as_user, lead, meeting):
    MeetingFactory(title="Somewhere else")
    titles = [row[0] for row in csv_rows(as_user(lead).get(f"{P}/meetings/export.csv"))]
    assert "Somewhere else" not in titles


def test_attendance_download_has_a_row_per_person(as_user, lead, meeting):
    rows = csv_rows(as_user(lead).get(f"{P}/attendance/export.csv"))

    assert rows[0] == ["Meeting", "Space", "Date", "Person", "Organisation", "Status"]
    assert len(rows) == 4
    ada = next(row for row in rows if row[3] == "Ada Ward")
    assert ada == [
        '\'=HYPERLINK("http://x")',
        "Frailty huddle",
        "2026-03-04 10:00",
        "Ada Ward",
        "Leeds Teaching Hospitals",
        "Attended",
    ]
    assert sorted(row[5] for row in rows[1:]) == ["Apologies", "Attended", "Attended"]
    assert len(xlsx_rows(as_user(lead).get(f"{P}/attendance/export.xlsx"))) == 4


@pytest.mark.parametrize("role", ["member", "facilitator"])
def test_attendance_download_is_for_leads_only(client, request, meeting, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(f"{P}/attendance/export.csv").status_code == 403


def test_actions_download_has_the_open_actions(as_user, member, programme, meeting, space):
    owner = ParticipantFactory(programme=programme, name="Sam Owner")
    ActionFactory(
        programme=programme,
        meeting=meeting,
        title="@SUM(A1) the beds",
        owner=owner,
        due=date(2026, 4, 1),
    )
    ActionFactory(programme=programme, title="Already done", status=Action.Status.DONE)

    client = as_user(member)
    rows = csv_rows(client.get(f"{P}/actions/export.csv"))

    assert rows[0] == ["Action", "Owner", "Due", "Status", "Meeting", "Space", "Planned activity"]
    assert rows[1:] == [
        [
            "'@SUM(A1) the beds",
            "Sam Owner",
            "2026-04-01",
            "Open",
            '\'=HYPERLINK("http://x")',
            "Frailty huddle",
            "",
        ]
    ]
    sheet = xlsx_rows(client.get(f"{P}/actions/export.xlsx"))
    assert sheet[1][:3] == ["@SUM(A1) the beds", "Sam Owner", datetime(2026, 4, 1)]


def test_the_spaces_and_actions_pages_link_to_their_downloads(as_user, lead, member, space):
    page = as_user(member).get(f"{P}/spaces/").content.decode()
    assert f'href="{P}/meetings/export.csv"' in page
    assert f'href="{P}/meetings/export.xlsx"' in page
    assert "Download as spreadsheet (XLSX)" in page
    assert "/attendance/export" not in page  # leads only

    assert f'href="{P}/attendance/export.csv"' in as_user(lead).get(f"{P}/spaces/").content.decode()
    actions = as_user(member).get(f"{P}/actions/").content.decode()
    assert f'href="{P}/actions/export.xlsx"' in actions
