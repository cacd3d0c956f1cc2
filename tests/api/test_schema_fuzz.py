"""A property-based run over the API's OpenAPI schema with schemathesis (DESIGN section 14).

Every operation gets a bounded number of generated requests, signed in with a real read-and-write
token of a lead. Most requests name the programme and objects that exist, so generated bodies
and queries reach the code behind the routes rather than stopping at 404. No answer may be a
server error, and every answer the schema describes must match it.
"""

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import openapi
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from convening.api import api
from convening.models import Participant
from network import snapshots
from tests.factories import AttendanceFactory, ParticipantFactory
from tests.network.exported_story import introduce

from .conftest import fill_programme, make_token

EXAMPLES_PER_OPERATION = 25
OPERATIONS = [
    (method.upper(), path)
    for path, methods in api.get_openapi_schema()["paths"].items()
    for method in methods
]


def _with_a_network(programme, meeting_id: int) -> None:
    """People who may be named at the meeting, an introduction, and the snapshots, so the
    network's routes answer with rows rather than "not computed yet"."""
    Participant.objects.filter(programme=programme).update(consent_recorded=True)
    people = [ParticipantFactory(programme=programme, consent_recorded=True) for _ in range(2)]
    for person in people:
        AttendanceFactory(meeting_id=meeting_id, participant=person)
    introduce(programme, *people, status="met")
    snapshots.build_snapshots(programme.pk)


@pytest.fixture
def schema(db):
    """The schema as the running app serves it, with requests sent straight to its WSGI handler
    inside the test's transaction. Like Django's test client, the handler must not close the
    test's database connection at the start and end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_generated_requests_get_no_server_error_and_match_the_schema(
    schema, method, path, programme, lead, space
):
    ids = fill_programme(programme, space)
    if "/network" in path or "/introductions" in path:
        _with_a_network(programme, ids["meeting"])
    _token, text = make_token(lead, [programme])
    headers = {"Authorization": f"Bearer {text}"}
    real = {
        "slug": programme.slug,
        "space_slug": space.slug,
        "meeting_id": ids["meeting"],
        "entry_id": ids["entry"],
    }
    operation = schema[path][method]

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(case=operation.as_strategy(), use_real_ids=st.integers(0, 3))
    def run(case, use_real_ids):
        if use_real_ids and case.path_parameters:
            case.path_parameters.update(
                {name: real[name] for name in case.path_parameters if name in real}
            )
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    run()
