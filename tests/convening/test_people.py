"""The people directory: search, add and edit participants, add organisations."""

import pytest

from convening.models import Organisation, Participant
from tests.factories import OrganisationFactory, ParticipantFactory, ProgrammeFactory

PEOPLE = "/programmes/virtual-wards/people/"
NEW = PEOPLE + "new/"


@pytest.fixture
def people(programme):
    calder = OrganisationFactory(name="Calder Community Health", short_name="CCH")
    aire = OrganisationFactory(name="Aire Valley Hospitals")
    return [
        ParticipantFactory(
            programme=programme, name="Aisha Khan", organisation=calder, email="aisha@example.org"
        ),
        ParticipantFactory(programme=programme, name="Ben Walsh", organisation=aire),
        ParticipantFactory(programme=programme, name="Chloe Green", organisation=calder),
    ]


def _valid(**overrides):
    data = {
        "name": "Dana Scully",
        "email": "dana@example.org",
        "organisation": "",
        "job_title": "Community matron",
        "role_group": "clinical",
        "level": "middle",
        "consent_recorded": "on",
    }
    data.update(overrides)
    return data


def test_search_by_name_or_organisation(as_user, programme, member, people):
    client = as_user(member)
    body = client.get(PEOPLE, {"q": "aisha"}).content.decode()
    assert "Aisha Khan" in body
    assert "Ben Walsh" not in body
    body = client.get(PEOPLE, {"q": "calder"}).content.decode()
    assert "Aisha Khan" in body
    assert "Chloe Green" in body
    assert "Ben Walsh" not in body
    assert "2 people found for “calder”" in body


def test_search_as_you_type_returns_only_the_results_block(as_user, programme, member, people):
    response = as_user(member).get(PEOPLE, {"q": "ben"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<p id="people-count" hx-swap-oob="innerHTML">1 person found')
    assert '<div id="people-results">' in body
    assert "<html" not in body
    assert "Ben Walsh" in body
    assert "Aisha Khan" not in body


def test_people_of_another_programme_never_appear(as_user, programme, member, people):
    ParticipantFactory(programme=ProgrammeFactory(), name="Aisha Elsewhere")
    body = as_user(member).get(PEOPLE, {"q": "aisha"}).content.decode()
    assert "Aisha Khan" in body
    assert "Aisha Elsewhere" not in body


def test_members_do_not_see_email_addresses_but_facilitators_do(
    as_user, programme, member, facilitator, people
):
    assert "aisha@example.org" not in as_user(member).get(PEOPLE).content.decode()
    assert "aisha@example.org" in as_user(facilitator).get(PEOPLE).content.decode()


def test_members_do_not_see_email_addresses_in_search_fragments_either(
    as_user, programme, member, people
):
    body = as_user(member).get(PEOPLE, {"q": "aisha"}, HTTP_HX_REQUEST="true").content.decode()
    assert "aisha@example.org" not in body


def test_facilitator_adds_a_person_with_consent_stamped(as_user, programme, facilitator):
    organisation = OrganisationFactory(name="Carers Together")
    response = as_user(facilitator).post(NEW, _valid(organisation=organisation.pk))
    assert response.status_code == 302
    person = Participant.objects.get(name="Dana Scully")
    assert person.programme == programme
    assert person.organisation == organisation
    assert (person.consent_recorded, person.consent_contact) == (True, False)
    assert person.consent_updated_by == facilitator
    assert person.consent_updated_at is not None


def test_editing_consent_restamps_who_and_when(as_user, programme, lead, facilitator, people):
    person = people[1]
    data = _valid(name=person.name, email="", consent_named="on", version=person.version)
    as_user(lead).post(f"{PEOPLE}{person.pk}/edit/", data)
    person.refresh_from_db()
    assert person.consent_named is True
    assert person.consent_updated_by == lead


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "N" * 201}, "Name must be 200 characters or fewer"),
        ({"name": ""}, "Enter the person&#39;s full name"),
        ({"email": "not an email"}, "Enter an email address in the correct format"),
        ({"organisation": "999999"}, "Choose an organisation from the list, or add it first"),
        ({"role_group": "wizard"}, "Choose one of the role groups listed"),
        ({"level": "galactic"}, "Choose one of the levels listed"),
    ],
)
def test_bad_person_input_gets_a_clear_message_and_keeps_the_input(
    as_user, programme, facilitator, overrides, message
):
    data = _valid(**overrides)
    response = as_user(facilitator).post(NEW, data)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert "There is a problem" in body
    assert "Community matron" in body  # another field the user typed is kept
    assert not Participant.objects.exists()


def test_two_people_in_one_programme_cannot_share_an_email(as_user, programme, facilitator, people):
    response = as_user(facilitator).post(NEW, _valid(email="AISHA@example.org"))
    assert "Someone in this programme already has this email address" in response.content.decode()
    assert 'value="AISHA@example.org"' in response.content.decode()


def test_the_same_email_is_fine_in_another_programme(as_user, programme, facilitator):
    ParticipantFactory(programme=ProgrammeFactory(), email="dana@example.org")
    response = as_user(facilitator).post(NEW, _valid())
    assert response.status_code == 302


def test_the_database_also_refuses_a_duplicate_email_in_a_programme(programme):
    from django.db import IntegrityError, transaction

    ParticipantFactory(programme=programme, email="same@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(programme=programme, email="SAME@example.org")


def test_a_participant_of_another_programme_is_not_found(as_user, programme, lead):
    elsewhere = ParticipantFactory(programme=ProgrammeFactory())
    client = as_user(lead)
    assert client.get(f"{PEOPLE}{elsewhere.pk}/edit/").status_code == 404
    assert client.post(f"{PEOPLE}{elsewhere.pk}/edit/", _valid()).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.name != "Dana Scully"


def test_adding_an_organisation(as_user, programme, facilitator):
    response = as_user(facilitator).post(
        "/programmes/virtual-wards/organisations/new/",
        {"name": "  Moorside   PCN ", "sector": "primary_care", "place": "Moorside"},
    )
    assert response.headers["Location"] == NEW
    assert Organisation.objects.get().name == "Moorside PCN"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "sector": "acute"}, "Enter the organisation&#39;s name"),
        ({"name": "X" * 201, "sector": "acute"}, "Name must be 200 characters or fewer"),
        ({"name": "New Trust", "sector": "spaceport"}, "Choose one of the sectors listed"),
        ({"name": "aire valley hospitals", "sector": "acute"}, "already in the directory"),
    ],
)
def test_bad_organisation_input_is_explained(as_user, programme, facilitator, data, message):
    OrganisationFactory(name="Aire Valley Hospitals")
    response = as_user(facilitator).post("/programmes/virtual-wards/organisations/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Organisation.objects.count() == 1


def test_results_are_paged_fifty_at_a_time(as_user, programme, member):
    for number in range(55):
        ParticipantFactory(programme=programme, name=f"Person {number:02d}")
    client = as_user(member)
    first = client.get(PEOPLE).content.decode()
    assert "55 people in this programme" in first
    assert "Person 49" in first
    assert "Person 50" not in first
    assert "page=2" in first
    second = client.get(PEOPLE, {"page": 2}).content.decode()
    assert "Person 50" in second
    assert "Person 49" not in second
