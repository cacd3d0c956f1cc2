"""Production settings, the content security policy, session limits and htmx sign-in."""

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

from convening.middleware import SESSION_SEEN, SESSION_STARTED

ROOT = Path(__file__).resolve().parents[2]
# Variables the test run sets for itself; production must not inherit them.
TEST_ONLY = {
    "SECRET_KEY",
    "SECURE_SSL_REDIRECT",
    "REQUIRE_MFA_FOR_LEADS",
    "SITE_URL",
    "WHITENOISE_USE_FINDERS",
    "STATICFILES_MANIFEST",
    "DEBUG",
    "SECURE_COOKIES",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def _manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="convening.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_example_placeholder_or_a_short_secret_key():
    for key in ("change-me-to-a-long-random-string", "too-short"):
        result = _manage("check", SECRET_KEY=key)
        assert result.returncode != 0
        assert "50 characters or more" in result.stderr


def test_pages_carry_a_policy_with_no_inline_script_and_no_eval(client):
    response = client.get("/accessibility/")
    policy = response.headers["Content-Security-Policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "'nonce-" in script_src
    nonce = script_src.split("'nonce-")[1].split("'")[0]
    body = response.content.decode()
    # The one inline script (from the NHS page template) carries the nonce.
    assert body.count("<script>") == 0
    assert f'<script nonce="{nonce}">' in body


def test_htmx_is_configured_without_eval_and_sends_the_csrf_token_from_body(as_user, lead):
    body = as_user(lead).get("/programmes/").content.decode()
    assert '"allowEval": false' in body
    assert '"includeIndicatorStyles": false' in body
    assert 'hx-headers="{&#34;X-CSRFToken&#34;: &#34;' in body or "X-CSRFToken" in body
    assert "hx-on" not in body


def test_session_ends_after_thirty_minutes_idle(as_user, lead):
    client = as_user(lead)
    assert client.get("/programmes/").status_code == 200
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/programmes/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")


def test_session_ends_after_twelve_hours_however_busy(as_user, lead):
    client = as_user(lead)
    client.get("/programmes/")
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - 12 * 3600 - 1
    session[SESSION_SEEN] = int(time.time())
    session.save()
    assert client.get("/programmes/").status_code == 302


def test_an_active_session_carries_on(as_user, lead):
    client = as_user(lead)
    client.get("/programmes/")
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - 20 * 60
    session.save()
    assert client.get("/programmes/").status_code == 200


def test_session_cookie_lasts_thirty_minutes_and_is_secure_in_production(settings):
    from django.conf import settings as live

    assert live.SESSION_COOKIE_AGE == 30 * 60
    assert live.SESSION_MAX_SECONDS == 12 * 3600
    assert live.SESSION_COOKIE_SECURE is True
    assert live.CSRF_COOKIE_SECURE is True


def test_an_htmx_request_after_the_session_ends_is_redirected_not_swapped(client, programme):
    response = client.get(
        "/programmes/virtual-wards/people/?q=a",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/programmes/virtual-wards/people/",
    )
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["HX-Redirect"] == (
        "/accounts/login/?next=/programmes/virtual-wards/people/"
    )


def test_a_plain_request_after_the_session_ends_goes_to_sign_in(client, programme):
    response = client.get("/programmes/virtual-wards/")
    assert response.headers["Location"] == "/accounts/login/?next=/programmes/virtual-wards/"


def test_healthz_reports_database_and_cache_without_personal_data(client, lead):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "lead@example.org" not in response.content.decode()


def test_jobs_run_in_process_only_when_no_broker_is_configured():
    from django.conf import settings

    assert settings.CELERY_TASK_ALWAYS_EAGER is (not settings.REDIS_URL)
    assert settings.CELERY_TASK_SERIALIZER == "json"
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert settings.CELERY_TASK_TIME_LIMIT > settings.CELERY_TASK_SOFT_TIME_LIMIT > 0


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_with_redis_configured_the_cache_is_redis():
    from django.core.cache import caches

    cache = caches["default"]
    cache.set("probe", "value", 5)
    assert type(cache).__name__ == "ResilientRedisCache"
    assert cache.get("probe") == "value"
    assert cache.ping() is True
