"""Shared fixtures: a programme with one user in each role, and an outsider."""

import os
import uuid
from contextlib import contextmanager

import pytest

from convening.models import Membership

from .factories import MembershipFactory, ProgrammeFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("CONVENING_REQUIRE_SERVICES") == "1"


def pytest_collection_modifyitems(config, items):
    """With pytest-xdist (`make test` runs two processes), keep the tests that share a module's
    Celery worker in one process, so each such worker starts once. Every worker has its own
    queue and node name (tests/worker.py) and each test its own cache prefix, so the two
    processes never take each other's tasks or keys in the one Redis."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if "_celery_worker_process" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


def skip_or_fail(reason: str) -> None:
    """Skip for a missing service or browser, except where CI requires them all."""
    if REQUIRE_SERVICES:
        pytest.fail(f"CONVENING_REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """A fresh cache namespace per test, so rate limits and cached flags never leak between
    tests, without flushing a Redis database that a broker may share."""
    caches = {name: dict(config) for name, config in settings.CACHES.items()}
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def programme(db):
    return ProgrammeFactory(name="Virtual wards across West Yorkshire", slug="virtual-wards")


def _member(programme, role, email):
    user = UserFactory(email=email, name=f"{role.label} Person")
    MembershipFactory(programme=programme, user=user, role=role)
    return user


@pytest.fixture
def lead(programme):
    return _member(programme, Membership.Role.LEAD, "lead@example.org")


@pytest.fixture
def facilitator(programme):
    return _member(programme, Membership.Role.FACILITATOR, "facilitator@example.org")


@pytest.fixture
def member(programme):
    return _member(programme, Membership.Role.MEMBER, "member@example.org")


@pytest.fixture
def other_programme(db):
    """Another programme on the same installation, led by the outsider."""
    return ProgrammeFactory(name="Stroke rehabilitation at home", slug="stroke-rehab")


@pytest.fixture
def outsider(other_programme):
    """Signed in and the lead of another programme, but not a member of this one: whatever
    stops them is the programme, never a missing role."""
    user = UserFactory(email="outsider@example.org", name="Outside Person")
    MembershipFactory(programme=other_programme, user=user, role=Membership.Role.LEAD)
    return user


@pytest.fixture
def as_user(client):
    """Sign the test client in as a user: `as_user(lead)`."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def space(programme, facilitator, member):
    """A space in the programme that the facilitator facilitates and the member belongs to.

    Each user has a participant record in the programme, linked to their account."""
    from .factories import AdaptiveSpaceFactory, ParticipantFactory, SpaceMemberFactory

    space = AdaptiveSpaceFactory(programme=programme, name="Frailty huddle", slug="frailty-huddle")
    for user, role in ((facilitator, "facilitator"), (member, "participant")):
        participant = ParticipantFactory(
            programme=programme, name=user.name, email=user.email, user=user
        )
        SpaceMemberFactory(space=space, participant=participant, role=role)
    return space


@contextmanager
def celery_configured(**values):
    """Override the Celery app's own configuration for a while, then drop the overrides, so that
    Django settings (which tests change with the `settings` fixture) apply to it again.
    Assigning the old values back would leave them pinned over the settings for good."""
    from convening.celery import app

    changes = app.conf.changes
    before = {key: changes[key] for key in values if key in changes}
    app.conf.update(values)
    try:
        yield app
    finally:
        for key in values:
            changes.pop(key, None)
        changes.update(before)
