"""One versioned-editing mechanism (convening/history.py): no lost updates, consent never
overwritten from a stale form, and one history list for every object."""

import pytest
from django.test import Client

from convening import history
from convening.models import Participant, Programme
from tests.factories import ParticipantFactory

P = "/programmes/virtual-wards"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _person_data(person: Participant, version: int, **changes) -> dict:
    data = {
        "name": person.name,
        "email": person.email,
        "organisation": person.organisation_id or "",
        "job_title": person.job_title,
        "role_group": person.role_group,
        "level": person.level,
        "version": str(version),
    }
    for name in Participant.CONSENT_FIELDS:
        if getattr(person, name):
            data[name] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def person(programme):
    return ParticipantFactory(
        programme=programme,
        name="Aisha Khan",
        email="aisha@example.org",
        job_title="Matron",
        role_group="clinical",
        consent_contact=True,
    )


def test_a_second_save_from_the_same_version_is_refused_with_both_texts_shown(
    programme, lead, facilitator, person
):
    opened_at = person.version
    first = _client(lead).post(
        f"{P}/people/{person.pk}/edit/", _person_data(person, opened_at, name="Aisha Khan-Lee")
    )
    assert first.status_code == 302
    second = _client(facilitator).post(
        f"{P}/people/{person.pk}/edit/",
        _person_data(person, opened_at, job_title="Community matron"),
    )
    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else saved this person’s details while you were editing it" in page
    assert "Lead Person saved it" in page
    assert "Aisha Khan-Lee" in page  # what they saved
    assert 'value="Community matron"' in page  # what this person typed, still in the form
    person.refresh_from_db()
    assert (person.name, person.job_title) == ("Aisha Khan-Lee", "Matron")
    # The form now carries the current version: saving it again is a deliberate overwrite.
    assert f'name="version" value="{person.version}"' in page


def test_a_withdrawn_consent_is_never_restored_by_a_stale_form(
    programme, lead, facilitator, person
):
    """The probe's case: one person withdrew consent to be contacted while another, with the
    form open from before, changed the job title and saved."""
    opened_at = person.version
    withdrawn = _person_data(person, opened_at)
    del withdrawn["consent_contact"]
    assert _client(lead).post(f"{P}/people/{person.pk}/edit/", withdrawn).status_code == 302

    stale = _client(facilitator)
    response = stale.post(
        f"{P}/people/{person.pk}/edit/",
        _person_data(person, opened_at, job_title="Community matron"),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "To be contacted is shown as saved now, not as in your form" in page
    assert 'id="id_consent_contact" checked' not in page
    # Saving the form exactly as shown again keeps the withdrawal.
    person.refresh_from_db()
    resubmitted = _person_data(person, person.version, job_title="Community matron")
    assert "consent_contact" not in resubmitted
    assert stale.post(f"{P}/people/{person.pk}/edit/", resubmitted).status_code == 302
    person.refresh_from_db()
    assert person.consent_contact is False
    assert person.job_title == "Community matron"


def test_a_form_without_its_version_is_treated_as_out_of_date(programme, lead, person):
    data = _person_data(person, 1)
    del data["version"]
    response = _client(lead).post(f"{P}/people/{person.pk}/edit/", data)
    assert response.status_code == 409


def test_saves_of_other_fields_meanwhile_go_through_and_are_kept(programme, lead):
    """The shared understanding and the programme's details are two forms on one object: a
    save of one does not make the other conflict, and neither loses the other's words."""
    opened_at = programme.version
    programme.problem = "Falls at home lead to long stays."
    programme.save()
    assert programme.version == opened_at + 1

    response = _client(lead).post(
        f"{P}/edit/",
        {
            "name": "Virtual wards for everyone",
            "summary": "",
            "status": "active",
            "hub_visibility": "public",
            "version": str(opened_at),
        },
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.name == "Virtual wards for everyone"
    assert programme.problem == "Falls at home lead to long stays."
    assert programme.version == opened_at + 2
    assert programme.history.first().problem == "Falls at home lead to long stays."


def test_only_one_of_two_claims_on_a_version_wins(programme):
    first = Programme.objects.get(pk=programme.pk)
    second = Programme.objects.get(pk=programme.pk)
    first.name, second.name = "First", "Second"
    assert first.save_if_unchanged(programme.version, fields=["name"]) is True
    assert second.save_if_unchanged(programme.version, fields=["name"]) is False
    programme.refresh_from_db()
    assert programme.name == "First"


def test_every_save_raises_the_version(programme):
    before = programme.version
    programme.status = Programme.Status.ACTIVE
    programme.save(update_fields=["status"])
    programme.refresh_from_db()
    assert programme.version == before + 1


def test_the_history_lists_each_save_with_who_and_what(programme, lead, person):
    client = _client(lead)
    client.post(
        f"{P}/people/{person.pk}/edit/", _person_data(person, person.version, level="senior")
    )
    person.refresh_from_db()
    client.post(
        f"{P}/people/{person.pk}/edit/",
        _person_data(person, person.version, job_title="Lead nurse", consent_contact=None),
    )
    person.refresh_from_db()
    changes = history.changes(person)
    assert [change.added for change in changes] == [False, False, True]
    assert changes[0].who == "Lead Person"
    assert changes[0].fields[0] == "Job title"
    assert "To be contacted" in changes[0].fields
    assert changes[1].fields == ["Level: not set to Senior / executive"]
    page = client.get(f"{P}/people/{person.pk}/history/").content.decode()
    assert "History of Aisha Khan" in page
    assert "Job title, To be contacted" in page


def test_the_programme_history_page_says_what_changed(programme, lead, member):
    assert programme.status == Programme.Status.ACTIVE
    programme.status = Programme.Status.SUSTAINING
    programme.save()
    page = _client(member).get(f"{P}/history/").content.decode()
    assert "Status: Active to Sustaining" in page


def test_rows_made_before_history_began_get_a_first_record(programme):
    from django.apps import apps

    from convening.history import record_starting_history
    from spaces.models import AdaptiveSpace
    from tests.factories import AdaptiveSpaceFactory

    space = AdaptiveSpaceFactory(programme=programme, name="Frailty huddle")
    AdaptiveSpace.history.all().delete()  # as before the migration that began its history
    record = record_starting_history("spaces", "AdaptiveSpace")

    record(apps, None)
    record(apps, None)  # twice: rows that have history are left alone

    (first,) = space.history.all()
    assert (first.history_type, first.name, first.version) == ("+", "Frailty huddle", 1)
    assert [change.added for change in history.changes(space)] == [True]
