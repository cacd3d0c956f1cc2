"""The feedback inbox: filtering, reading, acknowledging, answering by email and publishing
an answer as learning, and the bad input for each."""

import re

import pytest
from django.core import mail

from learning.models import BODY_MAX, Feedback, LearningEntry
from learning.views.feedback import question_title, quoted_markdown
from tests.factories import FeedbackFactory, InnovationFactory

F = "/programmes/virtual-wards/feedback/"
SCRIPT = '<script>alert("x")</script> & <b>bold</b>'


@pytest.fixture
def wards(programme):
    return InnovationFactory(programme=programme, name="Virtual ward for frailty", slug="frailty")


@pytest.fixture
def lead_client(as_user, lead):
    return as_user(lead)


def _item(innovation, **fields):
    defaults = {
        "name": "Sam Adopter",
        "email": "sam@example.org",
        "site": "Calderdale Royal",
        "kind": "question",
        "body": "How do you staff weekends?\nWe have two nurses.",
    }
    return FeedbackFactory(innovation=innovation, **{**defaults, **fields})


# The inbox ---------------------------------------------------------------------------------


def test_the_inbox_shows_open_feedback_newest_first_with_a_count_of_new(lead_client, wards):
    older = _item(wards, body="Older question")
    newer = _item(wards, body="Newer question\nsecond line", status="acknowledged", name="")
    _item(wards, body="Answered already", status="answered", response="Yes")
    page = lead_client.get(F).content.decode()
    assert page.index("Newer question") < page.index("Older question")
    assert "Answered already" not in page
    assert "second line" not in page  # only the first line
    assert "<strong>1</strong> new item of feedback" in page
    assert "Anonymous" in page
    assert "Sam Adopter" in page
    assert "Calderdale Royal" in page
    assert f"{F}{older.pk}/" in page
    assert f"{F}{newer.pk}/" in page


def test_the_inbox_filters_by_status_and_innovation(lead_client, programme, wards):
    other = InnovationFactory(programme=programme, name="Remote monitoring")
    _item(wards, body="Frailty answered", status="answered", response="Yes")
    _item(other, body="Monitoring new")
    _item(wards, body="Frailty new")
    page = lead_client.get(F + "?status=answered").content.decode()
    assert "Frailty answered" in page
    assert "Frailty new" not in page
    page = lead_client.get(f"{F}?innovation={other.pk}").content.decode()
    assert "Monitoring new" in page
    assert "Frailty new" not in page
    page = lead_client.get(F + "?status=all").content.decode()
    assert all(text in page for text in ("Frailty answered", "Monitoring new", "Frailty new"))


def test_unknown_filter_values_are_ignored(lead_client, wards):
    _item(wards, body="Still shown")
    other_programme_innovation = InnovationFactory()
    response = lead_client.get(
        f"{F}?status=deleted&innovation={other_programme_innovation.pk}&page=zz"
    )
    assert response.status_code == 200
    assert "Still shown" in response.content.decode()


def test_the_inbox_pages_by_fifty(lead_client, wards):
    for n in range(51):
        _item(wards, body=f"Question {n}")
    first = lead_client.get(F).content.decode()
    assert "Showing 1 to 50 of 51" in first
    second = lead_client.get(F + "?page=2").content.decode()
    assert "Question 0<" in second
    assert "Question 50<" not in second


def test_an_empty_inbox_says_so(lead_client, wards):
    assert "Nothing is waiting for an answer" in lead_client.get(F).content.decode()
    assert "No feedback matches" in lead_client.get(F + "?status=answered").content.decode()


def test_script_in_feedback_is_shown_escaped(lead_client, wards):
    item = _item(wards, body=SCRIPT, name="<i>Eve</i>", site="<img src=x>")
    for url in (F, f"{F}{item.pk}/"):
        page = lead_client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "<b>bold</b>" not in page
        assert "&lt;script&gt;alert" in page
        assert "<i>Eve</i>" not in page
        assert "<img src=x>" not in page


# The detail page ------------------------------------------------------------------------------


def test_the_detail_shows_the_full_text_and_the_sender(lead_client, wards):
    item = _item(wards)
    page = lead_client.get(f"{F}{item.pk}/").content.decode()
    assert "How do you staff weekends?<br>We have two nurses." in page
    assert "sam@example.org" in page
    assert "Sam Adopter" in page
    assert "Calderdale Royal" in page
    assert "Mark as acknowledged" in page
    assert "Send reply" in page


def test_acknowledging_by_plain_post_redirects_back(lead_client, wards):
    item = _item(wards)
    response = lead_client.post(f"{F}{item.pk}/status/", {"status": "acknowledged"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{F}{item.pk}/"
    item.refresh_from_db()
    assert item.status == Feedback.Status.ACKNOWLEDGED
    page = lead_client.get(f"{F}{item.pk}/").content.decode()
    assert "Marked as acknowledged." in page
    assert "Mark as new" in page


def test_acknowledging_by_htmx_returns_the_status_block(lead_client, wards):
    item = _item(wards)
    response = lead_client.post(
        f"{F}{item.pk}/status/", {"status": "acknowledged"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="feedback-status"' in html
    assert "Mark as new" in html
    assert 'hx-swap-oob="innerHTML">Marked as acknowledged.' in html
    assert "<h1" not in html
    assert "#status-heading" in response.headers["HX-Trigger-After-Settle"]
    item.refresh_from_db()
    assert item.status == Feedback.Status.ACKNOWLEDGED


@pytest.mark.parametrize("status", ["closed", "", "NEW"])
def test_an_unknown_status_is_refused(lead_client, wards, status):
    item = _item(wards)
    plain = lead_client.post(f"{F}{item.pk}/status/", {"status": status})
    assert plain.status_code == 400
    assert "Choose new, acknowledged or answered" in plain.content.decode()
    htmx = lead_client.post(
        f"{F}{item.pk}/status/", {"status": status}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 422
    assert "Choose new, acknowledged or answered" in htmx.content.decode()
    item.refresh_from_db()
    assert item.status == Feedback.Status.NEW


# Replying ---------------------------------------------------------------------------------


def test_a_reply_is_emailed_to_the_sender_and_marks_it_answered(
    lead_client, lead, wards, settings, django_capture_on_commit_callbacks
):
    item = _item(wards, body="How do you staff weekends?\nWe have two nurses.")
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(
            f"{F}{item.pk}/", {"response": "We use a shared rota across two wards."}
        )
    assert response.status_code == 302
    assert response.headers["Location"] == f"{F}{item.pk}/"
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["sam@example.org"]
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    assert email.subject == "Your feedback about Virtual ward for frailty"
    assert "Virtual ward for frailty" in email.body
    assert "> How do you staff weekends?\n> We have two nurses." in email.body
    assert "We use a shared rota across two wards." in email.body
    assert "/learn/virtual-wards/frailty/" in email.body
    item.refresh_from_db()
    assert item.status == Feedback.Status.ANSWERED
    assert item.response == "We use a shared rota across two wards."
    assert item.responded_by == lead
    assert item.responded_at is not None
    page = lead_client.get(f"{F}{item.pk}/").content.decode()
    assert "Your answer was sent to sam@example.org." in page


def test_the_email_is_plain_text_and_not_escaped(
    lead_client, wards, django_capture_on_commit_callbacks
):
    item = _item(wards, body="Is A & B < C?")
    with django_capture_on_commit_callbacks(execute=True):
        lead_client.post(f"{F}{item.pk}/", {"response": "Yes: A & B < C."})
    assert "> Is A & B < C?" in mail.outbox[0].body
    assert "Yes: A & B < C." in mail.outbox[0].body
    assert "&amp;" not in mail.outbox[0].body


def test_no_email_is_sent_when_none_was_given(
    lead_client, wards, django_capture_on_commit_callbacks
):
    item = _item(wards, email="")
    page = lead_client.get(f"{F}{item.pk}/").content.decode()
    assert "a reply cannot be emailed" in page
    assert "Save answer" in page
    assert "Send reply" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(f"{F}{item.pk}/", {"response": "Noted for the record."})
    assert response.status_code == 302
    assert mail.outbox == []
    item.refresh_from_db()
    assert item.status == Feedback.Status.ANSWERED
    assert item.response == "Noted for the record."


@pytest.mark.parametrize(
    ("response_text", "error"),
    [
        ("", "Enter your answer"),
        ("   ", "Enter your answer"),
        ("x" * (BODY_MAX + 1), "Keep your answer to 50,000 characters or fewer"),
    ],
)
def test_a_bad_reply_is_refused_and_keeps_the_text(
    lead_client, wards, django_capture_on_commit_callbacks, response_text, error
):
    item = _item(wards)
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(f"{F}{item.pk}/", {"response": response_text})
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    assert "There is a problem" in page
    if response_text.strip():
        assert response_text in page
    assert mail.outbox == []
    item.refresh_from_db()
    assert item.status == Feedback.Status.NEW
    assert item.response == ""


# Publishing the answer ------------------------------------------------------------------------


def test_publishing_makes_one_public_question_without_the_sender(lead_client, lead, wards):
    item = _item(
        wards,
        name="Sam Adopter",
        email="sam@example.org",
        body="How do you staff weekends? " + SCRIPT,
        status="answered",
        response="We use a **shared rota**.",
    )
    response = lead_client.post(f"{F}{item.pk}/publish/")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{F}{item.pk}/"
    entry = LearningEntry.objects.get()
    assert entry.kind == LearningEntry.Kind.QUESTION
    assert entry.visibility == LearningEntry.Visibility.PUBLIC
    assert entry.status == LearningEntry.Status.PUBLISHED
    assert entry.published_at is not None
    assert entry.programme == wards.programme
    assert entry.innovation == wards
    assert entry.author == lead
    assert entry.title.startswith("How do you staff weekends?")
    assert entry.body.startswith("> How do you staff weekends? &lt;script&gt;")
    assert "<script>" not in entry.body
    assert entry.body.endswith("We use a **shared rota**.")
    for private in ("Sam", "Adopter", "sam@example.org"):
        assert private not in entry.title
        assert private not in entry.body
    item.refresh_from_db()
    assert item.answer_entry == entry
    page = lead_client.get(f"{F}{item.pk}/").content.decode()
    assert "The answer is published as learning" in page
    assert f'href="/programmes/virtual-wards/learning/{entry.pk}/"' in page


def test_publishing_twice_makes_no_duplicate(lead_client, wards):
    item = _item(wards, status="answered", response="Yes.")
    lead_client.post(f"{F}{item.pk}/publish/")
    response = lead_client.post(f"{F}{item.pk}/publish/", follow=True)
    assert LearningEntry.objects.count() == 1
    assert "already published as learning" in response.content.decode()


@pytest.mark.parametrize("status", ["new", "acknowledged"])
def test_publishing_before_an_answer_is_refused(lead_client, wards, status):
    item = _item(wards, status=status)
    response = lead_client.post(f"{F}{item.pk}/publish/")
    assert response.status_code == 400
    assert "Answer the feedback before publishing" in response.content.decode()
    assert not LearningEntry.objects.exists()


def test_a_title_is_cut_at_a_word_to_fit():
    title = question_title("word " * 100)
    assert len(title) <= 200
    assert title.endswith("word…")
    assert question_title("  Short\n question ") == "Short question"


def test_the_quoted_question_escapes_markup_and_markdown():
    quoted = quoted_markdown("[click](javascript:alert(1)) <b>x</b>\r\n*not bold*")
    assert quoted == "> \\[click\\](javascript:alert(1)) &lt;b&gt;x&lt;/b&gt;\n> \\*not bold\\*"
    assert re.search(r"^> ", quoted, re.M)
