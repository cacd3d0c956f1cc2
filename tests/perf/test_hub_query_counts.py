"""The learning hub runs the same number of queries at any size, and the anonymous innovation
page stays under 12 (the issue's target). Nothing is cached between requests to get there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convening.models import Membership, Programme
from learning.models import Audience, LearningEntry, Narrative
from tests.factories import (
    AdoptionFactory,
    InnovationFactory,
    LearningEntryFactory,
    MembershipFactory,
    NarrativeFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
    UserFactory,
)

HUB = "/learn/open-wards/"
INNOVATION = HUB + "remote-monitoring/"
# Pinned: a change that adds a query to one of these pages must change this table on purpose.
# Anonymous: the programme, when it last changed, then what the page shows.
BUDGET = {
    "hub_index": ("/learn/", 2),
    "hub_programme": (HUB, 4),
    "hub_programme_feed": (HUB + "feed/", 3),
    # programme, innovation, last change, learning count and page, adaptations, success
    # stories, narratives, adoptions with their leads, facilitators who may be contacted
    "hub_innovation": (INNOVATION, 10),
    "hub_innovation_filtered": (INNOVATION + "?kind=adaptation&audience=patients", 10),
    "hub_innovation_feed": (INNOVATION + "feed/", 4),
    "hub_entry": (INNOVATION + "learning/{entry}/", 4),
    "hub_subscribe": (INNOVATION + "subscribe/", 2),
    "hub_feedback": (INNOVATION + "feedback/", 2),
}
# Signed in adds the session and the user, and the hub's membership check is one query too.
SIGNED_IN_EXTRA = 2
KINDS = list(LearningEntry.Kind.values)
AUDIENCES = list(Audience.values)


@pytest.fixture
def hub(db):
    programme = ProgrammeFactory(slug="open-wards", hub_visibility=Programme.HubVisibility.PUBLIC)
    innovation = InnovationFactory(programme=programme, slug="remote-monitoring")
    return programme, innovation


def _grow(programme, innovation, size: int) -> None:
    """Learning of every kind, narratives, adoptions with leads, and contacts, some consenting."""
    for n in range(size):
        site = OrganisationFactory()
        lead = ParticipantFactory(
            programme=programme, organisation=site, consent_contact=n % 2 == 0
        )
        AdoptionFactory(innovation=innovation, organisation=site, local_lead=lead)
        user = UserFactory()
        MembershipFactory(programme=programme, user=user, role=Membership.Role.FACILITATOR)
        ParticipantFactory(programme=programme, user=user, consent_contact=n % 3 == 0)
        author = UserFactory()
        ParticipantFactory(programme=programme, user=author, consent_named=n % 2 == 0)
        entry = LearningEntryFactory(
            programme=programme,
            innovation=innovation if n % 5 else None,
            kind=KINDS[n % len(KINDS)],
            visibility="public",
            site=site,
            author=author,
            body="**Markdown** and\n\n- a list",
        )
        entry.publish()
        other = InnovationFactory(programme=programme)
        NarrativeFactory(innovation=other, audience=AUDIENCES[n % len(AUDIENCES)])
    for audience in AUDIENCES[:size]:
        Narrative.objects.get_or_create(
            innovation=innovation, audience=audience, defaults={"body": "What it means for you."}
        )


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _measure(client, hub, page: str) -> tuple[int, int, int]:
    programme, innovation = hub
    entry = LearningEntryFactory(
        programme=programme, innovation=innovation, visibility="public", kind="adaptation"
    )
    entry.publish()
    url = BUDGET[page][0].format(entry=entry.pk)
    _grow(programme, innovation, 3)
    small = _count(client, url)
    _grow(programme, innovation, 45)
    large = _count(client, url)
    return small, large, BUDGET[page][1]


@pytest.mark.parametrize("page", list(BUDGET))
def test_anonymous_hub_pages_run_the_same_queries_at_two_sizes(client, hub, page):
    small, large, pinned = _measure(client, hub, page)
    assert small == large, f"{page}: {small} queries at the small size, {large} at the large"
    assert large == pinned, f"{page}: {large} queries, pinned at {pinned}"


def test_the_anonymous_innovation_page_is_under_twelve_queries(client, hub):
    _, large, _ = _measure(client, hub, "hub_innovation")
    assert large < 12


@pytest.mark.parametrize("page", ["hub_programme", "hub_innovation", "hub_entry"])
def test_signed_in_hub_pages_run_the_same_queries_at_two_sizes(client, hub, page):
    client.force_login(UserFactory())
    small, large, pinned = _measure(client, hub, page)
    assert small == large, f"{page}: {small} queries at the small size, {large} at the large"
    assert large == pinned + SIGNED_IN_EXTRA, f"{page}: {large} queries signed in"


def test_the_contact_form_runs_the_same_queries_at_two_sizes(client, hub):
    """Programme, innovation, adoptions with their leads, facilitators who may be contacted."""
    from learning.contact import contact_id

    programme, innovation = hub
    person = ParticipantFactory(programme=programme, consent_contact=True)
    AdoptionFactory(innovation=innovation, local_lead=person)
    url = f"{INNOVATION}contact/{contact_id(innovation, person)}/"
    _grow(programme, innovation, 3)
    small = _count(client, url)
    _grow(programme, innovation, 45)
    large = _count(client, url)
    assert small == large
    assert large == 4
