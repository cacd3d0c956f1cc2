"""Programme list, creation, overview and editing."""

import re

from django.contrib.auth.models import Permission

from convening.models import Membership, Programme
from tests.factories import (
    InnovationFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
    UserFactory,
)


def test_programme_list_shows_only_my_programmes_with_my_role(as_user, programme, facilitator):
    ProgrammeFactory(name="Someone else's programme")
    response = as_user(facilitator).get("/programmes/")
    body = response.content.decode()
    assert "Virtual wards across West Yorkshire" in body
    assert "Someone else&#39;s programme" not in body
    assert "Facilitator" in body
    assert "<title>Programmes – Convening</title>" in body


def test_create_programme_button_shows_only_to_those_allowed(as_user, programme, member, lead):
    assert "Create programme" not in as_user(member).get("/programmes/").content.decode()
    lead.is_staff = True
    lead.save()
    assert "Create programme" in as_user(lead).get("/programmes/").content.decode()


def test_a_user_with_the_permission_creates_a_programme_and_becomes_its_lead(as_user, outsider):
    outsider.user_permissions.add(Permission.objects.get(codename="create_programme"))
    response = as_user(outsider).post(
        "/programmes/new/",
        {
            "name": "Heart failure at home",
            "summary": "Spreading remote monitoring.",
            "status": "planning",
            "hub_visibility": "members",
        },
    )
    programme = Programme.objects.get(name="Heart failure at home")
    assert response.headers["Location"] == "/programmes/heart-failure-at-home/"
    assert programme.memberships.get().user == outsider
    assert programme.memberships.get().role == Membership.Role.LEAD
    assert programme.history.count() == 1


def test_a_programme_named_new_does_not_hide_behind_the_create_page(as_user, outsider):
    outsider.is_staff = True
    outsider.save()
    client = as_user(outsider)
    data = {"name": "New", "status": "planning", "hub_visibility": "members"}
    client.post("/programmes/new/", data)
    client.post("/programmes/new/", data)
    made = Programme.objects.exclude(slug="stroke-rehab")  # the outsider's own programme
    assert sorted(made.values_list("slug", flat=True)) == ["new-programme", "new-programme-2"]


def test_bad_programme_input_gets_clear_messages_and_keeps_what_was_typed(as_user, outsider):
    outsider.is_staff = True
    outsider.save()
    long_name = "A" * 201
    response = as_user(outsider).post(
        "/programmes/new/",
        {"name": long_name, "summary": "Keep me", "status": "dreaming", "hub_visibility": ""},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Programme name must be 200 characters or fewer" in body
    assert 'href="#id_name"' in body
    assert "Select a valid choice" in body or "Choose" in body
    assert long_name in body
    assert "Keep me" in body
    assert body.count("<title>Error: ") == 1
    assert not Programme.objects.exclude(slug="stroke-rehab").exists()


def test_overview_shows_innovations_members_by_role_and_organisations(
    as_user, programme, lead, facilitator, member
):
    innovator = OrganisationFactory(name="Brightpath Health", sector="industry")
    InnovationFactory(
        programme=programme, name="Remote monitoring kit", innovator_organisation=innovator
    )
    ParticipantFactory(programme=programme, organisation=OrganisationFactory(name="Calder Trust"))
    body = as_user(member).get("/programmes/virtual-wards/").content.decode()
    assert "<h1>Virtual wards across West Yorkshire</h1>" in body
    assert "Remote monitoring kit" in body
    assert "From Brightpath Health" in body
    assert "Leads (1)" in body
    assert "Facilitators (1)" in body
    assert "Members (1)" in body
    assert "Calder Trust" in body
    assert "Edit programme details" not in body


def test_lead_edits_programme_details(as_user, programme, lead):
    response = as_user(lead).post(
        "/programmes/virtual-wards/edit/",
        {
            "name": "Virtual wards",
            "summary": "New words",
            "status": "sustaining",
            "hub_visibility": "public",
            "version": programme.version,
        },
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.name, programme.status) == ("Virtual wards", "sustaining")
    assert programme.slug == "virtual-wards"


def test_overview_of_another_programme_is_not_found_even_for_a_lead(as_user, lead):
    other = ProgrammeFactory(slug="other")
    MembershipFactory(programme=other, user=UserFactory(), role="lead")
    assert as_user(lead).get("/programmes/other/").status_code == 404


def test_overview_counts_only_this_programmes_people_at_each_organisation(
    as_user, programme, member
):
    from convening.models import Adoption

    site = OrganisationFactory(name="Oakworth Carers Centre")
    innovation = InnovationFactory(programme=programme)
    Adoption.objects.create(innovation=innovation, organisation=site)
    elsewhere = ProgrammeFactory()
    for _ in range(3):
        ParticipantFactory(programme=elsewhere, organisation=site)
    ParticipantFactory(programme=programme, organisation=site)
    body = as_user(member).get("/programmes/virtual-wards/").content.decode()
    row = body.split("Oakworth Carers Centre</td>")[1].split("</tr>")[0]
    assert '<td class="nhsuk-table__cell--numeric">1</td>' in row


def test_programme_list_counts_everyone_in_each_programme_not_just_me(
    as_user, programme, lead, facilitator, member
):
    ParticipantFactory.create_batch(4, programme=programme)
    body = as_user(member).get("/programmes/").content.decode()
    assert '<td class="nhsuk-table__cell--numeric">3</td>' in body
    assert '<td class="nhsuk-table__cell--numeric">4</td>' in body


def test_a_new_programme_has_its_lead_as_a_person_whose_consent_is_asked(as_user, outsider):
    outsider.user_permissions.add(Permission.objects.get(codename="create_programme"))
    client = as_user(outsider)
    client.post(
        "/programmes/new/",
        {"name": "Falls prevention", "status": "planning", "hub_visibility": "members"},
    )
    programme = Programme.objects.get(name="Falls prevention")
    person = programme.participants.get()
    assert person.user == outsider
    assert person.email == outsider.email
    assert person.consent_updated_at is None
    overview = client.get(programme.get_absolute_url()).content.decode()
    assert "People taking part" in overview
    assert _summary_value(overview, "People taking part") == "1"
    assert "confirm your consent choices" in overview
    people = client.get(f"/programmes/{programme.slug}/people/").content.decode()
    assert "confirm your consent choices" in people
    edit_url = f"/programmes/{programme.slug}/people/{person.pk}/edit/"
    client.post(
        edit_url,
        {"name": "Outside Person", "role_group": "operational", "version": person.version},
    )
    person.refresh_from_db()
    assert person.consent_updated_at is not None
    overview = client.get(programme.get_absolute_url()).content.decode()
    assert "confirm your consent choices" not in overview


def test_overview_says_none_taking_part_as_0_not_blank(as_user, programme, lead):
    body = as_user(lead).get("/programmes/virtual-wards/").content.decode()
    assert _summary_value(body, "People taking part") == "0"


def _summary_value(body: str, key: str) -> str:
    after_key = body[body.index(key) :]
    value = after_key.split("</dt>", 1)[1].split("</dd>")[0]
    return re.sub(r"<[^>]+>", "", value).strip()


def test_home_offers_the_learning_hub_to_someone_not_signed_in(client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="/learn/"' in body
    assert 'href="/accounts/login/"' in body


def test_home_takes_someone_signed_in_to_their_programmes(as_user, member):
    response = as_user(member).get("/")
    assert response["Location"] == "/programmes/"
