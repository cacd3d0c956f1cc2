"""The suggested introductions (network.introductions), on small hand-built programmes: each
kind, the ranking, and every exclusion."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from convening.models import Sector
from network import introductions
from network.introductions import Kind, suggestions
from network.models import Introduction
from tests.factories import AdoptionFactory, InnovationFactory, LocalKnowledgeFactory

from .intro_data import meeting, organisation, person

pytestmark = pytest.mark.django_db


def _pairs(programme, kind=None):
    return [
        {s.person_a.name, s.person_b.name}
        for s in suggestions(programme)
        if kind is None or s.kind == kind
    ]


def _introduce(programme, a, b, status=Introduction.Status.MADE):
    low, high = sorted((a, b), key=lambda p: p.pk)
    return Introduction.objects.create(
        programme=programme, person_a=low, person_b=high, reason="r", message="m", status=status
    )


# Kind 1: a site still adopting, with no tie to a site that has adopted ---------------------


@pytest.fixture
def wards(programme):
    """Leeds has adopted the innovation; Bradford is testing it; nobody from either has met."""
    leeds, bradford = organisation("Leeds Teaching"), organisation("Bradford Royal")
    innovation = InnovationFactory(programme=programme, name="Virtual wards")
    ada = person(programme, "Ada Leeds", leeds)
    bo = person(programme, "Bo Bradford", bradford)
    AdoptionFactory(innovation=innovation, organisation=leeds, stage="adopted", local_lead=ada)
    AdoptionFactory(innovation=innovation, organisation=bradford, stage="testing", local_lead=bo)
    return {"ada": ada, "bo": bo, "leeds": leeds, "bradford": bradford, "innovation": innovation}


def test_a_site_testing_an_innovation_is_introduced_to_a_site_that_adopted_it(programme, wards):
    found = [s for s in suggestions(programme) if s.kind == Kind.ADOPTION]
    assert len(found) == 1
    assert {found[0].person_a, found[0].person_b} == {wards["bo"], wards["ada"]}
    assert found[0].reason == (
        "Bradford Royal is testing Virtual wards, and nobody there has met anyone at a site "
        "that has adopted it; Leeds Teaching has."
    )


def test_a_site_that_has_met_an_adopted_site_is_not_suggested(programme, wards):
    colleague = person(programme, "Cy Leeds", wards["leeds"])
    meeting(programme, wards["bo"], colleague)
    assert {"Bo Bradford", "Ada Leeds"} not in _pairs(programme, Kind.ADOPTION)


def test_the_adopted_sites_local_lead_is_asked_before_a_better_connected_colleague(
    programme, wards
):
    person(programme, "Aaron Leeds", wards["leeds"])  # first by name, not the local lead
    found = [s for s in suggestions(programme) if s.kind == Kind.ADOPTION]
    assert {s.person_a.name for s in found} | {s.person_b.name for s in found} >= {"Ada Leeds"}
    bo_pair = next(s for s in found if wards["bo"] in (s.person_a, s.person_b))
    assert wards["ada"] in (bo_pair.person_a, bo_pair.person_b)


def test_no_adopted_site_means_no_adoption_suggestion(programme, wards):
    Introduction.objects.all().delete()
    wards["innovation"].adoptions.filter(organisation=wards["leeds"]).update(stage="exploring")
    assert _pairs(programme, Kind.ADOPTION) == []


# Kind 2: two sectors, or two organisations, with no tie -------------------------------------


def test_two_sectors_that_have_never_met_are_suggested_with_one_person_from_each(programme):
    acute = person(programme, "Ann Acute", organisation("Acute One", Sector.ACUTE))
    vcse = person(programme, "Val Vcse", organisation("Voluntary One", Sector.VCSE))
    found = [s for s in suggestions(programme) if s.kind == Kind.GROUPS]
    assert len(found) == 1
    assert {found[0].person_a, found[0].person_b} == {acute, vcse}
    assert found[0].reason == (
        "Nobody from Acute trust has met anyone from Voluntary and community sector in this "
        "programme: an introduction would be the first tie between the two sectors."
    )


def test_two_organisations_of_a_sector_that_met_elsewhere_are_suggested(programme):
    one = person(programme, "Ann One", organisation("Acute One", Sector.ACUTE))
    two = person(programme, "Ben Two", organisation("Acute Two", Sector.ACUTE))
    three = person(programme, "Cat Three", organisation("Acute Three", Sector.ACUTE))
    meeting(programme, one, three)
    meeting(programme, two, three)
    reasons = [s.reason for s in suggestions(programme) if s.kind == Kind.GROUPS]
    assert reasons == [
        "Nobody from Acute One has met anyone from Acute Two in this programme: an "
        "introduction would be the first tie between the two organisations."
    ]


def test_groups_that_have_met_are_not_suggested(programme):
    acute = person(programme, "Ann Acute", organisation("Acute One", Sector.ACUTE))
    vcse = person(programme, "Val Vcse", organisation("Voluntary One", Sector.VCSE))
    meeting(programme, acute, vcse)
    assert _pairs(programme, Kind.GROUPS) == []


def test_an_introduction_made_is_a_tie_between_the_groups(programme):
    acute = person(programme, "Ann Acute", organisation("Acute One", Sector.ACUTE))
    vcse = person(programme, "Val Vcse", organisation("Voluntary One", Sector.VCSE))
    other = person(programme, "Viv Vcse", organisation("Voluntary Two", Sector.VCSE))
    meeting(programme, vcse, other)
    _introduce(programme, acute, vcse)
    # The sectors are tied now, through Ann and Val: only the two organisations that have
    # never met are left.
    found = [s for s in suggestions(programme) if s.kind == Kind.GROUPS]
    assert [(s.person_a, s.person_b) for s in found] == [(acute, other)]
    assert "two organisations" in found[0].reason


def test_the_person_with_fewer_ties_across_boundaries_represents_the_group(programme):
    acute_one = organisation("Acute One", Sector.ACUTE)
    busy = person(programme, "Abe Busy", acute_one)
    quiet = person(programme, "Zed Quiet", acute_one)
    commissioner = person(programme, "Cal Icb", organisation("The ICB", Sector.COMMISSIONER))
    vcse = person(programme, "Val Vcse", organisation("Voluntary One", Sector.VCSE))
    meeting(programme, busy, commissioner)
    meeting(programme, quiet, commissioner)
    meeting(programme, busy, person(programme, "Cy Icb", commissioner.organisation))
    # Cal and Cy cannot be introduced, so Zed is the only other choice for the ICB's pairs.
    type(commissioner).objects.filter(organisation=commissioner.organisation).update(
        consent_contact=False
    )
    pair = next(
        s
        for s in suggestions(programme)
        if s.kind == Kind.GROUPS and vcse in (s.person_a, s.person_b)
    )
    assert quiet in (pair.person_a, pair.person_b)


# Kind 3: a shared innovation or local knowledge concern ------------------------------------


def test_two_local_leads_of_one_innovation_who_never_met_are_suggested(programme):
    innovation = InnovationFactory(programme=programme, name="Frailty scores")
    one = person(programme, "Ann One", organisation("Acute One"))
    two = person(programme, "Ben Two", organisation("Acute Two"))
    meeting(programme, one, person(programme, "Cat Two", two.organisation))  # orgs have met
    AdoptionFactory(innovation=innovation, organisation=one.organisation, local_lead=one)
    AdoptionFactory(innovation=innovation, organisation=two.organisation, local_lead=two)
    found = [s for s in suggestions(programme) if s.kind == Kind.SHARED]
    assert [(s.person_a, s.person_b, s.reason) for s in found] == [
        (one, two, "Both work on Frailty scores but have never met.")
    ]


def test_two_owners_of_the_same_kind_of_local_concern_are_suggested(programme):
    one = person(programme, "Ann One", organisation("Acute One"))
    two = person(programme, "Ben Two", organisation("Acute Two"))
    meeting(programme, one, person(programme, "Cat Two", two.organisation))
    LocalKnowledgeFactory(programme=programme, kind="workforce", owner=one)
    LocalKnowledgeFactory(programme=programme, kind="workforce", owner=two)
    LocalKnowledgeFactory(programme=programme, kind="estates", owner=two)
    reasons = [s.reason for s in suggestions(programme) if s.kind == Kind.SHARED]
    assert reasons == [
        "Both own an open local knowledge concern about workforce but have never met."
    ]


def test_a_closed_concern_or_people_of_one_organisation_are_not_suggested(programme):
    acute = organisation("Acute One")
    one, two = person(programme, "Ann One", acute), person(programme, "Ben One", acute)
    three = person(programme, "Cy Three", organisation("Acute Three"))
    meeting(programme, one, three)
    meeting(programme, two, three)
    LocalKnowledgeFactory(programme=programme, kind="workforce", owner=one)
    LocalKnowledgeFactory(programme=programme, kind="workforce", owner=two)
    LocalKnowledgeFactory(programme=programme, kind="workforce", owner=three, status="closed")
    assert _pairs(programme, Kind.SHARED) == []


def test_people_who_have_met_are_not_suggested_for_a_shared_interest(programme):
    one = person(programme, "Ann One", organisation("Acute One"))
    two = person(programme, "Ben Two", organisation("Acute Two"))
    meeting(programme, one, two)
    LocalKnowledgeFactory(programme=programme, kind="workforce", owner=one)
    LocalKnowledgeFactory(programme=programme, kind="workforce", owner=two)
    assert _pairs(programme) == []


# Who may be suggested, and what counts as a tie ---------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"consent_contact": False},
        {"consent_recorded": False},
        {"email": ""},
        {"anonymised_at": timezone.now()},
    ],
    ids=["no consent to contact", "no consent to be recorded", "no email", "erased"],
)
def test_someone_who_may_not_be_introduced_is_never_suggested(programme, change):
    person(programme, "Ann Acute", organisation("Acute One", Sector.ACUTE))
    vcse = person(programme, "Val Vcse", organisation("Voluntary One", Sector.VCSE))
    type(vcse).objects.filter(pk=vcse.pk).update(**change)
    assert suggestions(programme) == []


def test_an_account_address_is_enough_for_a_person_without_their_own(programme, lead):
    ann = person(programme, "Ann Acute", organisation("Acute One", Sector.ACUTE), email="")
    type(ann).objects.filter(pk=ann.pk).update(user=lead)
    person(programme, "Val Vcse", organisation("Voluntary One", Sector.VCSE))
    assert _pairs(programme) == [{"Ann Acute", "Val Vcse"}]


@pytest.mark.parametrize("status", ["made", "met", "declined"])
def test_a_pair_already_introduced_is_never_suggested_again(programme, status):
    one = person(programme, "Ann One", organisation("Acute One"))
    two = person(programme, "Ben Two", organisation("Acute Two"))
    meeting(programme, one, person(programme, "Cat Two", two.organisation))
    LocalKnowledgeFactory(programme=programme, kind="workforce", owner=one)
    LocalKnowledgeFactory(programme=programme, kind="workforce", owner=two)
    _introduce(programme, one, two, status)
    assert _pairs(programme) == []


@pytest.mark.parametrize(
    "how", [{"status": "planned"}, {"status": "cancelled"}, {"attended": False}]
)
def test_a_meeting_not_held_or_not_attended_is_no_tie(programme, how):
    acute = person(programme, "Ann Acute", organisation("Acute One", Sector.ACUTE))
    vcse = person(programme, "Val Vcse", organisation("Voluntary One", Sector.VCSE))
    meeting(programme, acute, vcse, **how)
    assert _pairs(programme) == [{"Ann Acute", "Val Vcse"}]


def test_another_programmes_meetings_are_no_tie_and_its_people_never_appear(
    programme, other_programme
):
    acute_one, vcse_one = organisation("Acute One", Sector.ACUTE), organisation("Vol", Sector.VCSE)
    person(programme, "Ann Acute", acute_one)
    person(programme, "Val Vcse", vcse_one)
    elsewhere = [
        person(other_programme, "Ann Elsewhere", acute_one),
        person(other_programme, "Val Elsewhere", vcse_one),
    ]
    meeting(other_programme, *elsewhere)
    assert _pairs(programme) == [{"Ann Acute", "Val Vcse"}]


# Ranking -----------------------------------------------------------------------------------


def test_kinds_come_in_order_and_the_list_is_capped_and_the_same_every_time(programme):
    sectors = [value for value, _ in Sector.choices]
    for index, sector in enumerate(sectors):
        for n in range(5):
            person(programme, f"Person {index}-{n}", organisation(f"Org {index}-{n}", sector))
    assert len(suggestions(programme, limit=5)) == 5
    first = suggestions(programme)
    assert len(first) == introductions.MAX_SUGGESTIONS
    assert [s.kind for s in first] == sorted(s.kind for s in first)
    assert [(s.pair, s.reason) for s in first] == [
        (s.pair, s.reason) for s in suggestions(programme)
    ]


def test_each_kind_keeps_a_share_when_another_kind_has_many(programme, wards):
    for n in range(9):
        person(programme, f"Tester {n}", wards["bradford"])
        person(programme, f"Adopter {n}", wards["leeds"])
    one = person(programme, "Ann One", organisation("Acute One"))
    two = person(programme, "Ben Two", organisation("Acute Two"))
    LocalKnowledgeFactory(programme=programme, kind="workforce", owner=one)
    LocalKnowledgeFactory(programme=programme, kind="workforce", owner=two)
    adoption = [s for s in suggestions(programme) if s.kind == Kind.ADOPTION]
    assert len({s.person_a for s in adoption}) == 10  # Bo and the nine testers
    kinds = [s.kind for s in suggestions(programme, limit=6)]
    # Two of each kind at first; shared interests have only one, so adoption fills its place.
    assert kinds == [Kind.ADOPTION] * 3 + [Kind.GROUPS] * 2 + [Kind.SHARED]


def test_a_person_appears_once_in_a_kind_or_twice_when_the_list_would_be_short(programme, wards):
    for n in range(5):
        person(programme, f"Tester {n}", wards["bradford"])
    found = [s for s in suggestions(programme) if s.kind == Kind.ADOPTION]
    # Ada is the only person at the adopted site: once with the local lead, once more.
    assert [(s.person_a.name, s.person_b.name) for s in found] == [
        ("Bo Bradford", "Ada Leeds"),
        ("Tester 0", "Ada Leeds"),
    ]
    assert len(suggestions(programme, limit=1)) == 1


def test_every_gap_between_few_people_is_suggested_when_the_list_has_room(programme):
    ann = person(programme, "Ann Acute", organisation("Acute One", Sector.ACUTE))
    val = person(programme, "Val Vcse", organisation("Vol One", Sector.VCSE))
    cy = person(programme, "Cy Icb", organisation("The ICB", Sector.COMMISSIONER))
    person(programme, "Dee Council", organisation("Council", Sector.LOCAL_AUTHORITY))
    meeting(programme, ann, cy)
    found = suggestions(programme)
    # Five pairs of sectors have never met. Dee and Val first (neither has a tie); then,
    # filling, Ann (one tie) with each of them; Val and Dee have been named twice, which leaves
    # Cy out. Ranked by ties, then names.
    assert [(s.person_a.name, s.person_b.name) for s in found] == [
        ("Dee Council", "Val Vcse"),
        ("Ann Acute", "Dee Council"),
        ("Ann Acute", "Val Vcse"),
    ]
    counts = {}
    for suggestion in found:
        for pk in suggestion.pair:
            counts[pk] = counts.get(pk, 0) + 1
    assert max(counts.values()) == 2
    assert val.pk in counts


def test_the_least_connected_people_come_first_within_a_kind(programme):
    hub = person(programme, "Hub Person", organisation("Hub Org", Sector.COMMISSIONER))
    lonely = person(programme, "Zoe Lonely", organisation("Lonely Org", Sector.ACUTE))
    busy = person(programme, "Abe Busy", organisation("Busy Org", Sector.ACUTE))
    meeting(programme, busy, hub)
    meeting(programme, lonely, hub)
    friends = [
        person(programme, f"Friend {n}", organisation(f"F{n}", Sector.ACUTE)) for n in range(3)
    ]
    meeting(programme, busy, *friends)
    vcse = person(programme, "Val Vcse", organisation("Vol One", Sector.VCSE))
    # Acute and voluntary: Zoe (one tie) and Val (none); the ICB and voluntary: the hub (two).
    first = suggestions(programme)[0]
    assert (first.person_a, first.person_b) == (lonely, vcse)


# Met, automatically ------------------------------------------------------------------------


def test_an_introduction_becomes_met_when_the_two_later_attend_the_same_held_meeting(programme):
    one = person(programme, "Ann One", organisation("Acute One"))
    two = person(programme, "Ben Two", organisation("Acute Two"))
    introduction = _introduce(programme, one, two)
    Introduction.objects.filter(pk=introduction.pk).update(
        made_at=timezone.now() - timedelta(days=20)
    )
    meeting(programme, one, two, days_ago=30)  # before the introduction: does not count
    meeting(programme, one, days_ago=15)  # one of them only
    later = meeting(programme, one, two, days_ago=10)
    meeting(programme, one, two, days_ago=5)
    assert introductions.mark_met(programme.pk) == 1
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.MET
    assert introduction.met_meeting == later
    assert introduction.met_at == later.starts_at
    assert introductions.mark_met(programme.pk) == 0  # twice changes nothing


@pytest.mark.parametrize("how", [{"status": "planned"}, {"attended": False}])
def test_a_meeting_not_held_or_not_attended_does_not_make_an_introduction_met(programme, how):
    one = person(programme, "Ann One", organisation("Acute One"))
    two = person(programme, "Ben Two", organisation("Acute Two"))
    introduction = _introduce(programme, one, two)
    Introduction.objects.filter(pk=introduction.pk).update(
        made_at=timezone.now() - timedelta(days=20)
    )
    meeting(programme, one, two, days_ago=10, **how)
    assert introductions.mark_met(programme.pk) == 0
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.MADE


def test_a_declined_introduction_stays_declined(programme):
    one = person(programme, "Ann One", organisation("Acute One"))
    two = person(programme, "Ben Two", organisation("Acute Two"))
    introduction = _introduce(programme, one, two, Introduction.Status.DECLINED)
    Introduction.objects.filter(pk=introduction.pk).update(
        made_at=timezone.now() - timedelta(days=20)
    )
    meeting(programme, one, two, days_ago=10)
    assert introductions.mark_met(programme.pk) == 0


def test_marking_met_takes_the_same_queries_however_many_introductions(
    programme, django_assert_num_queries
):
    people = [person(programme, f"P{n}", organisation(f"O{n}")) for n in range(8)]
    for a, b in zip(people[::2], people[1::2], strict=True):
        introduction = _introduce(programme, a, b)
        Introduction.objects.filter(pk=introduction.pk).update(
            made_at=timezone.now() - timedelta(days=20)
        )
    meeting(programme, *people[:4], days_ago=10)
    # Two reads, and one UPDATE for each of the two introductions now met.
    with django_assert_num_queries(4):
        assert introductions.mark_met(programme.pk) == 2


def test_the_demo_story_becomes_an_introduction_that_turned_into_a_meeting(
    programme, lead, mailoutbox
):
    one = person(programme, "Ann One", organisation("Acute One"))
    two = person(programme, "Ben Two", organisation("Voluntary Two", Sector.VCSE))
    introduction = introductions.demo_story(
        programme,
        two,
        one,
        reason="Their sectors had never met.",
        by=lead,
        made_at=timezone.now() - timedelta(days=40),
    )
    later = meeting(programme, one, two, days_ago=20)
    assert introductions.mark_met(programme.pk) == 1
    assert introductions.send_pending_introductions() == 0
    introduction.refresh_from_db()
    assert (introduction.person_a, introduction.met_meeting) == (one, later)
    assert introductions.summary(programme) == {"made": 0, "met": 1, "declined": 0, "total": 1}
    assert mailoutbox == []
