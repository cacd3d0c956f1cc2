"""Who may read and answer feedback to innovators (DESIGN section 5): only the programme's
leads. Facilitators and members get 403, outsiders 404, anonymous visitors the sign-in page."""

import pytest

from tests.access import (
    LOGIN,
    OK,
    VISITORS,
    AccessCase,
    cases_by_id,
    cases_with_ids,
    check_access,
    check_other_programme_ids,
    htmx_fragments,
)
from tests.factories import FeedbackFactory, InnovationFactory

P = "/programmes/virtual-wards"
F = P + "/feedback"
ITEM = F + "/{feedback}"
LEADS_ONLY = {"anonymous": LOGIN, "outsider": 404, "member": 403, "facilitator": 403, "lead": OK}
# The inbox's filter is not a lookup: an innovation that is not the programme's is ignored
# (test_feedback.py), so with another programme's the inbox answers as it does with ours.
INBOX_FILTER = F + "/?status=answered&innovation={innovation}"

CASES = [
    AccessCase("feedback_inbox", F + "/", LEADS_ONLY),
    AccessCase("feedback_export", F + "/export.csv", LEADS_ONLY),
    AccessCase("feedback_export", F + "/export.xlsx?status=all", LEADS_ONLY),
    AccessCase("feedback_inbox", INBOX_FILTER, LEADS_ONLY),
    AccessCase("feedback_detail", ITEM + "/", LEADS_ONLY),
    AccessCase(
        "feedback_detail", ITEM + "/", LEADS_ONLY, method="post", data={"response": "Thank you."}
    ),
    AccessCase(
        "feedback_status", ITEM + "/status/", LEADS_ONLY, "post", {"status": "acknowledged"}
    ),
    AccessCase("feedback_publish", F + "/{answered}/publish/", LEADS_ONLY, method="post"),
]
# Answered by htmx with the block that changed, not a redirect.
CASES = htmx_fragments(CASES, {"feedback_status"})


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


def _objects(programme) -> dict:
    innovation = InnovationFactory(programme=programme)
    return {
        "innovation": innovation.pk,
        "feedback": FeedbackFactory(innovation=innovation).pk,
        "answered": FeedbackFactory(
            innovation=innovation, status="answered", response="We use a rota."
        ).pk,
    }


@pytest.fixture
def objects(programme):
    return _objects(programme)


@pytest.fixture
def other_objects(other_programme):
    """The same kinds of object in the outsider's programme."""
    return _objects(other_programme)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_with_ids(CASES))
def test_other_programme_ids(client, case, visitor, users, other_objects):
    if case.url == INBOX_FILTER:
        check_access(client, case, visitor, users, other_objects)
    else:
        check_other_programme_ids(client, case, visitor, users, other_objects)


def test_another_programmes_innovation_in_the_filter_shows_none_of_its_feedback(
    client, users, objects, other_objects
):
    from learning.models import Feedback

    Feedback.objects.filter(pk=objects["answered"]).update(body="Ours: who staffs it?")
    Feedback.objects.filter(pk=other_objects["answered"]).update(body="Theirs: who pays?")
    client.force_login(users["lead"])
    page = client.get(INBOX_FILTER.format(**other_objects)).content.decode()
    assert "Theirs: who pays?" not in page
    assert "Ours: who staffs it?" in page  # the filter is ignored: ours are shown


HTMX_EXPECT = {"outsider": 404, "member": 403, "facilitator": 403, "lead": 200}


@pytest.mark.parametrize("visitor", VISITORS)
def test_htmx_status_change_access(client, visitor, users, objects):
    if visitor != "anonymous":
        client.force_login(users[visitor])
    response = client.post(
        f"{F}/{objects['feedback']}/status/",
        {"status": "acknowledged"},
        headers={"HX-Request": "true"},
    )
    if visitor == "anonymous":
        assert response.headers["HX-Redirect"].startswith("/accounts/login/")
        return
    assert response.status_code == HTMX_EXPECT[visitor], response.status_code
    if visitor == "lead":
        assert 'id="feedback-status"' in response.content.decode()


def test_feedback_of_another_programme_is_not_found_even_for_a_lead(client, lead):
    other = FeedbackFactory(status="answered", response="Elsewhere.")
    client.force_login(lead)
    assert client.get(f"{F}/{other.pk}/").status_code == 404
    assert client.post(f"{F}/{other.pk}/", {"response": "Hi"}).status_code == 404
    assert client.post(f"{F}/{other.pk}/status/", {"status": "new"}).status_code == 404
    assert client.post(f"{F}/{other.pk}/publish/").status_code == 404
    other.refresh_from_db()
    assert other.response == "Elsewhere."
    assert other.answer_entry is None


def test_a_facilitator_cannot_answer_or_publish(client, facilitator, objects):
    from learning.models import Feedback, LearningEntry

    client.force_login(facilitator)
    client.post(f"{F}/{objects['feedback']}/", {"response": "Not mine to say"})
    client.post(f"{F}/{objects['answered']}/publish/")
    assert Feedback.objects.get(pk=objects["feedback"]).response == ""
    assert not LearningEntry.objects.exists()
