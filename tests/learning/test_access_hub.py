"""Who may read the learning hub (DESIGN section 5): as the programme sets it, the public,
anyone signed in, or its members only. Anyone else gets 404."""

import pytest

from convening.models import Membership, Programme
from learning.contact import contact_id
from tests.access import (
    OK,
    VISITORS,
    AccessCase,
    cases_by_id,
    cases_with_ids,
    check_access,
    check_other_programme_ids,
)
from tests.factories import (
    AdoptionFactory,
    InnovationFactory,
    LearningEntryFactory,
    MembershipFactory,
    ParticipantFactory,
    ProgrammeFactory,
)

EVERYONE = dict.fromkeys(VISITORS, OK)
SIGNED_IN = {**EVERYONE, "anonymous": 404}
MEMBERS = {**SIGNED_IN, "outsider": 404}
HUBS = {
    "hub-public": EVERYONE,
    "hub-signed-in": SIGNED_IN,
    "virtual-wards": MEMBERS,  # the default programme: members only
}
SUBSCRIBE = {"email": "reader@example.org", "scope": "innovation", "frequency": "daily"}
FEEDBACK = {"kind": "question", "body": "Does it work at weekends?"}
CONTACT = {"name": "Sam", "email": "sam@example.org", "body": "How did you staff it?"}


def _cases_for(slug: str, expect: dict) -> list[AccessCase]:
    hub = f"/learn/{slug}/"
    innovation = hub + "monitoring/"
    entry = innovation + "learning/{" + slug.replace("-", "_") + "}/"
    contact = innovation + "contact/{" + slug.replace("-", "_") + "_contact}/"
    return [
        AccessCase("hub_programme", hub, expect),
        AccessCase("hub_programme_feed", hub + "feed/", expect),
        AccessCase("hub_innovation", innovation, expect),
        AccessCase("hub_innovation", innovation + "?kind=adaptation&audience=patients", expect),
        AccessCase("hub_innovation_feed", innovation + "feed/", expect),
        AccessCase("hub_entry", entry, expect),
        AccessCase("hub_subscribe", innovation + "subscribe/", expect),
        # Email-only subscriptions are for public hubs; elsewhere the form refuses (400) and
        # members subscribe from their account instead.
        AccessCase(
            "hub_subscribe",
            innovation + "subscribe/",
            expect if expect is EVERYONE else {v: 400 if r == OK else r for v, r in expect.items()},
            "post",
            SUBSCRIBE,
        ),
        AccessCase("hub_feedback", innovation + "feedback/", expect),
        AccessCase("hub_feedback", innovation + "feedback/", expect, "post", FEEDBACK),
        AccessCase("hub_contact", contact, expect),
        AccessCase("hub_contact", contact, expect, "post", CONTACT),
    ]


CASES = [
    AccessCase("hub_index", "/learn/", EVERYONE),
    *(case for slug, expect in HUBS.items() for case in _cases_for(slug, expect)),
]


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


@pytest.fixture
def objects(programme, users):
    """A hub of each visibility, each with the same lead, facilitator and member, an
    innovation called "monitoring" and one public published entry."""
    programmes = [
        ProgrammeFactory(slug="hub-public", hub_visibility=Programme.HubVisibility.PUBLIC),
        ProgrammeFactory(slug="hub-signed-in", hub_visibility=Programme.HubVisibility.SIGNED_IN),
    ]
    for other in programmes:
        for role in ("lead", "facilitator", "member"):
            MembershipFactory(programme=other, user=users[role], role=Membership.Role(role))
    ids = {}
    for hub in [*programmes, programme]:
        ids.update(_hub_objects(hub, [hub.slug]))
    return ids


def _hub_objects(hub, slugs) -> dict:
    """In `hub`, an innovation called "monitoring" with one public published entry and one
    local lead who may be contacted: their ids, under the names the URLs of each of `slugs`
    use."""
    innovation = InnovationFactory(programme=hub, slug="monitoring")
    entry = LearningEntryFactory(programme=hub, innovation=innovation, visibility="public")
    entry.publish()
    person = ParticipantFactory(programme=hub, consent_contact=True)
    AdoptionFactory(innovation=innovation, local_lead=person)
    ids = {}
    for slug in slugs:
        name = slug.replace("-", "_")
        ids |= {name: entry.pk, name + "_contact": contact_id(innovation, person)}
    return ids


@pytest.fixture
def other_objects(other_programme):
    """The same kinds of object in the outsider's programme, whose hub is public and whose
    innovation is also called "monitoring", so only the programme tells them apart: tried on
    each of this file's hubs."""
    other_programme.hub_visibility = Programme.HubVisibility.PUBLIC
    other_programme.save(update_fields=["hub_visibility"])
    return _hub_objects(other_programme, HUBS)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_with_ids(CASES))
def test_other_programme_ids(client, case, visitor, users, objects, other_objects):
    check_other_programme_ids(client, case, visitor, users, other_objects)


def test_the_other_programmes_ids_answer_on_its_own_hub(client, other_programme, other_objects):
    """So the 404s above come from the programme in the URL, not from the ids."""
    innovation = f"/learn/{other_programme.slug}/monitoring/"
    entry, contact = other_objects["hub_public"], other_objects["hub_public_contact"]
    assert client.get(f"{innovation}learning/{entry}/").status_code == 200
    assert client.get(f"{innovation}contact/{contact}/").status_code == 200


@pytest.mark.parametrize("visitor", ["anonymous", "outsider"])
def test_a_hidden_hub_never_names_its_programme(client, programme, visitor, users, objects):
    if visitor != "anonymous":
        client.force_login(users[visitor])
    for path in ("", "feed/", "monitoring/", "monitoring/feed/", "monitoring/feedback/"):
        response = client.get(f"/learn/virtual-wards/{path}")
        assert response.status_code == 404, path
        assert programme.name not in response.content.decode()
        assert "monitoring" not in response.content.decode().lower()
