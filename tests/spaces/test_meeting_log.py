"""Planning meetings and "Log a meeting": one page, htmx and plain, losing nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities.models import ActivityArea, Practice
from convening.models import Participant
from learning.models import LearningEntry
from spaces.models import Action, Attendance, Meeting
from tests.factories import (
    AttendanceFactory,
    InnovationFactory,
    MeetingFactory,
    ParticipantFactory,
    ProgrammeFactory,
    SpaceMemberFactory,
)

SPACE = "/programmes/virtual-wards/spaces/frailty-huddle/"
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def meeting(space):
    return MeetingFactory(space=space, title="March huddle", status="held")


def log_url(meeting, tail=""):
    return f"{SPACE}meetings/{meeting.pk}/log/{tail}"


def details(meeting):
    """The meeting's details as the top of the log page posts them."""
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    return {
        "title": meeting.title,
        "date_day": str(start.day),
        "date_month": str(start.month),
        "date_year": str(start.year),
        "start_time": f"{start:%H:%M}",
        "end_time": f"{end:%H:%M}",
        "format": meeting.format,
        "location": meeting.location,
    }


def log_data(meeting, **extra):
    data = {
        **details(meeting),
        "version": str(meeting.version),
        "notes": "",
        "tensions": "",
        "decisions": "",
    }
    data.update(extra)
    return data


def _plan(**overrides):
    data = {
        "title": "April huddle",
        "date_day": "1",
        "date_month": "4",
        "date_year": "2026",
        "start_time": "10:00",
        "end_time": "11:00",
        "format": "online",
    }
    data.update(overrides)
    return data


# Planning ----------------------------------------------------------------------------------


def test_planning_a_meeting(as_user, space, facilitator):
    future = timezone.localdate() + timedelta(days=30)
    response = as_user(facilitator).post(
        SPACE + "meetings/plan/",
        _plan(date_day=future.day, date_month=future.month, date_year=future.year),
    )
    meeting = Meeting.objects.get()
    assert response.headers["Location"] == f"{SPACE}meetings/{meeting.pk}/"
    assert meeting.status == "planned"
    assert timezone.localtime(meeting.starts_at).hour == 10


def test_end_before_start_is_refused_and_the_input_kept(as_user, space, facilitator):
    response = as_user(facilitator).post(
        SPACE + "meetings/plan/", _plan(start_time="11:00", end_time="10:00")
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "The end time must be after the start time" in body
    assert 'value="April huddle"' in body
    assert not Meeting.objects.exists()


def test_a_future_meeting_cannot_be_logged_as_held(as_user, space, facilitator):
    future = timezone.localdate() + timedelta(days=2)
    response = as_user(facilitator).post(
        SPACE + "meetings/log/",
        _plan(date_day=future.day, date_month=future.month, date_year=future.year),
    )
    assert response.status_code == 400
    assert "cannot be logged as held" in response.content.decode()


def test_log_a_meeting_is_one_page_with_the_details_at_the_top(as_user, space, facilitator):
    body = as_user(facilitator).get(SPACE + "meetings/log/").content.decode()
    assert "<h1>Log a meeting</h1>" in body
    form = body.split('id="meeting-log"')[1]
    details_at = form.index('name="title"')
    for name in ('name="date_day"', 'name="start_time"', 'name="end_time"', 'name="format"'):
        assert details_at < form.index(name) < form.index("Attendees")
    assert 'name="location"' in form
    assert 'name="notes"' in form
    assert "Save meeting" in form
    assert "Continue" not in body
    assert not Meeting.objects.exists()  # opening the page creates nothing


def test_save_meeting_on_the_one_page_records_the_held_meeting_and_its_log(
    as_user, space, facilitator
):
    practice = Practice.objects.first()
    response = as_user(facilitator).post(
        SPACE + "meetings/log/",
        {
            **_plan(date_year="2025", location="Room 4"),
            "notes": "We met",
            "practices": [practice.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response.headers["Location"] == f"{SPACE}meetings/{meeting.pk}/"
    assert (meeting.title, meeting.status, meeting.location) == ("April huddle", "held", "Room 4")
    assert meeting.notes == "We met"
    assert list(meeting.practices.all()) == [practice]
    assert (meeting.logged_by, meeting.version) == (facilitator, 1)
    assert meeting.logged_at is not None


def test_without_javascript_adding_an_attendee_first_saves_the_new_meeting(
    as_user, space, facilitator, programme
):
    person = ParticipantFactory(programme=programme, name="Early Arrival")
    response = as_user(facilitator).post(
        SPACE + "meetings/log/",
        {**_plan(date_year="2025"), "notes": "Typed first", "add_attendee": str(person.pk)},
    )
    meeting = Meeting.objects.get()
    assert response.headers["Location"] == log_url(meeting) + "#attendees"
    assert meeting.notes == "Typed first"
    assert Attendance.objects.get(meeting=meeting).participant == person


def test_bad_details_on_the_new_log_keep_everything_typed_and_save_nothing(
    as_user, space, facilitator, programme
):
    person = ParticipantFactory(programme=programme)
    response = as_user(facilitator).post(
        SPACE + "meetings/log/",
        {
            **_plan(title="", start_time="11:00", end_time="10:00"),
            "notes": "Kept notes",
            "add_attendee": str(person.pk),
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter a title" in body
    assert "The end time must be after the start time" in body
    assert "Kept notes" in body
    assert 'value="11:00"' in body
    assert not Meeting.objects.exists()
    assert not Attendance.objects.exists()


def test_searching_before_the_new_meeting_is_saved_keeps_the_page_and_saves_nothing(
    as_user, space, facilitator, programme
):
    ParticipantFactory(programme=programme, name="Findable Fran")
    client = as_user(facilitator)
    response = client.post(
        SPACE + "meetings/log/",
        {"title": "Half typed", "notes": "So far", "q": "fran", "search_attendees": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Findable Fran" in body
    assert 'value="Half typed"' in body
    assert "So far" in body
    assert "There is a problem" not in body
    assert not Meeting.objects.exists()
    htmx = client.get(SPACE + "meetings/log/attendees/search/", {"q": "fran"}, **HX)
    assert htmx.content.decode().lstrip().startswith('<div id="attendee-results"')
    assert "Findable Fran" in htmx.content.decode()
    plain = client.get(SPACE + "meetings/log/attendees/search/", {"q": "fran"})
    assert plain.headers["Location"] == SPACE + "meetings/log/?q=fran#add-attendee"


def test_save_and_import_saves_the_new_meeting_then_opens_the_import(as_user, space, facilitator):
    response = as_user(facilitator).post(
        SPACE + "meetings/log/", {**_plan(date_year="2025"), "import_attendees": "1"}
    )
    meeting = Meeting.objects.get()
    assert response.headers["Location"] == log_url(meeting, "import/")


def test_the_details_are_changed_on_the_log_page_with_the_rest(as_user, meeting, facilitator):
    as_user(facilitator).post(
        log_url(meeting),
        log_data(meeting, title="March huddle (moved)", start_time="09:00", end_time="09:45"),
    )
    meeting.refresh_from_db()
    assert meeting.title == "March huddle (moved)"
    assert f"{timezone.localtime(meeting.starts_at):%H:%M}" == "09:00"
    assert f"{timezone.localtime(meeting.ends_at):%H:%M}" == "09:45"
    assert meeting.version == 2


def test_an_impossible_date_is_explained(as_user, space, facilitator):
    response = as_user(facilitator).post(
        SPACE + "meetings/plan/", _plan(date_day="31", date_month="2")
    )
    assert "Enter a real date" in response.content.decode()


# Attendees ---------------------------------------------------------------------------------


def test_search_as_you_type_returns_matching_people_not_yet_recorded(
    as_user, meeting, facilitator, programme
):
    ParticipantFactory(programme=programme, name="Priya Search")
    recorded = ParticipantFactory(programme=programme, name="Priya Already")
    AttendanceFactory(meeting=meeting, participant=recorded)
    ParticipantFactory(programme=ProgrammeFactory(), name="Priya Elsewhere")
    response = as_user(facilitator).get(log_url(meeting, "attendees/search/"), {"q": "priya"}, **HX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="attendee-results"')
    assert "Priya Search" in body
    assert 'Add<span class="nhsuk-u-visually-hidden"> Priya Already' not in body
    assert "Priya Elsewhere" not in body


def test_searching_for_someone_already_on_the_list_says_so_instead_of_inviting_a_duplicate(
    as_user, meeting, facilitator, programme
):
    recorded = ParticipantFactory(programme=programme, name="Priya Already")
    AttendanceFactory(meeting=meeting, participant=recorded)
    client = as_user(facilitator)
    htmx = client.get(log_url(meeting, "attendees/search/"), {"q": "already"}, **HX)
    plain = client.get(log_url(meeting), {"q": "already"})
    for body in (htmx.content.decode(), plain.content.decode()):
        results = body.split('id="attendee-results"')[1].split("</div>")[0]
        assert "Priya Already is already on the list." in results
        assert "0 matches" not in results
        assert "Add them as a new person" not in results
        assert "Add<span" not in results


def test_a_search_lists_new_matches_and_names_those_already_on_the_list(
    as_user, meeting, facilitator, programme
):
    ParticipantFactory(programme=programme, name="Priya New")
    AttendanceFactory(
        meeting=meeting, participant=ParticipantFactory(programme=programme, name="Priya Old")
    )
    body = as_user(facilitator).get(log_url(meeting), {"q": "priya"}).content.decode()
    results = body.split('id="attendee-results"')[1].split("</ul>")[1].split("</div>")[0]
    assert "1 match for “priya”" in body
    assert "Priya Old is already on the list." in results


def test_adding_an_attendee_by_htmx_returns_the_list_and_sends_focus_back(
    as_user, meeting, facilitator, programme
):
    person = ParticipantFactory(programme=programme, name="Ravi Added")
    response = as_user(facilitator).post(
        log_url(meeting, "attendees/add/"), {"participant": person.pk, "q": "ravi"}, **HX
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<p id="attendee-notice" hx-swap-oob="innerHTML">')
    assert '<div id="attendees-block">' in body
    assert "Ravi Added added." in body
    assert 'hx-swap-oob="true"' in body  # the search results are refreshed too
    assert "#attendee-q" in response.headers["HX-Trigger"]
    assert Attendance.objects.get(meeting=meeting).participant == person


def test_the_same_person_added_twice_is_one_row(as_user, meeting, facilitator, programme):
    person = ParticipantFactory(programme=programme)
    client = as_user(facilitator)
    client.post(log_url(meeting, "attendees/add/"), {"participant": person.pk}, **HX)
    response = client.post(log_url(meeting, "attendees/add/"), {"participant": person.pk}, **HX)
    assert "was already on the list" in response.content.decode()
    assert Attendance.objects.filter(meeting=meeting, participant=person).count() == 1


def test_an_attendee_from_another_programme_is_not_found(as_user, meeting, facilitator):
    stranger = ParticipantFactory(programme=ProgrammeFactory())
    response = as_user(facilitator).post(
        log_url(meeting, "attendees/add/"), {"participant": stranger.pk}, **HX
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_adding_a_new_person_inline(as_user, meeting, facilitator, programme):
    response = as_user(facilitator).post(
        log_url(meeting, "attendees/new-person/"),
        {"new-name": "Nia Newcomer", "new-role_group": "patient", "new-consent_recorded": "on"},
        **HX,
    )
    person = Participant.objects.get(name="Nia Newcomer")
    assert person.programme == programme
    assert person.consent_recorded is True
    assert person.consent_updated_by == facilitator
    assert Attendance.objects.filter(meeting=meeting, participant=person).exists()
    assert "Nia Newcomer added to the programme" in response.content.decode()


def test_a_new_person_with_errors_keeps_what_was_typed(as_user, meeting, facilitator):
    response = as_user(facilitator).post(
        log_url(meeting, "attendees/new-person/"),
        {"new-name": "Half Typed", "new-role_group": "wizard"},
        **HX,
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#new-person-block"
    assert "Choose one of the role groups listed" in body
    assert 'value="Half Typed"' in body


def test_add_all_space_members_and_change_and_remove(as_user, meeting, space, facilitator):
    client = as_user(facilitator)
    client.post(log_url(meeting, "attendees/add-space-members/"), **HX)
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    client.post(log_url(meeting, "attendees/add-space-members/"), **HX)
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    attendance = Attendance.objects.filter(meeting=meeting).first()
    client.post(
        log_url(meeting, f"attendees/{attendance.pk}/"),
        {f"status-{attendance.pk}": "apologies"},
        **HX,
    )
    attendance.refresh_from_db()
    assert attendance.status == "apologies"
    response = client.post(
        log_url(meeting, f"attendees/{attendance.pk}/"), {"status": "asleep"}, **HX
    )
    assert "Choose attended, apologies or absent" in response.content.decode()
    client.post(log_url(meeting, f"attendees/{attendance.pk}/remove/"), **HX)
    assert Attendance.objects.filter(meeting=meeting).count() == 1


def test_the_database_keeps_one_attendance_per_person(meeting, programme):
    from django.db import IntegrityError, transaction

    person = ParticipantFactory(programme=programme)
    AttendanceFactory(meeting=meeting, participant=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(meeting=meeting, participant=person)


# The whole log, plain and htmx -------------------------------------------------------------


def test_save_meeting_saves_notes_practices_and_marks_it_logged(as_user, meeting, facilitator):
    practices = list(Practice.objects.order_by("pk")[:2])
    response = as_user(facilitator).post(
        log_url(meeting),
        log_data(
            meeting,
            notes="- first\n- second",
            decisions="Go ahead",
            practices=[p.pk for p in practices],
        ),
    )
    assert response.headers["Location"] == f"{SPACE}meetings/{meeting.pk}/"
    meeting.refresh_from_db()
    assert meeting.notes == "- first\n- second"
    assert set(meeting.practices.all()) == set(practices)
    assert meeting.logged_by == facilitator
    assert meeting.logged_at is not None
    assert meeting.version == 2


def test_without_javascript_every_button_saves_what_was_typed_first(
    as_user, meeting, facilitator, programme
):
    person = ParticipantFactory(programme=programme, name="Plain Person")
    client = as_user(facilitator)
    response = client.post(
        log_url(meeting),
        log_data(meeting, notes="Typed before adding", add_attendee=str(person.pk)),
    )
    assert response.headers["Location"] == log_url(meeting) + "#attendees"
    meeting.refresh_from_db()
    assert meeting.notes == "Typed before adding"
    assert Attendance.objects.filter(meeting=meeting, participant=person).exists()
    client.post(
        log_url(meeting),
        log_data(
            meeting,
            notes="More",
            add_action="1",
            **{"action-title": "Send the slides", "action-owner": person.pk},
        ),
    )
    assert Action.objects.get(meeting=meeting).owner == person
    client.post(
        log_url(meeting),
        log_data(
            Meeting.objects.get(pk=meeting.pk),
            notes="More",
            add_learning="1",
            **{
                "learning-title": "Huddles need a chair",
                "learning-kind": "insight",
                "learning-body": "Someone must hold time.",
            },
        ),
    )
    entry = LearningEntry.objects.get()
    assert (entry.status, entry.source_meeting, entry.programme) == ("draft", meeting, programme)


def test_plain_search_button_comes_back_with_results(as_user, meeting, facilitator, programme):
    ParticipantFactory(programme=programme, name="Findable Fran")
    client = as_user(facilitator)
    response = client.post(log_url(meeting), log_data(meeting, q="fran", search_attendees="1"))
    assert response.headers["Location"] == log_url(meeting) + "?q=fran#attendees"
    assert "Findable Fran" in client.get(log_url(meeting), {"q": "fran"}).content.decode()


def test_actions_and_learning_by_htmx(as_user, meeting, facilitator):
    client = as_user(facilitator)
    response = client.post(log_url(meeting, "actions/add/"), {"action-title": "Book a room"}, **HX)
    assert "Action “Book a room” added." in response.content.decode()
    response = client.post(log_url(meeting, "actions/add/"), {"action-title": ""}, **HX)
    assert response.status_code == 422
    assert "Enter the action" in response.content.decode()
    response = client.post(
        log_url(meeting, "learning/add/"),
        {"learning-title": "Patients chaired well", "learning-kind": "success_story"},
        **HX,
    )
    assert "saved as a draft" in response.content.decode()
    assert LearningEntry.objects.get().kind == "success_story"


def test_learning_starts_in_the_meetings_areas_and_the_programmes_innovation(
    as_user, meeting, facilitator, programme
):
    innovation = InnovationFactory(programme=programme, name="Virtual wards")
    first = Practice.objects.filter(area__number=1).first()
    second = Practice.objects.filter(area__number=3).first()
    meeting.practices.set([first, second])
    body = as_user(facilitator).get(log_url(meeting)).content.decode()
    learning = body.split('id="learning-block"')[1]
    assert f'<option value="{innovation.pk}" selected>Virtual wards</option>' in learning
    for area in (first.area, second.area):
        assert f'value="{area.pk}" checked' in learning
    other_area = ActivityArea.objects.get(number=5)
    assert f'value="{other_area.pk}" checked' not in learning

    response = as_user(facilitator).post(
        log_url(meeting, "learning/add/"),
        {
            "learning-title": "Ward rounds start on time",
            "learning-kind": "insight",
            "learning-innovation": str(innovation.pk),
            "learning-areas": [str(first.area.pk), str(second.area.pk)],
        },
        **HX,
    )
    assert "saved as a draft" in response.content.decode()
    entry = LearningEntry.objects.get()
    assert entry.innovation == innovation
    assert set(entry.areas.all()) == {first.area, second.area}


def test_learning_with_no_area_ticked_takes_the_meetings_areas(
    as_user, meeting, facilitator, programme
):
    practice = Practice.objects.filter(area__number=4).first()
    client = as_user(facilitator)
    # Plain path: the practices ticked are saved first, then the learning takes their areas.
    client.post(
        log_url(meeting),
        log_data(
            meeting,
            practices=[practice.pk],
            add_learning="1",
            **{"learning-title": "Share early", "learning-kind": "insight"},
        ),
    )
    entry = LearningEntry.objects.get()
    assert list(entry.areas.all()) == [practice.area]
    assert entry.innovation is None


def test_the_facilitator_may_choose_other_areas_but_not_another_programmes_innovation(
    as_user, meeting, facilitator, programme
):
    meeting.practices.set([Practice.objects.filter(area__number=1).first()])
    chosen = ActivityArea.objects.get(number=7)
    client = as_user(facilitator)
    client.post(
        log_url(meeting, "learning/add/"),
        {"learning-title": "Chosen", "learning-kind": "insight", "learning-areas": [chosen.pk]},
        **HX,
    )
    assert list(LearningEntry.objects.get().areas.all()) == [chosen]
    elsewhere = InnovationFactory(programme=ProgrammeFactory())
    response = client.post(
        log_url(meeting, "learning/add/"),
        {
            "learning-title": "Typed and kept",
            "learning-kind": "insight",
            "learning-innovation": str(elsewhere.pk),
        },
        **HX,
    )
    assert response.status_code == 422
    assert "Choose an innovation of this programme" in response.content.decode()
    assert 'value="Typed and kept"' in response.content.decode()
    assert LearningEntry.objects.count() == 1


def test_an_action_owner_from_another_programme_is_not_found(as_user, meeting, facilitator):
    stranger = ParticipantFactory(programme=ProgrammeFactory())
    response = as_user(facilitator).post(
        log_url(meeting, "actions/add/"), {"action-title": "X", "action-owner": stranger.pk}, **HX
    )
    assert "That person was not found in this programme" in response.content.decode()
    assert not Action.objects.exists()


def test_notes_over_fifty_thousand_characters_are_refused_and_kept(as_user, meeting, facilitator):
    long_notes = "n" * 50_001
    response = as_user(facilitator).post(log_url(meeting), log_data(meeting, notes=long_notes))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Notes must be 50,000 characters or fewer" in body
    assert long_notes in body
    meeting.refresh_from_db()
    assert meeting.notes == ""


def test_an_unknown_practice_is_refused(as_user, meeting, facilitator):
    response = as_user(facilitator).post(log_url(meeting), log_data(meeting, practices=["999999"]))
    assert "Choose practices from the list" in response.content.decode()


def test_markdown_is_rendered_harmless(as_user, meeting, facilitator, member):
    evil = (
        "- one\n- two\n\n<script>alert(1)</script><iframe src='https://x'></iframe>"
        "<a href='javascript:alert(1)' onclick='steal()' hx-get='/x' hx-trigger='load'>link</a>"
        "<img src=x onerror=alert(1)>"
    )
    as_user(facilitator).post(log_url(meeting), log_data(meeting, notes=evil))
    body = as_user(member).get(f"{SPACE}meetings/{meeting.pk}/").content.decode()
    notes = body.split('class="convening-notes"')[1].split("</div>")[0]
    assert '<ul class="nhsuk-list nhsuk-list--bullet">' in notes
    for danger in (
        "<script",
        "<iframe",
        "onclick",
        "onerror",
        "hx-get",
        "hx-trigger",
        "javascript:",
        "<img",
    ):
        assert danger not in notes


def test_preview_renders_markdown_by_htmx_and_without_javascript(as_user, meeting, facilitator):
    client = as_user(facilitator)
    response = client.post(
        log_url(meeting, "preview/"), {"field": "notes", "notes": "**bold**"}, **HX
    )
    assert "<strong>bold</strong>" in response.content.decode()
    response = client.post(log_url(meeting), log_data(meeting, notes="*soft*", preview="notes"))
    assert "<em>soft</em>" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.notes == ""  # a preview saves nothing


# No lost writes ----------------------------------------------------------------------------


def test_the_second_of_two_editors_gets_a_conflict_and_keeps_their_text(
    as_user, meeting, facilitator, lead
):
    first = log_data(meeting, notes="Alice's notes")
    second = log_data(meeting, notes="Bob's notes, typed at the same time")
    as_user(lead).post(log_url(meeting), first)
    response = as_user(facilitator).post(log_url(meeting), second)
    body = response.content.decode()
    assert response.status_code == 409
    panel = body.split('id="conflict"')[1].split("</div>\n</div>")[0]
    assert "Someone else saved this meeting while you were editing it" in panel
    assert "Lead Person saved it" in panel
    assert "Alice&#39;s notes" in panel  # what they saved
    assert "Bob&#39;s notes" not in panel
    form = body.split('id="meeting-log"')[1]
    assert "Bob&#39;s notes, typed at the same time" in form  # what this person typed
    meeting.refresh_from_db()
    assert meeting.notes == "Alice's notes"
    assert 'name="version" value="2"' in form
    as_user(facilitator).post(log_url(meeting), {**second, "version": "2"})
    meeting.refresh_from_db()
    assert meeting.notes == "Bob's notes, typed at the same time"


def test_an_htmx_save_of_a_stale_log_gets_the_conflict_too(as_user, meeting, facilitator, lead):
    as_user(lead).post(log_url(meeting), log_data(meeting, decisions="Theirs"))
    response = as_user(facilitator).post(
        log_url(meeting), log_data(meeting, decisions="Mine"), **HX
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this meeting while you were editing it" in body
    assert "Mine" in body.split('id="meeting-log"')[1]
    assert Meeting.objects.get(pk=meeting.pk).decisions == "Theirs"


def test_a_log_reminder_sent_while_the_log_is_open_is_no_conflict(
    as_user, space, facilitator, settings
):
    from spaces import reminders

    settings.SITE_URL = "https://convening.example.org"
    ends_at = timezone.now() - timedelta(hours=30)
    meeting = MeetingFactory(space=space, starts_at=ends_at - timedelta(hours=1), ends_at=ends_at)
    opened = log_data(meeting, notes="Written before the reminder went")
    assert reminders.remind_facilitators(meeting.pk) == 1
    response = as_user(facilitator).post(log_url(meeting), opened)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.notes == "Written before the reminder went"
    assert meeting.log_reminder_sent_at is not None


def test_a_save_that_changed_none_of_the_logs_fields_is_no_conflict(as_user, meeting, facilitator):
    opened = log_data(meeting, notes="Mine")
    # A save of the reminder's time alone still raises the version.
    meeting.log_reminder_sent_at = timezone.now()
    meeting.save(update_fields=["log_reminder_sent_at"])
    assert meeting.version == 2
    response = as_user(facilitator).post(log_url(meeting), opened)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.notes, meeting.version) == ("Mine", 3)
    assert meeting.log_reminder_sent_at is not None


def test_chatham_house_conflict_names_no_one(as_user, meeting, space, facilitator, lead):
    space.confidentiality = "chatham_house"
    space.save()
    as_user(lead).post(log_url(meeting), log_data(meeting, notes="First"))
    response = as_user(facilitator).post(log_url(meeting), log_data(meeting, notes="Second"))
    body = response.content.decode()
    assert response.status_code == 409
    assert "A facilitator saved it" in body
    assert "Lead Person" not in body


def test_history_lists_changes_and_a_facilitator_restores_a_version(as_user, meeting, facilitator):
    client = as_user(facilitator)
    client.post(log_url(meeting), log_data(meeting, notes="Version one"))
    meeting.refresh_from_db()
    client.post(log_url(meeting), log_data(meeting, notes="Version two"))
    body = client.get(f"{SPACE}meetings/{meeting.pk}/history/").content.decode()
    assert "Notes" in body
    assert "Facilitator Person" in body
    record = meeting.history.filter(notes="Version one").first()
    client.post(f"{SPACE}meetings/{meeting.pk}/history/{record.history_id}/restore/")
    meeting.refresh_from_db()
    assert meeting.notes == "Version one"
    assert meeting.history.first().notes == "Version one"


def test_history_offers_restore_only_to_those_who_may_change_the_meeting(
    as_user, meeting, facilitator, member
):
    as_user(facilitator).post(log_url(meeting), log_data(meeting, notes="Logged"))
    history_url = f"{SPACE}meetings/{meeting.pk}/history/"
    body = as_user(facilitator).get(history_url).content.decode()
    rows = body.split("<tbody")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 2
    assert "Current version" in rows[0]
    assert "Notes" in rows[0]
    assert "Restore this version" in rows[1]
    assert "Added" in rows[1]
    body = as_user(member).get(history_url).content.decode()
    assert "Notes" in body
    assert "Restore this version" not in body
    assert "Current version" not in body


# Chatham House -----------------------------------------------------------------------------


def test_chatham_house_notes_are_for_space_members_and_name_no_one(
    as_user, meeting, space, facilitator, member, lead, programme
):
    space.confidentiality = "chatham_house"
    space.save()
    as_user(facilitator).post(log_url(meeting), log_data(meeting, notes="Frank views shared"))
    as_user(facilitator).post(
        log_url(meeting, "learning/add/"),
        {"learning-title": "Candour helps", "learning-kind": "insight"},
        **HX,
    )
    assert LearningEntry.objects.get().visibility == "space"
    detail = f"{SPACE}meetings/{meeting.pk}/"
    assert "Frank views shared" in as_user(member).get(detail).content.decode()
    assert "Frank views shared" in as_user(lead).get(detail).content.decode()
    not_in_space = ParticipantFactory(programme=programme).user
    from tests.factories import MembershipFactory, UserFactory

    outsider_member = UserFactory()
    MembershipFactory(programme=programme, user=outsider_member, role="member")
    body = as_user(outsider_member).get(detail).content.decode()
    assert "Frank views shared" not in body
    assert "Candour helps" not in body
    history = as_user(lead).get(detail + "history/").content.decode()
    assert "Facilitator Person" not in history
    assert "A facilitator" in history
    assert not_in_space is None


# Actions -----------------------------------------------------------------------------------


def test_open_actions_are_marked_done_by_their_owner(as_user, meeting, programme, member):
    owner = Participant.objects.get(user=member)
    action = Action.objects.create(
        programme=programme, meeting=meeting, title="Share slides", owner=owner
    )
    client = as_user(member)
    assert "Share slides" in client.get("/programmes/virtual-wards/actions/").content.decode()
    response = client.post(f"/programmes/virtual-wards/actions/{action.pk}/done/", **HX)
    assert "marked done" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "done"
    assert "Share slides" not in client.get("/programmes/virtual-wards/actions/").content.decode()


def test_space_members_added_by_a_facilitator_appear_on_the_log(
    as_user, meeting, space, facilitator
):
    SpaceMemberFactory(space=space)
    body = as_user(facilitator).get(log_url(meeting)).content.decode()
    assert "Add all space members" in body
    assert "Save meeting" in body
    assert "Add attendee" in body
    assert "Add a new person" in body
    assert "Capture learning" in body


def test_history_says_when_the_practices_served_changed(as_user, meeting, facilitator):
    client = as_user(facilitator)
    client.post(log_url(meeting), log_data(meeting, notes="Same"))
    meeting.refresh_from_db()
    practice = Practice.objects.first()
    client.post(log_url(meeting), log_data(meeting, notes="Same", practices=[practice.pk]))
    body = client.get(f"{SPACE}meetings/{meeting.pk}/history/").content.decode()
    assert "Practices served" in body


def test_each_attendance_row_offers_every_status(as_user, meeting, facilitator):
    attendance = AttendanceFactory(meeting=meeting, status="absent")
    body = as_user(facilitator).get(log_url(meeting)).content.decode()
    select = body.split(f'id="status-{attendance.pk}"')[1].split("</select>")[0]
    for value, label in Attendance.Status.choices:
        assert f'<option value="{value}"' in select
        assert f">{label}</option>" in select
    assert '<option value="absent" selected>' in select


def test_inline_adds_work_as_plain_posts_too(as_user, meeting, facilitator):
    client = as_user(facilitator)
    response = client.post(log_url(meeting, "actions/add/"), {"action-title": "Plain action"})
    assert response.headers["Location"] == log_url(meeting) + "#actions"
    response = client.post(log_url(meeting, "learning/add/"), {"learning-title": ""})
    assert response.status_code == 400
    assert "Give the learning point a title" in response.content.decode()
    assert Action.objects.get().title == "Plain action"


def test_a_new_attendee_can_own_an_action_at_once(as_user, meeting, facilitator, programme):
    first = ParticipantFactory(programme=programme, name="Owner One")
    second = ParticipantFactory(programme=programme, name="Owner Two")
    client = as_user(facilitator)
    client.post(log_url(meeting, "attendees/add/"), {"participant": first.pk}, **HX)
    response = client.post(
        log_url(meeting, "attendees/add/"),
        {"participant": second.pk, "action-owner": str(first.pk)},
        **HX,
    )
    body = response.content.decode()
    owner_box = body.split('<div id="action-owner-field" hx-swap-oob="true">')[1]
    assert f'<option value="{second.pk}">Owner Two</option>' in owner_box
    assert f'<option value="{first.pk}" selected>Owner One</option>' in owner_box


def edit_url(meeting):
    return f"{SPACE}meetings/{meeting.pk}/edit/"


def test_editing_details_with_a_stale_or_unreadable_version_is_a_conflict(
    as_user, meeting, facilitator
):
    client = as_user(facilitator)
    response = client.post(edit_url(meeting), _plan(date_year="2025", version="0"))
    assert response.status_code == 409
    assert "Someone else saved this meeting while you were editing it" in (
        response.content.decode()
    )
    response = client.post(edit_url(meeting), _plan(date_year="2025", version="not-a-number"))
    assert response.status_code == 409
    meeting.refresh_from_db()
    assert meeting.title == "March huddle"


def test_two_saves_of_the_details_from_one_version_give_the_second_a_conflict(
    as_user, space, facilitator, lead
):
    future = timezone.localdate() + timedelta(days=30)
    when = {"date_day": future.day, "date_month": future.month, "date_year": future.year}
    meeting = MeetingFactory(space=space, title="May huddle")
    assert meeting.status == "planned"
    page = as_user(facilitator).get(edit_url(meeting)).content.decode()
    assert 'name="version" value="1"' in page
    first = _plan(title="May huddle, room 2", **when, version="1")
    second = _plan(title="May huddle, online", **when, version="1")
    assert as_user(lead).post(edit_url(meeting), first).status_code == 302
    response = as_user(facilitator).post(edit_url(meeting), second)
    body = response.content.decode()
    assert response.status_code == 409
    panel = body.split('id="conflict"')[1].split("</form>")[0].split("<h1>")[0]
    assert "Lead Person saved it" in panel
    assert "May huddle, room 2" in panel
    assert 'value="May huddle, online"' in body  # still in the form
    assert 'name="version" value="2"' in body
    meeting.refresh_from_db()
    assert meeting.title == "May huddle, room 2"
    as_user(facilitator).post(edit_url(meeting), {**second, "version": "2"})
    meeting.refresh_from_db()
    assert meeting.title == "May huddle, online"


def test_a_new_time_saved_meanwhile_is_a_conflict_not_overwritten(
    as_user, space, facilitator, lead
):
    future = timezone.localdate() + timedelta(days=30)
    when = {"date_day": future.day, "date_month": future.month, "date_year": future.year}
    meeting = MeetingFactory(space=space, title="May huddle")
    as_user(lead).post(edit_url(meeting), _plan(title="May huddle", **when, version="1"))
    response = as_user(facilitator).post(
        edit_url(meeting),
        _plan(title="May huddle", **when, start_time="14:00", end_time="15:00", version="1"),
    )
    assert response.status_code == 409
    assert "Starts at" in response.content.decode()
    meeting.refresh_from_db()
    assert f"{timezone.localtime(meeting.starts_at):%H:%M}" == "10:00"


def test_cancelling_a_planned_meeting(as_user, space, facilitator):
    meeting = MeetingFactory(space=space, title="May huddle")
    data = details(meeting) | {"version": "1", "cancel_meeting": "yes"}
    response = as_user(facilitator).post(edit_url(meeting), data, follow=True)
    assert "Meeting cancelled." in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.version) == ("cancelled", 2)


def test_cancelling_from_a_form_opened_before_the_meeting_was_logged_is_a_conflict(
    as_user, space, facilitator, lead
):
    ended_at = timezone.now() - timedelta(hours=2)
    meeting = MeetingFactory(space=space, starts_at=ended_at - timedelta(hours=1), ends_at=ended_at)
    stale_cancel = details(meeting) | {"version": "1", "cancel_meeting": "yes"}
    as_user(lead).post(log_url(meeting), log_data(meeting, notes="It happened"))
    response = as_user(facilitator).post(edit_url(meeting), stale_cancel)
    assert response.status_code == 409
    meeting.refresh_from_db()
    assert (meeting.status, meeting.notes) == ("held", "It happened")


def test_a_new_planned_meeting_is_at_version_one_and_offers_no_cancel(as_user, space, facilitator):
    client = as_user(facilitator)
    page = client.get(SPACE + "meetings/plan/").content.decode()
    assert 'name="version"' not in page
    assert "Cancel this meeting" not in page
    future = timezone.localdate() + timedelta(days=3)
    client.post(
        SPACE + "meetings/plan/",
        _plan(
            date_day=future.day,
            date_month=future.month,
            date_year=future.year,
            cancel_meeting="yes",
        ),
    )
    meeting = Meeting.objects.get()
    assert (meeting.status, meeting.version) == ("planned", 1)
