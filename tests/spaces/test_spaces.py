"""Adaptive spaces: adding, editing, members, the mix and "My spaces"."""

from datetime import timedelta

from django.utils import timezone

from spaces.models import AdaptiveSpace, SpaceMember
from tests.factories import (
    AdaptiveSpaceFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
)

SPACES = "/programmes/virtual-wards/spaces/"
SPACE = SPACES + "frailty-huddle/"
VALID = {
    "name": "Falls collaborative",
    "kind": "learning_collaborative",
    "confidentiality": "chatham_house",
    "status": "active",
    "cadence": "Monthly",
}


def test_lead_adds_a_space(as_user, programme, lead):
    response = as_user(lead).post(SPACES + "new/", VALID)
    space = AdaptiveSpace.objects.get()
    assert response.headers["Location"] == "/programmes/virtual-wards/spaces/falls-collaborative/"
    assert space.is_chatham_house
    assert space.programme == programme


def test_bad_space_input_is_explained_and_kept(as_user, programme, lead):
    data = {**VALID, "name": "S" * 201, "kind": "party", "purpose": "Keep this purpose"}
    response = as_user(lead).post(SPACES + "new/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Name must be 200 characters or fewer" in body
    assert "Choose a kind listed" in body
    assert "Keep this purpose" in body
    assert not AdaptiveSpace.objects.exists()


def test_two_spaces_with_one_name_get_different_addresses(as_user, programme, lead):
    client = as_user(lead)
    client.post(SPACES + "new/", VALID)
    client.post(SPACES + "new/", VALID)
    slugs = sorted(AdaptiveSpace.objects.values_list("slug", flat=True))
    assert slugs == ["falls-collaborative", "falls-collaborative-2"]


def test_the_spaces_facilitator_edits_it(as_user, space, facilitator):
    page = as_user(facilitator).get(SPACE + "edit/").content.decode()
    assert 'name="version" value="1"' in page
    response = as_user(facilitator).post(
        SPACE + "edit/", {**VALID, "name": "Huddle two", "version": "1"}
    )
    assert response.status_code == 302
    space.refresh_from_db()
    assert space.name == "Huddle two"
    assert space.slug == "frailty-huddle"
    assert space.version == 2


def test_two_saves_from_one_version_give_the_second_a_conflict(as_user, space, facilitator, lead):
    first = {**VALID, "purpose": "Lead's purpose", "version": "1"}
    second = {**VALID, "purpose": "Facilitator's purpose", "version": "1"}
    assert as_user(lead).post(SPACE + "edit/", first).status_code == 302
    response = as_user(facilitator).post(SPACE + "edit/", second)
    body = response.content.decode()
    assert response.status_code == 409
    panel = body.split('id="conflict"')[1].split("<h1>")[0]
    assert "Someone else saved this space while you were editing it" in panel
    assert "Lead Person saved it" in panel
    assert "Lead&#39;s purpose" in panel
    form = body.split('<form method="post" novalidate>')[1]
    assert "Facilitator&#39;s purpose" in form  # still in the form
    assert 'name="version" value="2"' in body
    space.refresh_from_db()
    assert space.purpose == "Lead's purpose"
    as_user(facilitator).post(SPACE + "edit/", {**second, "version": "2"})
    space.refresh_from_db()
    assert space.purpose == "Facilitator's purpose"


def test_a_new_calendar_address_meanwhile_is_no_conflict(as_user, space, facilitator):
    space.renew_calendar_token()
    token = space.calendar_token
    assert space.version == 2
    response = as_user(facilitator).post(
        SPACE + "edit/", {**VALID, "name": "Renamed", "version": "1"}
    )
    assert response.status_code == 302
    space.refresh_from_db()
    assert (space.name, space.calendar_token, space.version) == ("Renamed", token, 3)


def test_the_space_history_lists_each_saved_change_for_members(as_user, programme, lead, member):
    as_user(lead).post(SPACES + "new/", VALID)
    space = AdaptiveSpace.objects.get()
    url = f"{SPACES}{space.slug}/"
    as_user(lead).post(url + "edit/", {**VALID, "cadence": "Weekly", "version": "1"})
    space.refresh_from_db()
    space.renew_calendar_token()  # no change anyone made to the details
    edit_page = as_user(lead).get(url + "edit/").content.decode()
    assert f'href="{url}history/"' in edit_page
    assert f'href="{url}history/"' in as_user(member).get(url).content.decode()
    response = as_user(member).get(url + "history/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "History of Falls collaborative" in body
    rows = body.split("<tbody")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 2
    assert "Cadence" in rows[0]
    assert "Lead Person" in rows[0]
    assert "Added" in rows[1]
    # The private feed address is a secret: the history never keeps it.
    assert "calendar_token" not in {f.name for f in space.history.model._meta.fields}


def test_a_facilitator_of_another_space_cannot_edit_this_one(
    as_user, programme, facilitator, space
):
    other = AdaptiveSpaceFactory(programme=programme, slug="elsewhere")
    assert as_user(facilitator).get(f"{SPACES}{other.slug}/edit/").status_code == 403


def test_adding_and_removing_members(as_user, space, facilitator, programme):
    person = ParticipantFactory(programme=programme, name="Zoe Added")
    client = as_user(facilitator)
    client.post(SPACE + "members/add/", {"participant": person.pk, "role": "participant"})
    member = SpaceMember.objects.get(space=space, participant=person)
    response = client.post(
        SPACE + "members/add/", {"participant": person.pk, "role": "facilitator"}, follow=True
    )
    assert "already a member of this space" in response.content.decode()
    assert SpaceMember.objects.filter(space=space, participant=person).count() == 1
    client.post(f"{SPACE}members/{member.pk}/remove/")
    assert not SpaceMember.objects.filter(pk=member.pk).exists()


def test_a_person_from_another_programme_cannot_be_added(as_user, space, facilitator):
    stranger = ParticipantFactory(programme=ProgrammeFactory())
    response = as_user(facilitator).post(
        SPACE + "members/add/", {"participant": stranger.pk, "role": "participant"}
    )
    assert response.status_code == 400
    assert "That person was not found in this programme" in response.content.decode()
    assert not SpaceMember.objects.filter(participant=stranger).exists()


def test_an_unknown_role_in_a_space_is_refused(as_user, space, facilitator, programme):
    person = ParticipantFactory(programme=programme)
    response = as_user(facilitator).post(
        SPACE + "members/add/", {"participant": person.pk, "role": "boss"}
    )
    assert "Choose facilitator or participant" in response.content.decode()


def test_the_mix_shows_who_is_missing(as_user, space, member, programme):
    ParticipantFactory(
        programme=programme, role_group="patient", organisation=OrganisationFactory(sector="vcse")
    )
    body = as_user(member).get(SPACE).content.decode()
    assert "Who is in the room, and who is missing" in body
    assert (
        "Voluntary and community sector" in body.split("Sectors in the programme but not here")[1]
    )
    assert "Patient / carer / public" in body.split("Role groups in the programme but not here")[1]


def test_my_spaces_lists_my_spaces_with_next_and_last_meeting(as_user, space, member, programme):
    AdaptiveSpaceFactory(programme=programme, name="Not mine")
    soon = timezone.now() + timedelta(days=3)
    MeetingFactory(space=space, starts_at=soon, ends_at=soon + timedelta(hours=1))
    past = timezone.now() - timedelta(days=9)
    MeetingFactory(space=space, starts_at=past, ends_at=past + timedelta(hours=1), status="held")
    body = as_user(member).get("/my-spaces/").content.decode()
    assert "Frailty huddle" in body
    assert "Not mine" not in body
    assert "None planned" not in body
    assert "None yet" not in body


def test_finding_people_to_add_by_search_as_you_type_and_plain(
    as_user, space, facilitator, programme
):
    ParticipantFactory(programme=programme, name="Quentin Candidate")
    ParticipantFactory(programme=ProgrammeFactory(), name="Quentin Elsewhere")
    client = as_user(facilitator)
    fragment = client.get(SPACE, {"member_q": "quentin"}, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="member-candidates"')
    assert "Quentin Candidate" in fragment
    assert "Quentin Elsewhere" not in fragment
    page = client.get(SPACE, {"member_q": "quentin"}).content.decode()
    assert "Add as facilitator" in page
    assert "Quentin Candidate" in page


def test_the_space_page_does_not_list_the_whole_programme(as_user, space, lead, programme):
    for number in range(40):
        ParticipantFactory(programme=programme, name=f"Not Listed {number}")
    body = as_user(lead).get(SPACE).content.decode()
    assert "Not Listed" not in body
    assert "<option" not in body.split('id="add-member"')[1].split('id="mix"')[0]


def test_members_cannot_search_for_people_to_add(as_user, space, member):
    response = as_user(member).get(SPACE, {"member_q": "a"}, HTTP_HX_REQUEST="true")
    assert "member-candidates" not in response.content.decode()


def test_a_chatham_house_meeting_sends_nothing_said_to_those_outside_the_space(
    as_user, programme, member
):
    from learning.models import LearningEntry
    from tests.factories import AdaptiveSpaceFactory, LearningEntryFactory, MeetingFactory

    space = AdaptiveSpaceFactory(programme=programme, confidentiality="chatham_house")
    meeting = MeetingFactory(
        space=space,
        status="held",
        notes="Ward 4 staff are exhausted",
        tensions="Who pays for the pumps",
        decisions="Pause the pilot",
    )
    LearningEntryFactory(
        programme=programme,
        source_meeting=meeting,
        title="Night cover is the real gap",
        visibility=LearningEntry.Visibility.SPACE,
    )
    page = as_user(member).get(meeting.get_absolute_url()).content.decode()
    assert "its notes are for the space's members" in page
    assert "1 learning point, for the space's members." in page
    for said in ("exhausted", "pumps", "Pause the pilot", "Night cover"):
        assert said not in page
