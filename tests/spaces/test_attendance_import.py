"""Importing attendees from a Teams attendance report or a Zoom participants export."""

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from convening.models import Participant, Sector
from spaces import imports
from spaces.imports import (
    DUPLICATE_JOIN,
    NO_NAME,
    AttendanceReport,
    ReportRow,
    UnreadableReport,
    match_report,
    read_attendance_report,
)
from spaces.models import Attendance
from tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
)

SAMPLES = Path(__file__).parent / "samples"
LOG = "/programmes/virtual-wards/spaces/frailty-huddle/meetings/{}/log/"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def people(report: AttendanceReport) -> list[tuple[str, str]]:
    return [(row.name, row.email) for row in report.people]


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample(name) if content is None else content, "text/csv")


# Reading the file

TEAMS_PEOPLE = [
    ("Priya Raman", "priya.raman@example.org"),
    ("Tom Okafor", "tom.okafor@example.org"),
    ("Hannah Lewis", "hannah.lewis@example.org"),
    ("Marek Nowak", ""),
    ("Zoë Ashworth", "zoe.ashworth@example.org"),
]
ZOOM_PEOPLE = [
    ("Priya Raman", "priya.raman@example.org"),
    ("Dr Sam Patel", ""),
    ("Grace Mensah", "grace.mensah@example.org"),
    ("Olu Adeyemi", ""),
]


def test_teams_report_in_utf16_with_its_summary_lists_each_participant_once():
    report = read_attendance_report(sample("teams_summary_utf16le.csv"))
    # The summary above is skipped, and the in-meeting activity below (every join again) is
    # not read; the "(Guest)" label Teams adds is dropped.
    assert people(report) == TEAMS_PEOPLE
    assert report.ignored == ()


def test_teams_report_in_utf8_csv_without_a_summary():
    report = read_attendance_report(sample("teams_no_summary_utf8.csv"))
    assert people(report) == [
        ("RAMAN, Priya (CALDER COMMUNITY HEALTH)", "priya.raman@example.org"),
        ("Hannah Lewis", "hannah.lewis@example.org"),
        ("Ben Walsh", "ben.walsh@example.org"),
    ]


@pytest.mark.parametrize("name", ["zoom_participants.csv", "zoom_participants_with_details.csv"])
def test_zoom_export_with_or_without_meeting_details(name):
    report = read_attendance_report(sample(name))
    assert people(report) == ZOOM_PEOPLE
    # Someone who renamed themselves keeps their original name for matching.
    assert report.people[1].original_name == "Sam Patel"


def test_repeated_joins_are_collapsed_and_counted_as_ignored():
    report = read_attendance_report(sample("zoom_duplicate_joins.csv"))
    assert people(report) == [
        ("Priya Raman", "priya.raman@example.org"),
        ("Tom Okafor", "tom.okafor@example.org"),
        ("Olu Adeyemi", ""),
    ]
    assert {(row.name, row.reason, row.count) for row in report.ignored} == {
        ("Priya Raman", DUPLICATE_JOIN, 2),
        ("Tom Okafor", DUPLICATE_JOIN, 1),  # the same address in capitals
        ("Olu Adeyemi", DUPLICATE_JOIN, 1),  # the same name with extra spaces
    }


def test_a_later_join_with_an_address_fills_in_the_address():
    data = b"Name,Email\nAsha Green,\nAsha Green,asha@example.org\n"
    report = read_attendance_report(data)
    assert people(report) == [("Asha Green", "asha@example.org")]


def test_namesakes_with_different_addresses_are_two_people():
    data = b"Name,Email\nSam Patel,sam.p@example.org\nSam Patel,sam.patel@example.org\n"
    assert len(read_attendance_report(data).people) == 2


def test_utf16_big_endian_and_utf8_without_bom_are_read():
    text = "Full Name\tUser Action\nZoë Ashworth\tJoined\nZoë Ashworth\tLeft\n"
    expected = [("Zoë Ashworth", "")]
    assert people(read_attendance_report(b"\xfe\xff" + text.encode("utf-16-be"))) == expected
    assert people(read_attendance_report(text.encode("utf-8"))) == expected


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("NAME;E-MAIL", ";"),
        ("Participant,Email address", ","),
        ("full   name\tUSER EMAIL", "\t"),
    ],
)
def test_columns_are_recognised_whatever_their_case_and_delimiter(header, delimiter):
    data = f"{header}\nAsha Green{delimiter}asha@example.org\n".encode()
    assert people(read_attendance_report(data)) == [("Asha Green", "asha@example.org")]


def test_blank_rows_are_skipped_and_rows_without_a_name_are_ignored():
    data = b"Name,Email,Duration\n\n,,\nAsha Green,asha@example.org,10\n,x@example.org,4\n"
    report = read_attendance_report(data)
    assert people(report) == [("Asha Green", "asha@example.org")]
    assert [(row.name, row.reason) for row in report.ignored] == [("x@example.org", NO_NAME)]


def test_an_address_that_is_not_an_email_is_dropped():
    report = read_attendance_report(b"Name,Email\nAsha Green,Unknown\n")
    assert people(report) == [("Asha Green", "")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (sample("empty.csv"), "The selected file is empty"),
        (b"  \r\n\r\n", "The selected file is empty"),
        (b"\xef\xbb\xbf", "The selected file is empty"),
        (sample("photo.png"), "The selected file is not a CSV or TSV file"),
        (b"Name,Email\nAsha\x00Green,\n", "The selected file is not a CSV or TSV file"),
        (b"\xff\xfeN\x00a", "The selected file is not a CSV or TSV file"),  # odd UTF-16
        ("Name\nZoë Ashworth\n".encode("cp1252"), "could not be read as UTF-8 or UTF-16"),
        (
            sample("budget.csv"),
            "This is not a Teams attendance report or a Zoom participants export: "
            "no column of names was found",
        ),
        (b"Name,Email,Join time\r\n\r\n", "has a list of participants with no one in it"),
        (b"Name,Email\n" + b"x" * imports.MAX_BYTES, "must be smaller than 2 MB"),
    ],
    ids=[
        "empty",
        "blank",
        "only-a-bom",
        "png",
        "nul-bytes",
        "broken-utf16",
        "windows-1252",
        "budget",
        "no-people",
        "too-large",
    ],
)
def test_files_that_are_not_attendance_reports_are_rejected(content, message):
    with pytest.raises(UnreadableReport) as raised:
        read_attendance_report(content)
    assert message in raised.value.message


def test_more_people_than_a_meeting_can_hold_is_rejected(settings):
    rows = "".join(f"Person {n},person{n}@example.org\n" for n in range(imports.MAX_PEOPLE + 1))
    with pytest.raises(UnreadableReport, match="more than 1,000 people"):
        read_attendance_report(f"Name,Email\n{rows}".encode())


def test_a_report_survives_the_session_unchanged():
    report = read_attendance_report(sample("zoom_duplicate_joins.csv"))
    assert AttendanceReport.from_session_data(report.as_session_data()) == report
    with pytest.raises(ValueError, match="Not a stored"):
        AttendanceReport.from_session_data({"people": [["only a name"]]})


# Matching with the programme


@pytest.fixture
def meeting(space):
    return MeetingFactory(space=space, title="Frailty huddle – March", status="held")


@pytest.fixture
def known(programme):
    """Participants of the programme, some of whom are in the sample files."""
    calder = OrganisationFactory(name="Calder Community Health")
    return {
        "priya": ParticipantFactory(
            programme=programme,
            name="Priya Raman",
            email="Priya.Raman@Example.org",
            organisation=calder,
        ),
        "tom": ParticipantFactory(
            programme=programme, name="Tom Okafor", email="tom.okafor@example.org"
        ),
        # Another address, so found by name.
        "hannah": ParticipantFactory(
            programme=programme, name="hannah  LEWIS", email="h.lewis@nhs.example.org"
        ),
        # Two people share this name: the file cannot say which one came.
        "sam_1": ParticipantFactory(programme=programme, name="Sam Patel", email=""),
        "sam_2": ParticipantFactory(programme=programme, name="Sam Patel", email=""),
    }


def test_people_match_by_email_first_then_by_exact_name(meeting, known):
    report = read_attendance_report(sample("teams_summary_utf16le.csv"))
    preview = match_report(report, meeting)
    assert [(m.participant, m.matched_by) for m in preview.matched] == [
        (known["priya"], "email"),
        (known["tom"], "email"),
        (known["hannah"], "name"),
    ]
    assert [p.row.name for p in preview.new] == ["Marek Nowak", "Zoë Ashworth"]
    assert not any(p.needs_decision for p in preview.new)


def test_email_wins_over_a_different_name(meeting, known):
    preview = match_report(read_attendance_report(sample("teams_no_summary_utf8.csv")), meeting)
    assert [m.participant for m in preview.matched] == [known["priya"], known["hannah"]]
    assert [p.row.name for p in preview.new] == ["Ben Walsh"]


def test_a_name_shared_by_two_participants_needs_a_decision(meeting, known):
    preview = match_report(read_attendance_report(sample("zoom_participants.csv")), meeting)
    assert [m.participant for m in preview.matched] == [known["priya"]]
    sam = next(p for p in preview.new if p.row.name == "Dr Sam Patel")
    assert sam.needs_decision
    assert sam.namesakes == 2
    assert sam not in preview.creatable
    assert [p.row.name for p in preview.creatable] == ["Grace Mensah", "Olu Adeyemi"]


def test_a_renamed_zoom_participant_matches_by_their_original_name(meeting, known):
    known["sam_2"].delete()
    preview = match_report(read_attendance_report(sample("zoom_participants.csv")), meeting)
    assert known["sam_1"] in [m.participant for m in preview.matched]


def test_people_of_other_programmes_never_match(meeting):
    elsewhere = ProgrammeFactory()
    ParticipantFactory(programme=elsewhere, name="Priya Raman", email="priya.raman@example.org")
    preview = match_report(read_attendance_report(sample("zoom_participants.csv")), meeting)
    assert preview.matched == ()
    assert "Priya Raman" in [p.row.name for p in preview.new]


def test_two_rows_for_one_participant_count_once(meeting, known):
    report = AttendanceReport(
        (ReportRow("Tom O", "tom.okafor@example.org"), ReportRow("Tom Okafor", ""))
    )
    preview = match_report(report, meeting)
    assert [m.participant for m in preview.matched] == [known["tom"]]
    assert [(row.name, row.reason) for row in preview.ignored] == [("Tom Okafor", DUPLICATE_JOIN)]


def test_people_already_recorded_as_attended_are_flagged(meeting, known):
    AttendanceFactory(meeting=meeting, participant=known["priya"], status="attended")
    AttendanceFactory(meeting=meeting, participant=known["tom"], status="apologies")
    preview = match_report(read_attendance_report(sample("teams_summary_utf16le.csv")), meeting)
    flags = {m.participant.name: m.already_recorded for m in preview.matched}
    assert flags == {"Priya Raman": True, "Tom Okafor": False, "hannah  LEWIS": False}


# The pages

IMPORT = LOG + "import/"
CONFIRM = LOG + "import/confirm/"


@pytest.fixture
def facilitator_client(as_user, facilitator, space):
    return as_user(facilitator)


def _preview(client, meeting, name="teams_summary_utf16le.csv", content=None):
    return client.post(IMPORT.format(meeting.pk), {"report": upload(name, content)})


def _attended(meeting) -> set[str]:
    return set(
        Attendance.objects.filter(meeting=meeting, status="attended").values_list(
            "participant__name", flat=True
        )
    )


def test_upload_page_has_a_file_upload_in_a_multipart_form(facilitator_client, meeting):
    response = facilitator_client.get(IMPORT.format(meeting.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Import attendees – Virtual wards across West Yorkshire – Convening" in body
    assert body.count("<h1") == 1
    assert 'enctype="multipart/form-data"' in body
    assert 'type="file"' in body
    assert 'class="nhsuk-file-upload__input"' in body
    assert "<script>" not in body.split("<body", 1)[1].split("</footer>")[0]


def test_preview_shows_matched_new_and_ignored_and_saves_nothing(
    facilitator_client, meeting, known
):
    participants_before = Participant.objects.count()
    response = _preview(facilitator_client, meeting, "zoom_duplicate_joins.csv")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Check the attendees to import" in body
    assert (
        '<caption id="import-matched-caption" class="nhsuk-table__caption">Matched (2)</caption>'
        in body
    )
    assert (
        '<caption id="import-new-caption" class="nhsuk-table__caption">New people (1)</caption>'
        in body
    )
    assert (
        '<caption id="import-ignored-caption" class="nhsuk-table__caption">Ignored (4)</caption>'
        in body
    )
    assert "Duplicate join" in body
    assert "Calder Community Health" in body  # Priya's organisation, from the programme
    assert "Olu Adeyemi" in body
    assert 'name="create_new"' in body
    assert 'name="role_group"' in body
    assert Attendance.objects.filter(meeting=meeting).count() == 0
    assert Participant.objects.count() == participants_before


def test_preview_flags_a_name_that_needs_a_decision(facilitator_client, meeting, known):
    body = _preview(facilitator_client, meeting, "zoom_participants.csv").content.decode()
    assert "Needs a decision" in body
    assert "2 people in this programme have this name" in body


def test_confirm_records_the_matched_people_and_creates_no_one_unless_ticked(
    facilitator_client, meeting, known
):
    _preview(facilitator_client, meeting)
    participants_before = Participant.objects.count()
    response = facilitator_client.post(CONFIRM.format(meeting.pk), {"role_group": ""})
    assert response.status_code == 302
    assert response["Location"] == LOG.format(meeting.pk)
    assert _attended(meeting) == {"Priya Raman", "Tom Okafor", "hannah  LEWIS"}
    assert Participant.objects.count() == participants_before
    message = str(next(iter(response.wsgi_request._messages)))
    assert message == (
        "Attendance imported: 3 people recorded as attended. 2 people from the file were not added."
    )


def test_confirm_creates_the_new_people_when_ticked(facilitator_client, meeting, known, programme):
    _preview(facilitator_client, meeting)
    response = facilitator_client.post(
        CONFIRM.format(meeting.pk), {"create_new": "on", "role_group": "operational"}
    )
    assert response.status_code == 302
    marek = Participant.objects.get(name="Marek Nowak")
    zoe = Participant.objects.get(email="zoe.ashworth@example.org")
    for person in (marek, zoe):
        assert person.programme == programme
        assert person.role_group == "operational"
        assert person.consent_recorded is False
    assert marek.email == ""
    assert _attended(meeting) == {
        "Priya Raman",
        "Tom Okafor",
        "hannah  LEWIS",
        "Marek Nowak",
        "Zoë Ashworth",
    }
    message = str(next(iter(response.wsgi_request._messages)))
    assert message == (
        "Attendance imported: 5 people recorded as attended, "
        "including 2 people new to the programme."
    )
    # The preview is used up.
    assert f"attendance_import:{meeting.pk}" not in facilitator_client.session


def test_a_name_that_needs_a_decision_is_never_created(facilitator_client, meeting, known):
    _preview(facilitator_client, meeting, "zoom_participants.csv")
    facilitator_client.post(
        CONFIRM.format(meeting.pk), {"create_new": "on", "role_group": "clinical"}
    )
    assert Participant.objects.filter(name="Dr Sam Patel").count() == 0
    assert Participant.objects.filter(name="Sam Patel").count() == 2
    assert _attended(meeting) == {"Priya Raman", "Grace Mensah", "Olu Adeyemi"}


def test_importing_the_same_file_twice_records_each_person_once(facilitator_client, meeting, known):
    for _ in range(2):
        _preview(facilitator_client, meeting)
        response = facilitator_client.post(
            CONFIRM.format(meeting.pk), {"create_new": "on", "role_group": "clinical"}
        )
        assert response.status_code == 302
    assert Attendance.objects.filter(meeting=meeting).count() == 5
    assert Participant.objects.filter(name="Marek Nowak").count() == 1
    message = str(list(response.wsgi_request._messages)[-1])
    assert message == (
        "Attendance imported: 0 people recorded as attended. 5 people were already recorded."
    )


def test_someone_sent_apologies_who_then_came_is_marked_attended(
    facilitator_client, meeting, known
):
    AttendanceFactory(meeting=meeting, participant=known["tom"], status="apologies")
    _preview(facilitator_client, meeting)
    facilitator_client.post(CONFIRM.format(meeting.pk), {})
    assert Attendance.objects.get(meeting=meeting, participant=known["tom"]).status == "attended"
    assert Attendance.objects.filter(meeting=meeting, participant=known["tom"]).count() == 1


def test_a_forged_participant_id_in_the_confirm_post_is_never_saved(
    facilitator_client, meeting, known
):
    stranger = ParticipantFactory(programme=ProgrammeFactory(), name="Priya Raman")
    _preview(facilitator_client, meeting)
    facilitator_client.post(
        CONFIRM.format(meeting.pk),
        {"participant": [stranger.pk], "matched": [stranger.pk], "participant_ids": stranger.pk},
    )
    assert not Attendance.objects.filter(participant=stranger).exists()
    assert Attendance.objects.filter(meeting=meeting).count() == 3


def test_the_preview_is_checked_against_the_programme_again_on_confirm(
    facilitator_client, meeting, known
):
    _preview(facilitator_client, meeting)
    # Between the preview and the confirm, Tom's record moves to another programme.
    Participant.objects.filter(pk=known["tom"].pk).update(programme=ProgrammeFactory())
    facilitator_client.post(CONFIRM.format(meeting.pk), {})
    assert "Tom Okafor" not in _attended(meeting)


def test_a_preview_for_another_meeting_is_not_used(facilitator_client, meeting, space, known):
    other_meeting = MeetingFactory(space=space)
    _preview(facilitator_client, other_meeting)
    response = facilitator_client.post(CONFIRM.format(meeting.pk), {})
    assert response.status_code == 302
    assert response["Location"] == IMPORT.format(meeting.pk)
    assert not Attendance.objects.exists()


def test_confirm_with_no_preview_asks_for_the_file_again(facilitator_client, meeting):
    response = facilitator_client.post(CONFIRM.format(meeting.pk), {}, follow=True)
    assert response.redirect_chain == [(IMPORT.format(meeting.pk), 302)]
    assert "The preview has expired. Upload the file again." in response.content.decode()


def test_a_broken_stored_preview_is_treated_as_expired(facilitator_client, meeting):
    session = facilitator_client.session
    session[f"attendance_import:{meeting.pk}"] = {"people": "nonsense"}
    session.save()
    response = facilitator_client.post(CONFIRM.format(meeting.pk), {})
    assert response["Location"] == IMPORT.format(meeting.pk)


def test_the_users_choices_are_kept_when_the_role_group_is_missing(
    facilitator_client, meeting, known
):
    _preview(facilitator_client, meeting)
    response = facilitator_client.post(
        CONFIRM.format(meeting.pk), {"create_new": "on", "role_group": ""}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Check the attendees to import" in body
    assert "There is a problem" in body
    assert 'href="#id_role_group"' in body
    assert body.count("Choose a role group for the new people") == 2  # summary and field
    assert 'name="create_new" type="checkbox" value="on" checked' in body
    assert "Marek Nowak" in body  # the preview is still there
    assert not Attendance.objects.exists()
    # The same preview can then be confirmed.
    response = facilitator_client.post(
        CONFIRM.format(meeting.pk), {"create_new": "on", "role_group": "clinical"}
    )
    assert response.status_code == 302
    assert Participant.objects.filter(name="Marek Nowak").exists()


def test_an_unknown_role_group_is_refused_and_the_choice_kept(facilitator_client, meeting, known):
    _preview(facilitator_client, meeting)
    response = facilitator_client.post(
        CONFIRM.format(meeting.pk), {"create_new": "on", "role_group": "wizard"}
    )
    assert response.status_code == 400
    assert "Choose a role group from the list" in response.content.decode()
    assert not Participant.objects.filter(name="Marek Nowak").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "The selected file is empty"),
        ("photo.png", "The selected file is not a CSV or TSV file"),
        (
            "budget.csv",
            "This is not a Teams attendance report or a Zoom participants export: "
            "no column of names was found",
        ),
    ],
)
def test_a_file_that_is_not_a_report_is_refused_beside_the_field(
    facilitator_client, meeting, name, message
):
    response = _preview(facilitator_client, meeting, name)
    body = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Import attendees" in body
    assert 'href="#id_report"' in body  # in the error summary
    assert 'id="id_report-error"' in body  # beside the field
    assert body.count(message) == 2
    assert f"attendance_import:{meeting.pk}" not in facilitator_client.session
    assert not Attendance.objects.exists()


def test_a_file_over_2_mb_is_refused_with_a_clear_message(facilitator_client, meeting):
    content = sample("zoom_participants.csv") + b"x" * (2 * 1024 * 1024)
    response = _preview(facilitator_client, meeting, "big.csv", content)
    assert response.status_code == 400
    assert response.content.decode().count("The selected file must be smaller than 2 MB") == 2


def test_posting_no_file_asks_for_one(facilitator_client, meeting):
    response = facilitator_client.post(IMPORT.format(meeting.pk), {})
    assert response.status_code == 400
    assert "Select a Teams attendance report or a Zoom participants export" in (
        response.content.decode()
    )


def test_names_from_the_file_are_escaped(facilitator_client, meeting):
    content = b'Name,Email\n"<script>alert(1)</script>",\n'
    body = _preview(facilitator_client, meeting, "evil.csv", content).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def _report(rows: int, matching: list[Participant]) -> bytes:
    lines = ["Name,Email"]
    for n in range(rows):
        if n % 3 == 0 and n // 3 < len(matching):
            lines.append(f"Someone,{matching[n // 3].email}")  # by email
        elif n % 3 == 1 and n // 3 < len(matching):
            lines.append(f"{matching[-1 - n // 3].name},")  # by name
        else:
            lines.append(f"Visitor {n},visitor{n}@example.org")
        if n % 10 == 0:
            lines.append(lines[-1])  # a duplicate join
    return "\n".join(lines).encode()


def test_preview_runs_the_same_queries_whatever_the_size(as_user, facilitator, space, programme):
    client = as_user(facilitator)
    counts = []
    for rows, size in ((5, 10), (60, 100)):
        meeting = MeetingFactory(space=space)
        matching = [
            ParticipantFactory(programme=programme, name=f"Person {size} {n}") for n in range(size)
        ]
        for participant in matching[:3]:
            AttendanceFactory(meeting=meeting, participant=participant)
        client.get(IMPORT.format(meeting.pk))
        with CaptureQueriesContext(connection) as queries:
            response = _preview(client, meeting, "report.csv", _report(rows, matching))
        assert response.status_code == 200
        assert "Matched (" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # Session, user, programme, space, space roles, meeting, the programme's names and
    # addresses, the matched people, their attendance, the organisations offered to the new
    # people, and saving the session.
    assert counts[1] <= 13, counts


def test_ticking_create_with_no_one_to_create_is_not_an_error(facilitator_client, meeting, known):
    content = b"Name,Email\nPriya Raman,priya.raman@example.org\n"
    _preview(facilitator_client, meeting, "one.csv", content)
    response = facilitator_client.post(CONFIRM.format(meeting.pk), {"create_new": "on"})
    assert response.status_code == 302
    assert _attended(meeting) == {"Priya Raman"}


# Is the report this meeting's? And each new person's organisation ---------------------------


@pytest.mark.parametrize(
    ("name", "title", "started"),
    [
        ("teams_summary_utf16le.csv", "Frailty huddle – March", "14/03/2024, 09:58:12"),
        ("teams_no_summary_utf8.csv", "", "14/03/2024 09:58"),
        ("zoom_participants.csv", "", "03/14/2024 09:58:12 AM"),
        (
            "zoom_participants_with_details.csv",
            "Falls pathway community of practice",
            "03/14/2024 09:58:12 AM",
        ),
    ],
)
def test_the_reports_title_and_start_are_read(name, title, started):
    report = read_attendance_report(sample(name))
    assert (report.title, report.started) == (title, started)
    assert AttendanceReport.from_session_data(report.as_session_data()) == report


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("14/03/2024, 09:58:12", {date(2024, 3, 14)}),
        ("03/14/2024 09:58:12 AM", {date(2024, 3, 14)}),
        ("03/04/2024 10:00", {date(2024, 4, 3), date(2024, 3, 4)}),
        ("2024-03-14 09:58", {date(2024, 3, 14)}),
        ("14.03.24", {date(2024, 3, 14)}),
        ("no date here", set()),
    ],
)
def test_a_reports_date_means_every_day_it_can(text, dates):
    assert imports.report_dates(text) == dates


def _on_14_march_2024(meeting, title="Frailty huddle – March"):
    meeting.title = title
    meeting.starts_at = timezone.make_aware(datetime(2024, 3, 14, 10, 0))
    meeting.ends_at = meeting.starts_at + timedelta(hours=1)
    meeting.save()


def test_the_preview_warns_when_the_reports_date_and_title_are_another_meetings(
    facilitator_client, meeting, known
):
    meeting.title = "April learning set"
    meeting.save()
    body = _preview(facilitator_client, meeting).content.decode()
    assert "This report may be from another meeting" in body
    held_on = timezone.localtime(meeting.starts_at).date()
    assert f"The report is dated 14/03/2024, but this meeting was on {held_on.day} " in body
    assert "The report is for a meeting called “Frailty huddle – March”, but this " in body
    assert not Attendance.objects.exists()


def test_no_warning_when_the_report_is_this_meetings(facilitator_client, meeting, known):
    _on_14_march_2024(meeting, title="frailty huddle: March")
    body = _preview(facilitator_client, meeting).content.decode()
    assert "This report may be from another meeting" not in body
    body = _preview(facilitator_client, meeting, "zoom_participants.csv").content.decode()
    assert "may be from another meeting" not in body  # no title given, and the same day


def test_each_new_person_gets_an_organisation_chosen_in_the_preview(
    facilitator_client, meeting, known
):
    trust = OrganisationFactory(name="Kirklees Council")
    body = _preview(facilitator_client, meeting).content.decode()
    # Marek and Zoë are 4th and 5th in the file; those already in the programme get no select.
    assert 'name="organisation-3"' in body
    assert 'name="organisation-4"' in body
    assert 'name="organisation-0"' not in body
    assert "Organisation of Marek Nowak" in body
    response = facilitator_client.post(
        CONFIRM.format(meeting.pk),
        {"create_new": "on", "role_group": "clinical", "organisation-3": str(trust.pk)},
    )
    assert response.status_code == 302
    assert Participant.objects.get(name="Marek Nowak").organisation == trust
    assert Participant.objects.get(name="Zoë Ashworth").organisation is None


def test_a_bad_confirm_keeps_every_organisation_chosen(facilitator_client, meeting, known):
    trust = OrganisationFactory(name="Kirklees Council")
    _preview(facilitator_client, meeting)
    response = facilitator_client.post(
        CONFIRM.format(meeting.pk),
        {
            "create_new": "on",
            "role_group": "",
            "organisation-3": str(trust.pk),
            "organisation-4": "999999",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose an organisation from the list" in body
    assert 'href="#id_organisation-4"' in body
    marek = body.split('name="organisation-3"')[1].split("</select>")[0]
    assert f'<option value="{trust.pk}" selected>Kirklees Council</option>' in marek
    assert not Participant.objects.filter(name="Marek Nowak").exists()


def test_imported_people_with_no_organisation_never_cross_a_boundary(
    facilitator_client, meeting, known, programme
):
    from activities.complexity import measure

    meeting.logged_at = timezone.now()
    meeting.save()
    content = b"Name,Email\nPriya Raman,priya.raman@example.org\nNew One,\nNew Two,\n"
    _preview(facilitator_client, meeting, "three.csv", content)
    facilitator_client.post(
        CONFIRM.format(meeting.pk), {"create_new": "on", "role_group": "clinical"}
    )
    assert len(_attended(meeting)) == 3
    assert measure(programme).meetings_crossing_boundaries == 0
    # Once someone's organisation is known to be another sector's, the meeting crosses.
    council = OrganisationFactory(name="Calder Council", sector=Sector.LOCAL_AUTHORITY)
    Participant.objects.filter(name="New One").update(organisation=council)
    assert measure(programme).meetings_crossing_boundaries == 1
