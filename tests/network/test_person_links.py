"""People's names on programme pages link to their person page for leads and facilitators,
and for a member only their own name; organisations' names link to their page for everyone
(convening/people_links.py, templates/components/people.jinja)."""

from __future__ import annotations

import pytest

from convening.people_links import PERSON_PAGE_VIEWERS
from network.access import PEOPLE_VIEWERS
from tests.factories import ActionFactory

from .people_pages import P, build_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(programme, space, lead):
    return build_story(programme, space)


def _body(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _person_link(person) -> str:
    return f'<a href="{P}/people/{person.pk}/">{person.name}</a>'


def test_core_and_the_network_agree_on_who_opens_anyones_person_page():
    assert set(PERSON_PAGE_VIEWERS) == set(PEOPLE_VIEWERS)


@pytest.mark.parametrize("role", ["lead", "facilitator"])
def test_leads_and_facilitators_get_every_attendees_name_as_a_link(request, client, story, role):
    meeting = story.meetings[1]
    body = _body(
        client,
        request.getfixturevalue(role),
        f"/programmes/virtual-wards/spaces/frailty-huddle/meetings/{meeting.pk}/",
    )
    for person in (story.alice, story.carol, story.mine, story.facilitators):
        assert _person_link(person) in body
    assert f'href="{P}/organisations/{story.calder.pk}/">Calderdale Council</a>' in body


def test_a_member_gets_only_their_own_name_as_a_link(client, member, story):
    meeting = story.meetings[1]
    body = _body(
        client, member, f"/programmes/virtual-wards/spaces/frailty-huddle/meetings/{meeting.pk}/"
    )
    assert _person_link(story.mine) in body
    assert "Alice Ashworth" in body
    assert _person_link(story.alice) not in body
    assert f"{P}/people/{story.alice.pk}/" not in body


def test_space_members_action_owners_and_the_people_list_link_names(
    client, lead, member, story, programme
):
    ActionFactory(programme=programme, owner=story.bob, title="Write to the council")
    for url in (
        "/programmes/virtual-wards/spaces/frailty-huddle/",
        "/programmes/virtual-wards/actions/",
        "/programmes/virtual-wards/people/",
    ):
        assert _person_link(story.bob) in _body(client, lead, url), url
        assert _person_link(story.bob) not in _body(client, member, url), url
    people = _body(client, member, "/programmes/virtual-wards/people/")
    assert _person_link(story.mine) in people
    assert f'href="{P}/organisations/{story.leeds.pk}/">Leeds Teaching Hospitals</a>' in people
