"""Innovations and their narratives: adding and changing them, what each role sees, the
history, edit conflicts, and bad input (each with a clear message and nothing typed lost)."""

import re

import pytest

from convening.models import Innovation, Membership
from learning.models import Narrative
from learning.views import innovations
from tests.factories import (
    AdoptionFactory,
    InnovationFactory,
    MembershipFactory,
    NarrativeFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
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
        "version": str(innovation.version),
    }
    return {**data, **changes}


def _version(response) -> str:
    return re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)


@pytest.fixture
def other_lead(programme):
    user = UserFactory(email="second.lead@example.org", name="Second Lead")
    MembershipFactory(programme=programme, user=user, role=Membership.Role.LEAD)
    return user


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


def test_two_saves_from_the_same_version_give_the_second_a_conflict(
    as_user, lead, other_lead, innovation
):
    edit = INNOVATIONS + "virtual-ward-app/edit/"
    assert _version(as_user(lead).get(edit)) == "1"
    theirs = _edit_data(innovation, core_components="Their change")
    assert as_user(other_lead).post(edit, theirs).status_code == 302
    client = as_user(lead)
    mine = _edit_data(innovation, core_components="My careful words")
    response = client.post(edit, mine)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this innovation while you were editing it" in page
    assert "Second Lead saved it" in page
    assert '<div class="convening-conflict">Their change</div>' in page
    assert ">My careful words</textarea>" in page
    innovation.refresh_from_db()
    assert innovation.core_components == "Their change"
    # The form now carries the version saved since, so saving again after checking goes through.
    assert _version(response) == "2"
    assert client.post(edit, {**mine, "version": "2"}).status_code == 302
    innovation.refresh_from_db()
    assert (innovation.core_components, innovation.version) == ("My careful words", 3)


def test_a_missing_version_is_a_conflict_too(as_user, lead, innovation):
    response = as_user(lead).post(
        INNOVATIONS + "virtual-ward-app/edit/", _edit_data(innovation, version="")
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
    response = client.post(N + "finance/edit/", {"body": "New", "version": "1"})
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
    # Both opened the empty page, which has no version; the facilitator saved first.
    assert 'name="version"' not in as_user(lead).get(N + "patients/edit/").content.decode()
    as_user(facilitator).post(N + "patients/edit/", {"body": "Their words"})
    client = as_user(lead)
    response = client.post(N + "patients/edit/", {"body": "My words"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this narrative while you were editing it" in page
    assert "Facilitator Person saved it" in page
    assert '<div class="convening-conflict">Their words</div>' in page
    assert ">My words</textarea>" in page
    assert "Last updated by" not in page
    assert Narrative.objects.get().body == "Their words"
    # Saving again, after checking, replaces their words.
    assert _version(response) == "1"
    again = client.post(N + "patients/edit/", {"body": "My words", "version": "1"})
    assert again.status_code == 302
    assert Narrative.objects.get().body == "My words"


def test_two_saves_from_the_same_version_of_a_narrative_give_the_second_a_conflict(
    as_user, lead, facilitator, innovation
):
    NarrativeFactory(innovation=innovation, audience="patients", body="Now")
    assert _version(as_user(lead).get(N + "patients/edit/")) == "1"
    as_user(facilitator).post(N + "patients/edit/", {"body": "Their words", "version": "1"})
    response = as_user(lead).post(N + "patients/edit/", {"body": "Mine", "version": "1"})
    page = response.content.decode()
    assert response.status_code == 409
    assert '<div class="convening-conflict">Their words</div>' in page
    assert ">Mine</textarea>" in page
    assert _version(response) == "2"
    assert Narrative.objects.get().body == "Their words"


def test_a_first_version_saved_at_the_same_moment_is_a_conflict(
    as_user, lead, innovation, monkeypatch
):
    # The other person's first save lands after this page looked for the narrative.
    NarrativeFactory(innovation=innovation, audience="patients", body="Their words")
    look_up = innovations._narrative
    looks = []

    def not_there_yet(*args):
        looks.append(args)
        return None if len(looks) == 1 else look_up(*args)

    monkeypatch.setattr(innovations, "_narrative", not_there_yet)
    response = as_user(lead).post(N + "patients/edit/", {"body": "My words"})
    page = response.content.decode()
    assert response.status_code == 409
    assert '<div class="convening-conflict">Their words</div>' in page
    assert ">My words</textarea>" in page
    assert Narrative.objects.get().body == "Their words"


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
    added = page.index("<td>Added</td>")
    assert renamed < changed < added
    assert page.count("<td>Lead Person</td>") == 2


def test_an_innovation_added_with_contacts_shows_as_added(as_user, programme, lead):
    contact = ParticipantFactory(programme=programme)
    client = as_user(lead)
    client.post(INNOVATIONS + "new/", {"name": "Kit", "innovator_contacts": [contact.pk]})
    page = client.get(INNOVATIONS + "kit/history/").content.decode()
    assert page.count("<td>Added</td>") == 1
    assert "<td>Lead Person</td>" in page


def test_the_narrative_history_shows_the_words_as_they_stood(
    as_user, programme, lead, facilitator, innovation
):
    writer = ParticipantFactory(programme=programme, name="Bea Writer")
    as_user(facilitator).post(N + "patients/edit/", {"body": "First words"})
    as_user(lead).post(
        N + "patients/edit/",
        {"body": "Second words", "contributors": [writer.pk], "version": "1"},
    )
    page = as_user(lead).get(N + "patients/history/").content.decode()
    assert page.count('class="convening-prose"') == 2
    assert page.index("Second words") < page.index("First words")
    assert page.index("<td>Narrative, Contributors</td>") < page.index("<td>Added</td>")
    assert page.index("<td>Lead Person</td>") < page.index("<td>Facilitator Person</td>")
    assert "Contributors: Bea Writer" in page
    assert "Contributors: none listed" in page


def test_a_narrative_first_saved_with_contributors_shows_as_added(
    as_user, programme, lead, innovation
):
    writer = ParticipantFactory(programme=programme, name="Bea Writer")
    client = as_user(lead)
    client.post(N + "patients/edit/", {"body": "First words", "contributors": [writer.pk]})
    page = client.get(N + "patients/history/").content.decode()
    assert page.count("<td>Added</td>") == 1
    assert "First words" in page
    assert "Contributors: Bea Writer" in page


def test_a_narrative_not_written_yet_has_an_empty_history(as_user, member, innovation):
    response = as_user(member).get(N + "digital/history/")
    assert response.status_code == 200
    assert "Nobody has written this narrative yet." in response.content.decode()
