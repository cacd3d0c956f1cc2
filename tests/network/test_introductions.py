"""The introductions pages: suggestions, making an introduction (and its email), declining."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from convening.models import Participant, Sector
from network import introductions
from network.models import Introduction

from .intro_data import meeting, organisation, person

URL = "/programmes/virtual-wards/network/introductions/"
NEW = URL + "new/"


@pytest.fixture(autouse=True)
def _tasks_run_in_process(settings):
    """The email task runs here even when REDIS_URL is set (a real worker sends it in
    test_introduction_worker.py)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def pair(programme):
    """Two people of sectors that have never met, both free to be introduced."""
    ann = person(
        programme, "Ann Acute", organisation("Acute One", Sector.ACUTE), job_title="Ward sister"
    )
    val = person(programme, "Val Vcse", organisation("Voluntary One", Sector.VCSE))
    return ann, val


def _post(client, ann, val, **changes):
    data = {
        "person_a": str(ann.pk),
        "person_b": str(val.pk),
        "reason": "Their sectors have never met.",
        "message": "Dear Ann and Val,\r\n\r\nPlease meet.\r\n\r\nBest wishes",
    }
    data.update(changes)
    return client.post(NEW, data)


# The list -----------------------------------------------------------------------------------


def test_the_page_lists_suggestions_with_reasons_and_a_link_to_make_each(
    as_user, facilitator, pair
):
    ann, val = pair
    page = as_user(facilitator).get(URL).content.decode()
    assert "<h1>Introductions</h1>" in page
    assert "Nobody from Acute trust has met anyone from Voluntary and community sector" in page
    assert f"{NEW}?a={ann.pk}&amp;b={val.pk}&amp;reason=Nobody+from+Acute+trust" in page
    assert "No introductions made yet." in page


def test_a_programme_with_nobody_to_introduce_says_what_would_appear(as_user, lead):
    page = as_user(lead).get(URL).content.decode()
    assert "No introductions to suggest now." in page


def test_the_introductions_made_are_listed_with_status_who_and_how_many_met(
    as_user, lead, facilitator, programme, pair
):
    ann, val = pair
    third = person(programme, "Cy Third", organisation("Third", Sector.COMMISSIONER))
    made = Introduction.objects.create(
        programme=programme,
        person_a=ann,
        person_b=val,
        reason="Never met",
        message="m",
        made_by=facilitator,
    )
    low, high = sorted((ann, third), key=lambda p: p.pk)
    Introduction.objects.create(
        programme=programme,
        person_a=low,
        person_b=high,
        reason="Shared",
        message="m",
        status=Introduction.Status.MET,
        met_at=timezone.now(),
    )
    page = as_user(lead).get(URL).content.decode()
    assert "2 introductions made; 1 turned into a meeting." in page
    assert "Ann Acute and Val Vcse" in page
    assert "by Facilitator Person" in page
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Met</strong>' in page
    assert f"/introductions/{made.pk}/decline/" in page
    # Already introduced: not suggested again.
    assert f"?a={ann.pk}&amp;b={val.pk}" not in page


def test_a_person_who_withdrew_consent_to_be_recorded_is_not_named_in_the_list(
    as_user, lead, programme, pair
):
    ann, val = pair
    Introduction.objects.create(
        programme=programme, person_a=ann, person_b=val, reason="r", message="m"
    )
    Participant.objects.filter(pk=val.pk).update(consent_recorded=False)
    page = as_user(lead).get(URL).content.decode()
    assert "Ann Acute and a person not named" in page
    assert "Val Vcse" not in page


# Making one ---------------------------------------------------------------------------------


def test_a_suggestions_link_prefills_the_people_reason_and_message(as_user, facilitator, pair):
    ann, val = pair
    page = as_user(facilitator).get(NEW, {"a": ann.pk, "b": val.pk, "reason": "They never met."})
    text = page.content.decode()
    assert page.status_code == 200
    assert f'<option value="{ann.pk}" selected>Ann Acute (Acute One)</option>' in text
    assert f'<option value="{val.pk}" selected>Val Vcse (Voluntary One)</option>' in text
    assert "Dear Ann Acute and Val Vcse," in text
    assert "Ann Acute, Ward sister at Acute One, and Val Vcse, at Voluntary One." in text
    assert "Why I think you should talk: They never met." in text
    assert "Facilitator Person" in text


@pytest.mark.parametrize(
    "query", [{"a": "abc", "b": "9999999"}, {"a": "", "reason": "x" * 2000}], ids=["bad", "long"]
)
def test_a_bad_link_gives_the_empty_form_with_a_note_not_an_error(as_user, lead, pair, query):
    response = as_user(lead).get(NEW, query)
    assert response.status_code == 200
    if "b" in query:
        assert "A person in the link is not in this programme" in response.content.decode()


def test_making_an_introduction_records_it_and_emails_both(
    as_user, facilitator, pair, mailoutbox, django_capture_on_commit_callbacks, programme
):
    ann, val = pair
    client = as_user(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, val, ann)  # either order: stored lower id first
    assert response.status_code == 302
    assert response["Location"] == URL
    introduction = Introduction.objects.get()
    assert (introduction.person_a, introduction.person_b) == (ann, val)
    assert introduction.made_by == facilitator
    assert introduction.reason == "Their sectors have never met."
    assert introduction.status == Introduction.Status.MADE
    assert introduction.emailed_at is not None
    [email] = mailoutbox
    assert sorted(email.to) == [ann.email, val.email]
    assert email.subject == "An introduction: Ann Acute and Val Vcse"
    assert email.reply_to == [facilitator.email]
    assert email.body.startswith("Dear Ann and Val,\n\nPlease meet.\n\nBest wishes\n")
    assert "Facilitator Person made this introduction through Convening" in email.body
    html, kind = email.alternatives[0]
    assert kind == "text/html"
    assert "<p>Dear Ann and Val,</p>" in html
    assert "http://" in html or "https://" in html
    followed = client.get(URL).content.decode()
    assert "Introduction sent to Ann Acute and Val Vcse." in followed


def test_html_in_the_message_is_shown_as_text_in_the_html_email(
    as_user, lead, pair, mailoutbox, django_capture_on_commit_callbacks
):
    ann, val = pair
    with django_capture_on_commit_callbacks(execute=True):
        _post(as_user(lead), ann, val, message="<script>alert(1)</script> Hello")
    html = mailoutbox[0].alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_sending_twice_sends_once(pair, programme, lead, mailoutbox):
    ann, val = pair
    introduction = Introduction.objects.create(
        programme=programme, person_a=ann, person_b=val, reason="r", message="m", made_by=lead
    )
    assert introductions.send_introduction(introduction.pk) is True
    assert introductions.send_introduction(introduction.pk) is False
    assert introductions.send_pending_introductions() == 0
    assert len(mailoutbox) == 1


def test_an_introduction_whose_email_failed_waits_for_the_sweep(
    pair, programme, lead, mailoutbox, monkeypatch
):
    ann, val = pair
    introduction = Introduction.objects.create(
        programme=programme, person_a=ann, person_b=val, reason="r", message="m", made_by=lead
    )

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
        with pytest.raises(ConnectionRefusedError):
            introductions.send_introduction(introduction.pk)
    introduction.refresh_from_db()
    assert introduction.emailed_at is None
    assert introductions.send_pending_introductions() == 1
    assert len(mailoutbox) == 1


def _refused(response, text: str):
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert text in page
    assert not Introduction.objects.exists()
    return page


@pytest.mark.parametrize(
    ("change", "text"),
    [
        ({"consent_contact": False}, "Val Vcse has not agreed to be contacted"),
        ({"email": ""}, "Val Vcse has no email address"),
        ({"anonymised_at": timezone.now()}, "This person&#39;s details have been erased"),
        ({"consent_recorded": False}, "This person has not agreed to be recorded"),
    ],
    ids=["no consent to contact", "no email", "erased", "not recorded"],
)
def test_someone_who_may_not_be_introduced_is_refused_and_the_text_is_kept(
    as_user, lead, pair, change, text, mailoutbox
):
    ann, val = pair
    Participant.objects.filter(pk=val.pk).update(**change)
    page = _refused(_post(as_user(lead), ann, val, message="Kept words"), text)
    assert "Kept words" in page
    assert mailoutbox == []


def test_someone_of_another_programme_is_refused(as_user, lead, pair, other_programme):
    ann, _ = pair
    stranger = person(other_programme, "Sam Stranger", organisation("Elsewhere"))
    _refused(_post(as_user(lead), ann, stranger), "Choose someone in this programme.")


@pytest.mark.parametrize("value", ["", "abc", "-1", "99999999"])
def test_a_missing_or_unknown_person_is_refused(as_user, lead, pair, value):
    ann, _ = pair
    response = as_user(lead).post(
        NEW, {"person_a": str(ann.pk), "person_b": value, "reason": "r", "message": "m"}
    )
    assert response.status_code == 400
    assert not Introduction.objects.exists()


def test_a_person_cannot_be_introduced_to_themselves(as_user, lead, pair):
    ann, _ = pair
    _refused(_post(as_user(lead), ann, ann), "someone cannot be introduced to themselves")


def test_the_reason_and_message_are_required_and_limited(as_user, lead, pair):
    ann, val = pair
    _refused(_post(as_user(lead), ann, val, reason="", message=""), "Say why they should meet")
    page = _refused(
        _post(as_user(lead), ann, val, message="x" * 5001), "it is 1 character too long"
    )
    assert "x" * 5001 in page


def test_a_pair_already_introduced_gets_a_clear_message(as_user, lead, pair, programme):
    ann, val = pair
    Introduction.objects.create(
        programme=programme,
        person_a=ann,
        person_b=val,
        reason="r",
        message="m",
        status=Introduction.Status.DECLINED,
    )
    response = _post(as_user(lead), val, ann)
    assert response.status_code == 400
    assert "Ann Acute and Val Vcse were already introduced on" in response.content.decode()
    assert "(declined)" in response.content.decode()
    assert Introduction.objects.count() == 1


# Declining ----------------------------------------------------------------------------------


def test_declining_marks_it_declined_once(as_user, facilitator, pair, programme):
    ann, val = pair
    introduction = Introduction.objects.create(
        programme=programme, person_a=ann, person_b=val, reason="r", message="m"
    )
    client = as_user(facilitator)
    response = client.post(f"{URL}{introduction.pk}/decline/")
    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.DECLINED
    assert introduction.declined_at is not None
    assert "is marked declined" in client.get(URL).content.decode()
    client.post(f"{URL}{introduction.pk}/decline/")
    assert "is already declined" in client.get(URL).content.decode()


def test_a_met_introduction_cannot_be_declined(as_user, lead, pair, programme):
    ann, val = pair
    introduction = Introduction.objects.create(
        programme=programme,
        person_a=ann,
        person_b=val,
        reason="r",
        message="m",
        status=Introduction.Status.MET,
    )
    as_user(lead).post(f"{URL}{introduction.pk}/decline/")
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.MET


def test_an_introduction_made_through_the_page_is_marked_met_after_a_meeting(
    as_user, lead, pair, programme, django_capture_on_commit_callbacks
):
    ann, val = pair
    with django_capture_on_commit_callbacks(execute=True):
        _post(as_user(lead), ann, val)
    Introduction.objects.update(made_at=timezone.now() - timedelta(days=5))
    meeting(programme, ann, val, days_ago=1)
    assert introductions.mark_met(programme.pk) == 1
    assert "1 turned into a meeting" in as_user(lead).get(URL).content.decode()


# Data rights --------------------------------------------------------------------------------


def test_erasing_a_person_keeps_the_introduction_without_its_message(pair, programme, lead, client):
    from convening import personal_data

    ann, val = pair
    introduction = Introduction.objects.create(
        programme=programme,
        person_a=ann,
        person_b=val,
        reason="Ann Acute should meet Val",
        message="Dear Ann Acute and Val Vcse",
        made_by=lead,
    )
    person = personal_data.find_person(ann.email)
    data = personal_data.subject_access_data(person)
    assert "Dear Ann Acute and Val Vcse" in str(data)
    personal_data.erase(ann.email)
    introduction.refresh_from_db()
    assert introduction.message == ""
    assert introduction.reason == introductions.ERASED_REASON
    assert introduction.status == Introduction.Status.MADE
    client.force_login(lead)
    page = client.get(URL).content.decode()
    assert "Ann Acute" not in page
    assert "A person not named and Val Vcse" in page


def test_an_introduction_is_not_sent_to_someone_who_withdrew_consent_meanwhile(
    pair, programme, lead, mailoutbox
):
    ann, val = pair
    introduction = Introduction.objects.create(
        programme=programme, person_a=ann, person_b=val, reason="r", message="m", made_by=lead
    )
    Participant.objects.filter(pk=val.pk).update(consent_contact=False)
    assert introductions.send_introduction(introduction.pk) is False
    assert introductions.send_pending_introductions() == 0
    assert mailoutbox == []


def test_only_people_who_may_be_introduced_are_offered(as_user, lead, pair, programme):
    ann, _ = pair
    quiet = person(programme, "Quinn Quiet", organisation("Quiet Org"), consent_contact=False)
    page = as_user(lead).get(NEW).content.decode()
    assert f'<option value="{ann.pk}">Ann Acute (Acute One)</option>' in page
    assert f">{quiet.name}" not in page
