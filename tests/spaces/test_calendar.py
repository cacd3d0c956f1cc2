"""The space's private calendar feed, the page that shows its address, and one meeting as .ics."""

import datetime
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from tests.factories import MeetingFactory

SPACE = "/programmes/virtual-wards/spaces/frailty-huddle"
CALENDAR = SPACE + "/calendar/"
SECRET_NOTES = "Dr Patel said the rota is unworkable"


def _feed_path(token: str) -> str:
    return f"/calendar/{token}.ics"


@pytest.fixture
def token(space):
    return space.renew_calendar_token()


@pytest.fixture
def meetings(space):
    """A planned meeting next week, a held one last month, a cancelled one, and one too old."""
    now = timezone.now().replace(microsecond=0)
    return {
        "planned": MeetingFactory(
            space=space,
            title="Frailty huddle: March",
            starts_at=now + timedelta(days=7),
            location="Room 4, St James's",
            notes=SECRET_NOTES,
            tensions="Who owns the discharge list",
            decisions="Pilot the checklist",
        ),
        "held": MeetingFactory(
            space=space,
            title="Frailty huddle: February",
            starts_at=now - timedelta(days=30),
            status="held",
            location="https://teams.example.org/meet/123",
            notes=SECRET_NOTES,
        ),
        "cancelled": MeetingFactory(
            space=space,
            title="Frailty huddle: cancelled",
            starts_at=now + timedelta(days=14),
            status="cancelled",
        ),
        "old": MeetingFactory(
            space=space,
            title="Frailty huddle: last year",
            starts_at=now - timedelta(days=200),
            status="held",
        ),
    }


def _parse(response) -> Calendar:
    return Calendar.from_ical(response.content)


def _events_by_uid(calendar: Calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.events}


# The feed ----------------------------------------------------------------------------------------


def test_feed_lists_the_space_meetings_in_the_window_in_utc(client, token, meetings):
    response = client.get(_feed_path(token))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = _parse(response)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//Convening//")
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Frailty huddle"
    events = _events_by_uid(calendar)
    planned, held, cancelled = meetings["planned"], meetings["held"], meetings["cancelled"]
    assert set(events) == {
        f"meeting-{planned.pk}@convening",
        f"meeting-{held.pk}@convening",
        f"meeting-{cancelled.pk}@convening",
    }
    event = events[f"meeting-{planned.pk}@convening"]
    assert str(event["SUMMARY"]) == "Frailty huddle: March"
    assert str(event["LOCATION"]) == "Room 4, St James's"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.start == planned.starts_at
    assert event.start.utcoffset() == timedelta(0)
    assert event.end == planned.ends_at
    assert event.end.utcoffset() == timedelta(0)
    assert event["DTSTAMP"].dt.tzinfo is not None
    assert str(event["URL"]) == (f"http://testserver{SPACE}/meetings/{planned.pk}/")
    assert str(events[f"meeting-{held.pk}@convening"]["LOCATION"]).startswith("https://teams")
    assert str(events[f"meeting-{cancelled.pk}@convening"]["STATUS"]) == "CANCELLED"


def test_feed_times_are_written_in_utc(client, token, meetings):
    body = client.get(_feed_path(token)).content.decode()
    start = meetings["planned"].starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")

    assert f"DTSTART:{start}" in body


def test_feed_never_contains_notes_tensions_or_decisions(client, token, meetings):
    body = client.get(_feed_path(token)).content.decode()

    assert "Dr Patel" not in body
    assert "discharge list" not in body
    assert "checklist" not in body
    description = str(
        _events_by_uid(Calendar.from_ical(body))[f"meeting-{meetings['planned'].pk}@convening"][
            "DESCRIPTION"
        ]
    )
    assert "Frailty huddle" in description


def test_feed_leaves_out_other_spaces_meetings(client, token, meetings, programme):
    other = MeetingFactory(space__programme=programme, title="Someone else's meeting")

    events = _events_by_uid(_parse(client.get(_feed_path(token))))

    assert f"meeting-{other.pk}@convening" not in events


def test_feed_headers_keep_it_private_and_out_of_search(client, token):
    response = client.get(_feed_path(token))

    assert response["Cache-Control"] == "private, max-age=300"
    assert response["X-Robots-Tag"] == "noindex"


def test_feed_answers_head_requests_from_calendar_apps(client, token):
    assert client.head(_feed_path(token)).status_code == 200


def test_feed_with_unknown_token_is_404(client, token):
    assert client.get(_feed_path("not-the-token")).status_code == 404


def test_space_without_an_address_has_no_feed(client, space):
    assert space.calendar_token == ""
    assert client.get("/calendar/.ics").status_code == 404


def test_revoked_token_is_404(client, space, token):
    space.revoke_calendar_token()

    assert client.get(_feed_path(token)).status_code == 404


def test_feed_is_post_proof(client, token):
    assert client.post(_feed_path(token)).status_code == 405


def test_feed_query_count_is_the_same_for_3_and_60_meetings(client, space, token):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_feed_path(token))
        assert response.status_code == 200
        return len(queries)

    for _ in range(3):
        MeetingFactory(space=space, starts_at=timezone.now() + timedelta(days=3))
    small = count()
    for _ in range(57):
        MeetingFactory(space=space, starts_at=timezone.now() + timedelta(days=3))
    large = count()
    assert len(_parse(client.get(_feed_path(token))).events) == 60
    assert small == large == 2


# The page that shows the address ---------------------------------------------------------------


def test_member_sees_the_absolute_feed_address(as_user, member, token):
    response = as_user(member).get(CALENDAR)

    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    address = re.search(r'<input class="nhsuk-input" id="feed-url"[^>]*>', html).group()
    assert f'value="http://testserver/calendar/{token}.ics"' in address
    assert 'readonly="readonly"' in address
    assert re.search(r'<label class="[^"]*" for="feed-url" ?> Calendar address', html)
    assert "Google Calendar" in html
    assert "Outlook" in html
    assert "Make a new address" not in html
    assert html.count("<h1") == 1


def test_member_is_told_to_ask_when_there_is_no_address(as_user, member, space):
    html = as_user(member).get(CALENDAR).content.decode()

    assert "no calendar address" in html
    assert "Ask a facilitator" in html
    assert 'id="feed-url"' not in html
    assert "Create a calendar address" not in html


def test_facilitator_creates_the_address(as_user, facilitator, space):
    client = as_user(facilitator)

    response = client.post(CALENDAR, {"action": "create"})

    assert response.status_code == 302
    assert response["Location"] == CALENDAR
    space.refresh_from_db()
    assert len(space.calendar_token) >= 40
    page = client.get(CALENDAR).content.decode()
    assert "ready to copy" in page
    assert f"/calendar/{space.calendar_token}.ics" in page


def test_renew_changes_the_address_and_the_old_one_stops_working(
    as_user, client, facilitator, space, token
):
    response = as_user(facilitator).post(CALENDAR, {"action": "renew"})

    assert response.status_code == 302
    space.refresh_from_db()
    assert space.calendar_token not in ("", token)
    client.logout()
    assert client.get(_feed_path(token)).status_code == 404
    assert client.get(_feed_path(space.calendar_token)).status_code == 200


def test_lead_revokes_the_address(as_user, lead, space, token):
    client = as_user(lead)

    response = client.post(CALENDAR, {"action": "revoke"}, follow=True)

    space.refresh_from_db()
    assert space.calendar_token == ""
    assert "no longer works" in response.content.decode()
    assert client.get(_feed_path(token)).status_code == 404


def test_member_cannot_renew(as_user, member, space, token):
    response = as_user(member).post(CALENDAR, {"action": "renew"})

    assert response.status_code == 403
    space.refresh_from_db()
    assert space.calendar_token == token


@pytest.mark.parametrize("action", ["", "delete", "<script>"])
def test_unknown_action_changes_nothing_and_says_why(as_user, facilitator, space, token, action):
    response = as_user(facilitator).post(CALENDAR, {"action": action}, follow=True)

    space.refresh_from_db()
    assert space.calendar_token == token
    assert "Choose to create, renew or turn off the address" in response.content.decode()


def test_outsider_gets_404(as_user, outsider, space):
    assert as_user(outsider).get(CALENDAR).status_code == 404


# One meeting as .ics ---------------------------------------------------------------------------


def test_member_downloads_one_meeting(as_user, member, meetings):
    meeting = meetings["planned"]

    response = as_user(member).get(f"{SPACE}/meetings/{meeting.pk}/meeting.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="frailty-huddle-march.ics"'
    calendar = _parse(response)
    (event,) = calendar.events
    assert str(event["UID"]) == f"meeting-{meeting.pk}@convening"
    assert event.start == meeting.starts_at
    assert event.start.utcoffset() == timedelta(0)
    assert SECRET_NOTES not in response.content.decode()


def test_meeting_title_with_no_letters_gets_a_plain_filename(as_user, member, space):
    meeting = MeetingFactory(space=space, title="???")

    response = as_user(member).get(f"{SPACE}/meetings/{meeting.pk}/meeting.ics")

    assert response["Content-Disposition"] == 'attachment; filename="meeting.ics"'


def test_meeting_of_another_space_is_404(as_user, member, programme):
    other = MeetingFactory(space__programme=programme)

    response = as_user(member).get(f"{SPACE}/meetings/{other.pk}/meeting.ics")

    assert response.status_code == 404


def test_each_saved_edit_raises_the_sequence_calendar_apps_follow(
    as_user, member, facilitator, meetings
):
    meeting = meetings["planned"]
    url = f"{SPACE}/meetings/{meeting.pk}/meeting.ics"
    (event,) = _parse(as_user(member).get(url)).events
    assert event["SEQUENCE"] == 0
    start = timezone.localtime(meeting.starts_at)
    plan = {
        "title": "Frailty huddle: March (moved)",
        "date_day": start.day,
        "date_month": start.month,
        "date_year": start.year,
        "start_time": "16:00",
        "end_time": "17:00",
        "format": "online",
        "version": "1",
    }
    response = as_user(facilitator).post(f"{SPACE}/meetings/{meeting.pk}/edit/", plan)
    assert response.status_code == 302
    (event,) = _parse(as_user(member).get(url)).events
    assert event["SEQUENCE"] == 1
    assert str(event["SUMMARY"]) == "Frailty huddle: March (moved)"
