"""The coverage table as a download: the ten areas, with the page's figures."""

from datetime import timedelta

from django.utils import timezone

from activities.coverage import coverage_for
from activities.models import ActivityArea, Practice
from tests.exports import csv_rows, xlsx_rows
from tests.factories import MeetingFactory, PlannedActivityFactory

P = "/programmes/virtual-wards/coverage/"
HEADERS = [
    "Activity area",
    "Open activities",
    "Done activities",
    "Meetings, last 90 days",
    "Meetings, all time",
    "Learning entries",
]


def _figures(programme, space):
    bridge = ActivityArea.objects.get(number=3)
    PlannedActivityFactory(programme=programme, area=bridge, status="planned")
    PlannedActivityFactory(programme=programme, area=bridge, status="done")
    for days_ago in (2, 200):
        starts = timezone.now() - timedelta(days=days_ago)
        held = MeetingFactory(
            space=space,
            status="held",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            logged_at=starts,
        )
        held.practices.set([Practice.objects.get(area=bridge, number=1)])


def test_the_download_has_the_ten_areas_with_the_pages_figures(as_user, member, programme, space):
    _figures(programme, space)
    expected = {row.number: row for row in coverage_for(programme)}[3]

    rows = csv_rows(as_user(member).get(P + "export.csv"))

    assert rows[0] == HEADERS
    assert [row[0].split(".")[0] for row in rows[1:]] == [str(n) for n in range(1, 11)]
    assert rows[3] == ["3. Be a bridge", "1", "1", "1", "2", "0"]
    assert [int(value) for value in rows[3][1:]] == [
        expected.open_activities,
        expected.done_activities,
        expected.recent_meetings,
        expected.all_meetings,
        expected.learning_entries,
    ]
    assert rows[1][1:] == ["0", "0", "0", "0", "0"]


def test_the_spreadsheet_has_numbers_as_numbers(as_user, member, programme, space):
    _figures(programme, space)
    sheet = xlsx_rows(as_user(member).get(P + "export.xlsx"))
    assert sheet[0] == HEADERS
    assert sheet[3] == ["3. Be a bridge", 1, 1, 1, 2, 0]
    assert len(sheet) == 11


def test_the_coverage_page_links_to_the_download(as_user, member):
    page = as_user(member).get(P).content.decode()
    assert f'href="{P}export.csv"' in page
    assert f'href="{P}export.xlsx"' in page
