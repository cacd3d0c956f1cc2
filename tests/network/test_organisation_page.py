"""The organisation page (DESIGN section 11): its people (named to leads and facilitators, with
consent; counted for members), its sites' adoption, the meetings its people attended, and its
ties to other organisations from the current snapshot."""

from __future__ import annotations

import re

import pytest

from convening.personal_data import erase
from network.snapshots import build_snapshots
from tests.factories import (
    AdoptionFactory,
    InnovationFactory,
    OrganisationFactory,
    ParticipantFactory,
)

from .people_pages import P, build_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(programme, space, lead):
    return build_story(programme, space)


def _page(client, user, organisation, query: str = "") -> str:
    """The page's HTML with runs of white space made one space."""
    client.force_login(user)
    response = client.get(f"{P}/organisations/{organisation.pk}/{query}")
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_lead_sees_its_named_people_and_a_count_of_the_rest(client, lead, story):
    page = _page(client, lead, story.calder)
    assert "<h1>Calderdale Council</h1>" in page
    people = page.split('id="people"')[1].split('id="adoption"')[0]
    assert "Bob Brennan" in people
    assert f'href="{P}/people/{story.bob.pk}/"' in people
    assert "Carol Cheung" not in page
    assert "1 person not named" in people


def test_a_member_sees_a_count_of_its_people_and_no_names(client, member, story):
    page = _page(client, member, story.calder)
    people = page.split('id="people"')[1].split('id="adoption"')[0]
    assert "2 people from Calderdale Council take part in this programme" in people
    assert "Bob Brennan" not in page
    assert "Carol Cheung" not in page


def test_its_adoption_meetings_and_ties_are_shown(client, member, story, programme):
    falls = InnovationFactory(programme=programme, name="Falls app")
    AdoptionFactory(innovation=falls, organisation=story.calder, stage="testing")
    page = _page(client, member, story.calder)
    assert "Falls app" in page
    assert "Testing" in page
    meetings = page.split('id="meetings"')[1].split('id="ties"')[0]
    assert "3 held meetings" in meetings
    assert "Huddle one" in meetings
    assert "Carers and the council" in meetings
    ties = page.split('id="ties"')[1]
    assert f'href="{P}/organisations/{story.leeds.pk}/">Leeds Teaching Hospitals</a>' in ties
    assert f'href="{P}/organisations/{story.voices.pk}/">Voices of Yorkshire</a>' in ties


def test_an_adopting_site_with_no_people_has_a_page(client, member, story, programme):
    site = OrganisationFactory(name="Airedale Hospital")
    AdoptionFactory(innovation=InnovationFactory(programme=programme), organisation=site)
    page = _page(client, member, site)
    assert "Nobody from Airedale Hospital takes part in this programme" in page
    assert "has attended a held meeting yet" in page


def test_an_organisation_outside_the_programme_is_not_found(client, lead, story):
    elsewhere = ParticipantFactory(name="Someone Else").organisation  # another programme's
    unused = OrganisationFactory(name="Unused Trust")
    client.force_login(lead)
    for organisation in (elsewhere, unused):
        response = client.get(f"{P}/organisations/{organisation.pk}/")
        assert response.status_code == 404
        assert organisation.name not in response.content.decode()


def test_an_erased_person_is_counted_not_named(client, lead, story):
    erase(story.bob.email)
    build_snapshots(story.bob.programme_id)
    page = _page(client, lead, story.calder)
    assert "Bob Brennan" not in page
    assert "Former participant" not in page
    assert "2 people not named" in page


def test_an_unknown_window_shows_the_default_with_a_message(client, lead, story):
    page = _page(client, lead, story.leeds, "?window=1y")
    assert "That period is not one we show" in page
    assert "<strong>Last 12 months</strong>" in page


def test_no_snapshot_yet_says_what_will_appear(client, member, programme, space):
    organisation = ParticipantFactory(programme=programme).organisation
    page = _page(client, member, organisation)
    assert "has not been worked out for this programme yet" in page
