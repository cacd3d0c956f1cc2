"""seed_scale builds the benchmark dataset with the region's proportions, at any scale."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Min
from django.utils import timezone

from activities.complexity import Profile
from activities.models import (
    ActivityArea,
    ComplexityAssessment,
    DomainRating,
    LocalKnowledge,
    PlannedActivity,
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
from demo.scale import (
    ADOPTION_SITES,
    BENCH_EMAIL,
    SUMMIT_SIZE,
    SUMMIT_TITLE,
    Plan,
)
from learning.models import Audience, Feedback, LearningEntry, Narrative
from spaces.models import Action, AdaptiveSpace, Attendance, Meeting, SpaceMember

SCALE = 0.002


def test_full_scale_is_the_region_the_benchmarks_are_for():
    plan = Plan.for_scale(1.0)
    assert plan == Plan(
        programmes=30,
        organisations=300,
        participants=10_000,
        spaces=300,
        meetings=30_000,
        attendances=300_000,
        learning_entries=30_000,
        planned_activities=9_000,
        assessments=90,
        local_knowledge=6_000,
        feedback=600,
    )
    sizes = plan.programme_sizes()
    assert len(sizes) == 30
    assert sum(sizes) == 10_000
    assert sizes[0] == 2_000, "the region-wide programme has a fifth of the people"
    assert max(sizes[1:]) - min(sizes[1:]) <= 1


def test_seed_scale_refuses_to_run_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_scale", "--scale", str(SCALE))
    assert not Programme.objects.exists()


def test_seed_scale_builds_the_planned_rows_in_proportion(db, settings):
    settings.DEBUG = False  # --force is what lets it run on a benchmark database
    output = io.StringIO()
    call_command("seed_scale", "--scale", str(SCALE), "--force", stdout=output)
    plan = Plan.for_scale(SCALE)
    assert _counts() == {
        "programmes": plan.programmes,
        "organisations": plan.organisations,
        "participants": plan.participants,
        "spaces": plan.spaces,
        "meetings": plan.meetings,
        "attendances": plan.attendances,
        "learning entries": plan.learning_entries,
        "planned activities": plan.planned_activities,
        "assessments": plan.assessments,
        "domain ratings": 7 * plan.assessments,
        "local knowledge": plan.local_knowledge,
        "innovations": 2 * plan.programmes,
        "adoptions": 2 * plan.programmes * ADOPTION_SITES,
        "narratives": 2 * plan.programmes * len(Audience),
        "feedback": plan.feedback,
    }
    assert "attendance, actions and practices" in output.getvalue(), "timings per phase"

    sizes = list(
        Programme.objects.annotate(people=Count("participants"))
        .order_by("slug")
        .values_list("people", flat=True)
    )
    assert sizes == plan.programme_sizes()
    per_space = AdaptiveSpace.objects.annotate(meetings_held=Count("meetings")).aggregate(
        fewest=Min("meetings_held"), most=Max("meetings_held")
    )
    assert per_space["most"] - per_space["fewest"] <= 1
    assert AdaptiveSpace.objects.filter(confidentiality="chatham_house").exists()
    assert Meeting.objects.upcoming().count() == 3 * plan.spaces
    assert Meeting.objects.due_a_log_reminder().count() == plan.spaces

    logged = Meeting.objects.filter(logged_at__isnull=False).exclude(title=SUMMIT_TITLE)
    attendance = logged.annotate(people=Count("attendances")).aggregate(
        fewest=Min("people"), most=Max("people")
    )
    assert attendance["fewest"] >= 1
    assert attendance["most"] - attendance["fewest"] <= 1, "attendance is spread evenly"
    assert not Meeting.objects.filter(logged_at__isnull=True, attendances__isnull=False).exists()
    assert not Attendance.objects.exclude(
        participant__programme=F("meeting__space__programme")
    ).exists(), "attendees come from the meeting's own programme"
    assert not SpaceMember.objects.exclude(participant__programme=F("space__programme")).exists()
    assert not LearningEntry.objects.exclude(source_meeting__logged_at__isnull=False).exists()
    assert LearningEntry.objects.filter(status="draft").exists()
    assert LearningEntry.objects.filter(status="published").exists()


def test_seed_scale_plans_in_every_area_of_every_programme(db, settings):
    settings.DEBUG = True
    call_command("seed_scale", "--scale", str(SCALE), stdout=io.StringIO())
    plan = Plan.for_scale(SCALE)
    areas = ActivityArea.objects.count()
    per_programme = Programme.objects.annotate(
        areas_planned=Count("planned_activities__area", distinct=True),
        assessed=Count("complexity_assessments", distinct=True),
        kinds=Count("local_knowledge__kind", distinct=True),
    )
    for programme in per_programme:
        assert programme.areas_planned == areas
        assert programme.assessed >= 2
        assert programme.kinds == len(LocalKnowledge.Kind)
    activities = PlannedActivity.objects.all()
    assert {a.status for a in activities} == set(PlannedActivity.Status.values)
    assert not activities.filter(practices__isnull=True).exists(), "each serves a practice"
    assert not activities.exclude(practices__area=F("area")).exists()
    assert not activities.exclude(owner__programme=F("programme")).exists()
    assert (
        not activities.filter(space__isnull=False).exclude(space__programme=F("programme")).exists()
    )
    linked = Action.objects.filter(planned_activity__isnull=False)
    assert linked.exists()
    assert not linked.exclude(planned_activity__programme=F("programme")).exists()

    for assessment in ComplexityAssessment.objects.with_ratings():
        assert Profile.of(assessment).not_rated == 0
    assert DomainRating.objects.filter(rating="complex").exists()

    register = LocalKnowledge.objects.all()
    assert register.open().high_impact().exists()
    assert register.filter(site__isnull=True).exists()
    assert register.filter(status="closed", closed_at__isnull=False).exists()
    assert not register.exclude(owner__programme=F("programme")).exists()

    tags = LearningEntry.areas.through.objects
    assert tags.values("learningentry").distinct().count() == plan.learning_entries
    assert tags.values("activityarea").distinct().count() == areas
    assert not Meeting.objects.filter(logged_at__isnull=False, practices__isnull=True).exists()


def test_seed_scale_gives_the_bench_user_a_programme_and_the_200_attendee_meeting(db, settings):
    settings.DEBUG = True
    call_command("seed_scale", "--scale", str(SCALE), stdout=io.StringIO())
    bench = User.objects.get(email=BENCH_EMAIL)
    first = Programme.objects.order_by("slug").first()
    assert Membership.objects.get(user=bench, programme=first).role == "lead"
    mine = AdaptiveSpace.objects.where_member(bench)
    assert mine.count() == 2 * 3, "two spaces in each of three programmes at this scale"
    assert SpaceMember.objects.filter(participant__user=bench, role="facilitator").exists()

    summit = Meeting.objects.get(title=SUMMIT_TITLE)
    assert summit.space.programme == first
    assert summit.logged_at is not None
    people = Attendance.objects.filter(meeting=summit)
    assert people.count() == SUMMIT_SIZE
    assert people.values("participant").distinct().count() == SUMMIT_SIZE
    assert not people.exclude(participant__programme=first).exists()


def test_seed_scale_gives_adopters_histories_narratives_feedback_and_public_learning(db, settings):
    settings.DEBUG = True
    call_command("seed_scale", "--scale", str(SCALE), stdout=io.StringIO())
    plan = Plan.for_scale(SCALE)
    today = timezone.localdate()
    # The bench user's programme has a public hub; the others a mix.
    first = Programme.objects.order_by("slug").first()
    assert first.hub_visibility == "public"
    assert set(Programme.objects.values_list("hub_visibility", flat=True)) == set(
        Programme.HubVisibility.values
    )
    # Adoptions: sites of the programme, each with its stage changes in date order, the last
    # at the adoption's stage, none in the future; local leads from the site.
    adoptions = Adoption.objects.select_related("innovation", "local_lead").prefetch_related(
        "events"
    )
    assert {a.stage for a in adoptions} == set(Adoption.Stage.values)
    for adoption in adoptions:
        events = list(adoption.events.all())
        if adoption.stage == "not_started":
            assert not events
            continue
        dates = [e.date for e in events]
        assert dates == sorted(dates)
        assert len(set(dates)) == len(dates)
        assert dates[-1] <= today
        assert events[-1].stage == adoption.stage
        assert adoption.updated_at.date() == events[-1].recorded_at.date()
        if adoption.local_lead:
            assert adoption.local_lead.organisation_id == adoption.organisation_id
            assert adoption.local_lead.programme_id == adoption.innovation.programme_id
    assert AdoptionEvent.objects.count() > Adoption.objects.count()
    assert Adoption.objects.filter(local_lead__isnull=False).exists()
    # Six narratives per innovation, with contributors from the programme.
    per_innovation = Innovation.objects.annotate(
        audiences=Count("narratives__audience", distinct=True),
        contacts=Count("innovator_contacts", distinct=True),
    )
    for innovation in per_innovation:
        assert innovation.audiences == len(Audience)
        assert innovation.contacts >= 1
    assert not Narrative.objects.filter(contributors__isnull=True).exists()
    assert not Narrative.objects.exclude(
        contributors__programme=F("innovation__programme")
    ).exists()
    # Feedback of every kind and status for the innovations.
    feedback = Feedback.objects.all()
    assert feedback.count() == plan.feedback
    assert {f.kind for f in feedback} == set(Feedback.Kind.values)
    assert {f.status for f in feedback} == set(Feedback.Status.values)
    assert not feedback.filter(status="answered", response="").exists()
    # Public learning, published, about both of each programme's innovations.
    public = LearningEntry.objects.public()
    assert public.exists()
    assert not public.filter(published_at__isnull=True).exists()
    assert public.filter(innovation__isnull=False).exists()
    assert LearningEntry.objects.values("innovation").distinct().count() == 2 * plan.programmes + 1
    assert LearningEntry.objects.filter(review_by__isnull=False).exists()


def test_seed_scale_leaves_existing_benchmark_data_alone(db, settings):
    settings.DEBUG = True
    call_command("seed_scale", "--scale", str(SCALE), stdout=io.StringIO())
    counts = _counts()
    output = io.StringIO()
    call_command("seed_scale", "--scale", str(SCALE), stdout=output)
    assert _counts() == counts
    assert "in place" in output.getvalue()


def _counts() -> dict[str, int]:
    return {
        "programmes": Programme.objects.count(),
        "organisations": Organisation.objects.count(),
        "participants": Participant.objects.count(),
        "spaces": AdaptiveSpace.objects.count(),
        "meetings": Meeting.objects.count(),
        "attendances": Attendance.objects.count(),
        "learning entries": LearningEntry.objects.count(),
        "planned activities": PlannedActivity.objects.count(),
        "assessments": ComplexityAssessment.objects.count(),
        "domain ratings": DomainRating.objects.count(),
        "local knowledge": LocalKnowledge.objects.count(),
        "innovations": Innovation.objects.count(),
        "adoptions": Adoption.objects.count(),
        "narratives": Narrative.objects.count(),
        "feedback": Feedback.objects.count(),
    }
