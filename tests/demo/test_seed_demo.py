from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.utils import timezone

from activities.complexity import Profile, current_assessment, match, measure, recommend
from activities.models import (
    ActivityArea,
    ComplexityAssessment,
    DomainRating,
    LocalKnowledge,
    PlannedActivity,
    Practice,
)
from convening.models import (
    Adoption,
    AdoptionEvent,
    Innovation,
    Membership,
    Organisation,
    Participant,
    Programme,
    User,
)
from learning.models import Audience, Feedback, LearningEntry, Narrative
from network.models import Introduction, NetworkSnapshot, WeakPoint, Window
from spaces.models import Action, AdaptiveSpace, Attendance, Meeting, SpaceMember


def test_seed_demo_refuses_to_run_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development mode"):
        call_command("seed_demo")
    assert not Programme.objects.exists()


def test_seed_demo_builds_a_believable_region_and_is_idempotent(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = _counts()
    assert counts["programmes"] == 2
    assert counts["innovations"] == 3
    assert 10 <= counts["organisations"] <= 15
    assert 55 <= counts["participants"] <= 65
    assert Participant.objects.filter(role_group="patient", lived_experience=True).exists()
    roles = dict(
        Membership.objects.filter(programme__slug="frailty-virtual-wards").values_list(
            "user__email", "role"
        )
    )
    assert roles == {
        "lead@example.org": "lead",
        "facilitator@example.org": "facilitator",
        "member@example.org": "member",
    }
    assert User.objects.get(email="lead@example.org").check_password("convening-demo-2026")
    # Seven spaces with a year of meetings, and the network story's huddle with five.
    assert counts["spaces"] == 7 + 1
    assert counts["meetings"] == 7 * 14 + 5
    assert counts["attendances"] > 500
    call_command("seed_demo")
    assert _counts() == counts


NETWORK_HUDDLE = "neighbourhood-connectors"


def test_seed_demo_tells_a_story_in_the_network(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    snapshot = NetworkSnapshot.objects.get(
        programme__slug="frailty-virtual-wards", window=Window.MONTHS_12
    )
    points = list(snapshot.weak_points.values_list("kind", "label", "participant__name"))
    # A sector of the programme never met; one broker holds the connectors' huddle to the rest.
    assert (WeakPoint.Kind.SECTOR_NEVER_MET, "Academic", None) in points
    huddle = AdaptiveSpace.objects.get(slug=NETWORK_HUDDLE)
    broker = huddle.members.get(role="facilitator").participant
    assert (WeakPoint.Kind.PERSON_HOLDS_TOGETHER, "", broker.name) in points
    # An introduction that became a meeting.
    introduction = Introduction.objects.get(programme=snapshot.programme)
    assert introduction.status == Introduction.Status.MET
    assert introduction.met_meeting.starts_at > introduction.made_at
    assert NetworkSnapshot.objects.filter(programme__isnull=True).count() == 3


def test_seed_demo_if_empty_leaves_an_existing_installation_alone(db, settings):
    settings.DEBUG = True
    Programme.objects.create(name="Mine", slug="mine")
    call_command("seed_demo", "--if-empty")
    assert Programme.objects.count() == 1


def test_seed_demo_gives_each_programme_spaces_with_a_year_of_meetings(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    now = timezone.now()
    for programme in Programme.objects.all():
        spaces = AdaptiveSpace.objects.filter(programme=programme).exclude(slug=NETWORK_HUDDLE)
        assert 3 <= spaces.count() <= 4
        assert spaces.values("kind").distinct().count() == spaces.count()
        assert spaces.filter(confidentiality="chatham_house").count() == 1
        for space in spaces:
            meetings = Meeting.objects.filter(space=space)
            logged = meetings.filter(status="held", logged_at__isnull=False)
            first, last = logged.order_by("starts_at")[0].starts_at, logged[0].starts_at
            assert logged.count() == 10
            assert (last - first).days > 250
            assert all(m.notes and m.tensions and m.decisions for m in logged)
            assert 1 <= meetings.held().filter(logged_at__isnull=True).count() <= 2
            assert meetings.upcoming().count() == 2
            assert not meetings.filter(status="planned", starts_at__lt=now).exists()
            members = set(space.members.values_list("participant_id", flat=True))
            for meeting in logged.annotate(
                people=Count("attendances"), practices_served=Count("practices")
            ):
                came = set(
                    meeting.attendances.filter(status="attended").values_list(
                        "participant_id", flat=True
                    )
                )
                assert len(came & members) >= len(members) // 2, "most members come"
                assert came - members, "a few others join"
                assert meeting.practices_served >= 1
    # The reminder job has work: the latest meeting of every space ended days ago, unlogged.
    # Every space but the network story's huddle (whose meetings are all logged) has one due.
    spaces = AdaptiveSpace.objects.exclude(slug=NETWORK_HUDDLE)
    assert Meeting.objects.due_a_log_reminder().count() == spaces.count()
    assert Practice.objects.filter(meetings__isnull=False).distinct().count() >= 15


def test_seed_demo_puts_the_demo_accounts_in_spaces(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    facilitated = SpaceMember.objects.filter(
        participant__user__email="facilitator@example.org",
        role="facilitator",
        space__programme__slug="frailty-virtual-wards",
    )
    assert facilitated.count() >= 2
    for email in ("facilitator@example.org", "member@example.org"):
        mine = AdaptiveSpace.objects.where_member(User.objects.get(email=email))
        assert mine.count() >= 2
        assert mine.filter(meetings__status="planned").exists()


def test_seed_demo_records_actions_and_draft_learning_from_meetings(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    assert Action.objects.filter(status="open").count() >= 5
    assert Action.objects.filter(status="done", done_at__isnull=False).count() >= 5
    for action in Action.objects.select_related("meeting"):
        assert action.due > action.meeting.starts_at.date()
        assert Attendance.objects.filter(
            meeting=action.meeting, participant=action.owner_id, status="attended"
        ).exists(), "owners come from those who attended"
    entries = LearningEntry.objects.filter(source_meeting__isnull=False).select_related(
        "source_meeting__space", "author"
    )
    logged = Meeting.objects.filter(logged_at__isnull=False).exclude(space__slug=NETWORK_HUDDLE)
    assert entries.count() == logged.count()
    assert {entry.kind for entry in entries} >= {"insight", "barrier", "result", "adaptation"}
    assert {entry.kind for entry in entries} <= set(LearningEntry.Kind.values)
    for entry in entries:
        assert entry.status == "draft"
        assert entry.author.email == "facilitator@example.org"
        assert entry.programme_id == entry.source_meeting.space.programme_id
        expected = "space" if entry.source_meeting.space.is_chatham_house else "programme"
        assert entry.visibility == expected


def test_seed_demo_warns_one_programme_that_its_convening_is_too_light(db, settings):
    """Both programmes are complex and interdependent; the falls programme's meetings lapsed
    in the last 90 days, the frailty programme kept convening."""
    settings.DEBUG = True
    call_command("seed_demo")
    matches = {}
    for programme in Programme.objects.all():
        assessment = current_assessment(programme)
        profile = Profile.of(assessment)
        assert profile.complex >= 3, "several domains are complex"
        assert profile.not_rated == 0
        assert assessment.is_interdependent
        recommendation = recommend(profile, interdependent=True)
        matches[programme.slug] = match(recommendation, measure(programme))
    falls, frailty = matches["care-home-falls"], matches["frailty-virtual-wards"]
    assert falls.level == "too_light"
    assert "too light" in falls.warning
    assert "no learning was written down" in falls.warning
    assert frailty.matched
    assert frailty.warning == ""
    quiet = AdaptiveSpace.objects.filter(programme__slug="care-home-falls")
    assert not LearningEntry.objects.filter(
        programme__slug="care-home-falls", created_at__gte=timezone.now() - timedelta(days=90)
    ).exists()
    assert Meeting.objects.filter(space__in=quiet, status="cancelled").count() == quiet.count()


def test_seed_demo_keeps_two_or_three_assessments_whose_ratings_move(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    for programme in Programme.objects.all():
        assessments = list(
            ComplexityAssessment.objects.for_programme(programme).with_ratings().reverse()
        )
        assert 2 <= len(assessments) <= 3
        assert assessments[0].assessed_at < timezone.now() - timedelta(days=150)
        assert all(len(a.ratings.all()) == 7 for a in assessments)
        assert all(rating.note for a in assessments for rating in a.ratings.all())
        first, last = (
            {r.domain: r.rating for r in a.ratings.all()} for a in (assessments[0], assessments[-1])
        )
        assert first != last, "the page has rating moves to show"


def test_seed_demo_shares_an_agreed_understanding_with_its_history(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    today = timezone.localdate()
    for programme in Programme.objects.all():
        for field in Programme.UNDERSTANDING_FIELDS:
            assert len(getattr(programme, field)) > 80, field
        assert programme.understanding_agreed_by
        assert programme.understanding_agreed_on < today
    frailty = Programme.objects.get(slug="frailty-virtual-wards")
    versions = frailty.history.order_by("history_date")
    assert versions.exclude(problem="").values("problem").distinct().count() == 2
    assert versions.last().history_user.email == "lead@example.org"
    assert "**" in frailty.problem, "written in Markdown"


def test_seed_demo_plans_activities_that_make_the_coverage_tell_a_story(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    activities = PlannedActivity.objects.select_related("programme", "owner", "space")
    assert activities.count() >= 25
    assert {a.status for a in activities} == set(PlannedActivity.Status.values)
    assert activities.open().filter(due__lt=timezone.localdate()).exists(), "some are overdue"
    assert activities.exclude(from_domain="").count() >= 2
    for activity in activities:
        assert activity.owner.programme_id == activity.programme_id
        assert activity.space is None or activity.space.programme_id == activity.programme_id
        codes = {p.area_id for p in activity.practices.all()}
        assert codes == {activity.area_id}, "practices of the activity's own area"
    assert activities.filter(owner__user__email="facilitator@example.org").exists()
    linked = Action.objects.filter(planned_activity__isnull=False)
    assert linked.filter(status="open").count() >= 3
    assert not linked.exclude(planned_activity__programme=F("programme")).exists()

    since = timezone.now() - timedelta(days=90)
    held = Meeting.objects.filter(status="held")
    for area in ActivityArea.objects.all():
        assert activities.filter(area=area).exclude(status="dropped").exists(), area
        assert held.filter(practices__area=area).exists(), area
        assert LearningEntry.objects.filter(areas=area).exists(), area
    # The gaps, in the last 90 days: nothing at all in the falls programme, and no meeting
    # that served "Be a bridge" in the frailty one, which served most other areas.
    assert not held.filter(
        space__programme__slug="care-home-falls", practices__isnull=False, starts_at__gte=since
    ).exists()
    served = set(
        held.filter(space__programme__slug="frailty-virtual-wards", starts_at__gte=since)
        .values_list("practices__area__number", flat=True)
        .distinct()
    )
    assert 3 not in served
    assert len(served - {None}) >= 6


def test_seed_demo_fills_the_local_knowledge_register(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    for programme in Programme.objects.all():
        entries = LocalKnowledge.objects.for_programme(programme).select_related("owner")
        assert {e.kind for e in entries} == set(LocalKnowledge.Kind.values)
        assert {e.impact for e in entries} == set(LocalKnowledge.Impact.values)
        assert entries.open().high_impact().count() >= 3
        assert entries.filter(site__isnull=True).exists()
        assert entries.filter(site__isnull=False).exists()
        assert entries.exclude(mitigation="").exists()
        closed = entries.filter(status="closed")
        assert closed.exists()
        assert all(e.closed_at and e.closed_at > e.created_at for e in closed)
        assert all(e.owner.programme_id == programme.pk for e in entries)
    assert not LocalKnowledge.objects.filter(status="open", closed_at__isnull=False).exists()


def test_seed_demo_leaves_words_a_lead_has_changed_alone(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    Programme.objects.filter(slug="care-home-falls").update(problem="Our own words.")
    call_command("seed_demo")
    assert Programme.objects.get(slug="care-home-falls").problem == "Our own words."


def test_seed_demo_opens_one_hub_to_the_public_and_keeps_the_other_for_members(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    visibility = dict(Programme.objects.values_list("slug", "hub_visibility"))
    assert visibility == {"frailty-virtual-wards": "public", "care-home-falls": "members"}


def test_seed_demo_describes_each_innovation_for_adopters(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    for innovation in Innovation.objects.prefetch_related("innovator_contacts"):
        for field in ("evidence_summary", "core_components", "adaptable_elements"):
            text = getattr(innovation, field)
            assert len(text) > 100, (innovation.slug, field)
        assert innovation.core_components.startswith("- "), "a Markdown list"
        contacts = list(innovation.innovator_contacts.all())
        assert contacts
        assert all(p.programme_id == innovation.programme_id for p in contacts)
        assert all(p.consent_contact for p in contacts)
        assert innovation.history.count() >= 2, "the details are a version of their own"


def test_seed_demo_publishes_learning_of_every_kind_on_the_public_hub(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    frailty = Programme.objects.get(slug="frailty-virtual-wards")
    public = LearningEntry.objects.filter(programme=frailty).public()
    assert {e.kind for e in public} == set(LearningEntry.Kind.values)
    assert not public.filter(published_at__isnull=True).exists()
    assert not public.filter(published_at__gt=timezone.now()).exists()
    assert public.filter(innovation__isnull=False).count() == public.count()
    assert public.filter(site__isnull=False).exists()
    assert not public.filter(areas__isnull=True).exists(), "every entry has its areas"
    direct = LearningEntry.objects.filter(programme=frailty, source_meeting__isnull=True)
    assert direct.filter(status="published", visibility="programme").exists()
    assert direct.filter(status="draft", published_at__isnull=True).exists()
    today = timezone.localdate()
    assert direct.filter(review_by__lt=today).exists(), "one is due a 'still true?' check"
    assert direct.filter(review_by__gt=today).exists()
    # Attribution: some authors agreed to be named, the demo member did not.
    named = {e.author.email: e.author_may_be_named for e in public.with_attribution()}
    assert named["facilitator@example.org"] is True
    assert named["member@example.org"] is False
    # The members-only hub has learning too, none of it from the last 90 quiet days.
    falls = LearningEntry.objects.filter(programme__slug="care-home-falls")
    assert falls.public().exists()
    assert not falls.filter(created_at__gte=timezone.now() - timedelta(days=90)).exists()


def test_seed_demo_writes_a_narrative_for_every_audience(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    for innovation in Innovation.objects.all():
        narratives = Narrative.objects.filter(innovation=innovation).prefetch_related(
            "contributors"
        )
        assert {n.audience for n in narratives} == set(Audience.values)
        for narrative in narratives:
            assert len(narrative.body) > 150
            assert "\n\n" in narrative.body, "a paragraph or two"
            contributors = list(narrative.contributors.all())
            assert contributors
            assert all(p.programme_id == innovation.programme_id for p in contributors)
            assert narrative.history.exists()
        patients = narratives.get(audience=Audience.PATIENTS).contributors.all()
        assert any(p.lived_experience for p in patients)


def test_seed_demo_records_adoption_histories_across_sites(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    today = timezone.localdate()
    adoptions = Adoption.objects.select_related("local_lead", "organisation").prefetch_related(
        "events"
    )
    stages = {a.stage for a in adoptions}
    assert stages >= {"exploring", "preparing", "testing", "adopted", "sustained"}
    assert {"paused", "abandoned"} <= stages
    for innovation in Innovation.objects.all():
        assert adoptions.filter(innovation=innovation).count() >= 4
    for adoption in adoptions:
        events = list(adoption.events.all())
        assert events, adoption
        dates = [e.date for e in events]
        assert dates == sorted(dates), "in date order"
        assert len(set(dates)) == len(dates), "one change a day at most"
        assert dates[-1] <= today, "none in the future"
        assert dates[0] >= today - timedelta(days=366), "within the past year"
        assert events[-1].stage == adoption.stage
        assert all(e.note and e.recorded_by for e in events)
        assert [timezone.localdate(e.recorded_at) for e in events] == dates
        assert timezone.localdate(adoption.updated_at) == dates[-1], "'since' the last change"
        lead = adoption.local_lead
        assert lead.organisation_id == adoption.organisation_id
        assert lead.programme_id == adoption.innovation.programme_id
    path = ["exploring", "preparing", "testing", "adopted", "sustained"]
    sustained = adoptions.filter(stage="sustained").first()
    assert [e.stage for e in sustained.events.all()] == path


def test_seed_demo_lets_the_hub_show_only_those_who_agreed_to_be_contacted(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    leads = Participant.objects.filter(pk__in=Adoption.objects.values("local_lead"))
    assert leads.filter(consent_contact=True).exists()
    assert leads.filter(consent_contact=False).exists()
    facilitators = Participant.objects.filter(
        space_memberships__role="facilitator", user__isnull=True
    ).distinct()
    assert facilitators.filter(consent_contact=True).exists()
    assert facilitators.filter(consent_contact=False).exists()


def test_seed_demo_sends_feedback_of_every_kind_and_status(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    feedback = Feedback.objects.select_related("answer_entry", "innovation")
    assert {f.kind for f in feedback} == set(Feedback.Kind.values)
    assert {f.status for f in feedback} == set(Feedback.Status.values)
    assert feedback.filter(email="").exists()
    assert feedback.exclude(email="").exists()
    for item in feedback.filter(status="answered"):
        assert item.response
        assert item.responded_at
        assert item.responded_by
    answered = feedback.get(answer_entry__isnull=False)
    assert answered.answer_entry.kind == "question"
    assert answered.answer_entry.is_published
    assert answered.answer_entry.innovation == answered.innovation
    assert not feedback.filter(created_at__gt=timezone.now()).exists()


def test_seed_demo_gives_step_one_adoptions_their_history(db, settings):
    """A database seeded before step 4 had adoptions without notes or leads."""
    settings.DEBUG = True
    call_command("seed_demo")
    AdoptionEvent.objects.update(note="")
    Adoption.objects.update(local_lead=None)
    events = AdoptionEvent.objects.count()
    call_command("seed_demo")
    assert AdoptionEvent.objects.count() == events
    assert not AdoptionEvent.objects.filter(note="").exists()
    assert not Adoption.objects.filter(local_lead__isnull=True).exists()


def _counts():
    return {
        "programmes": Programme.objects.count(),
        "innovations": Innovation.objects.count(),
        "organisations": Organisation.objects.count(),
        "participants": Participant.objects.count(),
        "users": User.objects.count(),
        "spaces": AdaptiveSpace.objects.count(),
        "space members": SpaceMember.objects.count(),
        "meetings": Meeting.objects.count(),
        "attendances": Attendance.objects.count(),
        "practices served": Meeting.practices.through.objects.count(),
        "actions": Action.objects.count(),
        "learning entries": LearningEntry.objects.count(),
        "learning areas": LearningEntry.areas.through.objects.count(),
        "assessments": ComplexityAssessment.objects.count(),
        "domain ratings": DomainRating.objects.count(),
        "planned activities": PlannedActivity.objects.count(),
        "activity practices": PlannedActivity.practices.through.objects.count(),
        "actions linked": Action.objects.filter(planned_activity__isnull=False).count(),
        "local knowledge": LocalKnowledge.objects.count(),
        "programme history": Programme.history.count(),
        "innovation history": Innovation.history.count(),
        "innovator contacts": Innovation.innovator_contacts.through.objects.count(),
        "adoptions": Adoption.objects.count(),
        "adoption events": AdoptionEvent.objects.count(),
        "narratives": Narrative.objects.count(),
        "narrative contributors": Narrative.contributors.through.objects.count(),
        "feedback": Feedback.objects.count(),
        "consents": list(
            Participant.objects.order_by("pk").values_list("consent_contact", "consent_named")
        ),
    }


@pytest.mark.django_db
def test_the_demo_has_digest_subscriptions_confirmed_and_waiting(settings):
    from convening.models import Programme
    from learning.models import Subscription

    settings.DEBUG = True
    call_command("seed_demo")
    public = Programme.objects.get(hub_visibility="public")
    readers = Subscription.objects.filter(programme=public, user__isnull=True)
    assert readers.confirmed().count() >= 3
    assert readers.filter(confirmed_at__isnull=True).count() == 1
    assert Subscription.objects.filter(user__email="member@example.org").count() == 2
    assert {s.frequency for s in readers.confirmed()} == {"daily", "weekly"}
    count = Subscription.objects.count()
    call_command("seed_demo")
    assert Subscription.objects.count() == count


# For each model with history: the date its pages show as when it was added (None: none shown)
# and the date they show as its last change (None: none shown).
SHOWN_DATES = [
    (Programme, lambda programme: programme.created_at, None),
    (Innovation, None, lambda innovation: innovation.updated_at),
    (
        Adoption,
        lambda adoption: adoption.events.first().recorded_at,
        lambda adoption: adoption.updated_at,
    ),
    (
        Meeting,
        lambda meeting: meeting.created_at,
        lambda meeting: meeting.logged_at or meeting.created_at,
    ),
    (
        PlannedActivity,
        lambda activity: activity.created_at,
        lambda activity: activity.updated_at,
    ),
    (LocalKnowledge, lambda entry: entry.created_at, lambda entry: entry.updated_at),
    (
        LearningEntry,
        lambda entry: entry.created_at,
        lambda entry: entry.published_at or entry.created_at,
    ),
    (Narrative, None, lambda narrative: narrative.updated_at),
]


def test_seed_demo_dates_each_history_as_its_pages_do(db, settings):
    """Bug 13: an activity "last updated 25 Nov" had a history saying it was added today."""
    settings.DEBUG = True
    call_command("seed_demo")
    now, close = timezone.now(), timedelta(minutes=1)
    for model, added, changed in SHOWN_DATES:
        objects = model.objects.all()
        assert objects.exists()
        for obj in objects:
            dates = list(
                obj.history.order_by("history_date").values_list("history_date", flat=True)
            )
            assert dates, f"{model.__name__} {obj.pk} has a history"
            assert dates[-1] <= now
            if added is not None:
                assert abs(dates[0] - added(obj)) < close, f"{model.__name__} {obj} added"
            if changed is not None:
                assert dates[0] <= changed(obj) + close
                assert abs(dates[-1] - changed(obj)) < close, f"{model.__name__} {obj} changed"
    for membership in Membership.objects.select_related("programme"):
        created = membership.history.earliest("history_date").history_date
        assert abs(created - membership.programme.created_at) < close


def test_seed_demo_never_repeats_a_learning_title_within_a_programme(db, settings):
    """Bug 13: every space logged the programme's shared sessions under the same titles."""
    settings.DEBUG = True
    call_command("seed_demo")
    repeated = (
        LearningEntry.objects.values("programme", "title")
        .annotate(entries=Count("pk"))
        .filter(entries__gt=1)
    )
    assert list(repeated) == []
