"""What a digest holds, for whom, and its email (learning/digest.py), on crafted data."""

from datetime import UTC, date, datetime, timedelta

import pytest

from convening.models import Adoption, Programme
from learning.digest import ITEMS_PER_GROUP, build_email, compose, excerpt
from learning.models import LearningEntry, Subscription
from tests.factories import (
    ActionFactory,
    AdaptiveSpaceFactory,
    AdoptionFactory,
    InnovationFactory,
    LearningEntryFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    SpaceMemberFactory,
    SubscriptionFactory,
)

SITE = "https://convening.example.org"
START = datetime(2025, 3, 3, 7, 0, tzinfo=UTC)
END = datetime(2025, 3, 10, 7, 0, tzinfo=UTC)
IN_PERIOD = START + timedelta(days=2)
PUBLIC = LearningEntry.Visibility.PUBLIC
MEMBERS = LearningEntry.Visibility.PROGRAMME
SPACE_ONLY = LearningEntry.Visibility.SPACE
SUCCESS = LearningEntry.Kind.SUCCESS_STORY


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def hub(programme):
    programme.hub_visibility = Programme.HubVisibility.PUBLIC
    programme.save()
    return programme


@pytest.fixture
def acorn(hub):
    return InnovationFactory(programme=hub, name="Acorn ward", slug="acorn")


@pytest.fixture
def birch(hub):
    return InnovationFactory(programme=hub, name="Birch app", slug="birch")


def entry(programme, title, *, innovation=None, visibility=PUBLIC, kind="insight", **fields):
    fields.setdefault("status", LearningEntry.Status.PUBLISHED)
    fields.setdefault("published_at", IN_PERIOD)
    return LearningEntryFactory(
        programme=programme,
        innovation=innovation,
        title=title,
        visibility=visibility,
        kind=kind,
        **fields,
    )


def reader(programme, *, user=None, innovation=None) -> Subscription:
    subscription = SubscriptionFactory(
        programme=programme,
        innovation=innovation,
        user=user,
        email=user.email if user else "adopter@example.org",
        confirmed_at=START - timedelta(days=30),
    )
    return Subscription.objects.select_related("programme", "innovation", "user").get(
        pk=subscription.pk
    )


def titles(digest, kind="learning") -> list[str]:
    return [item.title for group in digest.groups if group.kind == kind for item in group.items]


def all_links(digest) -> list[str]:
    links = [group.see_all_url for group in digest.groups]
    return links + [item.url for group in digest.groups for item in group.items]


def space_entry(programme, title, space):
    meeting = MeetingFactory(space=space, status="held")
    return entry(programme, title, visibility=SPACE_ONLY, source_meeting=meeting)


# Who sees what ----------------------------------------------------------------------------------


def test_an_email_only_reader_gets_only_public_published_learning(hub, acorn):
    entry(hub, "Public", innovation=acorn)
    entry(hub, "For members", innovation=acorn, visibility=MEMBERS)
    space_entry(hub, "For a space", AdaptiveSpaceFactory(programme=hub))
    entry(hub, "A public draft", innovation=acorn, status=LearningEntry.Status.DRAFT)

    digest = compose(reader(hub), START, END)

    assert titles(digest) == ["Public"]
    assert digest.item_count == 1
    assert not digest.is_empty


def test_a_member_also_gets_member_items_and_their_own_spaces_items(hub, acorn, member):
    mine = AdaptiveSpaceFactory(programme=hub)
    SpaceMemberFactory(space=mine, participant=ParticipantFactory(programme=hub, user=member))
    entry(hub, "Public", innovation=acorn)
    entry(hub, "For members", innovation=acorn, visibility=MEMBERS)
    space_entry(hub, "From my space", mine)
    space_entry(hub, "From another space", AdaptiveSpaceFactory(programme=hub))
    entry(hub, "A draft", visibility=MEMBERS, status=LearningEntry.Status.DRAFT)

    digest = compose(reader(hub, user=member), START, END)

    assert sorted(titles(digest)) == ["For members", "From my space", "Public"]


def test_a_lead_sees_space_only_items_of_every_space(hub, lead):
    space_entry(hub, "From a space", AdaptiveSpaceFactory(programme=hub))

    assert titles(compose(reader(hub, user=lead), START, END)) == ["From a space"]


def test_someone_who_left_the_programme_gets_public_items_only(hub, outsider):
    entry(hub, "Public")
    entry(hub, "For members", visibility=MEMBERS)

    assert titles(compose(reader(hub, user=outsider), START, END)) == ["Public"]


def test_an_email_only_reader_of_a_members_only_hub_gets_nothing(
    programme, django_assert_num_queries
):
    assert programme.hub_visibility == Programme.HubVisibility.MEMBERS
    entry(programme, "Public, on a closed hub")
    subscription = reader(programme)

    with django_assert_num_queries(0):
        digest = compose(subscription, START, END)

    assert digest.is_empty
    assert digest.groups == ()


def test_another_programmes_learning_is_never_included(hub, acorn):
    entry(InnovationFactory().programme, "Elsewhere")
    entry(hub, "Here", innovation=acorn)

    assert titles(compose(reader(hub), START, END)) == ["Here"]


def test_an_innovation_subscription_gets_only_that_innovation(hub, acorn, birch):
    entry(hub, "About acorn", innovation=acorn)
    entry(hub, "About birch", innovation=birch)
    entry(hub, "About the programme")

    assert titles(compose(reader(hub, innovation=acorn), START, END)) == ["About acorn"]


# Grouping, order, the cap and the period --------------------------------------------------------


def test_learning_is_grouped_by_innovation_with_success_stories_first(hub, acorn, birch):
    entry(hub, "Birch insight", innovation=birch, published_at=IN_PERIOD + timedelta(hours=2))
    entry(hub, "Acorn newer insight", innovation=acorn, published_at=IN_PERIOD + timedelta(hours=3))
    entry(hub, "Acorn older success", innovation=acorn, kind=SUCCESS)
    entry(hub, "Acorn older insight", innovation=acorn, published_at=IN_PERIOD - timedelta(hours=1))
    entry(hub, "Programme-wide")

    digest = compose(reader(hub), START, END)

    assert [group.heading for group in digest.groups] == [
        "New learning: Acorn ward",
        "New learning: Birch app",
        "New learning: the whole programme",
    ]
    acorn_group = digest.groups[0]
    assert [item.title for item in acorn_group.items] == [
        "Acorn older success",
        "Acorn newer insight",
        "Acorn older insight",
    ]
    assert acorn_group.items[0].label == "Success story"
    assert digest.item_count == 5


def test_each_group_shows_at_most_ten_items_and_links_to_the_rest(hub, acorn, birch):
    for n in range(ITEMS_PER_GROUP + 3):
        entry(hub, f"Acorn {n}", innovation=acorn, published_at=IN_PERIOD + timedelta(minutes=n))
    entry(hub, "Birch only", innovation=birch)

    digest = compose(reader(hub), START, END)

    acorn_group, birch_group = digest.groups
    assert len(acorn_group.items) == ITEMS_PER_GROUP
    assert acorn_group.total == ITEMS_PER_GROUP + 3
    assert acorn_group.has_more
    assert acorn_group.items[0].title == "Acorn 12"  # newest first
    assert acorn_group.see_all_url == f"{SITE}/learn/virtual-wards/acorn/"
    assert not birch_group.has_more
    assert digest.item_count == ITEMS_PER_GROUP + 4
    text = build_email(reader(hub), digest, period_end=END).body
    assert f"3 more. See all learning about Acorn ward: {SITE}/learn/virtual-wards/acorn/" in text


def test_a_members_see_all_link_goes_to_the_learning_log(hub, acorn, member):
    entry(hub, "For members", innovation=acorn, visibility=MEMBERS)

    (group,) = compose(reader(hub, user=member), START, END).groups

    assert (
        group.see_all_url
        == f"{SITE}/programmes/virtual-wards/learning/?status=published&innovation=acorn"
    )
    assert group.items[0].url.startswith(f"{SITE}/programmes/virtual-wards/learning/")


def test_the_period_includes_its_start_and_excludes_its_end(hub):
    entry(hub, "At the start", published_at=START)
    entry(hub, "Just before the end", published_at=END - timedelta(microseconds=1))
    entry(hub, "At the end", published_at=END)
    entry(hub, "Just before the start", published_at=START - timedelta(microseconds=1))

    assert sorted(titles(compose(reader(hub), START, END))) == [
        "At the start",
        "Just before the end",
    ]


def test_nothing_new_is_an_empty_digest(hub, acorn):
    entry(hub, "Last week", published_at=START - timedelta(days=1))

    digest = compose(reader(hub), START, END)

    assert digest.is_empty
    assert digest.item_count == 0
    assert digest.groups == ()


# Adoption stage changes -------------------------------------------------------------------------


def _stage_change(innovation, site_name, *, at, note="Board said yes"):
    adoption = AdoptionFactory(
        innovation=innovation, organisation=OrganisationFactory(name=site_name)
    )
    event = adoption.move_to(Adoption.Stage.TESTING, by=None, on=date(2025, 3, 4), note=note)
    event.recorded_at = at
    event.save()
    return adoption


def test_stage_changes_in_the_period_are_listed_without_notes_for_email_readers(hub, acorn):
    _stage_change(acorn, "Leeds Teaching Hospitals", at=IN_PERIOD)
    _stage_change(acorn, "Earlier Trust", at=START - timedelta(hours=1))

    digest = compose(reader(hub), START, END)

    (group,) = digest.groups
    assert group.kind == "adoption"
    (item,) = group.items
    assert item.title == "Leeds Teaching Hospitals: Acorn ward"
    assert item.label == "Testing from Tuesday 4 March 2025"
    assert item.text == ""
    assert item.url == f"{SITE}/learn/virtual-wards/acorn/"
    assert group.see_all_url == f"{SITE}/learn/virtual-wards/"
    assert digest.item_count == 1


def test_members_get_stage_change_notes_and_the_tracker(hub, acorn, member):
    adoption = _stage_change(acorn, "Leeds Teaching Hospitals", at=IN_PERIOD)

    (group,) = compose(reader(hub, user=member), START, END).groups

    assert group.items[0].text == "Board said yes"
    assert group.items[0].url == f"{SITE}/programmes/virtual-wards/adoption/{adoption.pk}/"
    assert group.see_all_url == f"{SITE}/programmes/virtual-wards/adoption/"


def test_stage_changes_are_capped_at_ten(hub, acorn):
    for n in range(ITEMS_PER_GROUP + 2):
        _stage_change(acorn, f"Site {n}", at=IN_PERIOD + timedelta(minutes=n))

    (group,) = compose(reader(hub), START, END).groups

    assert (len(group.items), group.total, group.has_more) == (ITEMS_PER_GROUP, 12, True)


# Members' meetings and actions ------------------------------------------------------------------


@pytest.fixture
def members_space(hub, member):
    space = AdaptiveSpaceFactory(programme=hub, name="Frailty huddle", slug="frailty-huddle")
    person = ParticipantFactory(programme=hub, user=member)
    SpaceMemberFactory(space=space, participant=person)
    return space, person


def _meeting(space, title, starts_at, **fields):
    return MeetingFactory(
        space=space,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        **fields,
    )


def test_members_get_their_spaces_meetings_in_the_next_fourteen_days(hub, member, members_space):
    space, _ = members_space
    entry(hub, "Something new")
    meeting = _meeting(
        space, "March huddle", END + timedelta(days=1), location="Room 4, St James's"
    )
    _meeting(space, "Too far ahead", END + timedelta(days=15))
    _meeting(space, "Cancelled", END + timedelta(days=2), status="cancelled")
    _meeting(space, "Already started", END - timedelta(minutes=1))
    _meeting(AdaptiveSpaceFactory(programme=hub), "Not my space", END + timedelta(days=1))

    digest = compose(reader(hub, user=member), START, END)

    (group,) = [group for group in digest.groups if group.kind == "meetings"]
    (item,) = group.items
    assert item.title == "March huddle"
    assert item.label == "Tuesday 11 March 2025 at 07:00"
    assert item.text == "Frailty huddle. In person: Room 4, St James's"
    assert (
        item.url == f"{SITE}/programmes/virtual-wards/spaces/frailty-huddle/meetings/{meeting.pk}/"
    )
    assert digest.item_count == 1  # the meeting is not counted as new


def test_members_get_their_own_open_actions_due_soon_or_overdue(hub, member, members_space):
    _, person = members_space
    entry(hub, "Something new")
    ActionFactory(programme=hub, owner=person, title="Overdue", due=date(2025, 3, 1))
    ActionFactory(programme=hub, owner=person, title="Due soon", due=date(2025, 3, 20))
    ActionFactory(programme=hub, owner=person, title="Far off", due=date(2025, 5, 1))
    ActionFactory(programme=hub, owner=person, title="Done", due=date(2025, 3, 1), status="done")
    ActionFactory(programme=hub, owner=person, title="No date")
    ActionFactory(
        programme=hub,
        owner=ParticipantFactory(programme=hub),
        title="Someone else's",
        due=date(2025, 3, 1),
    )

    digest = compose(reader(hub, user=member), START, END)

    assert titles(digest, "actions") == ["Overdue", "Due soon"]
    (group,) = [group for group in digest.groups if group.kind == "actions"]
    assert group.items[0].label == "Overdue: was due Saturday 1 March 2025"
    assert group.items[1].label == "Due Thursday 20 March 2025"
    assert group.see_all_url == f"{SITE}/programmes/virtual-wards/actions/"


def test_meetings_and_actions_alone_do_not_make_a_digest_worth_sending(hub, member, members_space):
    space, person = members_space
    _meeting(space, "March huddle", END + timedelta(days=1))
    ActionFactory(programme=hub, owner=person, title="Overdue", due=date(2025, 3, 1))

    digest = compose(reader(hub, user=member), START, END)

    assert digest.is_empty
    assert [group.kind for group in digest.groups] == ["meetings", "actions"]


def test_email_only_readers_get_no_meetings_or_actions(hub, member, members_space):
    space, person = members_space
    entry(hub, "Something new")
    _meeting(space, "March huddle", END + timedelta(days=1))
    ActionFactory(programme=hub, owner=person, title="Overdue", due=date(2025, 3, 1))

    digest = compose(reader(hub), START, END)

    assert [group.kind for group in digest.groups] == ["learning"]


def test_every_link_is_absolute(hub, acorn, member, members_space):
    space, person = members_space
    entry(hub, "Acorn", innovation=acorn)
    entry(hub, "Programme")
    _stage_change(acorn, "A site", at=IN_PERIOD)
    _meeting(space, "March huddle", END + timedelta(days=1))
    ActionFactory(programme=hub, owner=person, title="Overdue", due=date(2025, 3, 1))

    for subscription in (reader(hub), reader(hub, user=member)):
        links = all_links(compose(subscription, START, END))
        assert links
        assert all(link.startswith(SITE + "/") for link in links), links


# The email --------------------------------------------------------------------------------------


def test_the_email_has_both_parts_the_subject_and_one_click_unsubscribe(hub, acorn):
    entry(hub, "Virtual ward beds", innovation=acorn, body="We **doubled** the beds.")
    entry(hub, "Second", innovation=acorn)
    entry(hub, "Third")
    subscription = reader(hub, innovation=None)
    digest = compose(subscription, START, END)

    email = build_email(subscription, digest, period_end=END)

    token = subscription.unsubscribe_token
    assert email.subject == "Learning from Virtual wards across West Yorkshire: 3 new items"
    assert email.to == ["adopter@example.org"]
    assert email.extra_headers["List-Unsubscribe"] == f"<{SITE}/digests/unsubscribe/{token}/>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Virtual ward beds (Insight)" in email.body
    assert "We doubled the beds." in email.body
    assert f"{SITE}/digests/manage/{token}/" in email.body
    assert f"Unsubscribe: {SITE}/digests/unsubscribe/{token}/" in email.body
    ((html, mimetype),) = email.alternatives
    assert mimetype == "text/html"
    assert f'href="{SITE}/digests/manage/{token}/"' in html
    assert f'href="{SITE}/digests/unsubscribe/{token}/"' in html
    assert "Virtual ward beds" in html
    assert "<strong>" not in html  # Markdown is reduced to plain text
    for forbidden in ("<script", "<img", "<link", "src="):
        assert forbidden not in html
    message = email.message()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_one_item_reads_as_one_item_and_names_the_innovation(hub, acorn):
    entry(hub, "Only one", innovation=acorn)
    subscription = reader(hub, innovation=acorn)

    email = build_email(subscription, compose(subscription, START, END), period_end=END)

    assert email.subject == "Learning from Acorn ward: 1 new item"


def test_script_in_a_title_or_body_is_escaped_in_html_and_dropped_from_excerpts(hub, acorn):
    entry(
        hub,
        "<script>alert('title')</script> Beds",
        innovation=acorn,
        body="Safe words <script>alert('body')</script><img src=x onerror=alert(1)> end",
    )
    acorn.name = "Acorn <b>ward</b>\nline two"
    acorn.save()
    subscription = reader(hub)

    email = build_email(subscription, compose(subscription, START, END), period_end=END)

    html = email.alternatives[0][0]
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Beds" in html
    assert "Acorn &lt;b&gt;ward&lt;/b&gt; line two" in html
    assert "alert('body')" not in email.body
    assert "onerror" not in html
    assert "onerror" not in email.body
    assert "Safe words end" in email.body


def test_excerpts_are_short_plain_text():
    long_body = "# Heading\n\n" + " ".join(["word"] * 200) + "\n\n[a link](https://example.org)"

    text = excerpt(long_body)

    assert len(text) <= 301
    assert text.startswith("Heading word word")
    assert text.endswith("…")
    assert "#" not in text
    assert "<" not in text


def test_the_subject_stays_on_one_line(hub):
    hub.name = "Two\r\nlines"
    hub.save()
    entry(hub, "Item")
    subscription = reader(hub)

    email = build_email(subscription, compose(subscription, START, END), period_end=END)

    assert email.subject == "Learning from Two lines: 1 new item"
