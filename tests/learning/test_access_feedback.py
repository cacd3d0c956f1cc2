"""Who may read and answer feedback to innovators (DESIGN section 5): only the programme's
leads. Facilitators and members get 403, outsiders 404, anonymous visitors the sign-in page."""

import pytest

from tests.access import LOGIN, OK, VISITORS, AccessCase, cases_by_id, check_access
from tests.factories import FeedbackFactory, InnovationFactory

P = "/programmes/virtual-wards"
F = P + "/feedback"
ITEM = F + "/{feedback}"
LEADS_ONLY = {"anonymous": LOGIN, "outsider": 404, "member": 403, "facilitator": 403, "lead": OK}

CASES = [
    AccessCase("feedback_inbox", F + "/", LEADS_ONLY),
    AccessCase("feedback_inbox", F + "/?status=answered&innovation={innovation}", LEADS_ONLY),
    AccessCase("feedback_detail", ITEM + "/", LEADS_ONLY),
    AccessCase(
        "feedback_detail", ITEM + "/", LEADS_ONLY, method="post", data={"response": "Thank you."}
    ),
    AccessCase(
        "feedback_status", ITEM + "/status/", LEADS_ONLY, "post", {"status": "acknowledged"}
    ),
    AccessCase("feedback_publish", F + "/{answered}/publish/", LEADS_ONLY, method="post"),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.fixture
def objects(programme):
    innovation = InnovationFactory(programme=programme)
    return {
        "innovation": innovation.pk,
        "feedback": FeedbackFactory(innovation=innovation).pk,
        "answered": FeedbackFactory(
            innovation=innovation, status="answered", response="We use a rota."
        ).pk,
    }


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
def test_access(client, case, visitor, users, objects):
    check_access(client, case, visitor, users, objects)


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
