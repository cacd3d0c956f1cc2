"""Every page of the adaptive spaces, with realistic data in the space, passes axe-core's WCAG
2.2 A and AA rules, and raises no Content-Security-Policy violation or script error: as a lead,
as a member reading a Chatham House space they are not in, and signed out on the pulse pages."""

import datetime
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Practice
from learning.models import LearningEntry
from spaces.models import Action, AdaptiveSpace, Attendance, Meeting, PulseResponse
from spaces.pulse import pulse_token

from ..factories import (
    AdaptiveSpaceFactory,
    AttendanceFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    SpaceMemberFactory,
)
from .conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS

PROGRAMME_PATH = "/programmes/virtual-wards/"
SPACE_PATH = f"{PROGRAMME_PATH}spaces/frailty-huddle/"
HELD_TITLE = "Discharge to assess check-in"
PLANNED_TITLE = "Winter pressures huddle"
NOTES = (
    "We agreed three things.\n\n- a single referral form\n- a shared caseload list\n- weekly calls"
)
ACTION_TITLE = "Book the discharge coordinator for the next huddle"
LEARNING_TITLE = "Daily calls cut readmissions"
CANDIDATE = "Priya Ramanathan"
CHATHAM_SPACE = "Discharge leads network"
CHATHAM_MEETING = "Discharge leads: March round table"


def _local(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour)), timezone.get_current_timezone()
    )


@pytest.fixture
def space_with_data(programme, space, lead, facilitator, member):
    """Frailty huddle with members from several organisations, a held and logged meeting (with
    attendees, Markdown notes, an action, a draft learning entry, a history and a pulse of three
    answers), a planned meeting, and a calendar address. The lead is a member too, so that
    "My spaces" lists it. A second space, under the Chatham House rule, leaves the member out."""
    bradford = OrganisationFactory(name="Bradford District Care")
    kirklees = OrganisationFactory(name="Kirklees Council")
    leeds = OrganisationFactory(name="Leeds Teaching Hospitals")
    lead_person = ParticipantFactory(
        programme=programme, name=lead.name, email=lead.email, user=lead, organisation=leeds
    )
    SpaceMemberFactory(space=space, participant=lead_person, role="participant")
    others = [
        ParticipantFactory(programme=programme, name=name, organisation=organisation)
        for name, organisation in (
            ("Gareth Lowe", kirklees),
            ("Siobhan Farrell", bradford),
            ("Ade Okafor", leeds),
        )
    ]
    for person in others:
        SpaceMemberFactory(space=space, participant=person)
    # In the programme, not yet in the space: found by "Add a member".
    ParticipantFactory(programme=programme, name=CANDIDATE, organisation=bradford)

    held_on = timezone.localdate() - timedelta(days=2)
    meeting = MeetingFactory(
        space=space,
        title=HELD_TITLE,
        starts_at=_local(held_on, 10),
        ends_at=_local(held_on, 11),
        format=Meeting.Format.ONLINE,
        location="https://teams.example.org/frailty-huddle",
        status=Meeting.Status.HELD,
    )
    meeting.practices.set(Practice.objects.order_by("area__number", "number")[:2])
    meeting.notes = NOTES
    meeting.tensions = "Whether **weekend** discharges should wait for Monday."
    meeting.decisions = "Pilot the shared caseload list in Bradford first."
    meeting.logged_by = facilitator
    meeting.logged_at = timezone.now()
    meeting._history_user = facilitator
    meeting.save()
    for person in others:
        AttendanceFactory(meeting=meeting, participant=person)
    AttendanceFactory(meeting=meeting, participant=lead_person, status=Attendance.Status.APOLOGIES)
    Action.objects.create(
        programme=programme,
        meeting=meeting,
        title=ACTION_TITLE,
        owner=others[0],
        due=timezone.localdate() + timedelta(days=14),
    )
    LearningEntry.objects.create(
        programme=programme,
        title=LEARNING_TITLE,
        body="A ten-minute call each morning caught problems before they became admissions.",
        kind=LearningEntry.Kind.RESULT,
        source_meeting=meeting,
        author=facilitator,
    )
    for number, (safe, useful, stretching, comment) in enumerate(
        ((5, 4, 3, "Good to hear from social care."), (4, 4, 4, ""), (3, 5, 2, "Too rushed."))
    ):
        PulseResponse.objects.create(
            meeting=meeting,
            respondent_key=f"respondent-{number}",
            felt_safe=safe,
            useful=useful,
            stretching=stretching,
            new_connections=number,
            comment=comment,
        )

    planned_on = timezone.localdate() + timedelta(days=7)
    planned = MeetingFactory(
        space=space,
        title=PLANNED_TITLE,
        starts_at=_local(planned_on, 14),
        ends_at=_local(planned_on, 15),
        format=Meeting.Format.IN_PERSON,
        location="Room 4, St James's",
    )
    space.cadence = "Weekly"
    space.ground_rules = "- Start on time\n- What is said here stays here"
    space.save(update_fields=["cadence", "ground_rules"])
    space.renew_calendar_token()

    chatham = AdaptiveSpaceFactory(
        programme=programme,
        name=CHATHAM_SPACE,
        slug="discharge-leads",
        kind=AdaptiveSpace.Kind.COMMUNITY_OF_PRACTICE,
        confidentiality=AdaptiveSpace.Confidentiality.CHATHAM_HOUSE,
    )
    chatham_person = ParticipantFactory(programme=programme, organisation=kirklees)
    SpaceMemberFactory(space=chatham, participant=chatham_person, role="facilitator")
    chatham_meeting = MeetingFactory(
        space=chatham,
        title=CHATHAM_MEETING,
        status=Meeting.Status.HELD,
        notes="Frank views on discharge delays.\n\n- one\n- two",
        logged_at=timezone.now(),
    )
    AttendanceFactory(meeting=chatham_meeting, participant=chatham_person)
    return {"meeting": meeting, "planned": planned, "chatham_meeting": chatham_meeting}


# Path templates ({meeting}: the held meeting, {planned}: the planned one), each with its h1.
LEAD_PAGES = {
    "space list": (f"{PROGRAMME_PATH}spaces/", "Adaptive spaces"),
    "add a space": (f"{PROGRAMME_PATH}spaces/new/", "Add a space"),
    "space": (SPACE_PATH, "Frailty huddle"),
    "edit space": (f"{SPACE_PATH}edit/", "Edit Frailty huddle"),
    "space history": (f"{SPACE_PATH}history/", "History of Frailty huddle"),
    "calendar": (f"{SPACE_PATH}calendar/", "Add this space's meetings to your calendar"),
    "plan a meeting": (f"{SPACE_PATH}meetings/plan/", "Plan a meeting"),
    "log a meeting": (f"{SPACE_PATH}meetings/log/", "Log a meeting"),
    "meeting": (f"{SPACE_PATH}meetings/{{meeting}}/", HELD_TITLE),
    "edit meeting": (f"{SPACE_PATH}meetings/{{meeting}}/edit/", "Change meeting details"),
    "meeting log": (f"{SPACE_PATH}meetings/{{meeting}}/log/", f"Log a meeting: {HELD_TITLE}"),
    "meeting history": (f"{SPACE_PATH}meetings/{{meeting}}/history/", f"History of {HELD_TITLE}"),
    "pulse results": (f"{SPACE_PATH}meetings/{{meeting}}/pulse/", "Meeting pulse"),
    "import attendees": (f"{SPACE_PATH}meetings/{{meeting}}/log/import/", "Import attendees"),
    "planned meeting": (f"{SPACE_PATH}meetings/{{planned}}/", PLANNED_TITLE),
    "open actions": (f"{PROGRAMME_PATH}actions/", "Open actions"),
    "my spaces": ("/my-spaces/", "My spaces"),
}


@pytest.mark.parametrize(("path", "heading"), LEAD_PAGES.values(), ids=LEAD_PAGES.keys())
def test_space_page_passes_axe_for_a_lead(
    path, heading, space_with_data, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    path = path.format(meeting=space_with_data["meeting"].pk, planned=space_with_data["planned"].pk)

    response = visitor.visit(path)

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    visitor.assert_every_page_passed()


def _expect_error_summary(page, first_field: str) -> None:
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator(f"a[href='#{first_field}']")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))


def test_add_a_space_error_state_passes_axe(
    space_with_data, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(f"{PROGRAMME_PATH}spaces/new/")

    page.get_by_role("main").get_by_role("button", name="Add a space").click()
    _expect_error_summary(page, "id_name")
    visitor.after_navigation("submitted empty")

    visitor.assert_every_page_passed()


def test_edit_space_conflict_and_history_pass_axe(
    space_with_data, space, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(f"{SPACE_PATH}edit/", "edit form")

    # Someone else saves the space meanwhile: this lead's save meets a conflict.
    space.refresh_from_db()
    space.ground_rules = "Ground rules saved by someone else"
    space.save()
    page.get_by_label("Purpose", exact=True).fill("My purpose")
    page.get_by_role("button", name="Save space").click()
    expect(
        page.get_by_role("heading", name="Someone else saved this space while you were editing it")
    ).to_be_visible()
    expect(page.locator("#conflict")).to_contain_text("Ground rules saved by someone else")
    expect(page.get_by_label("Purpose", exact=True)).to_have_value("My purpose")
    visitor.after_navigation("conflict")
    page.get_by_role("button", name="Save space").click()
    expect(page.get_by_text("Space details saved.")).to_be_visible()
    visitor.after_navigation("saved over the conflict")

    visitor.visit(f"{SPACE_PATH}edit/", "edit form again")
    page.get_by_role("link", name="See every change to Frailty huddle’s details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of Frailty huddle")
    expect(page.get_by_role("table")).to_contain_text("Purpose")
    visitor.after_navigation("history")
    visitor.assert_every_page_passed()


def test_add_a_member_search_passes_axe(
    space_with_data, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(SPACE_PATH)

    page.locator("#id_participant").fill("priy")

    candidates = page.locator("#member-candidates")
    expect(candidates.get_by_role("listitem")).to_have_count(1)
    expect(candidates).to_contain_text(f"{CANDIDATE}, Bradford District Care")
    # The visually hidden ": name" is announced after a break, so the name has " : " in it.
    expect(
        candidates.get_by_role("button", name=re.compile(rf"^Add as participant\s*: {CANDIDATE}$"))
    ).to_be_visible()
    visitor.after_navigation("member search results, htmx swap")
    visitor.assert_every_page_passed()


def test_plan_a_meeting_error_state_passes_axe(
    space_with_data, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(f"{SPACE_PATH}meetings/plan/")
    day = timezone.localdate() + timedelta(days=10)
    page.get_by_label("Title").fill("Care homes round table")
    date = page.get_by_role("group", name="Date")
    date.get_by_label("Day").fill(str(day.day))
    date.get_by_label("Month").fill(str(day.month))
    date.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("End time").fill("13:00")

    page.get_by_role("button", name="Plan meeting").click()
    _expect_error_summary(page, "id_end_time")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "The end time must be after the start time"
    )
    visitor.after_navigation("end time before start")

    visitor.assert_every_page_passed()


def _log_path(space_with_data) -> str:
    return f"{SPACE_PATH}meetings/{space_with_data['meeting'].pk}/log/"


def test_meeting_log_preview_passes_axe(
    space_with_data, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(_log_path(space_with_data))

    page.get_by_role("button", name="Preview notes").click()

    expect(page.locator("#preview-notes ul > li")).to_have_text(
        ["a single referral form", "a shared caseload list", "weekly calls"]
    )
    visitor.after_navigation("notes previewed")
    visitor.assert_every_page_passed()


def test_meeting_log_add_action_error_passes_axe(
    space_with_data, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(_log_path(space_with_data))
    block = page.locator("#actions-block")
    title = block.get_by_label("Action", exact=True)
    expect(title).to_have_value("")

    block.get_by_role("button", name="Add action").click()

    error = page.locator("#actions-block .nhsuk-error-message")
    expect(error).to_have_text("Error: Enter the action", use_inner_text=True)
    expect(page.locator("#actions-block").get_by_label("Action", exact=True)).to_be_focused()
    expect(page.locator("#actions-block li")).to_have_text([re.compile(ACTION_TITLE)])
    visitor.after_navigation("action added with no title, htmx swap")
    visitor.assert_every_page_passed()


CSV = (
    "Meeting title,Another team's catch-up\n"
    "\n"
    "Name,Email\n"
    "Gareth Lowe,\n"
    "Siobhan Farrell,\n"
    f"{CANDIDATE},\n"
    "Olumide Adeyemi,olumide.adeyemi@example.org\n"
    "Olumide Adeyemi,olumide.adeyemi@example.org\n"
)


def test_attendance_import_preview_passes_axe(
    space_with_data, lead, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, lead)
    visitor.visit(f"{_log_path(space_with_data)}import/")

    # NHS.UK's script puts a drop zone button over the file input; the file goes to the input.
    page.locator("input[type='file'][name='report']").set_input_files(
        {"name": "attendance.csv", "mimeType": "text/csv", "buffer": CSV.encode()}
    )
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the attendees to import")
    matched = page.get_by_role("table", name=re.compile(r"^Matched"))
    expect(matched.locator("tbody tr")).to_have_count(3)
    expect(matched.get_by_role("row").filter(has_text="Gareth Lowe")).to_contain_text(
        "Already recorded"
    )
    expect(page.get_by_role("table", name=re.compile(r"^New people"))).to_contain_text(
        "Olumide Adeyemi"
    )
    expect(page.get_by_text("This report may be from another meeting")).to_be_visible()
    expect(page.get_by_label("Organisation of Olumide Adeyemi")).to_have_value("")
    expect(page.get_by_role("button", name="Import attendees")).to_be_visible()
    visitor.after_navigation("preview of an uploaded file, with a warning")
    visitor.assert_every_page_passed()


def test_chatham_house_meeting_passes_axe_for_a_member_outside_the_space(
    space_with_data, member, context, page, visitor, sign_in_by_cookie
):
    sign_in_by_cookie(context, member)
    meeting = space_with_data["chatham_meeting"]

    response = visitor.visit(f"{PROGRAMME_PATH}spaces/discharge-leads/meetings/{meeting.pk}/")

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(CHATHAM_MEETING)
    expect(
        page.get_by_text("its notes are for the space's members and the programme's leads")
    ).to_be_visible()
    expect(page.get_by_text("Frank views on discharge delays.")).to_have_count(0)
    visitor.assert_every_page_passed()


# Signed out: the pulse --------------------------------------------------------------------------


def _pulse_path(space_with_data) -> str:
    return f"/pulse/{pulse_token(space_with_data['meeting'])}/"


def test_pulse_answer_page_passes_axe(space_with_data, page, visitor):
    response = visitor.visit(_pulse_path(space_with_data))

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("How was the meeting?")
    expect(page.get_by_role("button", name="Send answers")).to_be_visible()
    visitor.assert_every_page_passed()


def test_pulse_answer_error_state_passes_axe(space_with_data, page, visitor):
    visitor.visit(_pulse_path(space_with_data))

    page.get_by_role("button", name="Send answers").click()

    _expect_error_summary(page, "id_felt_safe")
    visitor.after_navigation("submitted empty")
    visitor.assert_every_page_passed()


def test_pulse_already_answered_passes_axe(space_with_data, page, visitor):
    path = _pulse_path(space_with_data)
    visitor.visit(path)
    for question, answer in (
        ("I felt safe to speak", "4 – Agree"),
        ("The meeting was useful to me", "5 – Strongly agree"),
        ("The meeting stretched my thinking", "3 – Neither agree nor disagree"),
    ):
        page.get_by_role("group", name=question).get_by_label(answer).check()
    page.get_by_label("How many new connections did you make?").fill("2")

    page.get_by_role("button", name="Send answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You have already answered")
    expect(page.get_by_text("Thank you. Your answers are saved.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"{re.escape(path)}$"))
    visitor.after_navigation("just answered")
    assert PulseResponse.objects.filter(meeting=space_with_data["meeting"]).count() == 4
    visitor.assert_every_page_passed()


def test_invalid_pulse_link_passes_axe(space_with_data, page, visitor):
    response = visitor.visit("/pulse/not-a-token/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("This link is not valid")
    visitor.assert_every_page_passed()
