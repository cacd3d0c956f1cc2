"""The learning hub: what it shows, to whom, how it is cached, and its two forms."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from convening.models import Programme
from learning.models import Feedback, LearningEntry, Subscription
from tests.factories import (
    AdaptiveSpaceFactory,
    AdoptionFactory,
    InnovationFactory,
    LearningEntryFactory,
    MeetingFactory,
    NarrativeFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
    SubscriptionFactory,
    UserFactory,
)

HUB = "/learn/open-wards/"
INNOVATION = HUB + "remote-monitoring/"
MEMBERS_HUB = "/learn/virtual-wards/"


@pytest.fixture
def open_programme(db):
    return ProgrammeFactory(
        name="Open wards programme",
        slug="open-wards",
        hub_visibility=Programme.HubVisibility.PUBLIC,
        summary="Hospital care at home for frail older people.",
        shared_purpose="Care closer to **home**.",
    )


@pytest.fixture
def innovation(open_programme):
    return InnovationFactory(
        programme=open_programme,
        name="Remote monitoring",
        slug="remote-monitoring",
        summary="Patients measure their own vital signs at home.",
        evidence_summary="Fewer admissions in two trials.",
        core_components="- a daily reading\n- a named clinician",
        adaptable_elements="- which devices\n- <script>alert(1)</script>",
    )


def public_entry(innovation, **fields):
    fields.setdefault("programme", innovation.programme)
    fields.setdefault("visibility", LearningEntry.Visibility.PUBLIC)
    entry = LearningEntryFactory(innovation=innovation, **fields)
    entry.publish()
    return entry


# Who may read a hub -----------------------------------------------------------------------------


def test_a_members_only_hub_is_not_found_anonymously_and_names_nothing(client, programme):
    innovation = InnovationFactory(programme=programme, name="Secret sauce", slug="sauce")
    entry = LearningEntryFactory(
        programme=programme, innovation=innovation, visibility="public", status="published"
    )
    for path in (
        "",
        "feed/",
        "sauce/",
        "sauce/feed/",
        f"sauce/learning/{entry.pk}/",
        "sauce/subscribe/",
        "sauce/feedback/",
    ):
        response = client.get(MEMBERS_HUB + path)
        assert response.status_code == 404, path
        body = response.content.decode()
        assert "Virtual wards" not in body, path
        assert "Secret sauce" not in body, path
    assert (
        client.post(MEMBERS_HUB + "sauce/feedback/", {"kind": "problem", "body": "Hi"}).status_code
        == 404
    )
    assert not Feedback.objects.exists()


def test_the_index_lists_only_the_hubs_a_visitor_may_read(
    client, programme, member, open_programme
):
    ProgrammeFactory(name="For signed-in people", hub_visibility="signed_in")
    InnovationFactory(programme=open_programme, name="Remote monitoring")
    anonymous = client.get("/learn/").content.decode()
    assert "Open wards programme" in anonymous
    assert "Remote monitoring" in anonymous
    assert "For signed-in people" not in anonymous
    assert "Virtual wards" not in anonymous
    client.force_login(member)
    signed_in = client.get("/learn/").content.decode()
    assert "For signed-in people" in signed_in
    assert "Virtual wards" in signed_in
    client.force_login(UserFactory())
    outsider = client.get("/learn/").content.decode()
    assert "For signed-in people" in outsider
    assert "Virtual wards" not in outsider


# The programme's hub ----------------------------------------------------------------------------


def test_the_programme_hub_shows_innovations_and_only_public_published_learning(client, innovation):
    for stage in ("exploring", "adopted", "not_started"):
        AdoptionFactory(innovation=innovation, stage=stage)
    public_entry(innovation, title="Weekend readings need cover")
    LearningEntryFactory(programme=innovation.programme, title="Still a draft", visibility="public")
    LearningEntryFactory(programme=innovation.programme, title="For members", status="published")
    whole = LearningEntryFactory(
        programme=innovation.programme, title="Across the programme", visibility="public"
    )
    whole.publish()
    response = client.get(HUB)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Care closer to <strong>home</strong>" in body
    assert 'href="/learn/open-wards/remote-monitoring/"' in body
    assert '<td class="nhsuk-table__cell--numeric">2</td>' in body  # not_started not counted
    assert "Weekend readings need cover" in body
    assert f'id="entry-{whole.pk}"' in body
    assert "Still a draft" not in body
    assert "For members" not in body


def test_the_programme_hub_shows_the_ten_newest(client, innovation):
    for n in range(12):
        public_entry(innovation, title=f"Point {n:02}")
    body = client.get(HUB).content.decode()
    assert "Point 11" in body
    assert "Point 02" in body
    assert "Point 01" not in body


# The innovation's page --------------------------------------------------------------------------


def test_the_innovation_page_says_what_is_core_and_what_can_be_adapted(client, innovation):
    body = client.get(INNOVATION).content.decode()
    assert "What must stay" in body
    assert "a named clinician" in body
    assert "What you can adapt" in body
    assert "which devices" in body
    assert "<script>alert(1)</script>" not in body
    assert "Fewer admissions in two trials." in body


def test_each_audience_has_its_narrative_reachable_by_a_link(client, innovation):
    NarrativeFactory(innovation=innovation, audience="clinicians", body="For the ward team.")
    NarrativeFactory(innovation=innovation, audience="patients", body="For you at home.")
    body = client.get(INNOVATION).content.decode()
    assert 'href="/learn/open-wards/remote-monitoring/?audience=patients#for-patients"' in body
    assert 'id="for-clinicians"' in body
    assert "For the ward team." in body
    assert body.index("For the ward team.") < body.index("For you at home.")
    chosen = client.get(INNOVATION + "?audience=patients").content.decode()
    assert chosen.index("For you at home.") < chosen.index("For the ward team.")
    assert "For the ward team." in chosen  # every narrative stays readable
    assert client.get(INNOVATION + "?audience=nonsense").status_code == 200


def _narrative_blocks(body: str) -> dict[str, str]:
    """Each narrative's element, by audience: "section" (shown in full) or "details"."""
    return dict(
        (audience, tag)
        for tag, audience in re.findall(r'<(section|details)[^>]*\bid="for-([a-z_]+)"', body)
    )


def test_only_the_chosen_audience_is_shown_in_full_and_the_others_are_expanders(client, innovation):
    for audience in ("clinicians", "patients", "finance"):
        NarrativeFactory(innovation=innovation, audience=audience, body=f"For **{audience}**.")

    chosen = client.get(INNOVATION + "?audience=patients").content.decode()

    assert _narrative_blocks(chosen) == {
        "patients": "section",
        "clinicians": "details",
        "finance": "details",
    }
    assert '<summary class="nhsuk-details__summary"' in chosen
    assert " open>" not in chosen
    assert "<strong>clinicians</strong>" in chosen  # still on the page, inside its expander
    assert "Other roles" in chosen


def test_with_no_audience_chosen_every_narrative_is_an_expander(client, innovation):
    for audience in ("clinicians", "patients"):
        NarrativeFactory(innovation=innovation, audience=audience, body=f"For {audience}.")

    for url in (INNOVATION, INNOVATION + "?audience=nonsense"):
        body = client.get(url).content.decode()
        assert _narrative_blocks(body) == {"clinicians": "details", "patients": "details"}
        assert "Other roles" not in body


def test_the_chosen_audience_is_kept_when_filtering_and_paging_learning(client, innovation):
    NarrativeFactory(innovation=innovation, audience="patients", body="For you at home.")
    for number in range(21):
        public_entry(innovation, title=f"Entry {number}", kind="adaptation")

    body = client.get(INNOVATION + "?audience=patients&kind=adaptation").content.decode()

    assert '<input type="hidden" name="audience" value="patients">' in body
    assert (
        'href="/learn/open-wards/remote-monitoring/?kind=adaptation&amp;page=2&amp;audience=patients#learning"'
        in body
    )


def test_adoption_adaptations_and_success_stories_are_shown(client, innovation):
    AdoptionFactory(
        innovation=innovation, organisation=OrganisationFactory(name="Leeds"), stage="adopted"
    )
    public_entry(innovation, title="We used tablets", kind="adaptation")
    public_entry(innovation, title="Home by Friday", kind="success_story")
    LearningEntryFactory(
        programme=innovation.programme,
        innovation=innovation,
        title="Draft adaptation",
        kind="adaptation",
        visibility="public",
    )
    body = client.get(INNOVATION).content.decode()
    assert "Leeds" in body
    assert "Adopted" in body
    assert "We used tablets" in body
    assert "Home by Friday" in body
    assert "Draft adaptation" not in body


def test_learning_can_be_filtered_by_kind_and_is_paged_by_twenty(client, innovation):
    for n in range(22):
        public_entry(innovation, title=f"Barrier {n:02}", kind="barrier")
    public_entry(innovation, title="An enabler", kind="enabler")
    filtered = client.get(INNOVATION + "?kind=enabler").content.decode()
    assert "An enabler" in filtered
    assert "Barrier 00" not in filtered
    assert "1 entry" in filtered
    everything = client.get(INNOVATION).content.decode()
    assert "23 entries" in everything
    assert "Showing 1 to 20 of 23" in everything
    assert "/learn/open-wards/remote-monitoring/?page=2#learning" in everything
    page_2 = client.get(INNOVATION + "?page=2").content.decode()
    assert "Barrier 00" in page_2
    unknown = client.get(INNOVATION + "?kind=<script>")
    assert unknown.status_code == 200
    assert "23 entries" in unknown.content.decode()


def test_who_to_contact_lists_only_people_who_agreed(client, innovation):
    from convening.models import Membership
    from tests.factories import MembershipFactory

    programme = innovation.programme
    leeds = OrganisationFactory(name="Leeds Teaching Hospitals")

    def facilitator(name, consent):
        user = UserFactory(name=name)
        MembershipFactory(programme=programme, user=user, role=Membership.Role.FACILITATOR)
        return ParticipantFactory(
            programme=programme,
            user=user,
            name=name,
            job_title="Spread facilitator",
            organisation=leeds,
            consent_contact=consent,
        )

    facilitator("Asha Consenting", True)
    facilitator("Brian Private", False)
    member_user = UserFactory()
    MembershipFactory(programme=programme, user=member_user)
    ParticipantFactory(
        programme=programme, user=member_user, name="Mo Member", consent_contact=True
    )
    site_lead = ParticipantFactory(
        programme=programme, name="Lena Lead", email="lena@example.org", consent_contact=True
    )
    quiet_lead = ParticipantFactory(programme=programme, name="Quinn Quiet", consent_contact=False)
    AdoptionFactory(innovation=innovation, organisation=leeds, local_lead=site_lead)
    AdoptionFactory(innovation=innovation, local_lead=quiet_lead)
    body = client.get(INNOVATION).content.decode()
    contacts = body[body.index('id="contact"') :]
    assert "Asha Consenting" in contacts
    assert "Spread facilitator" in contacts
    assert "Leeds Teaching Hospitals" in contacts
    assert "Lena Lead" in contacts
    assert "Contact Lena Lead" in contacts
    assert "lena@example.org" not in body
    assert "Local lead at Leeds Teaching Hospitals" in contacts
    assert "Brian Private" not in body
    assert "Quinn Quiet" not in body
    assert "Mo Member" not in body


def test_learning_from_a_chatham_house_space_never_names_its_author(client, innovation):
    author = UserFactory(name="Named Author")
    ParticipantFactory(programme=innovation.programme, user=author, consent_named=True)
    space = AdaptiveSpaceFactory(programme=innovation.programme, confidentiality="chatham_house")
    public_entry(
        innovation,
        title="Off the record",
        author=author,
        source_meeting=MeetingFactory(space=space),
    )
    public_entry(innovation, title="On the record", author=author)
    body = client.get(INNOVATION).content.decode()
    assert body.count("Named Author") == 1  # the second entry only
    entry = LearningEntry.objects.get(title="Off the record")
    page = client.get(f"{INNOVATION}learning/{entry.pk}/").content.decode()
    assert "Named Author" not in page


# One entry --------------------------------------------------------------------------------------


def test_an_entry_page_shows_public_published_learning_of_that_innovation(client, innovation):
    entry = public_entry(innovation, title="Readings at 8am", body="Before the **ward round**.")
    response = client.get(f"{INNOVATION}learning/{entry.pk}/")
    assert response.status_code == 200
    assert "Before the <strong>ward round</strong>." in response.content.decode()


def test_other_entries_are_not_found_on_the_hub(client, innovation):
    other_innovation = InnovationFactory(programme=innovation.programme, slug="other")
    draft = LearningEntryFactory(
        programme=innovation.programme, innovation=innovation, visibility="public"
    )
    members_only = public_entry(innovation, visibility="programme")
    elsewhere = public_entry(other_innovation)
    unpublished = public_entry(innovation)
    unpublished.unpublish()
    for entry in (draft, members_only, elsewhere, unpublished):
        assert client.get(f"{INNOVATION}learning/{entry.pk}/").status_code == 404, entry


# Atom feeds -------------------------------------------------------------------------------------


def test_the_feeds_carry_public_published_learning_with_absolute_links(
    client, innovation, settings
):
    settings.SITE_URL = "https://convening.example.org"
    entry = public_entry(innovation, title="Feed me")
    LearningEntryFactory(programme=innovation.programme, title="Not yet", visibility="public")
    for url in (HUB + "feed/", INNOVATION + "feed/"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
        body = response.content.decode()
        assert "<feed" in body
        assert "Feed me" in body
        assert "Not yet" not in body
        assert (
            f"https://convening.example.org/learn/open-wards/remote-monitoring/learning/{entry.pk}/"
            in body
        )


# Caching ----------------------------------------------------------------------------------------


def test_anonymous_pages_may_be_cached_and_answer_conditional_requests(client, innovation):
    public_entry(innovation)
    for url in ("/learn/", HUB, INNOVATION, HUB + "feed/", INNOVATION + "feed/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "public" in response["Cache-Control"]
        assert "max-age=300" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]
        assert "csrftoken" not in response.cookies, url
        if url == "/learn/":
            continue
        since = response["Last-Modified"]
        again = client.get(url, headers={"If-Modified-Since": since})
        assert again.status_code == 304, url


def test_signed_in_pages_are_private(client, innovation, outsider):
    client.force_login(outsider)
    response = client.get(INNOVATION)
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_publishing_changes_the_page_at_once(client, innovation):
    entry = LearningEntryFactory(
        programme=innovation.programme, innovation=innovation, visibility="public"
    )
    since = client.get(INNOVATION)["Last-Modified"]
    assert client.get(INNOVATION, headers={"If-Modified-Since": since}).status_code == 304
    later = timezone.now() + timedelta(seconds=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        entry.publish()
    for url in (INNOVATION, HUB, HUB + "feed/"):
        response = client.get(url, headers={"If-Modified-Since": since})
        assert response.status_code == 200, url
        assert entry.title in response.content.decode()


def test_a_change_of_consent_changes_the_page(client, innovation):
    person = ParticipantFactory(programme=innovation.programme, consent_contact=True)
    AdoptionFactory(innovation=innovation, local_lead=person)
    since = client.get(INNOVATION)["Last-Modified"]
    later = timezone.now() + timedelta(seconds=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        person.consent_contact = False
        person.save()
    response = client.get(INNOVATION, headers={"If-Modified-Since": since})
    assert response.status_code == 200
    assert person.name not in response.content.decode()


# Subscribing ------------------------------------------------------------------------------------


def test_subscribing_stores_a_pending_subscription(client, innovation):
    page = client.get(INNOVATION + "subscribe/")
    assert page.status_code == 200
    assert re.search(r"<button[^>]*>\s*Subscribe\s*</button>", page.content.decode())
    response = client.post(
        INNOVATION + "subscribe/",
        {
            "email": "Reader@Example.org",
            "scope": "innovation",
            "frequency": "weekly",
            "weekday": "2",
        },
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.innovation, subscription.weekday) == (
        "reader@example.org",
        innovation,
        2,
    )
    assert subscription.confirmed_at is None
    thanks = client.get(response["Location"]).content.decode()
    assert "Check your email for a link to confirm it" in thanks


def test_subscribing_again_updates_the_pending_subscription(client, innovation):
    url = INNOVATION + "subscribe/"
    client.post(
        url, {"email": "r@example.org", "scope": "programme", "frequency": "weekly", "weekday": "0"}
    )
    client.post(url, {"email": "R@example.org", "scope": "programme", "frequency": "daily"})
    subscription = Subscription.objects.get()
    assert subscription.innovation is None
    assert subscription.frequency == "daily"
    assert subscription.weekday is None


def test_a_confirmed_subscription_is_not_changed_by_anyone_typing_its_address(client, innovation):
    confirmed = SubscriptionFactory(
        programme=innovation.programme,
        innovation=innovation,
        email="r@example.org",
        frequency="weekly",
        weekday=1,
        confirmed_at=timezone.now(),
    )
    response = client.post(
        INNOVATION + "subscribe/",
        {"email": "r@example.org", "scope": "innovation", "frequency": "daily"},
    )
    assert response.status_code == 302
    confirmed.refresh_from_db()
    assert confirmed.frequency == "weekly"
    assert Subscription.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"email": "not an address", "scope": "innovation", "frequency": "daily"},
            "correct format",
        ),
        ({"email": "", "scope": "innovation", "frequency": "daily"}, "Enter your email address"),
        (
            {"email": "r@example.org", "scope": "innovation", "frequency": "weekly"},
            "day of the week",
        ),
        ({"email": "r@example.org", "scope": "elsewhere", "frequency": "daily"}, "what you want"),
    ],
)
def test_bad_subscriptions_are_refused_and_keep_what_was_typed(client, innovation, data, message):
    response = client.post(INNOVATION + "subscribe/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert message in body
    assert f'value="{data["email"]}"' in body
    assert not Subscription.objects.exists()


# Feedback ---------------------------------------------------------------------------------------

FEEDBACK = INNOVATION + "feedback/"
GOOD = {"kind": "problem", "body": "Readings fail on Sundays.", "email": "", "name": "", "site": ""}


def test_feedback_is_stored_for_the_innovator(client, innovation):
    page = client.get(FEEDBACK).content.decode()
    assert re.search(r"<button[^>]*>\s*Send feedback to the innovator\s*</button>", page)
    response = client.post(
        FEEDBACK, {**GOOD, "name": "Sam", "email": "sam@example.org", "site": "Leeds"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?sent=1")
    feedback = Feedback.objects.get()
    assert (feedback.innovation, feedback.kind, feedback.status) == (innovation, "problem", "new")
    assert (feedback.name, feedback.email, feedback.site) == ("Sam", "sam@example.org", "Leeds")
    assert "Feedback sent" in client.get(response["Location"]).content.decode()


def test_feedback_with_script_is_kept_as_typed_and_shown_escaped(client, innovation):
    text = "<script>alert('hi')</script> and more"
    client.post(FEEDBACK, {**GOOD, "body": text})
    assert Feedback.objects.get().body == text
    response = client.post(FEEDBACK, {**GOOD, "body": text, "email": "nope"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body


def test_feedback_over_5000_characters_is_refused_and_kept(client, innovation):
    text = "x" * 5001
    response = client.post(FEEDBACK, {**GOOD, "body": text})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Feedback must be 5,000 characters or fewer" in body
    assert text in body
    assert not Feedback.objects.exists()


def test_pasted_feedback_far_over_the_limit_is_kept_whole_and_told_how_far(client, innovation):
    text = "y" * 6000
    body = client.post(FEEDBACK, {**GOOD, "body": text}).content.decode()
    assert "it is 1,000 characters too long" in body
    assert text in body
    assert not re.search(r"\smaxlength=", body)
    assert not re.search(r"\smaxlength=", client.get(FEEDBACK).content.decode())


def test_feedback_needs_text_and_a_kind(client, innovation):
    response = client.post(FEEDBACK, {"kind": "", "body": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter your feedback" in body
    assert "Choose what your feedback is about" in body


def test_a_filled_honeypot_looks_like_success_but_stores_nothing(client, innovation):
    response = client.post(FEEDBACK, {**GOOD, "website": "https://spam.example"})
    assert response.status_code == 302
    assert response["Location"].endswith("?sent=1")
    assert not Feedback.objects.exists()


def test_feedback_is_limited_to_five_an_hour_from_one_address(client, innovation):
    for n in range(5):
        assert client.post(FEEDBACK, {**GOOD, "body": f"Note {n}"}).status_code == 302
    response = client.post(FEEDBACK, {**GOOD, "body": "One too many"})
    body = response.content.decode()
    assert response.status_code == 429
    assert "Wait an hour" in body
    assert "One too many" in body
    assert Feedback.objects.count() == 5
    # Another address, or another innovation, is counted apart.
    assert client.post(FEEDBACK, GOOD, REMOTE_ADDR="10.0.0.9").status_code == 302
    InnovationFactory(programme=innovation.programme, slug="other")
    assert client.post(HUB + "other/feedback/", GOOD).status_code == 302


def test_a_bot_over_the_limit_stores_nothing_either(client, innovation):
    for _ in range(6):
        client.post(FEEDBACK, {**GOOD, "website": "spam"})
    assert not Feedback.objects.exists()
