"""The network through the JSON API (DESIGN sections 11 and 14): what each route answers, for
whom, and that a person who may not be named never is."""

from datetime import timedelta

import pytest
from django.utils import timezone

from convening.models import Participant
from network.models import Introduction
from tests.factories import MembershipFactory, ProgrammeFactory
from tests.network import exported_story
from tests.network.exported_story import FORMULA_NAME, NOT_NAMED

A = "/api/programmes/virtual-wards"


@pytest.fixture
def story(programme, space, lead, member, facilitator):
    return exported_story.build(programme, space, lead, member, facilitator)


def _get(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def test_the_summary_has_counts_ei_against_chance_trend_and_introductions(client, lead, story):
    body = _get(client, lead, A + "/network", window="90d")

    assert body["window"] == "90d"
    assert body["computed_at"]
    assert body["note"] == ""
    assert body["counts"]["meetings"] == 2
    assert body["counts"]["people_not_named"] == 1  # Amir; Eve was erased after the build
    assert {row["boundary"] for row in body["ei"]} == {
        "organisation",
        "sector",
        "role_group",
        "level",
    }
    organisation = next(row for row in body["ei"] if row["boundary"] == "organisation")
    assert organisation["compared"] in ("more", "less", "about as")
    assert organisation["low"] <= organisation["mean"] <= organisation["high"]
    assert body["trend"][0]["quarters"]
    assert body["introductions"] == {"made": 4, "met": 1, "declined": 0}


def test_the_default_window_is_twelve_months(client, member, story):
    body = _get(client, member, A + "/network")
    assert body["window"] == "12m"
    assert body["counts"]["meetings"] == 3  # the meeting 200 days ago too


def test_an_unknown_window_or_boundary_is_a_422_naming_the_field(client, lead, story):
    client.force_login(lead)
    response = client.get(A + "/network", {"window": "forever"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "window"]
    response = client.get(A + "/network/ties", {"boundary": "postcode"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "boundary"]


def test_with_no_snapshot_yet_the_answer_is_empty_and_says_so(client, lead, programme):
    """No 404: the programme exists, its network simply has not been computed."""
    summary = _get(client, lead, A + "/network")
    assert summary["computed_at"] is None
    assert summary["counts"] is None
    assert "No snapshot" in summary["note"]
    for route in ("groups", "ties", "weak-points", "meetings", "people"):
        page = _get(client, lead, f"{A}/network/{route}")
        assert page["items"] == [], route
        assert page["computed_at"] is None, route
        assert "No snapshot" in page["note"], route


def test_leads_see_people_named_only_with_consent_and_the_rest_counted(client, lead, story):
    page = _get(client, lead, A + "/network/people", window="90d")

    names = {row["name"] for row in page["items"]}
    assert names == {
        "Member Person",
        "Facilitator Person",
        "Ann Ash",
        FORMULA_NAME,  # JSON carries text as typed: nothing runs it
        "Cal Cedar",
    }
    assert not names & set(NOT_NAMED)
    assert page["people_not_named"] == 2  # Amir never consented; Eve was erased
    bea = next(row for row in page["items"] if row["name"] == FORMULA_NAME)
    assert bea["organisation"] == "Beta Trust"
    assert bea["is_single_point"] is True
    assert bea["contacts"] == 6
    assert bea["contacts_by"]["organisation"][0] == {"label": "Alpha Trust", "count": 3}
    assert set(bea["crossing"]) >= {"organisation", "sector"}


def test_a_member_reads_only_their_own_row(client, member, story):
    page = _get(client, member, A + "/network/people", window="90d")
    assert [row["participant_id"] for row in page["items"]] == [story["people"]["member"].pk]
    assert page["people_not_named"] == 0


def test_a_member_who_may_not_be_named_gets_no_row_but_a_count(client, member, story):
    Participant.objects.filter(pk=story["people"]["member"].pk).update(consent_recorded=False)
    page = _get(client, member, A + "/network/people", window="90d")
    assert page["items"] == []
    assert page["people_not_named"] == 1


def test_weak_points_name_the_person_holding_parts_together_only_for_leads(
    client, lead, member, story
):
    lead_page = _get(client, lead, A + "/network/weak-points", window="90d")
    kinds = {(row["kind"], row["label"]) for row in lead_page["items"]}
    assert ("person_single_point", FORMULA_NAME) in kinds
    assert ("sector_never_met", "Academic") in {(k, label) for k, label in kinds}

    member_page = _get(client, member, A + "/network/weak-points", window="90d")
    assert "person_single_point" not in {row["kind"] for row in member_page["items"]}
    assert member_page["people_not_named"] == 0
    assert len(member_page["items"]) == len(lead_page["items"]) - 1


def test_a_weak_point_who_withdrew_consent_is_counted_not_named(client, lead, story):
    Participant.objects.filter(pk=story["people"]["bea"].pk).update(consent_recorded=False)
    page = _get(client, lead, A + "/network/weak-points", window="90d")
    assert "person_single_point" not in {row["kind"] for row in page["items"]}
    assert FORMULA_NAME not in {row["label"] for row in page["items"]}
    assert page["people_not_named"] == 1


def test_groups_ties_and_meeting_mix_per_boundary(client, member, story):
    sectors = _get(client, member, A + "/network/groups", window="90d", boundary="sector")
    assert {row["label"] for row in sectors["items"]} == {
        "Acute trust",
        "Local authority / social care",
        "Academic",
    }

    ties = _get(client, member, A + "/network/ties", window="90d")
    pairs = {(row["a_label"], row["b_label"]): row["ties"] for row in ties["items"]}
    # Alpha's three people met Bea; Bea's Beta colleague met Calder's two.
    assert pairs == {("Alpha Trust", "Beta Trust"): 3, ("Beta Trust", "Calder Council"): 4}

    mix = _get(client, member, A + "/network/meetings", window="90d")
    rows = {row["title"]: row for row in mix["items"]}
    assert rows["First huddle"]["group_labels"] == ["Alpha Trust", "Beta Trust"]
    assert rows["-1 huddle"]["attendees"] == 4


def test_snapshot_lists_page_by_cursor_and_answer_updated_since_by_the_snapshot(
    client, lead, story
):
    first = _get(client, lead, A + "/network/groups", limit=3)
    assert len(first["items"]) == 3
    second = _get(client, lead, A + "/network/groups", limit=3, cursor=first["next_cursor"])
    assert len(second["items"]) == 1
    assert second["next_cursor"] is None

    before = (timezone.now() - timedelta(hours=1)).isoformat()
    after = (timezone.now() + timedelta(hours=1)).isoformat()
    assert len(_get(client, lead, A + "/network/groups", updated_since=before)["items"]) == 4
    assert _get(client, lead, A + "/network/groups", updated_since=after)["items"] == []


def test_introductions_leave_out_anyone_who_may_not_be_named(client, lead, facilitator, story):
    page = _get(client, facilitator, A + "/introductions")
    shown = {row["id"] for row in page["items"]}
    intros = story["introductions"]
    assert shown == {intros["met"].pk, intros["recent"].pk}
    assert page["people_not_named"] == 2
    met = next(row for row in page["items"] if row["id"] == intros["met"].pk)
    assert met["status"] == "met"
    assert met["made_by"] == "Lead Person"
    assert {met["person_a"]["name"], met["person_b"]["name"]} == {"Ann Ash", "Cal Cedar"}
    assert not {
        name for row in page["items"] for name in (row["person_a"]["name"], row["person_b"]["name"])
    } & set(NOT_NAMED)


def test_introductions_updated_since_counts_made_met_and_declined(client, lead, story):
    intros = story["introductions"]
    a_day_ago = (timezone.now() - timedelta(days=1)).isoformat()
    page = _get(client, lead, A + "/introductions", updated_since=a_day_ago)
    assert {row["id"] for row in page["items"]} == {intros["recent"].pk}

    Introduction.objects.filter(pk=intros["met"].pk).update(
        status="declined", declined_at=timezone.now()
    )
    page = _get(client, lead, A + "/introductions", updated_since=a_day_ago)
    assert {row["id"] for row in page["items"]} == {intros["recent"].pk, intros["met"].pk}


def test_a_member_may_not_list_introductions(client, member, story):
    client.force_login(member)
    response = client.get(A + "/introductions")
    assert response.status_code == 403
    assert "detail" in response.json()


def test_another_programmes_introductions_are_not_listed(client, lead, story):
    other = ProgrammeFactory()
    MembershipFactory(programme=other, user=lead, role="lead")
    people = [
        Participant.objects.create(programme=other, name=name, consent_recorded=True)
        for name in ("Olu Oak", "Pat Pine")
    ]
    exported_story.introduce(other, *people)
    page = _get(client, lead, A + "/introductions")
    assert "Olu Oak" not in str(page)
