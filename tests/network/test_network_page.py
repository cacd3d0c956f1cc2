"""The programme's network page and the staff's installation view (DESIGN section 11): what each
role sees, the switches and their bad values, the empty state, and consent."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import include, path
from django.utils import timezone

from convening.models import Participant
from network.models import Introduction, NetworkBuild, NetworkSnapshot
from network.snapshots import build_snapshots
from tests.factories import (
    AdaptiveSpaceFactory,
    AttendanceFactory,
    MeetingFactory,
    ParticipantFactory,
)

from .story import HIDDEN, NAMED_BRIDGE, PEOPLE, tell

P = "/programmes/virtual-wards/network/"
INSTALLATION = "/network/"

# The pages beside this one (person, organisation, introductions) are built alongside it; these
# routes stand in for them so the links can be checked by name.
urlpatterns = [
    path("", include("convening.urls")),
    path(
        "programmes/<slug:slug>/network/people/<int:participant_id>/",
        lambda request, **kw: None,
        name="network_person",
    ),
    path(
        "programmes/<slug:slug>/network/organisations/<int:organisation_id>/",
        lambda request, **kw: None,
        name="network_organisation",
    ),
    path(
        "programmes/<slug:slug>/network/introductions/",
        lambda request, **kw: None,
        name="introductions",
    ),
]


@pytest.fixture
def neighbours(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def story(space, member):
    member_record = Participant.objects.get(programme=space.programme, user=member)
    return tell(space, member_record)


def text_of(response) -> str:
    assert response.status_code == 200, response.content[:300]
    return html.unescape(response.content.decode())


def test_a_lead_sees_the_map_table_weak_points_and_brokers(as_user, lead, story):
    page = text_of(as_user(lead).get(P))

    assert "<h1>Network</h1>" in page
    assert "Worked out on" in page
    assert 'class="convening-chart convening-map"' in page
    for name in ("Aire Valley Hospitals", "Calder Council", "Dales Care Network"):
        assert name in page
    # The E-I index against chance, in words, for organisations (the default boundary).
    assert re.search(r"Ties (cross|stay inside) organisations (more|about as)", page)
    # Weak points: primary care never met, and who holds parts together.
    assert "Sectors nobody has met" in page
    assert "Primary care / PCN" in page
    assert "People holding parts together" in page
    assert NAMED_BRIDGE in page
    assert "New ties each quarter" in page
    assert 'id="brokers"' in page


def test_a_person_who_did_not_consent_is_counted_never_named(as_user, lead, story):
    page = text_of(as_user(lead).get(P))

    assert HIDDEN not in page
    assert "1 person who is not named" in page
    assert "not named: they have not agreed to be recorded" in page


@pytest.mark.parametrize("boundary", ["organisation", "sector", "role_group", "level"])
@pytest.mark.parametrize("window", ["90d", "12m", "all"])
def test_no_window_or_boundary_names_someone_who_did_not_consent(
    as_user, lead, story, window, boundary
):
    page = text_of(as_user(lead).get(f"{P}?window={window}&boundary={boundary}"))

    assert HIDDEN not in page


def test_a_member_sees_organisations_and_their_own_contacts_never_other_people(
    as_user, member, story
):
    page = text_of(as_user(member).get(P))

    assert "Calder Council" in page
    for name, _ in PEOPLE.values():
        assert name not in page
    assert 'id="brokers"' not in page
    assert "People holding parts together" not in page
    assert "Your contacts" in page
    assert "You have met 4 people" in page


def test_people_link_to_their_person_page_and_organisations_to_theirs(
    as_user, lead, story, neighbours
):
    bea = story["people"]["bea"]
    calder = story["organisations"]["C"]

    page = text_of(as_user(lead).get(P))

    assert f'href="{P}people/{bea.pk}/"' in page
    assert f'href="{P}organisations/{calder.pk}/" aria-label="Calder Council' in page
    assert f'href="{P}introductions/"' in page


def test_a_member_gets_a_link_to_their_own_page_and_not_to_introductions(
    as_user, member, story, neighbours
):
    own = story["people"]["member"]

    page = text_of(as_user(member).get(P))

    assert f'href="{P}people/{own.pk}/"' in page
    assert f'href="{P}introductions/"' not in page


def test_the_map_has_a_focusable_named_link_per_organisation(as_user, lead, story):
    page = as_user(lead).get(P).content.decode()

    svg = page[page.index('<svg class="convening-chart convening-map"') :]
    svg = svg[: svg.index("</svg>")]
    names = re.findall(r'<a class="convening-map__node" href="[^"]+" aria-label="([^"]+)"', svg)
    assert "Calder Council, Local authority / social care, 3 people" in names
    # Every organisation with people in the programme, met or not (the facilitator's and the
    # member's too).
    organisations = {person.organisation_id for person in Participant.objects.all()}
    assert len(names) == len(organisations) == 8


def test_labels_are_escaped_in_the_map_and_tables(as_user, lead, space, member):
    story = tell(space, build=False)
    organisation = story["organisations"]["C"]
    organisation.name = '<script>alert("x")</script> & Co'
    organisation.save()
    build_snapshots(space.programme.pk)

    page = as_user(lead).get(P).content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?window=forever", "There is no time window “forever”: showing the last 12 months"),
        ("?boundary=planet", "There is no boundary “planet” here: showing organisations"),
        ("?boundary=programme", "There is no boundary “programme” here"),
    ],
)
def test_an_unknown_window_or_boundary_shows_the_default_with_a_message(
    as_user, lead, story, query, message
):
    page = text_of(as_user(lead).get(P + query))

    assert "There is a problem" in page
    assert message in page
    assert "Ties cross organisations" in page or "Ties stay inside organisations" in page
    assert '<option value="12m" selected' in page


def test_the_boundary_switch_changes_the_words_and_tables(as_user, lead, story):
    page = text_of(as_user(lead).get(P + "?boundary=sector&window=all"))

    assert re.search(r"Ties (cross|stay inside) sectors", page)
    assert "Ties inside and across each of the sectors" in page
    assert '<option value="sector" selected' in page


def test_a_programme_with_no_held_meetings_says_what_will_appear(as_user, lead, space):
    MeetingFactory(space=space, status="planned")

    page = text_of(as_user(lead).get(P))

    assert "Nothing to show yet for last 12 months" in page
    assert "Once a meeting is logged with its attendees" in page
    assert "convening-map" not in page


def test_the_page_says_when_a_newer_picture_is_being_made(as_user, lead, story, space):
    meeting = MeetingFactory(space=space, status="held")
    AttendanceFactory(meeting=meeting, participant=story["people"]["ann"])
    AttendanceFactory(meeting=meeting, participant=story["people"]["eve"])

    page = text_of(as_user(lead).get(P))

    assert "A newer picture is being made" in page


def test_a_running_build_with_no_snapshot_yet_says_the_first_is_coming(as_user, lead, programme):
    NetworkBuild.objects.create(
        key=NetworkBuild.key_for(programme.pk), programme=programme, started_at=timezone.now()
    )

    page = text_of(as_user(lead).get(P))

    assert "The first picture is being made" in page


def test_introductions_made_and_met_are_counted(as_user, member, story, programme):
    people = sorted(story["people"].values(), key=lambda person: person.pk)
    for index, status in enumerate(["made", "met", "met", "declined"]):
        Introduction.objects.create(
            programme=programme,
            person_a=people[index],
            person_b=people[index + 5],
            reason="They share a concern",
            message="Hello",
            status=status,
        )

    page = text_of(as_user(member).get(P))

    assert "4 introductions made, 2 of which turned into a meeting" in page


def test_another_programmes_network_is_never_shown(as_user, lead, story, other_programme):
    other_space = AdaptiveSpaceFactory(programme=other_programme)
    meeting = MeetingFactory(space=other_space, status="held")
    for name in ("Olive Oak", "Otto Osier"):
        AttendanceFactory(
            meeting=meeting, participant=ParticipantFactory(programme=other_programme, name=name)
        )
    build_snapshots(other_programme.pk)

    page = text_of(as_user(lead).get(P))

    assert "Olive Oak" not in page


def test_the_network_page_is_in_the_people_section(as_user, member, programme):
    page = text_of(as_user(member).get(f"/programmes/{programme.slug}/people/"))

    assert f'href="{P}">Network</a>' in page


# The installation view ------------------------------------------------------------------------


@pytest.fixture
def staff(lead):
    lead.is_staff = True
    lead.save(update_fields=["is_staff"])
    return lead


@pytest.fixture
def two_programmes(story, space, other_programme):
    """Bea Birch takes part in the other programme too, by the same email address; so does
    Harriet Hazel, who has not agreed to be recorded."""
    other_space = AdaptiveSpaceFactory(programme=other_programme)
    meeting = MeetingFactory(space=other_space, status="held")
    for key in ("bea", "harriet"):
        record = story["people"][key]
        AttendanceFactory(
            meeting=meeting,
            participant=ParticipantFactory(
                programme=other_programme,
                name=record.name,
                email=record.email,
                organisation=record.organisation,
                consent_recorded=record.consent_recorded,
            ),
        )
    AttendanceFactory(meeting=meeting, participant=ParticipantFactory(programme=other_programme))
    build_snapshots(None)
    return story


def test_staff_see_organisations_and_the_people_who_bridge_programmes(
    as_user, staff, two_programmes
):
    page = text_of(as_user(staff).get(INSTALLATION))

    assert "<h1>Network across all programmes</h1>" in page
    assert "convening-map" in page
    assert "Calder Council" in page
    assert NAMED_BRIDGE in page
    assert "Stroke rehabilitation at home, Virtual wards across West Yorkshire" in page
    assert HIDDEN not in page
    assert "And 1 person who is not named" in page


def test_the_installation_view_switches_to_programmes(as_user, staff, two_programmes):
    page = text_of(as_user(staff).get(INSTALLATION + "?boundary=programme&window=all"))

    assert re.search(r"Ties (cross|stay inside) programmes", page)
    assert HIDDEN not in page


def test_the_installation_view_refuses_role_group_with_a_message(as_user, staff, two_programmes):
    page = text_of(as_user(staff).get(INSTALLATION + "?boundary=role_group&window=1y"))

    assert "There is no boundary “role_group” here: showing organisations" in page
    assert "There is no time window “1y”" in page


def test_the_installation_view_with_no_meetings_says_what_will_appear(as_user, staff):
    page = text_of(as_user(staff).get(INSTALLATION))

    assert "Nothing to show yet" in page


def test_staff_find_the_installation_view_from_the_programme_list(as_user, staff, member):
    assert 'href="/network/"' in text_of(as_user(staff).get("/programmes/"))
    assert 'href="/network/"' not in text_of(as_user(member).get("/programmes/"))


def test_brokers_are_listed_by_band_with_their_roles_and_unnamed_ones_counted(
    as_user, lead, story, programme
):
    snapshot = NetworkSnapshot.objects.get(programme=programme, window="12m")
    snapshot.persons.update(betweenness_band="lower half")
    people = story["people"]
    snapshot.persons.filter(participant=people["bea"]).update(
        betweenness_band="top 10%", brokerage={"organisation": {"liaison": 3, "gatekeeper": 2}}
    )
    snapshot.persons.filter(participant=people["harriet"]).update(betweenness_band="top 10%")
    snapshot.persons.filter(participant=people["cal"]).update(betweenness_band="top 25%")

    page = text_of(as_user(lead).get(P))

    brokers = page[page.index('id="brokers"') : page.index('id="trend"')]
    assert "Top 10%" in brokers
    assert re.search(r"Bea Birch(</a>)?: gatekeeper 2, liaison 3", brokers)
    assert "Top 25%" in brokers
    assert "Cal Cedar" in brokers
    assert "1 person who is not named" in brokers
    assert HIDDEN not in page


def test_without_a_ranking_the_page_says_why(as_user, lead, story, programme):
    snapshot = NetworkSnapshot.objects.get(programme=programme, window="12m")
    snapshot.persons.update(betweenness_band="")
    snapshot.ranking_reason = "Rankings appear once at least 6 meetings have been logged."
    snapshot.save()

    page = text_of(as_user(lead).get(P))

    assert "Rankings appear once at least 6 meetings have been logged." in page


def test_only_the_strongest_ties_are_drawn_and_listed_when_there_are_many(
    as_user, lead, story, monkeypatch
):
    from network.views import network as views

    monkeypatch.setattr(views, "MOST_TIES", 2)

    page = text_of(as_user(lead).get(P))

    start = page.index('<svg class="convening-chart convening-map"')
    svg = page[start : page.index("</svg>", start)]
    assert svg.count("<line ") == 2
    assert re.search(r"strongest first: the 2 strongest of [3-9]", page)
