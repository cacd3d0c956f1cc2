"""What the JSON API sends and accepts: pages, updated_since, contact details, the Chatham
House rule, writes through the pages' rules, bad input, rate limits and CSRF."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from convening.models import ApiToken, Participant
from learning.models import LearningEntry
from spaces.models import Attendance, Meeting
from tests.factories import (
    AdaptiveSpaceFactory,
    LearningEntryFactory,
    MeetingFactory,
    ParticipantFactory,
    SpaceMemberFactory,
)

from .conftest import bearer, make_token

A = "/api/programmes/virtual-wards"


def _put(client, url, body, text):
    return client.put(url, json.dumps(body), content_type="application/json", **bearer(text))


def _post(client, url, body, text):
    return client.post(url, json.dumps(body), content_type="application/json", **bearer(text))


@pytest.fixture
def lead_token(lead, programme):
    return make_token(lead, [programme])[1]


# Tokens ------------------------------------------------------------------------------------------


def test_a_token_is_stored_only_as_a_keyed_hash(lead, programme):
    token, text = make_token(lead, [programme])
    secret = text.split("_", 2)[2]
    assert secret not in token.secret_hash
    assert len(token.secret_hash) == 64
    assert ApiToken.objects.authenticate(text) == token
    assert ApiToken.objects.authenticate(text[:-1] + ("A" if text[-1] != "A" else "B")) is None


def test_a_token_records_when_it_was_last_used(client, lead, programme):
    token, text = make_token(lead, [programme])
    assert client.get("/api/programmes", **bearer(text)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer cvn_abc_def", "Bearer " + "x" * 500])
def test_a_bad_token_is_401_even_with_a_session(client, lead, programme, header):
    client.force_login(lead)
    response = client.get("/api/programmes", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_the_tokens_page_shows_a_new_token_once(as_user, lead, programme):
    client = as_user(lead)
    day = timezone.localdate() + timedelta(days=10)
    response = client.post(
        "/accounts/api-tokens/",
        {
            "name": "Board pack",
            "programmes": programme.pk,
            "access": "write",
            "expires_on_day": day.day,
            "expires_on_month": day.month,
            "expires_on_year": day.year,
        },
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    text = response.content.decode().split('class="convening-token">')[1].split("<")[0]
    assert ApiToken.objects.authenticate(text) == token
    assert token.can_write
    assert list(token.programmes.all()) == [programme]
    assert response["Cache-Control"].startswith("max-age=0")
    again = client.get("/accounts/api-tokens/").content.decode()
    assert "Board pack" in again
    assert text not in again


@pytest.mark.parametrize(
    ("days", "message"),
    [(0, "must be in the future"), (366, "at most a year from today")],
)
def test_a_token_expires_within_a_year(as_user, lead, programme, days, message):
    day = timezone.localdate() + timedelta(days=days)
    response = as_user(lead).post(
        "/accounts/api-tokens/",
        {
            "name": "Too long",
            "programmes": programme.pk,
            "access": "read",
            "expires_on_day": day.day,
            "expires_on_month": day.month,
            "expires_on_year": day.year,
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'value="Too long"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_at_once(as_user, client, lead, programme):
    token, text = make_token(lead, [programme])
    as_user(lead).post(f"/accounts/api-tokens/{token.pk}/revoke/")
    client.logout()
    assert Client().get("/api/programmes", **bearer(text)).status_code == 401
    assert "Revoked" in as_user(lead).get("/accounts/api-tokens/").content.decode()


# Reading -----------------------------------------------------------------------------------------


def test_lists_come_in_pages_with_a_cursor(client, lead_token, space):
    made = [MeetingFactory(space=space).pk for _ in range(5)]
    seen, url = [], f"{A}/meetings?limit=2"
    while url:
        page = client.get(url, **bearer(lead_token)).json()
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        url = f"{A}/meetings?limit=2&cursor={page['next_cursor']}" if page["next_cursor"] else ""
    assert seen == sorted(made)


@pytest.mark.parametrize("cursor", ["bm90LWEtbnVtYmVy", "!!", "A" * 41])
def test_a_cursor_we_did_not_give_is_422(client, lead_token, cursor):
    response = client.get(f"{A}/meetings?cursor={cursor}", **bearer(lead_token))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "cursor"]


def test_updated_since_lists_only_what_changed(client, lead_token, space):
    old = MeetingFactory(space=space, title="Old")
    old.history.update(history_date=timezone.now() - timedelta(days=3))
    changed = MeetingFactory(space=space, title="Changed")
    changed.history.update(history_date=timezone.now() - timedelta(days=3))
    changed.title = "Changed again"
    changed.save()
    since = (timezone.now() - timedelta(days=1)).isoformat()
    response = client.get(f"{A}/meetings", {"updated_since": since}, **bearer(lead_token))
    assert [item["title"] for item in response.json()["items"]] == ["Changed again"]


@pytest.mark.parametrize(
    ("role", "sees_email"), [("lead", True), ("facilitator", True), ("member", False)]
)
def test_contact_details_are_for_leads_and_facilitators(
    client, request, programme, space, role, sees_email
):
    user = request.getfixturevalue(role)
    _token, text = make_token(user, [programme])
    people = client.get(f"{A}/participants", **bearer(text)).json()["items"]
    emails = {person["email"] for person in people}
    if sees_email:
        assert "member@example.org" in emails
    else:
        assert emails == {None}


def test_chatham_house_notes_only_for_leads_and_the_spaces_members(
    client, programme, space, lead, facilitator, member
):
    closed = AdaptiveSpaceFactory(programme=programme, confidentiality="chatham_house")
    person = Participant.objects.get(programme=programme, user=member)
    SpaceMemberFactory(space=closed, participant=person)
    meeting = MeetingFactory(space=closed, status="held", notes="Said in the room")
    url = f"{A}/meetings/{meeting.pk}"
    for user, reads in ((lead, True), (member, True), (facilitator, False)):
        _token, text = make_token(user, [programme])
        body = client.get(url, **bearer(text)).json()
        assert (body["notes"] == "Said in the room") is reads, user
        listed = client.get(f"{A}/meetings", **bearer(text)).json()["items"]
        assert (listed[0]["notes"] is not None) is reads


def test_space_only_learning_is_for_the_spaces_members(client, programme, lead, facilitator):
    closed = AdaptiveSpaceFactory(programme=programme, confidentiality="chatham_house")
    entry = LearningEntryFactory(
        programme=programme,
        visibility="space",
        source_meeting=MeetingFactory(space=closed),
        author=lead,
    )
    _token, text = make_token(facilitator, [programme])
    assert client.get(f"{A}/learning", **bearer(text)).json()["items"] == []
    assert client.get(f"{A}/learning/{entry.pk}", **bearer(text)).status_code == 404
    _token, text = make_token(lead, [programme])
    item = client.get(f"{A}/learning/{entry.pk}", **bearer(text)).json()
    assert item["byline"] == "A member of the programme"  # never named under Chatham House


# Writing -----------------------------------------------------------------------------------------

LOG = {
    "title": "Frailty huddle, January",
    "date": "2026-01-05",
    "start_time": "10:00",
    "end_time": "11:00",
}


def test_logging_a_meeting_records_it_as_the_page_does(client, lead, lead_token, space):
    response = _post(
        client,
        f"{A}/spaces/frailty-huddle/meetings",
        {
            **LOG,
            "notes": "Agreed a form.\x00",
            "practices": ["1.1"],
            "attendance": [{"email": "MEMBER@example.org", "status": "apologies"}],
        },
        lead_token,
    )
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert meeting.status == "held"
    assert meeting.logged_by == lead
    assert meeting.notes == "Agreed a form."
    assert [p.code for p in meeting.practices.select_related("area")] == ["1.1"]
    assert [(a.participant.email, a.status) for a in meeting.attendances.all()] == [
        ("member@example.org", "apologies")
    ]
    assert meeting.history.first().history_user == lead


def test_saving_a_log_replaces_the_attendance_and_bumps_the_version(client, lead_token, space):
    meeting = MeetingFactory(space=space, status="held")
    people = [ParticipantFactory(programme=space.programme) for _ in range(2)]
    Attendance.objects.create(meeting=meeting, participant=people[0])
    url = f"{A}/meetings/{meeting.pk}/log"
    body = {**LOG, "version": meeting.version, "attendance": [{"participant_id": people[1].pk}]}
    response = _put(client, url, body, lead_token)
    assert response.status_code == 200, response.content
    assert response.json()["version"] == meeting.version + 1
    assert [a["participant_id"] for a in response.json()["attendance"]] == [people[1].pk]


def test_a_stale_version_is_409_with_the_current_one(client, lead_token, space):
    meeting = MeetingFactory(space=space, status="held")
    url = f"{A}/meetings/{meeting.pk}/log"
    assert _put(client, url, {**LOG, "version": 1, "notes": "First"}, lead_token).status_code == 200
    response = _put(client, url, {**LOG, "version": 1, "notes": "Second"}, lead_token)
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    meeting.refresh_from_db()
    assert meeting.notes == "First"


@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        ({"end_time": "09:00"}, "end_time", "The end time must be after the start time"),
        ({"title": ""}, "title", "Enter a title"),
        ({"title": "x" * 201}, "title", "200 characters"),
        ({"notes": "x" * 50_001}, "notes", "50,000 characters"),
        ({"date": "2999-01-01"}, "date", "has not started yet"),
        ({"start_time": "25:00"}, "start_time", "Enter a time like 14:00"),
        ({"practices": ["11.1"]}, "practices", "No such practice"),
        ({"format": "carrier pigeon"}, "format", ""),
        ({"surprise": True}, "surprise", "Extra inputs are not permitted"),
        ({"attendance": [{"participant_id": 1, "email": "a@b.c"}]}, "attendance", ""),
    ],
)
def test_bad_input_is_422_naming_the_field(client, lead_token, space, change, loc, message):
    response = _post(client, f"{A}/spaces/frailty-huddle/meetings", {**LOG, **change}, lead_token)
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert any(loc in error["loc"] and message in error["msg"] for error in detail), detail
    assert not Meeting.objects.exists()


def test_a_person_of_another_programme_is_not_an_attendee(
    client, lead_token, space, other_programme
):
    stranger = ParticipantFactory(programme=other_programme, email="stranger@example.org")
    for who in ({"participant_id": stranger.pk}, {"email": "stranger@example.org"}):
        body = {**LOG, "attendance": [who]}
        response = _post(client, f"{A}/spaces/frailty-huddle/meetings", body, lead_token)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "payload", "attendance", 0]


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe", b'{"title": ' + b'"x' * 10])
def test_a_malformed_body_is_400_or_422(client, lead_token, space, body):
    response = client.post(
        f"{A}/learning", body, content_type="application/json", **bearer(lead_token)
    )
    assert response.status_code in (400, 422)
    assert "detail" in response.json()


def test_an_oversized_body_is_400(client, lead_token, space, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"title": "Big", "body": "x" * 2000}
    response = _post(client, f"{A}/learning", body, lead_token)
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is too large"}


def test_draft_learning_is_made_by_the_pages_form(client, member, programme, space):
    _token, text = make_token(member, [programme])
    body = {"title": "Huddles work", "body": "<script>x</script>", "areas": [4]}
    response = _post(client, f"{A}/learning", body, text)
    assert response.status_code == 201, response.content
    entry = LearningEntry.objects.get()
    assert (entry.status, entry.author, entry.visibility) == ("draft", member, "programme")
    review = {"title": "Old", "review_by": "2000-01-01"}
    response = _post(client, f"{A}/learning", review, text)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "review_by"]


# Limits and CSRF ---------------------------------------------------------------------------------


def test_too_many_requests_get_429_with_retry_after(client, lead_token, settings):
    settings.API_RATE_LIMIT = "3/m"
    statuses = [client.get("/api/programmes", **bearer(lead_token)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/programmes", **bearer(lead_token))
    assert 0 < int(response["Retry-After"]) <= 60


def test_each_token_has_its_own_limit(client, lead, programme, settings):
    settings.API_RATE_LIMIT = "1/m"
    first, second = make_token(lead, [programme])[1], make_token(lead, [programme])[1]
    assert client.get("/api/programmes", **bearer(first)).status_code == 200
    assert client.get("/api/programmes", **bearer(second)).status_code == 200
    assert client.get("/api/programmes", **bearer(first)).status_code == 429


def test_the_browser_session_reads_and_needs_csrf_to_write(lead, space):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(lead)
    assert browser.get("/api/programmes").status_code == 200
    body = json.dumps({"title": "From the browser"})
    url = f"{A}/learning"
    assert browser.post(url, body, content_type="application/json").status_code == 403
    browser.get("/accounts/api-tokens/")  # sets the CSRF cookie, as any page does
    csrf = browser.cookies["csrftoken"].value
    response = browser.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201


def test_a_token_needs_no_csrf(lead, programme, space):
    _token, text = make_token(lead, [programme])
    api_client = Client(enforce_csrf_checks=True)
    body = json.dumps({"title": "From a script"})
    response = api_client.post(
        f"{A}/learning", body, content_type="application/json", **bearer(text)
    )
    assert response.status_code == 201


def test_the_docs_are_served_from_our_own_static_files(client):
    page = client.get("/api/docs")
    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # no inline script: the policy allows none
    assert "script-src 'self'" in page["Content-Security-Policy"]
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.1")


@pytest.mark.parametrize(
    "since", ["0001-01-01T00:00:00+10:00", "9999-12-31T23:59:59-10:00", "yesterday"]
)
def test_an_updated_since_out_of_range_is_422(client, lead_token, since):
    response = client.get(f"{A}/meetings", {"updated_since": since}, **bearer(lead_token))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "updated_since"]


def test_an_updated_since_without_an_offset_is_uk_time(client, lead_token, space):
    meeting = MeetingFactory(space=space)
    saved = timezone.localtime(meeting.history.get().history_date).replace(tzinfo=None)
    after = (saved + timedelta(seconds=1)).isoformat()
    before = (saved - timedelta(seconds=1)).isoformat()
    for since, count in ((before, 1), (after, 0)):
        response = client.get(f"{A}/meetings", {"updated_since": since}, **bearer(lead_token))
        assert len(response.json()["items"]) == count
