"""The person page (DESIGN section 11): a person's participation and, with their consent,
their contacts counted by group. Leads and facilitators open anyone's; a member only their own;
people who did not agree to be recorded, or were erased, have no network section."""

from __future__ import annotations

import re

import pytest

from convening.models import AuditEntry
from convening.personal_data import erase
from learning.models import LearningEntry
from network.models import Introduction
from network.snapshots import build_snapshots
from tests.factories import (
    ActionFactory,
    AdaptiveSpaceFactory,
    LearningEntryFactory,
    ParticipantFactory,
)

from .people_pages import P, build_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(programme, space, lead):
    return build_story(programme, space)


def _page(client, user, person, query: str = "") -> str:
    """The page's HTML with runs of white space made one space."""
    client.force_login(user)
    response = client.get(f"{P}/people/{person.pk}/{query}")
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_lead_sees_a_persons_spaces_meetings_and_contacts_by_group(client, lead, story):
    page = _page(client, lead, story.alice)
    assert "<h1>Alice Ashworth</h1>" in page
    assert "Frailty huddle" in page
    assert "Huddle one" in page
    assert "Huddle two" in page
    assert "Carers and the council" not in page  # not hers
    assert "2 held meetings attended" in page
    # Her contacts: Bob and Carol of Calderdale, the member and the facilitator of Leeds.
    assert "People met </dt>" in page
    assert "By organisation" in page
    assert 'Calderdale Council</td><td class="nhsuk-table__cell--numeric">2' in page
    assert 'Leeds Teaching Hospitals</td><td class="nhsuk-table__cell--numeric">2' in page
    # Counted, never named: nobody she met appears by name in the network section.
    network = page.split('id="network"')[1]
    for name in ("Bob Brennan", "Carol Cheung", "Member Person", "Facilitator Person"):
        assert name not in network
    assert "Bridging" in page
    assert f'href="/programmes/virtual-wards/people/{story.alice.pk}/edit/"' in page


def test_a_facilitator_sees_anyones_page_with_bridging(client, facilitator, story):
    page = _page(client, facilitator, story.bob)
    assert "<h1>Bob Brennan</h1>" in page
    assert "Bridging" in page
    assert "Brokerage across organisation" in page  # he links the carers' group and Leeds


def test_a_member_sees_their_own_contacts_but_no_bridging(client, member, story):
    page = _page(client, member, story.mine)
    assert "This is your own page" in page
    assert "Whom you have met" in page
    assert "By organisation" in page
    assert "Bridging" not in page
    assert "Brokerage" not in page
    assert "/edit/" not in page  # members do not change people's details


def test_a_member_gets_404_for_anyone_elses_page(client, member, story):
    client.force_login(member)
    for someone in (story.alice, story.facilitators, story.carol):
        assert client.get(f"{P}/people/{someone.pk}/").status_code == 404


def test_another_programmes_person_is_not_found_even_for_a_lead(client, lead, story):
    stranger = ParticipantFactory(name="Stranger Danger")
    client.force_login(lead)
    response = client.get(f"{P}/people/{stranger.pk}/")
    assert response.status_code == 404
    assert "Stranger Danger" not in response.content.decode()


def test_someone_who_did_not_agree_to_be_recorded_has_no_network_section(client, lead, story):
    page = _page(client, lead, story.carol)
    assert "<h1>Carol Cheung</h1>" in page
    assert "Huddle two" in page  # their participation is still shown
    assert "has not agreed to be recorded" in page
    assert "By organisation" not in page
    assert "People met </dt>" not in page


def test_an_erased_persons_page_shows_nothing_that_was_erased(client, lead, story):
    alice = story.alice
    email = alice.email
    erase(email)
    build_snapshots(alice.programme_id)
    alice.refresh_from_db()
    page = _page(client, lead, alice)
    assert "Alice Ashworth" not in page
    assert email not in page
    assert "Alice Ashworth's job" not in page
    assert "Former participant" in page
    assert "details were erased" in page
    assert "By organisation" not in page


def test_learning_is_listed_only_where_its_byline_names_the_author(
    client, lead, member, story, programme
):
    mine = story.mine
    LearningEntryFactory(programme=programme, author=member, title="Named insight")
    mine.consent_named = False
    mine.save()
    LearningEntryFactory(programme=programme, author=member, title="Unnamed insight")
    # The member sees all their own; a lead, only where the byline would name them: none,
    # since the member has not agreed to be named.
    own = _page(client, member, mine)
    assert "Named insight" in own
    assert "Unnamed insight" in own
    led = _page(client, lead, mine)
    assert "Named insight" not in led
    assert "Unnamed insight" not in led
    mine.consent_named = True
    mine.save()
    led = _page(client, lead, mine)
    assert "Named insight" in led
    assert "Unnamed insight" in led


def test_a_space_only_entry_is_not_shown_to_someone_outside_the_space(
    client, facilitator, member, story, programme
):
    story.mine.consent_named = True
    story.mine.save()
    closed = AdaptiveSpaceFactory(programme=programme, name="Closed room", slug="closed")
    from tests.factories import SpaceMemberFactory

    SpaceMemberFactory(space=closed, participant=story.mine)
    LearningEntryFactory(
        programme=programme,
        author=member,
        title="Said in the closed room",
        visibility=LearningEntry.Visibility.SPACE,
        source_meeting=None,
    )
    page = _page(client, facilitator, story.mine)
    assert "Said in the closed room" not in page


def test_actions_and_introductions_are_shown_naming_only_those_who_may_be_named(
    client, lead, story, programme
):
    ActionFactory(programme=programme, owner=story.alice, title="Share the referral form")
    Introduction.objects.create(
        programme=programme,
        person_a=min(story.alice, story.dev, key=lambda p: p.pk),
        person_b=max(story.alice, story.dev, key=lambda p: p.pk),
        reason="Both work on falls at home",
        message="Meet Dev",
        made_by=lead,
    )
    pair = sorted([story.alice, story.carol], key=lambda p: p.pk)
    Introduction.objects.create(
        programme=programme,
        person_a=pair[0],
        person_b=pair[1],
        reason="Both run a ward",
        message="Hello",
        made_by=lead,
    )
    page = _page(client, lead, story.alice)
    assert "Share the referral form" in page
    introductions = page.split('id="introductions"')[1].split('id="network"')[0]
    assert "Dev Dhillon" in introductions
    assert "Both work on falls at home" in introductions
    assert "Carol Cheung" not in introductions
    assert "Someone not named here" in introductions


def test_an_unknown_window_shows_the_default_with_a_message(client, lead, story):
    page = _page(client, lead, story.alice, "?window=forever")
    assert "That period is not one we show" in page
    assert "<strong>Last 12 months</strong>" in page
    assert "By organisation" in page


def test_the_window_switch_shows_another_period(client, lead, story):
    page = _page(client, lead, story.alice, "?window=all")
    assert "<strong>All time</strong>" in page
    assert 'href="/programmes/virtual-wards/network/people/' in page


def test_a_page_number_out_of_range_shows_the_last_page(client, lead, story):
    page = _page(client, lead, story.alice, "?page=99")
    assert "Huddle one" in page


def test_no_snapshot_yet_says_what_will_appear(client, lead, programme, space):
    someone = ParticipantFactory(programme=programme, consent_recorded=True, name="New Person")
    page = _page(client, lead, someone)
    assert "has not been worked out for this programme yet" in page


def test_a_lead_viewing_someone_is_audited_and_viewing_yourself_is_not(client, lead, member, story):
    _page(client, lead, story.alice)
    _page(client, member, story.mine)
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.VIEWED_PERSON)
    assert [entry.subject_id for entry in entries] == [story.alice.pk]
    assert entries[0].actor == lead
