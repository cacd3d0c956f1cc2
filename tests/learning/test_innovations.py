"""Innovations and their narratives: adding and changing them, what each role sees, the
history, edit conflicts, and bad input (each with a clear message and nothing typed lost)."""

import pytest

from convening.models import Innovation
from learning.models import Narrative
from tests.factories import (
    AdoptionFactory,
    InnovationFactory,
    NarrativeFactory,
    OrganisationFactory,
    ParticipantFactory,
)

INNOVATIONS = "/programmes/virtual-wards/innovations/"
SCRIPT = "Safe words<script>alert('x')</script> <img src=x onerror=alert(1)>"


@pytest.fixture
def innovation(programme):
    return InnovationFactory(
        programme=programme,
        name="Virtual ward app",
        slug="virtual-ward-app",
        summary="An app for patients at home.",
        core_components="- **Daily** readings",
        adaptable_elements="- Which device",
    )


def _edit_data(innovation, **changes):
    data = {
        "name": innovation.name,
        "summary": innovation.summary,
        "evidence_summary": innovation.evidence_summary,
        "core_components": innovation.core_components,
        "adaptable_elements": innovation.adaptable_elements,
        "based_on": innovation.updated_at.isoformat(),
    }
    return {**data, **changes}


# The list ---------------------------------------------------------------------------------------


def test_the_list_shows_innovations_with_their_adopting_sites(as_user, programme, member):
    app = InnovationFactory(programme=programme, name="Virtual ward app", slug="app")
    for stage in ("exploring", "adopted", "not_started", "abandoned"):
        AdoptionFactory(innovation=app, stage=stage)
    InnovationFactory(name="Someone else's innovation")
    page = as_user(member).get(INNOVATIONS).content.decode()
    assert '<a href="/programmes/virtual-wards/innovations/app/">Virtual ward app</a>' in page
    assert '<td class="nhsuk-table__cell--numeric">2</td>' in page
    assert "Someone else&#39;s innovation" not in page
    assert "Add an innovation" not in page


def test_leads_see_add_an_innovation(as_user, lead):
    assert "Add an innovation" in as_user(lead).get(INNOVATIONS).content.decode()


# Adding and changing ----------------------------------------------------------------------------


def test_a_lead_adds_an_innovation_with_its_contacts(as_user, programme, lead):
    organisation = OrganisationFactory(name="Docobo")
    contact = ParticipantFactory(programme=programme, name="Ada Innovator")
    response = as_user(lead).post(
        INNOVATIONS + "new/",
        {
            "name": "Remote Monitoring: Kit!",
            "summary": "Kit at home",
            "innovator_organisation": organisation.pk,
            "core_components": "Daily readings",
            "innovator_contacts": [contact.pk],
        },
    )
    innovation = Innovation.objects.get(name="Remote Monitoring: Kit!")
    assert response.headers["Location"] == INNOVATIONS + "remote-monitoring-kit/"
    assert innovation.programme == programme
    assert innovation.innovator_organisation == organisation
    assert list(innovation.innovator_contacts.all()) == [contact]


def test_a_name_already_used_gets_a_unique_slug(as_user, programme, lead, innovation):
    InnovationFactory(programme=programme, name="x", slug="virtual-ward-app-2")
    response = as_user(lead).post(INNOVATIONS + "new/", {"name": "Virtual ward app"})
    assert response.headers["Location"] == INNOVATIONS + "virtual-ward-app-3/"


@pytest.mark.parametrize("name", ["New", "Feed", "  feed "])
def test_a_name_that_would_take_a_reserved_slug_gets_another(as_user, lead, name):
    response = as_user(lead).post(INNOVATIONS + "new/", {"name": name})
    slug = name.strip().lower()
    assert response.headers["Location"] == f"{INNOVATIONS}{slug}-innovation/"


def test_the_same_name_in_another_programme_keeps_its_slug(as_user, lead):
    InnovationFactory(name="Virtual ward app", slug="virtual-ward-app")
    response = as_user(lead).post(INNOVATIONS + "new/", {"name": "Virtual ward app"})
    assert response.headers["Location"] == INNOVATIONS + "virtual-ward-app/"


def test_a_name_too_long_is_refused_and_the_text_kept(as_user, lead):
    response = as_user(lead).post(
        INNOVATIONS + "new/", {"name": "n" * 201, "evidence_summary": "Three trials in Leeds"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Name must be 200 characters or fewer" in page
    assert 'href="#id_name"' in page
    assert "Three trials in Leeds" in page
    assert not Innovation.objects.exists()


def test_an_empty_name_is_refused(as_user, lead):
    response = as_user(lead).post(INNOVATIONS + "new/", {"name": ""})
    assert response.status_code == 400
    assert "Enter the innovation&#39;s name" in response.content.decode()


@pytest.mark.parametrize("field", ["evidence_summary", "core_components", "adaptable_elements"])
def test_markdown_over_10000_characters_is_refused(as_user, lead, innovation, field):
    response = as_user(lead).post(
        INNOVATIONS + "virtual-ward-app/edit/", _edit_data(innovation, **{field: "x" * 10_001})
    )
    assert response.status_code == 400
    assert "must be 10,000 characters or fewer" in response.content.decode()


def test_a_contact_of_another_programme_is_a_field_error(as_user, lead, innovation):
    stranger = ParticipantFactory(name="Someone Elsewhere")
    response = as_user(lead).post(
        INNOVATIONS + "virtual-ward-app/edit/",
        _edit_data(innovation, innovator_contacts=[stranger.pk], summary="Kept words"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "That person was not found in this programme" in page
    assert 'href="#id_innovator_contacts"' in page
    assert "Kept words" in page
    assert not innovation.innovator_contacts.exists()


@pytest.mark.parametrize("value", ["999999", "not-a-number"])
def test_an_unknown_organisation_is_a_field_error(as_user, lead, innovation, value):
    response = as_user(lead).post(
        INNOVATIONS + "virtual-ward-app/edit/", _edit_data(innovation, innovator_organisation=value)
    )
    assert response.status_code == 400
    assert "Choose an organisation from the list" in response.content.decode()


def test_editing_keeps_the_slug_and_sets_updated_at(as_user, lead, innovation):
    before = innovation.updated_at
    response = as_user(lead).post(
        INNOVATIONS + "virtual-ward-app/edit/", _edit_data(innovation, name="Virtual wards at home")
    )
    assert response.headers["Location"] == INNOVATIONS + "virtual-ward-app/"
    innovation.refresh_from_db()
    assert innovation.name == "Virtual wards at home"
    assert innovation.updated_at > before


def test_a_save_over_someone_elses_change_is_a_conflict_that_keeps_the_text(
    as_user, lead, innovation
):
    stale = _edit_data(innovation, core_components="My careful words")
    innovation.core_components = "Their change"
    innovation.updated_at = innovation.updated_at.replace(year=innovation.updated_at.year + 1)
    innovation.save()
    client = as_user(lead)
    response = client.post(INNOVATIONS + "virtual-ward-app/edit/", stale)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this innovation" in page
    assert "My careful words" in page
    innovation.refresh_from_db()
    assert innovation.core_components == "Their change"
    # The form now carries the newer time, so saving again after checking goes through.
    again = {**stale, "based_on": innovation.updated_at.isoformat()}
    assert client.post(INNOVATIONS + "virtual-ward-app/edit/", again).status_code == 302
    innovation.refresh_from_db()
    assert innovation.core_components == "My careful words"


def test_a_missing_based_on_is_a_conflict_too(as_user, lead, innovation):
    response = as_user(lead).post(
        INNOVATIONS + "virtual-ward-app/edit/", _edit_data(innovation, based_on="")
    )
    assert response.status_code == 409


# The innovation's page --------------------------------------------------------------------------


def test_markdown_with_script_is_stripped_on_the_page(as_user, lead, innovation):
    as_user(lead).post(
        INNOVATIONS + "virtual-ward-app/edit/", _edit_data(innovation, core_components=SCRIPT)
    )
    page = as_user(lead).get(INNOVATIONS + "virtual-ward-app/").content.decode()
    assert "Safe words" in page
    assert "alert(" not in page
    assert "onerror" not in page


@pytest.mark.parametrize(
    ("role", "sees_email"), [("lead", True), ("facilitator", True), ("member", False)]
)
def test_contact_details_only_for_leads_and_facilitators(
    as_user, request, programme, innovation, role, sees_email
):
    ada = ParticipantFactory(programme=programme, name="Ada Innovator", email="ada@example.org")
    innovation.innovator_contacts.add(ada)
    page = (
        as_user(request.getfixturevalue(role))
        .get(INNOVATIONS + "virtual-ward-app/")
        .content.decode()
    )
    assert "Ada Innovator" in page
    assert ("ada@example.org" in page) is sees_email


def test_the_page_shows_each_audience_adoption_and_links(as_user, programme, lead, innovation):
    writer = ParticipantFactory(programme=programme, name="Bea Writer")
    narrative = NarrativeFactory(
        innovation=innovation, audience="patients", body="You stay **at home**.", updated_by=lead
    )
    narrative.contributors.add(writer)
    AdoptionFactory(
        innovation=innovation, organisation=OrganisationFactory(name="Leeds"), stage="testing"
    )
    page = as_user(lead).get(INNOVATIONS + "virtual-ward-app/").content.decode()
    assert "You stay <strong>at home</strong>." in page
    assert "Written by Bea Writer." in page
    assert page.count("Not written yet.") == 5
    assert "Write the narrative for clinicians and frontline staff" in page
    assert INNOVATIONS + "virtual-ward-app/narratives/patients/edit/" in page
    assert INNOVATIONS + "virtual-ward-app/narratives/patients/history/" in page
    assert 'nhsuk-tag--yellow">Testing</strong>' in page
    assert "/learn/virtual-wards/virtual-ward-app/" in page
    assert "/programmes/virtual-wards/feedback/" in page
    assert INNOVATIONS + "virtual-ward-app/edit/" in page


def test_facilitators_write_narratives_and_members_only_read(
    as_user, facilitator, member, innovation
):
    page = as_user(facilitator).get(INNOVATIONS + "virtual-ward-app/").content.decode()
    assert "Write the narrative for patients and carers" in page
    assert "/feedback/" not in page
    assert '/edit/">Edit this innovation' not in page
    page = as_user(member).get(INNOVATIONS + "virtual-ward-app/").content.decode()
    assert "Write the narrative" not in page
    assert "narratives/" not in page


# Narratives -------------------------------------------------------------------------------------

N = INNOVATIONS + "virtual-ward-app/narratives/"


def test_the_first_save_makes_the_narrative(as_user, programme, facilitator, innovation):
    writer = ParticipantFactory(programme=programme, name="Bea Writer")
    client = as_user(facilitator)
    assert (
        "Write the narrative for patients and carers"
        in client.get(N + "patients/edit/").content.decode()
    )
    response = client.post(
        N + "patients/edit/", {"body": "You stay at home.", "contributors": [writer.pk]}
    )
    assert response.headers["Location"] == INNOVATIONS + "virtual-ward-app/#narrative-patients"
    narrative = Narrative.objects.get(innovation=innovation, audience="patients")
    assert narrative.body == "You stay at home."
    assert narrative.updated_by == facilitator
    assert list(narrative.contributors.all()) == [writer]


def test_editing_a_narrative_changes_it(as_user, lead, innovation):
    narrative = NarrativeFactory(innovation=innovation, audience="finance", body="Old")
    client = as_user(lead)
    assert "Edit the narrative for finance" in client.get(N + "finance/edit/").content.decode()
    response = client.post(
        N + "finance/edit/", {"body": "New", "based_on": narrative.updated_at.isoformat()}
    )
    assert response.status_code == 302
    narrative.refresh_from_db()
    assert (narrative.body, narrative.updated_by) == ("New", lead)


def test_a_contributor_of_another_programme_is_a_field_error(as_user, lead, innovation):
    stranger = ParticipantFactory()
    response = as_user(lead).post(
        N + "patients/edit/", {"body": "Kept words", "contributors": [stranger.pk]}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "That person was not found in this programme" in page
    assert "Kept words" in page
    assert not Narrative.objects.exists()


def test_a_narrative_over_50000_characters_is_refused(as_user, lead, innovation):
    response = as_user(lead).post(N + "patients/edit/", {"body": "x" * 50_001})
    assert response.status_code == 400
    assert "Narrative must be 50,000 characters or fewer" in response.content.decode()
    assert not Narrative.objects.exists()


def test_a_narrative_with_script_is_shown_without_it(as_user, lead, innovation):
    client = as_user(lead)
    client.post(N + "patients/edit/", {"body": SCRIPT})
    for url in (INNOVATIONS + "virtual-ward-app/", N + "patients/history/"):
        page = client.get(url).content.decode()
        assert "Safe words" in page
        assert "alert(" not in page


def test_a_narrative_saved_meanwhile_is_a_conflict_that_keeps_the_text(
    as_user, lead, facilitator, innovation
):
    # Both opened the empty page; the facilitator saved first.
    as_user(facilitator).post(N + "patients/edit/", {"body": "Their words", "based_on": ""})
    response = as_user(lead).post(N + "patients/edit/", {"body": "My words", "based_on": ""})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this narrative" in page
    assert "My words" in page
    assert Narrative.objects.get().body == "Their words"


def test_a_stale_narrative_edit_is_a_conflict(as_user, lead, innovation):
    narrative = NarrativeFactory(innovation=innovation, audience="patients", body="Now")
    response = as_user(lead).post(
        N + "patients/edit/", {"body": "Mine", "based_on": "2020-01-01T00:00:00+00:00"}
    )
    assert response.status_code == 409
    assert f'value="{narrative.updated_at.isoformat()}"' in response.content.decode()


# History ----------------------------------------------------------------------------------------


def test_the_innovation_history_lists_each_save_newest_first(as_user, programme, lead, innovation):
    client = as_user(lead)
    contact = ParticipantFactory(programme=programme)
    client.post(
        INNOVATIONS + "virtual-ward-app/edit/",
        _edit_data(innovation, summary="Changed", innovator_contacts=[contact.pk]),
    )
    innovation.refresh_from_db()
    client.post(
        INNOVATIONS + "virtual-ward-app/edit/",
        _edit_data(innovation, name="Renamed", innovator_contacts=[contact.pk]),
    )
    page = client.get(INNOVATIONS + "virtual-ward-app/history/").content.decode()
    renamed = page.index("<td>Name</td>")
    changed = page.index("<td>Summary, Innovator contacts</td>")
    assert renamed < changed
    assert page.count("Lead Person") == 2


def test_the_narrative_history_shows_the_words_as_they_stood(
    as_user, programme, lead, facilitator, innovation
):
    writer = ParticipantFactory(programme=programme, name="Bea Writer")
    as_user(facilitator).post(N + "patients/edit/", {"body": "First words"})
    narrative = Narrative.objects.get()
    as_user(lead).post(
        N + "patients/edit/",
        {
            "body": "Second words",
            "contributors": [writer.pk],
            "based_on": narrative.updated_at.isoformat(),
        },
    )
    page = as_user(lead).get(N + "patients/history/").content.decode()
    assert page.count('class="convening-history-entry"') == 2
    assert page.index("Second words") < page.index("First words")
    assert "Bea Writer" in page
    assert "None listed" in page


def test_a_narrative_not_written_yet_has_an_empty_history(as_user, member, innovation):
    response = as_user(member).get(N + "digital/history/")
    assert response.status_code == 200
    assert "Nobody has written this narrative yet." in response.content.decode()
