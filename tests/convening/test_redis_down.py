"""With Redis stopped, signing in and every public form go on working: the cache falls back to
the process's memory (so rate limits still count) and nothing anyone sent is lost."""

import socket

import pytest
from django.contrib.auth import get_user
from django.core.cache import cache

from convening.models import Programme
from learning.models import Feedback, Subscription
from spaces import pulse
from spaces.models import PulseResponse
from tests.factories import PASSWORD, InnovationFactory, MeetingFactory, ProgrammeFactory


def _port_with_nothing_listening() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_stopped(settings):
    """The cache configured as in production, at the address of a Redis that is not running."""
    settings.CACHES = {
        "default": {
            "BACKEND": "convening.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_port_with_nothing_listening()}/0",
        }
    }


@pytest.fixture
def innovation(db):
    programme = ProgrammeFactory(slug="open-wards", hub_visibility=Programme.HubVisibility.PUBLIC)
    return InnovationFactory(programme=programme, slug="remote-monitoring")


HUB = "/learn/open-wards/remote-monitoring/"


@pytest.mark.usefixtures("redis_stopped")
def test_signing_in_works_while_redis_is_stopped(client, lead):
    response = client.post("/accounts/login/", {"login": lead.email, "password": PASSWORD})
    assert response.status_code == 302
    assert get_user(client).pk == lead.pk


@pytest.mark.usefixtures("redis_stopped")
def test_sign_in_rate_limits_still_count_while_redis_is_stopped(client, lead):
    for _ in range(5):
        client.post("/accounts/login/", {"login": lead.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"login": lead.email, "password": PASSWORD})
    assert "Too many sign-in attempts" in response.content.decode()
    assert not get_user(client).is_authenticated


@pytest.mark.usefixtures("redis_stopped")
def test_hub_feedback_is_stored_while_redis_is_stopped(client, innovation):
    response = client.post(
        HUB + "feedback/", {"kind": "problem", "body": "The readings app logs us out."}
    )
    assert response.status_code == 302
    assert Feedback.objects.get().body == "The readings app logs us out."


@pytest.mark.usefixtures("redis_stopped")
def test_hub_subscription_is_kept_while_redis_is_stopped(client, innovation):
    response = client.post(
        HUB + "subscribe/",
        {
            "email": "reader@example.org",
            "scope": "innovation",
            "frequency": "weekly",
            "weekday": "0",
        },
    )
    assert response.status_code == 302
    assert Subscription.objects.filter(email="reader@example.org").exists()


@pytest.mark.usefixtures("redis_stopped")
def test_pulse_answer_is_stored_while_redis_is_stopped(client, space):
    meeting = MeetingFactory(space=space, status="held")
    link = f"/pulse/{pulse.pulse_token(meeting)}/"
    client.get(link)
    client.post(link, {"felt_safe": "4", "useful": "5", "stretching": "3", "new_connections": "2"})
    assert PulseResponse.objects.filter(meeting=meeting).count() == 1


@pytest.mark.usefixtures("redis_stopped")
@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/accounts/password/reset/", {"email": "someone@example.org"}),
        ("/accounts/login/code/", {"email": "someone@example.org"}),
    ],
)
def test_account_forms_answer_without_a_server_error_while_redis_is_stopped(client, db, url, data):
    assert client.post(url, data).status_code in (200, 302)


@pytest.mark.usefixtures("redis_stopped")
def test_healthz_says_the_cache_is_down_while_redis_is_stopped(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error"


@pytest.mark.usefixtures("redis_stopped")
def test_a_stopped_redis_costs_one_short_wait_not_one_per_call():
    import time

    started = time.monotonic()
    for number in range(20):
        cache.set(f"k{number}", number)
    assert [cache.get(f"k{number}") for number in range(20)] == list(range(20))
    assert time.monotonic() - started < 3
