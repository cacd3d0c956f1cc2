"""The meeting pulse: anonymous answers through a signed link, and results from 3 answers."""

import re
import time
from unittest import mock

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from spaces import pulse
from spaces.models import PulseResponse
from tests.factories import MeetingFactory

SPACE = "/programmes/virtual-wards/spaces/frailty-huddle"
# Session, user, programme with role, space, space roles, meeting, the figures, the comments.
RESULTS_QUERIES = 8
GOOD = {"felt_safe": "4", "useful": "5", "stretching": "3", "new_connections": "2", "comment": ""}


@pytest.fixture
def meeting(space):
    return MeetingFactory(
        space=space,
        title="February get-together",
        starts_at=timezone.make_aware(timezone.datetime(2025, 2, 12, 14, 0)),
        status="held",
        location="Room 4, St James's",
        notes="Secret notes about the rota",
    )


@pytest.fixture
def link(meeting):
    return f"/pulse/{pulse.pulse_token(meeting)}/"


def _results_url(meeting) -> str:
    return f"{SPACE}/meetings/{meeting.pk}/pulse/"


def _answer(meeting, number: int, **overrides) -> PulseResponse:
    answers = {
        "felt_safe": 4,
        "useful": 3,
        "stretching": 5,
        "new_connections": 1,
        "comment": "",
        **overrides,
    }
    return PulseResponse.objects.create(meeting=meeting, respondent_key=f"{number:064x}", **answers)


def _text(response) -> str:
    return " ".join(response.content.decode().split())


# Answering -------------------------------------------------------------------------------------


def test_form_shows_the_meeting_title_and_date_and_the_questions(client, link):
    response = client.get(link)

    assert response.status_code == 200
    html = _text(response)
    assert "February get-together, 12 February 2025" in html
    for question in (
        "I felt safe to speak",
        "The meeting was useful to me",
        "The meeting stretched my thinking",
        "How many new connections did you make?",
        "Do not name anyone",
    ):
        assert question in html
    assert html.count('type="radio"') == 15
    assert html.count("<h1") == 1


def test_form_reveals_nothing_else_about_the_meeting(client, link, programme):
    html = client.get(link).content.decode()

    assert "St James" not in html
    assert "Secret notes" not in html
    assert programme.name not in html
    assert "Frailty huddle" not in html  # the space's name
    assert "/programmes/" not in html


def test_form_sets_a_private_long_lived_browser_cookie(client, link, settings):
    settings.SESSION_COOKIE_SECURE = False

    response = client.get(link)

    cookie = response.cookies["convening_pulse"]
    assert len(cookie.value) >= 40
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/pulse/"
    assert int(cookie["max-age"]) >= 365 * 24 * 60 * 60
    assert not cookie["secure"]


def test_cookie_is_secure_when_session_cookies_are(client, link, settings):
    settings.SESSION_COOKIE_SECURE = True

    assert client.get(link).cookies["convening_pulse"]["secure"] is True


def test_answer_is_saved_once_with_only_a_hash_of_the_browser(client, link, meeting):
    client.get(link)
    browser_id = client.cookies["convening_pulse"].value

    response = client.post(link, {**GOOD, "comment": "More time for questions, please."})

    assert response.status_code == 302
    assert response["Location"] == link
    answer = PulseResponse.objects.get()
    assert (answer.felt_safe, answer.useful, answer.stretching) == (4, 5, 3)
    assert answer.new_connections == 2
    assert answer.comment == "More time for questions, please."
    assert answer.meeting == meeting
    assert re.fullmatch(r"[0-9a-f]{64}", answer.respondent_key)
    assert browser_id not in answer.respondent_key
    assert answer.respondent_key == pulse.respondent_key(meeting, browser_id)


def test_after_answering_the_page_thanks_and_offers_no_form(client, link):
    client.get(link)

    response = client.post(link, GOOD, follow=True)

    html = _text(response)
    assert "Thank you. Your answers are saved." in html
    assert "You have already answered" in html
    assert "Send answers" not in html


def test_a_post_without_visiting_the_form_first_still_counts_once(client, link):
    assert client.post(link, GOOD).status_code == 302
    assert client.post(link, GOOD).status_code == 409
    assert PulseResponse.objects.count() == 1


def test_second_answer_from_the_same_browser_is_refused(client, link):
    client.get(link)
    client.post(link, GOOD)

    again = client.post(link, {**GOOD, "felt_safe": "1"})

    assert again.status_code == 409
    assert "You have already answered" in _text(again)
    assert PulseResponse.objects.get().felt_safe == 4
    assert "You have already answered" in _text(client.get(link))


def test_two_fast_posts_from_one_browser_save_once(client, link, meeting):
    """Both pass the 'already answered?' check; the unique constraint stops the second."""
    client.get(link)
    with mock.patch("spaces.pulse.has_answered", return_value=False):
        first = client.post(link, GOOD)
        second = client.post(link, GOOD)

    assert first.status_code == 302
    assert second.status_code == 409
    assert "You have already answered" in _text(second)
    assert PulseResponse.objects.count() == 1


def test_another_browser_can_answer_too(client, link):
    client.post(link, GOOD)

    other_browser = Client()
    assert other_browser.post(link, GOOD).status_code == 302
    assert PulseResponse.objects.count() == 2


def test_same_browser_answers_each_meeting_once(client, link, space):
    other_meeting = MeetingFactory(space=space, status="held")
    client.post(link, GOOD)

    response = client.post(f"/pulse/{pulse.pulse_token(other_meeting)}/", GOOD)

    assert response.status_code == 302
    keys = set(PulseResponse.objects.values_list("respondent_key", flat=True))
    assert len(keys) == 2  # the same browser gives unrelated keys for different meetings


def test_a_mangled_cookie_is_replaced(client, link):
    client.cookies["convening_pulse"] = "<script>"

    response = client.get(link)

    assert response.cookies["convening_pulse"].value != "<script>"


# Links that cannot be used ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "1:abc:def",
        "",
    ],
)
def test_forged_link_is_not_valid(client, meeting, token):
    response = client.get(f"/pulse/{token}/" if token else "/pulse/x/")

    assert response.status_code == 404
    assert "This link is not valid" in _text(response)


def test_link_changed_to_another_meeting_is_not_valid(client, link, meeting, space):
    other = MeetingFactory(space=space, status="held")
    _meeting_id, stamp, signature = pulse.pulse_token(meeting).split(":")
    forged = f"{other.pk}:{stamp}:{signature}"

    response = client.post(f"/pulse/{forged}/", GOOD)

    assert response.status_code == 404
    assert "This link is not valid" in _text(response)
    assert not PulseResponse.objects.exists()


def test_link_signed_for_something_else_is_not_valid(client, meeting):
    token = signing.TimestampSigner(salt="another-purpose").sign(str(meeting.pk))

    assert client.get(f"/pulse/{token}/").status_code == 404


def test_link_for_a_deleted_meeting_is_not_valid(client, link, meeting):
    meeting.delete()

    response = client.get(link)

    assert response.status_code == 404
    assert "This link is not valid" in _text(response)


def _token_made_days_ago(meeting, days: float) -> str:
    with mock.patch("django.core.signing.time.time", return_value=time.time() - days * 86400):
        return pulse.pulse_token(meeting)


def test_link_older_than_14_days_has_expired(client, meeting):
    link = f"/pulse/{_token_made_days_ago(meeting, 14.01)}/"

    response = client.post(link, GOOD)

    assert response.status_code == 410
    assert "This link has expired" in _text(response)
    assert not PulseResponse.objects.exists()


def test_link_13_days_old_still_works(client, meeting):
    link = f"/pulse/{_token_made_days_ago(meeting, 13)}/"

    assert client.post(link, GOOD).status_code == 302


def test_domain_helpers_raise_clear_errors(meeting):
    with pytest.raises(pulse.PulseLinkInvalid):
        pulse.meeting_from_pulse_token("forged")
    with pytest.raises(pulse.PulseLinkExpired):
        pulse.meeting_from_pulse_token(_token_made_days_ago(meeting, 15))
    assert pulse.meeting_from_pulse_token(pulse.pulse_token(meeting)) == meeting


def test_planned_meeting_does_not_take_answers_yet(client, space):
    planned = MeetingFactory(space=space, status="planned", title="Next huddle")
    link = f"/pulse/{pulse.pulse_token(planned)}/"

    page = client.get(link)
    post = client.post(link, GOOD)

    assert page.status_code == 200
    assert "This meeting is not open for answers" in _text(page)
    assert "recorded that the meeting took place" in _text(page)
    assert "Send answers" not in _text(page)
    assert post.status_code == 409
    assert not PulseResponse.objects.exists()


def test_cancelled_meeting_does_not_take_answers(client, space):
    cancelled = MeetingFactory(space=space, status="cancelled")

    response = client.post(f"/pulse/{pulse.pulse_token(cancelled)}/", GOOD)

    assert response.status_code == 409
    assert "This meeting was cancelled" in _text(response)
    assert not PulseResponse.objects.exists()


# Bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("felt_safe", "", "Choose how far you felt safe to speak"),
        ("felt_safe", "0", "Choose a number from 1 to 5"),
        ("useful", "6", "Choose a number from 1 to 5"),
        ("stretching", "three", "Choose a number from 1 to 5"),
        ("new_connections", "", "Enter how many new connections you made, or 0"),
        ("new_connections", "-1", "The number of new connections cannot be less than 0"),
        ("new_connections", "lots", "Enter a whole number, like 0 or 3"),
        ("new_connections", "2.5", "Enter a whole number, like 0 or 3"),
        ("new_connections", "100", "Enter a number of new connections up to 99"),
        ("comment", "x" * 2001, "Comment must be 2,000 characters or fewer"),
    ],
)
def test_bad_input_is_explained_kept_and_not_saved(client, link, field, value, message):
    data = {**GOOD, "comment": "Keep my words", field: value}

    response = client.post(link, data)

    assert response.status_code == 400
    html = _text(response)
    assert "There is a problem" in html
    assert html.count(message) == 2  # in the error summary and next to the field
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Error: " in html
    assert not PulseResponse.objects.exists()
    if field != "comment":
        assert "Keep my words</textarea>" in html
    if field in ("new_connections",) and value:
        assert f'value="{value}"' in html
    if field != "useful":
        assert 'value="5" checked' in html  # the other answers are kept


def test_comment_with_html_is_stored_as_text_and_shown_escaped(as_user, lead, link, meeting):
    for number in range(2):
        _answer(meeting, number)
    Client().post(link, {**GOOD, "comment": "<script>alert(1)</script>"})

    html = as_user(lead).get(_results_url(meeting)).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# Results ---------------------------------------------------------------------------------------


def test_results_below_3_answers_show_only_the_count(as_user, facilitator, meeting):
    _answer(meeting, 1, felt_safe=1, comment="Nobody listened to me")
    _answer(meeting, 2, felt_safe=2)

    response = as_user(facilitator).get(_results_url(meeting))

    assert response.status_code == 200
    html = _text(response)
    assert "2 people have answered." in html
    assert "Results show once 3 or more people have answered" in html
    assert "Nobody listened" not in html
    assert "out of 5" not in html
    assert "Felt safe to speak" not in html


def test_results_with_one_answer_use_the_singular(as_user, facilitator, meeting):
    _answer(meeting, 1)

    assert "1 person has answered." in _text(as_user(facilitator).get(_results_url(meeting)))


def test_results_from_3_answers_show_averages_connections_and_comments(
    as_user, facilitator, meeting
):
    _answer(meeting, 1, felt_safe=5, useful=4, stretching=3, new_connections=0, comment="Good")
    _answer(meeting, 2, felt_safe=4, useful=4, stretching=2, new_connections=3)
    _answer(meeting, 3, felt_safe=2, useful=5, stretching=2, new_connections=4, comment="Long")

    html = _text(as_user(facilitator).get(_results_url(meeting)))

    assert re.search(r"People who answered </dt> <dd[^>]*> 3 ", html)
    assert "3.7 out of 5" in html  # felt safe
    assert "4.3 out of 5" in html  # useful
    assert "2.3 out of 5" in html  # stretching
    assert "7 in all, 2.3 per person" in html
    assert "<li>Good</li>" in html
    assert "<li>Long</li>" in html
    assert "without dates" in html
    assert str(timezone.localdate().year) not in html.split("Comments")[1]


def test_results_summary_is_computed_in_the_domain(meeting):
    for number, score in enumerate((1, 2)):
        _answer(meeting, number, useful=score)
    hidden = pulse.pulse_results(meeting)
    _answer(meeting, 9, useful=5, comment="Worth it")
    shown = pulse.pulse_results(meeting)

    assert (hidden.count, hidden.shown, hidden.useful, hidden.comments) == (2, False, None, ())
    assert hidden.still_needed == 1
    assert (shown.count, shown.shown, shown.useful, shown.comments) == (3, True, 2.7, ("Worth it",))


def test_results_page_gives_a_working_absolute_pulse_link(as_user, facilitator, meeting):
    html = _text(as_user(facilitator).get(_results_url(meeting)))

    address = re.search(r'<input class="nhsuk-input" id="pulse-url"[^>]*>', html).group()
    assert 'readonly="readonly"' in address
    url = re.search(r'value="(http://testserver/pulse/[^"]+/)"', address).group(1)
    assert Client().get(url.removeprefix("http://testserver")).status_code == 200


def test_results_of_a_planned_meeting_explain_when_answers_open(as_user, lead, space):
    planned = MeetingFactory(space=space, status="planned")

    html = _text(as_user(lead).get(_results_url(planned)))

    assert "Answers open once the meeting is logged as held" in html
    assert 'id="pulse-url"' in html


def test_results_of_a_cancelled_meeting_offer_no_link(as_user, lead, space):
    cancelled = MeetingFactory(space=space, status="cancelled")

    html = _text(as_user(lead).get(_results_url(cancelled)))

    assert 'id="pulse-url"' not in html
    assert "cancelled, so it has no pulse" in html


def test_member_cannot_see_results(as_user, member, meeting):
    assert as_user(member).get(_results_url(meeting)).status_code == 403


def test_facilitator_of_another_space_cannot_see_results(as_user, facilitator, programme):
    other = MeetingFactory(space__programme=programme, space__slug="other-space", status="held")

    response = as_user(facilitator).get(
        f"/programmes/virtual-wards/spaces/other-space/meetings/{other.pk}/pulse/"
    )

    assert response.status_code == 403


def test_outsider_gets_404(as_user, outsider, meeting):
    assert as_user(outsider).get(_results_url(meeting)).status_code == 404


def test_meeting_of_another_space_is_404(as_user, lead, programme):
    other = MeetingFactory(space__programme=programme, status="held")

    assert as_user(lead).get(f"{SPACE}/meetings/{other.pk}/pulse/").status_code == 404


def test_results_query_count_is_the_same_for_3_and_60_answers(as_user, lead, meeting):
    client = as_user(lead)

    def count() -> int:
        client.get(_results_url(meeting))  # settle session bookkeeping
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_results_url(meeting))
        assert response.status_code == 200
        return len(queries)

    for number in range(3):
        _answer(meeting, number, comment=f"Comment {number}")
    small = count()
    for number in range(3, 60):
        _answer(meeting, number, comment=f"Comment {number}")
    large = count()
    assert small == large == RESULTS_QUERIES


def test_pulse_answer_query_count_does_not_grow_with_answers(client, link, meeting):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(link)
        assert response.status_code == 200
        return len(queries)

    small = count()
    for number in range(60):
        _answer(meeting, number)
    assert count() == small
