"""The learning log, writing and editing learning, and publishing it (DESIGN sections 4, 5, 9)."""

import datetime
import re
from html import unescape

import pytest
from django.utils import timezone

from activities.models import ActivityArea
from learning.models import LearningEntry
from tests.factories import (
    InnovationFactory,
    LearningEntryFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
    UserFactory,
)

P = "/programmes/virtual-wards"
LOG = P + "/learning/"
NEW = LOG + "new/"
ANONYMOUS = "A member of the programme"


def _valid(**overrides):
    return {
        "title": "Pharmacists on the ward round",
        "kind": "insight",
        "visibility": "programme",
    } | overrides


def _version(response) -> str:
    return re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)


def _titles(response) -> str:
    return response.content.decode()


# The learning log --------------------------------------------------------------------------------


def test_the_log_lists_entries_newest_first_with_tags_and_a_review_flag(as_user, programme, member):
    old = LearningEntryFactory(
        programme=programme,
        title="Older learning",
        created_at=timezone.now() - datetime.timedelta(days=3),
        review_by=timezone.localdate() - datetime.timedelta(days=1),
    )
    LearningEntryFactory(programme=programme, title="Newer learning", kind="barrier")
    LearningEntryFactory(title="Another programme's learning")
    html = _titles(as_user(member).get(LOG))
    assert html.index("Newer learning") < html.index("Older learning")
    assert "Another programme" not in html
    assert "Barrier" in html
    assert "Draft" in html
    assert "Check this is still true" in html
    assert f"Review by {old.review_by.day}" in html
    assert "Add learning" in html
    assert "2 entries." in html


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE learning_learningentry; --",
        "a & b | !c",
        '"unclosed',
        "-x",
        "<script>alert(1)</script>",
        "ward:* & (",
        "OR",
        "%_\\",
    ],
)
def test_a_search_with_operators_gives_no_error(as_user, programme, member, query):
    LearningEntryFactory(programme=programme, title="Discharge by noon")
    response = as_user(member).get(LOG, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert LearningEntry.objects.count() == 1


def test_a_search_finds_the_words_in_the_title_or_body(as_user, programme, member):
    LearningEntryFactory(programme=programme, title="Pharmacists on ward rounds", body="Helps.")
    LearningEntryFactory(programme=programme, title="Weekend cover", body="The pharmacists rota.")
    LearningEntryFactory(programme=programme, title="Handover by phone", body="Calls missed.")
    html = _titles(as_user(member).get(LOG, {"q": "pharmacists"}))
    assert "Pharmacists on ward rounds" in html
    assert "Weekend cover" in html
    assert "Handover by phone" not in html
    assert "2 entries match the search and filters." in html


def test_a_search_with_a_negated_word_is_sensible(as_user, programme, member):
    LearningEntryFactory(programme=programme, title="Pharmacists on ward rounds")
    html = _titles(as_user(member).get(LOG, {"q": "-pharmacists"}))
    # Excluded on PostgreSQL (web search syntax); not found by the plain contains on SQLite.
    assert "Pharmacists on ward rounds" not in html


def test_the_filters_narrow_the_log(as_user, programme, member):
    innovation = InnovationFactory(programme=programme, name="Virtual ward app", slug="app")
    site = OrganisationFactory(name="Leeds Teaching Hospitals")
    ParticipantFactory(programme=programme, organisation=site)
    area = ActivityArea.objects.get(number=4)
    match = LearningEntryFactory(
        programme=programme,
        title="The match",
        kind="adaptation",
        innovation=innovation,
        site=site,
        status="published",
    )
    match.areas.add(area)
    LearningEntryFactory(programme=programme, title="Wrong kind", kind="barrier")
    LearningEntryFactory(programme=programme, title="Draft adaptation", kind="adaptation")
    query = {
        "kind": "adaptation",
        "area": "4",
        "innovation": "app",
        "site": str(site.pk),
        "status": "published",
    }
    html = _titles(as_user(member).get(LOG, query))
    assert "The match" in html
    assert "Wrong kind" not in html
    assert "Draft adaptation" not in html
    assert "1 entry matches the filters." in html


def test_unknown_filter_values_are_ignored(as_user, programme, member):
    LearningEntryFactory(programme=programme, title="Still shown")
    other_innovation = InnovationFactory(slug="elsewhere")
    response = as_user(member).get(
        LOG,
        {
            "kind": "nonsense",
            "area": "99",
            "innovation": other_innovation.slug,
            "site": "abc",
            "status": "deleted",
            "page": "x",
        },
    )
    assert response.status_code == 200
    assert "Still shown" in response.content.decode()
    assert "1 entry." in response.content.decode()


def test_the_log_pages_by_fifty(as_user, programme, member):
    LearningEntryFactory.create_batch(51, programme=programme)
    client = as_user(member)
    first = client.get(LOG, {"kind": "insight"}).content.decode()
    assert "Showing 1 to 50 of 51." in first
    assert "?kind=insight&amp;page=2" in first
    assert "Showing 51 to 51 of 51." in client.get(LOG, {"page": 2}).content.decode()


# Naming people -----------------------------------------------------------------------------------


def _author(programme, *, consent: bool, name="Priya Ramanathan"):
    user = UserFactory(name=name)
    ParticipantFactory(programme=programme, user=user, name=name, consent_named=consent)
    return user


def test_an_author_who_consented_is_named_in_the_log_and_on_the_entry(as_user, programme, member):
    entry = LearningEntryFactory(programme=programme, author=_author(programme, consent=True))
    client = as_user(member)
    assert "Priya Ramanathan" in client.get(LOG).content.decode()
    assert "Priya Ramanathan" in client.get(f"{LOG}{entry.pk}/").content.decode()


def test_an_author_who_did_not_consent_is_not_named(as_user, programme, member):
    site = OrganisationFactory(name="Bradford District Care")
    entry = LearningEntryFactory(programme=programme, author=_author(programme, consent=False))
    sited = LearningEntryFactory(
        programme=programme, author=_author(programme, consent=False, name="Gareth Lowe"), site=site
    )
    client = as_user(member)
    log = client.get(LOG).content.decode()
    assert "Priya Ramanathan" not in log
    assert "Gareth Lowe" not in log
    assert ANONYMOUS in log
    assert "Someone at Bradford District Care" in log
    detail = client.get(f"{LOG}{entry.pk}/").content.decode()
    assert "Priya Ramanathan" not in detail
    assert ANONYMOUS in detail
    assert "Gareth Lowe" not in client.get(f"{LOG}{sited.pk}/").content.decode()


def test_learning_from_a_chatham_house_space_never_names_anyone(as_user, programme, lead, space):
    space.confidentiality = "chatham_house"
    space.save()
    attendee = ParticipantFactory(programme=programme, name="Attending Person")
    meeting = MeetingFactory(space=space, title="Huddle 12")
    meeting.attendances.create(participant=attendee, status="attended")
    site = OrganisationFactory(name="Leeds Teaching Hospitals")
    entry = LearningEntryFactory(
        programme=programme,
        author=_author(programme, consent=True),
        source_meeting=meeting,
        site=site,
    )
    client = as_user(lead)
    for url in (LOG, f"{LOG}{entry.pk}/"):
        html = client.get(url).content.decode()
        assert "Priya Ramanathan" not in html, url
        assert "Attending Person" not in html, url
        assert "Someone at Leeds" not in html, url
        assert ANONYMOUS in html, url


# Who may read what --------------------------------------------------------------------------------


def test_space_only_learning_is_hidden_from_people_outside_the_space(
    as_user, programme, member, facilitator, lead, space
):
    other_space_meeting = MeetingFactory(space__programme=programme)
    hidden = LearningEntryFactory(
        programme=programme,
        title="Only for the other space",
        visibility="space",
        source_meeting=other_space_meeting,
    )
    shown = LearningEntryFactory(
        programme=programme,
        title="Only for the huddle",
        visibility="space",
        source_meeting=MeetingFactory(space=space),
    )
    for user in (member, facilitator):
        client = as_user(user)
        log = client.get(LOG).content.decode()
        assert "Only for the huddle" in log
        assert "Only for the other space" not in log
        assert client.get(f"{LOG}{hidden.pk}/").status_code == 404
        assert client.get(f"{LOG}{hidden.pk}/edit/").status_code == 404
        assert client.get(f"{LOG}{shown.pk}/").status_code == 200
    assert "Only for the other space" in as_user(lead).get(LOG).content.decode()


# Writing ------------------------------------------------------------------------------------------


def test_a_member_drafts_learning_with_every_field(as_user, programme, member):
    innovation = InnovationFactory(programme=programme)
    site = OrganisationFactory()
    ParticipantFactory(programme=programme, organisation=site)
    areas = list(ActivityArea.objects.filter(number__in=[3, 7]))
    review_by = timezone.localdate() + datetime.timedelta(days=90)
    data = _valid(
        body="**Bold** words",
        innovation=innovation.pk,
        site=site.pk,
        areas=[area.pk for area in areas],
        visibility="public",
        review_by_day=review_by.day,
        review_by_month=review_by.month,
        review_by_year=review_by.year,
    )
    response = as_user(member).post(NEW, data)
    entry = LearningEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{LOG}{entry.pk}/"
    assert (entry.author, entry.status, entry.visibility) == (member, "draft", "public")
    assert (entry.innovation, entry.site, entry.review_by) == (innovation, site, review_by)
    assert set(entry.areas.all()) == set(areas)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title"),
        ({"title": "x" * 201}, "title", "Title must be 200 characters or fewer"),
        ({"body": "x" * 50_001}, "body", "Keep this to 50,000 characters or fewer"),
        ({"kind": "gossip"}, "kind", "Choose a kind from the list"),
        ({"visibility": "everyone"}, "visibility", "Choose who can read it from the list"),
        ({"visibility": "space"}, "visibility", "Only learning from a space"),
        ({"areas": ["9999"]}, "areas", "Choose activity areas from the list"),
        ({"areas": ["abc"]}, "areas", "Choose activity areas from the list"),
        ({"site": "9999"}, "site", "That site was not found in this programme"),
        (
            {"review_by_day": "1", "review_by_month": "1", "review_by_year": "2020"},
            "review_by",
            "must be today or later",
        ),
        (
            {"review_by_day": "31", "review_by_month": "2", "review_by_year": "2030"},
            "review_by",
            "Enter a real date",
        ),
    ],
)
def test_bad_input_is_explained_and_keeps_what_was_typed(
    as_user, programme, member, data, field, message
):
    response = as_user(member).post(NEW, _valid(**({"body": "Keep what I typed"} | data)))
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert message in html
    assert "There is a problem" in html
    if field != "body":
        assert "Keep what I typed" in html
    assert not LearningEntry.objects.exists()


def test_another_programmes_innovation_is_a_field_error(as_user, programme, member):
    other = InnovationFactory(programme=ProgrammeFactory())
    response = as_user(member).post(NEW, _valid(innovation=other.pk))
    assert response.status_code == 400
    assert "That innovation was not found in this programme" in response.content.decode()


def test_script_in_markdown_is_stripped_on_the_entry_page(as_user, programme, member):
    entry = LearningEntryFactory(
        programme=programme, body="Hello <script>alert('x')</script> **bold** [x](javascript:1)"
    )
    html = as_user(member).get(f"{LOG}{entry.pk}/").content.decode()
    assert "<script>alert" not in html
    assert "javascript:1" not in html
    assert "<strong>bold</strong>" in html


def test_space_members_visibility_is_allowed_for_learning_from_a_meeting(
    as_user, programme, facilitator, space
):
    entry = LearningEntryFactory(
        programme=programme, source_meeting=MeetingFactory(space=space), author=facilitator
    )
    response = as_user(facilitator).post(
        f"{LOG}{entry.pk}/edit/", _valid(visibility="space", version="1")
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.visibility == "space"


def test_a_lead_can_make_chatham_house_learning_public(as_user, programme, lead, space):
    space.confidentiality = "chatham_house"
    space.save()
    entry = LearningEntryFactory(programme=programme, source_meeting=MeetingFactory(space=space))
    response = as_user(lead).post(
        f"{LOG}{entry.pk}/edit/", _valid(visibility="public", version="1")
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.visibility == "public"


def test_a_past_review_date_already_saved_may_stay(as_user, programme, lead):
    past = timezone.localdate() - datetime.timedelta(days=10)
    entry = LearningEntryFactory(programme=programme, review_by=past)
    data = _valid(
        review_by_day=past.day, review_by_month=past.month, review_by_year=past.year, version="1"
    )
    assert as_user(lead).post(f"{LOG}{entry.pk}/edit/", data).status_code == 302
    entry.refresh_from_db()
    assert entry.review_by == past


def test_the_edit_form_shows_the_entry_and_saves_changes(as_user, programme, member):
    entry = LearningEntryFactory(programme=programme, author=member, title="First words")
    client = as_user(member)
    page = client.get(f"{LOG}{entry.pk}/edit/")
    assert page.status_code == 200
    assert "First words" in page.content.decode()
    assert _version(page) == "1"
    response = client.post(f"{LOG}{entry.pk}/edit/", _valid(title="Better words", version="1"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.version) == ("Better words", 2)


def test_two_saves_from_the_same_version_give_the_second_a_conflict(
    as_user, programme, lead, member
):
    entry = LearningEntryFactory(programme=programme, author=member, title="First words")
    version = _version(as_user(lead).get(f"{LOG}{entry.pk}/edit/"))
    theirs = _valid(title="Their words", body="Their text", version=version)
    assert as_user(member).post(f"{LOG}{entry.pk}/edit/", theirs).status_code == 302
    client = as_user(lead)
    mine = _valid(title="My words", body="My long text", version=version)
    response = client.post(f"{LOG}{entry.pk}/edit/", mine)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this learning while you were editing it" in html
    assert "Member Person saved it" in html
    assert '<div class="convening-conflict">Their text</div>' in html
    assert ">My long text</textarea>" in html
    assert 'value="My words"' in html
    entry.refresh_from_db()
    assert entry.title == "Their words"
    # The form now carries the version saved since: saving again replaces it.
    assert _version(response) == "2"
    assert client.post(f"{LOG}{entry.pk}/edit/", {**mine, "version": "2"}).status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.body) == ("My words", "My long text")


def test_publishing_meanwhile_does_not_conflict_and_stays_published(as_user, programme, lead):
    entry = LearningEntryFactory(programme=programme, title="First words")
    client = as_user(lead)
    version = _version(client.get(f"{LOG}{entry.pk}/edit/"))
    assert client.post(f"{LOG}{entry.pk}/publish/").status_code == 302
    response = client.post(f"{LOG}{entry.pk}/edit/", _valid(title="Better words", version=version))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.status) == ("Better words", "published")


def test_a_change_of_areas_meanwhile_is_a_conflict(as_user, programme, lead, member):
    entry = LearningEntryFactory(programme=programme, author=member, title="First words")
    version = _version(as_user(lead).get(f"{LOG}{entry.pk}/edit/"))
    theirs = _valid(title="First words", areas=["4"], version=version)
    assert as_user(member).post(f"{LOG}{entry.pk}/edit/", theirs).status_code == 302
    response = as_user(lead).post(f"{LOG}{entry.pk}/edit/", _valid(version=version))
    assert response.status_code == 409
    assert "Activity areas" in response.content.decode()
    assert list(entry.areas.values_list("number", flat=True)) == [4]


# Publishing --------------------------------------------------------------------------------------


def test_publishing_plainly_sets_the_date_and_redirects_to_the_entry(as_user, programme, lead):
    entry = LearningEntryFactory(programme=programme)
    response = as_user(lead).post(f"{LOG}{entry.pk}/publish/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOG}{entry.pk}/"
    entry.refresh_from_db()
    assert entry.status == "published"
    assert entry.published_at is not None
    followed = as_user(lead).get(response["Location"]).content.decode()
    assert "is published." in followed
    assert "Unpublish" in followed


def test_publishing_with_htmx_returns_the_status_block_and_announces_it(as_user, programme, lead):
    entry = LearningEntryFactory(programme=programme, title="Noon discharge")
    response = as_user(lead).post(f"{LOG}{entry.pk}/publish/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="status-block"' in html
    assert "Unpublish" in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert "“Noon discharge” is published." in html
    assert "<h1" not in html
    assert "status-heading" in response["HX-Trigger-After-Settle"]


def test_unpublishing_returns_the_entry_to_a_draft(as_user, programme, lead):
    entry = LearningEntryFactory(programme=programme)
    entry.publish()
    response = as_user(lead).post(f"{LOG}{entry.pk}/unpublish/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert ">Publish<" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "draft"


def test_a_member_may_not_publish_even_their_own_learning(as_user, programme, member):
    entry = LearningEntryFactory(programme=programme, author=member)
    client = as_user(member)
    assert client.post(f"{LOG}{entry.pk}/publish/").status_code == 403
    entry.refresh_from_db()
    assert entry.status == "draft"
    page = client.get(f"{LOG}{entry.pk}/").content.decode()
    assert "Edit learning" in page
    assert ">Publish<" not in page


def test_a_facilitator_publishes_learning_from_their_space_only(
    as_user, programme, facilitator, space
):
    theirs = LearningEntryFactory(programme=programme, source_meeting=MeetingFactory(space=space))
    elsewhere = LearningEntryFactory(
        programme=programme, source_meeting=MeetingFactory(space__programme=programme)
    )
    written = LearningEntryFactory(programme=programme)
    client = as_user(facilitator)
    assert client.post(f"{LOG}{theirs.pk}/publish/").status_code == 302
    assert client.post(f"{LOG}{elsewhere.pk}/publish/").status_code == 403
    assert client.post(f"{LOG}{written.pk}/publish/").status_code == 403
    assert ">Publish<" not in client.get(f"{LOG}{elsewhere.pk}/").content.decode()


def test_learning_of_another_programme_is_not_found_even_for_a_lead(as_user, lead):
    other = LearningEntryFactory()
    client = as_user(lead)
    assert client.get(f"{LOG}{other.pk}/").status_code == 404
    assert client.get(f"{LOG}{other.pk}/edit/").status_code == 404
    assert client.post(f"{LOG}{other.pk}/publish/").status_code == 404
