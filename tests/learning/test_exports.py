"""The learning log, the adoption history and the feedback inbox as CSV and XLSX downloads."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from activities.models import ActivityArea
from learning.models import LearningEntry
from tests.exports import csv_rows, xlsx_cell_types, xlsx_rows
from tests.factories import (
    AdaptiveSpaceFactory,
    AdoptionFactory,
    FeedbackFactory,
    InnovationFactory,
    LearningEntryFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

P = "/programmes/virtual-wards"
WRITTEN = datetime(2026, 1, 12, 14, 5, tzinfo=ZoneInfo("Europe/London"))


# Learning ----------------------------------------------------------------------------------------


@pytest.fixture
def learning(programme, space, lead):
    """A named author's entry (with consent), the same author's entry from a Chatham House
    space, and a space-only entry from a space the member is not in."""
    author = UserFactory(name="Nia Named")
    ParticipantFactory(programme=programme, user=author, consent_named=True)
    ward = InnovationFactory(programme=programme, name="Virtual ward")
    site = OrganisationFactory(name="Calderdale")
    named = LearningEntryFactory(
        programme=programme,
        title="=1+1 beds freed",
        kind="result",
        status="published",
        published_at=WRITTEN,
        created_at=WRITTEN,
        innovation=ward,
        site=site,
        author=author,
        body="@mention the wards",
    )
    named.areas.set(ActivityArea.objects.filter(number__in=[4, 2]))
    chatham = AdaptiveSpaceFactory(programme=programme, confidentiality="chatham_house")
    LearningEntryFactory(
        programme=programme,
        title="Said in confidence",
        author=author,
        site=site,
        source_meeting=MeetingFactory(space=chatham),
    )
    closed = AdaptiveSpaceFactory(programme=programme, name="Leads only")
    LearningEntryFactory(
        programme=programme,
        title="Only for the space",
        visibility=LearningEntry.Visibility.SPACE,
        source_meeting=MeetingFactory(space=closed),
    )
    LearningEntryFactory(title="Another programme's")


HEADERS = [
    "Title",
    "Kind",
    "Status",
    "Who can read it",
    "Innovation",
    "Site",
    "Activity areas",
    "By",
    "Written",
    "Published",
    "What we learned",
]


def test_learning_download_has_what_the_log_shows(as_user, member, learning):
    rows = csv_rows(as_user(member).get(f"{P}/learning/export.csv"))

    assert rows[0] == HEADERS
    by_title = {row[0]: row for row in rows[1:]}
    assert by_title["'=1+1 beds freed"] == [
        "'=1+1 beds freed",
        "Result",
        "Published",
        "Programme members",
        "Virtual ward",
        "Calderdale",
        "2, 4",
        "Nia Named",
        "2026-01-12 14:05",
        "2026-01-12 14:05",
        "'@mention the wards",
    ]


def test_learning_download_names_no_one_under_the_chatham_house_rule(as_user, lead, learning):
    rows = csv_rows(as_user(lead).get(f"{P}/learning/export.csv"))
    confidential = next(row for row in rows if row[0] == "Said in confidence")
    assert confidential[7] == "A member of the programme"
    assert "Nia Named" not in confidential


def test_learning_download_leaves_out_space_only_entries_of_other_spaces(
    as_user, member, lead, learning
):
    titles = [row[0] for row in csv_rows(as_user(member).get(f"{P}/learning/export.csv"))]
    assert "Only for the space" not in titles
    assert "Another programme's" not in titles
    lead_titles = [row[0] for row in csv_rows(as_user(lead).get(f"{P}/learning/export.csv"))]
    assert "Only for the space" in lead_titles  # leads read everything, as in the log


def test_learning_download_uses_the_logs_filters(as_user, member, learning):
    client = as_user(member)
    rows = csv_rows(client.get(f"{P}/learning/export.csv?kind=result"))
    assert [row[0] for row in rows[1:]] == ["'=1+1 beds freed"]
    response = client.get(f"{P}/learning/export.xlsx?kind=result&area=4")
    sheet = xlsx_rows(response)
    assert [row[0] for row in sheet[1:]] == ["=1+1 beds freed"]
    assert xlsx_cell_types(response, 2)[0] == "s"


def test_the_learning_log_links_to_the_download_with_its_filters(as_user, member, learning):
    page = as_user(member).get(f"{P}/learning/?kind=result&page=2&colour=red").content.decode()
    assert f'href="{P}/learning/export.csv?kind=result"' in page
    assert f'href="{P}/learning/export.xlsx?kind=result"' in page


# Adoption history --------------------------------------------------------------------------------


@pytest.fixture
def adoption_history(programme, lead):
    ward = InnovationFactory(programme=programme, name="Virtual ward", slug="virtual-ward")
    other = InnovationFactory(programme=programme, name="Falls app", slug="falls-app")
    adoption = AdoptionFactory(innovation=ward, organisation=OrganisationFactory(name="Leeds"))
    adoption.move_to("exploring", by=lead, on=date(2026, 1, 5), note="-First call")
    adoption.move_to("testing", by=lead, on=date(2026, 2, 9), note="Two wards")
    AdoptionFactory(innovation=other).move_to("exploring", by=None, on=date(2026, 1, 1))
    AdoptionFactory().move_to("exploring", by=None, note="Another programme")


def test_adoption_download_has_every_stage_change(as_user, member, adoption_history):
    rows = csv_rows(as_user(member).get(f"{P}/adoption/export.csv"))

    assert rows[0] == [
        "Innovation",
        "Site",
        "Stage",
        "Date",
        "Note",
        "Recorded by",
        "Recorded at",
    ]
    assert [row[:5] for row in rows[1:]] == [
        ["Falls app", rows[1][1], "Exploring", "2026-01-01", ""],
        ["Virtual ward", "Leeds", "Exploring", "2026-01-05", "'-First call"],
        ["Virtual ward", "Leeds", "Testing", "2026-02-09", "Two wards"],
    ]
    assert rows[2][5] == "Lead Person"
    assert rows[1][5] == ""


def test_adoption_download_follows_the_trackers_innovation(as_user, member, adoption_history):
    client = as_user(member)
    sheet = xlsx_rows(client.get(f"{P}/adoption/export.xlsx?innovation=virtual-ward"))
    assert [row[2] for row in sheet[1:]] == ["Exploring", "Testing"]
    assert sheet[1][3] == datetime(2026, 1, 5)
    assert sheet[1][4] == "-First call"
    page = client.get(f"{P}/adoption/?innovation=virtual-ward").content.decode()
    assert f'href="{P}/adoption/export.csv?innovation=virtual-ward"' in page


# Feedback ----------------------------------------------------------------------------------------


@pytest.fixture
def feedback(programme):
    ward = InnovationFactory(programme=programme, name="Virtual ward")
    FeedbackFactory(
        innovation=ward,
        name="+Pat Adopter",
        email="pat@example.org",
        site="Wakefield",
        body="=cmd|' /C calc'!A0",
        created_at=WRITTEN,
    )
    FeedbackFactory(innovation=ward, status="answered", body="Answered already")
    FeedbackFactory(body="Another programme's")


def test_feedback_download_has_the_inbox(as_user, lead, feedback):
    rows = csv_rows(as_user(lead).get(f"{P}/feedback/export.csv"))

    assert rows[0] == [
        "Received",
        "Innovation",
        "Kind",
        "Status",
        "From",
        "Email",
        "Site",
        "Feedback",
        "Response",
        "Responded",
    ]
    # The inbox shows open feedback unless asked for more.
    assert rows[1:] == [
        [
            "2026-01-12 14:05",
            "Virtual ward",
            "Question",
            "New",
            "'+Pat Adopter",
            "pat@example.org",
            "Wakefield",
            "'=cmd|' /C calc'!A0",
            "",
            "",
        ]
    ]
    everything = xlsx_rows(as_user(lead).get(f"{P}/feedback/export.xlsx?status=all"))
    assert sorted(row[7] for row in everything[1:]) == ["=cmd|' /C calc'!A0", "Answered already"]


@pytest.mark.parametrize("role", ["member", "facilitator"])
def test_feedback_download_is_for_leads_only(client, request, feedback, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(f"{P}/feedback/export.csv").status_code == 403


def test_the_inbox_links_to_the_download_with_its_filters(as_user, lead, feedback):
    page = as_user(lead).get(f"{P}/feedback/?status=answered").content.decode()
    assert f'href="{P}/feedback/export.csv?status=answered"' in page
