"""Journey: a facilitator logs a meeting on one page (its details at the top), with htmx, and
a second editor meets a conflict instead of overwriting the first one's notes."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Practice
from learning.models import LearningEntry
from spaces.models import Action, Attendance, Meeting

from ..factories import PASSWORD, MeetingFactory, OrganisationFactory, ParticipantFactory
from .conftest import BROWSER_TEST_MARKS, Visitor

pytestmark = BROWSER_TEST_MARKS

SPACE_PATH = "/programmes/virtual-wards/spaces/frailty-huddle/"
MEETING_TITLE = "Discharge to assess check-in"
FIRST_BY_SEARCH = "Priya Ramanathan"
SECOND_BY_SEARCH = "Tomasz Kowalczyk"
NEW_PERSON = "Olumide Adeyemi"
NOTES = "We agreed three things.\n\n- first point\n- second point"
ACTION_TITLE = "Book the discharge coordinator for the next huddle"
LEARNING_TITLE = "Daily calls cut readmissions"
LEARNING_TEXT = "A ten-minute call each morning caught problems before they became admissions."


@pytest.fixture
def people(programme, space):
    """The programme's people: the two the facilitator will find, and some who do not match."""
    bradford = OrganisationFactory(name="Bradford District Care")
    kirklees = OrganisationFactory(name="Kirklees Council")
    found = [
        ParticipantFactory(programme=programme, name=FIRST_BY_SEARCH, organisation=bradford),
        ParticipantFactory(programme=programme, name=SECOND_BY_SEARCH, organisation=kirklees),
    ]
    for name in ("Gareth Lowe", "Siobhan Farrell", "Ade Okafor"):
        ParticipantFactory(programme=programme, name=name, organisation=kirklees)
    return found


@pytest.fixture
def two_practices():
    return list(Practice.objects.select_related("area").order_by("area__number", "number")[:2])


def _practice_label(practice: Practice) -> str:
    return f"{practice.area.number}.{practice.number} {practice.text}"


def test_facilitator_logs_a_meeting_and_finds_it_in_the_space(
    people, two_practices, facilitator, page, visitor, sign_in_through_form
):
    assert len(two_practices) == 2, "The activity areas' practices are missing"
    sign_in_through_form(visitor, facilitator.email, PASSWORD)

    page.get_by_role("banner").get_by_role("link", name="My spaces").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My spaces")
    visitor.after_navigation()

    page.get_by_role("link", name="Frailty huddle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Frailty huddle")
    visitor.after_navigation()

    # NHS.UK's button macro renders a link styled as a button, with role="button".
    page.get_by_role("button", name="Log a meeting").click()
    # One page: the meeting's details head the log itself.
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a meeting")
    expect(page).to_have_url(re.compile(rf"{SPACE_PATH}meetings/log/$"))
    visitor.after_navigation("empty log of a new meeting")
    page.evaluate("window.__noReload = true")
    held_on = timezone.localdate() - timedelta(days=3)
    page.get_by_label("Title", exact=True).fill(MEETING_TITLE)
    date = page.get_by_role("group", name="Date", exact=True)
    date.get_by_label("Day").fill(str(held_on.day))
    date.get_by_label("Month").fill(str(held_on.month))
    date.get_by_label("Year").fill(str(held_on.year))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("11:30")
    page.get_by_role("group", name="Format").get_by_label("Online").check()
    expect(page.get_by_role("button", name="Continue")).to_have_count(0)

    # Search works as you type before the meeting is saved; adding the first person saves it.
    page.get_by_label("Search the programme's people by name or organisation").fill("priy")
    results = page.locator("#attendee-results")
    expect(results).to_contain_text("1 match for “priy”")
    _assert_not_reloaded(page)
    results.get_by_role("button", name=f"Add {FIRST_BY_SEARCH}", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Log a meeting: {MEETING_TITLE}")
    expect(page).to_have_url(re.compile(rf"{SPACE_PATH}meetings/\d+/log/#attendees$"))
    expect(_attendee_rows(page).filter(has_text=FIRST_BY_SEARCH)).to_have_count(1)
    expect(page.get_by_label("Title", exact=True)).to_have_value(MEETING_TITLE)
    visitor.after_navigation("meeting saved with its first attendee")
    meeting = Meeting.objects.get(title=MEETING_TITLE)
    assert meeting.status == Meeting.Status.HELD
    page.evaluate("window.__noReload = true")

    _add_new_person(page)
    _add_by_search(page, "kowal", SECOND_BY_SEARCH, on_the_list=3)
    # Someone already on the list is named, not offered as a new person.
    page.get_by_label("Search the programme's people by name or organisation").fill("priya")
    expect(page.locator("#attendee-results")).to_have_text(
        f"{FIRST_BY_SEARCH} is already on the list."
    )
    _assert_not_reloaded(page)
    visitor.after_navigation("three attendees added")

    for practice in two_practices:
        page.get_by_label(_practice_label(practice)).check()

    page.get_by_label("Notes", exact=True).fill(NOTES)
    page.get_by_role("button", name="Preview notes").click()
    preview = page.locator("#preview-notes")
    expect(preview.locator("ul > li")).to_have_text(["first point", "second point"])
    _assert_not_reloaded(page)
    visitor.after_navigation("notes previewed")

    _add_action(page, owner=FIRST_BY_SEARCH)
    _capture_learning(page)
    _assert_not_reloaded(page)
    visitor.after_navigation("action and learning added")

    page.get_by_role("button", name="Save meeting").last.click()

    expect(page).to_have_url(re.compile(rf"{SPACE_PATH}meetings/{meeting.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(MEETING_TITLE)
    expect(page.get_by_text(f"“{MEETING_TITLE}” saved.")).to_be_visible()
    visitor.after_navigation("just saved")
    _assert_meeting_page_shows_everything(page, two_practices)

    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Frailty huddle"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Frailty huddle")
    visitor.after_navigation("after logging a meeting")
    earlier = page.get_by_role("table", name="Earlier meetings of Frailty huddle")
    row = earlier.get_by_role("row").filter(has=page.get_by_role("link", name=MEETING_TITLE))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Held")
    expect(row).to_contain_text(f"{held_on.day} {held_on:%B %Y}, 10:00")

    meeting.refresh_from_db()
    # Browsers submit a textarea's line breaks as CRLF.
    assert meeting.notes.replace("\r\n", "\n") == NOTES
    assert meeting.logged_at is not None
    assert set(meeting.practices.all()) == set(two_practices)
    assert Attendance.objects.filter(meeting=meeting).count() == 3
    visitor.assert_every_page_passed()


def _assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__noReload") is True, "The page reloaded instead of swapping"


def _attendee_rows(page):
    return page.get_by_role("table", name="People recorded for this meeting").locator("tbody tr")


def _add_by_search(page, typed: str, name: str, *, on_the_list: int) -> None:
    notice = page.locator("#attendee-notice")
    before = notice.text_content()
    page.get_by_label("Search the programme's people by name or organisation").fill(typed)
    results = page.locator("#attendee-results")
    expect(results).to_contain_text(f"1 match for “{typed}”")

    results.get_by_role("button", name=f"Add {name}", exact=True).click()

    expect(_attendee_rows(page).filter(has_text=name)).to_have_count(1)
    expect(_attendee_rows(page)).to_have_count(on_the_list)
    people = "person" if on_the_list == 1 else "people"
    expect(notice).to_have_text(f"{name} added. {on_the_list} {people} on the list.")
    assert notice.text_content() != before
    # The person just added is no longer offered.
    expect(results.get_by_role("button", name=f"Add {name}", exact=True)).to_have_count(0)
    _assert_not_reloaded(page)


def _add_new_person(page) -> None:
    notice = page.locator("#attendee-notice")
    before = notice.text_content()
    block = page.locator("#new-person-block")
    block.locator("summary").click()
    block.get_by_label("Full name").fill(NEW_PERSON)
    block.get_by_label("Role group").select_option(label="Patient / carer / public")
    block.get_by_label("Agrees to be recorded in meeting notes").check()

    block.get_by_role("button", name="Add a new person", exact=True).click()

    expect(_attendee_rows(page).filter(has_text=NEW_PERSON)).to_have_count(1)
    expect(_attendee_rows(page)).to_have_count(2)
    expect(notice).to_have_text(
        f"{NEW_PERSON} added to the programme's people and to this meeting. 2 people on the list."
    )
    assert notice.text_content() != before
    # A fresh, empty form for the next new person.
    expect(page.locator("#new-person-block").get_by_label("Full name")).to_have_value("")
    _assert_not_reloaded(page)


def _add_action(page, owner: str) -> None:
    due = timezone.localdate() + timedelta(days=14)
    block = page.locator("#actions-block")
    block.get_by_label("Action", exact=True).fill(ACTION_TITLE)
    block.get_by_label("Owner").select_option(label=owner)
    block.get_by_label("Day").fill(str(due.day))
    block.get_by_label("Month").fill(str(due.month))
    block.get_by_label("Year").fill(str(due.year))

    block.get_by_role("button", name="Add action").click()

    expect(page.locator("#action-notice")).to_have_text(f"Action “{ACTION_TITLE}” added.")
    expect(page.locator("#actions-block li")).to_have_text(
        [f"{ACTION_TITLE} – {owner}, due {due.day} {due:%B %Y}"]
    )
    expect(page.locator("#actions-block").get_by_label("Action", exact=True)).to_have_value("")
    assert Action.objects.filter(title=ACTION_TITLE).count() == 1


def _capture_learning(page) -> None:
    block = page.locator("#learning-block")
    block.get_by_label("Learning point").fill(LEARNING_TITLE)
    block.get_by_label("Kind").select_option(label="Result")
    block.get_by_label("What was learned").fill(LEARNING_TEXT)

    block.get_by_role("button", name="Capture learning").click()

    expect(page.locator("#learning-notice")).to_have_text(
        f"Learning point “{LEARNING_TITLE}” saved as a draft."
    )
    expect(page.locator("#learning-block li")).to_have_text([f"{LEARNING_TITLE} (result, draft)"])
    entry = LearningEntry.objects.get(title=LEARNING_TITLE)
    assert entry.status == LearningEntry.Status.DRAFT
    assert entry.body == LEARNING_TEXT


def _assert_meeting_page_shows_everything(page, practices) -> None:
    notes = page.locator(".convening-notes").first
    expect(notes.locator("ul > li")).to_have_text(["first point", "second point"])
    expect(notes).to_contain_text("We agreed three things.")

    attendees = page.get_by_role("table", name=f"Attendees of {MEETING_TITLE}")
    expect(attendees.locator("tbody tr")).to_have_count(3)
    for name in (FIRST_BY_SEARCH, NEW_PERSON, SECOND_BY_SEARCH):
        expect(attendees.get_by_role("row").filter(has_text=name)).to_contain_text("Attended")
    expect(page.get_by_role("heading", name="Attendees (3 attended)")).to_be_visible()

    for practice in practices:
        expect(
            page.get_by_role("listitem").filter(has_text=_practice_label(practice))
        ).to_have_count(1)
    expect(page.get_by_role("listitem").filter(has_text=ACTION_TITLE)).to_contain_text(
        FIRST_BY_SEARCH
    )
    learning = page.get_by_role("listitem").filter(has_text=LEARNING_TITLE)
    expect(learning).to_contain_text("Result")
    expect(learning).to_contain_text("Draft")


# Two editors ------------------------------------------------------------------------------------

THEIR_NOTES = "Saved first: the ward rounds move to 9am."
MY_NOTES = "Saved second: the ward rounds stay at 10am, with a call at 9am."


@pytest.fixture
def held_meeting(space):
    return MeetingFactory(space=space, title="Weekly huddle", status=Meeting.Status.HELD)


def test_second_editor_gets_a_conflict_and_keeps_their_text(
    held_meeting,
    facilitator,
    lead,
    browser,
    page,
    visitor,
    live_server,
    sign_in_through_form,
    sign_in_by_cookie,
):
    log_path = f"{SPACE_PATH}meetings/{held_meeting.pk}/log/"
    sign_in_through_form(visitor, facilitator.email, PASSWORD)
    visitor.visit(log_path, state="facilitator")

    lead_context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    try:
        sign_in_by_cookie(lead_context, lead)
        lead_page = lead_context.new_page()
        lead_visitor = Visitor(lead_page, live_server.url)
        lead_visitor.visit(log_path, state="lead, before the facilitator saves")
        expect(lead_page.get_by_role("heading", level=1)).to_have_text(
            "Log a meeting: Weekly huddle"
        )

        page.get_by_label("Notes", exact=True).fill(THEIR_NOTES)
        page.get_by_role("button", name="Save meeting").first.click()
        expect(page.get_by_text("“Weekly huddle” saved.")).to_be_visible()
        visitor.after_navigation("facilitator saved")
        held_meeting.refresh_from_db()
        assert held_meeting.notes == THEIR_NOTES

        # The lead's page still carries the version it was opened with.
        lead_page.get_by_label("Notes", exact=True).fill(MY_NOTES)
        lead_page.get_by_role("button", name="Save meeting").last.click()

        conflict = lead_page.locator("#conflict")
        expect(conflict).to_be_visible()
        expect(conflict.get_by_role("heading", level=2)).to_have_text(
            "Someone else saved this meeting while you were editing it"
        )
        expect(conflict).to_contain_text(THEIR_NOTES)
        expect(lead_page.get_by_label("Notes", exact=True)).to_have_value(MY_NOTES)
        expect(lead_page).to_have_url(re.compile(rf"{log_path}$"))
        lead_visitor.after_navigation("conflict")
        held_meeting.refresh_from_db()
        assert held_meeting.notes == THEIR_NOTES, "The second save overwrote the first"

        lead_visitor.assert_every_page_passed()
    finally:
        lead_context.close()
    visitor.assert_every_page_passed()
