"""A session that is about to end warns first and can be kept going; a form sent after it ended
is kept and offered back after signing in, to the same person only."""

import re
import time

import pytest
from django.contrib.auth import get_user

from convening.middleware import SESSION_SEEN
from spaces.models import Meeting
from tests.factories import PASSWORD, MeetingFactory, UserFactory

SPACE = "/programmes/virtual-wards/spaces/frailty-huddle/"
NOTES = "We agreed to test the new rota on two wards.\nSam will report back in May."


@pytest.fixture
def meeting(space):
    return MeetingFactory(space=space, title="March huddle", status="held")


def _sign_in(client, user, at="/accounts/login/"):
    response = client.post(at, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _idle_for(client, minutes: int) -> None:
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - minutes * 60
    session.save()


def _log_post(meeting, **extra):
    return {
        "version": str(meeting.version),
        "notes": NOTES,
        "tensions": "",
        "decisions": "",
        "csrfmiddlewaretoken": "not-kept",
        **extra,
    }


# The warning


def test_signed_in_pages_carry_the_timeout_warning_with_its_timings(as_user, lead, settings):
    html = as_user(lead).get("/programmes/").content.decode()
    assert '<dialog class="convening-timeout" id="session-timeout"' in html
    assert f'data-idle-seconds="{settings.SESSION_IDLE_SECONDS}"' in html
    assert 'data-warn-seconds="300"' in html
    assert 'data-keep-url="/session/keep-signed-in/"' in html
    assert "js/session-timeout.mjs" in html
    assert "Stay signed in" in html


def test_pages_for_people_not_signed_in_have_no_warning(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert "session-timeout" not in html


def test_staying_signed_in_starts_the_idle_clock_again(client, lead):
    _sign_in(client, lead)
    _idle_for(client, 27)
    assert client.post("/session/keep-signed-in/").status_code == 204
    assert time.time() - client.session[SESSION_SEEN] < 5
    _idle_for(client, 0)
    assert client.get("/programmes/").status_code == 200


def test_staying_signed_in_is_too_late_once_the_session_has_ended(client, lead):
    _sign_in(client, lead)
    _idle_for(client, 31)
    response = client.post("/session/keep-signed-in/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


# Sent after the session ended


def test_a_log_saved_after_the_session_ended_is_kept_and_offered_back(client, facilitator, meeting):
    _sign_in(client, facilitator)
    log = f"{SPACE}meetings/{meeting.pk}/log/"
    client.get(log)
    _idle_for(client, 31)

    response = client.post(log, _log_post(meeting), headers={"Referer": f"http://testserver{log}"})

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={log}"
    assert not get_user(client).is_authenticated
    assert Meeting.objects.get(pk=meeting.pk).notes == ""

    response = _sign_in(client, facilitator, at=response.url)
    assert response.url == log
    page = client.get(log).content.decode()
    assert "You were signed out before your changes were saved" in page
    assert 'href="/signed-out-changes/"' in page

    offer = client.get("/signed-out-changes/").content.decode()
    assert f'<form method="post" action="{log}"' in offer
    assert "We agreed to test the new rota on two wards.\nSam will report back in May." in offer
    assert "not-kept" not in offer
    assert f'name="version" value="{meeting.version}"' in offer

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', offer).group(1)
    client.post(log, _log_post(meeting, csrfmiddlewaretoken=token))
    assert Meeting.objects.get(pk=meeting.pk).notes == NOTES.replace("\n", "\r\n") or NOTES
    assert "You were signed out" not in client.get("/programmes/").content.decode()


def test_an_htmx_save_after_the_session_ended_is_kept_too(client, facilitator, meeting):
    _sign_in(client, facilitator)
    log = f"{SPACE}meetings/{meeting.pk}/log/"
    _idle_for(client, 31)
    response = client.post(
        log,
        _log_post(meeting),
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{log}"},
    )
    assert response.headers["HX-Redirect"] == f"/accounts/login/?next={log}"
    _sign_in(client, facilitator)
    assert NOTES in client.get("/signed-out-changes/").content.decode()


def test_someone_else_signing_in_on_the_same_browser_is_not_offered_it(
    client, facilitator, meeting, programme
):
    _sign_in(client, facilitator)
    log = f"{SPACE}meetings/{meeting.pk}/log/"
    _idle_for(client, 31)
    client.post(log, _log_post(meeting))
    other = UserFactory(email="other@example.org")
    _sign_in(client, other)
    assert "We agreed" not in client.get("/signed-out-changes/").content.decode()
    assert "You were signed out before" not in client.get("/programmes/").content.decode()


def test_what_was_kept_can_be_discarded(client, facilitator, meeting):
    _sign_in(client, facilitator)
    log = f"{SPACE}meetings/{meeting.pk}/log/"
    _idle_for(client, 31)
    client.post(log, _log_post(meeting), headers={"Referer": f"http://testserver{log}"})
    _sign_in(client, facilitator)
    response = client.post("/signed-out-changes/discard/")
    assert response.url == log
    assert (
        "There is nothing waiting to be saved"
        in client.get("/signed-out-changes/").content.decode()
    )


def test_passwords_are_never_kept(client, lead):
    _sign_in(client, lead)
    _idle_for(client, 31)
    client.post("/accounts/password/change/", {"oldpassword": "secret-one", "password1": "x"})
    _sign_in(client, lead)
    assert "secret-one" not in client.get("/signed-out-changes/").content.decode()
