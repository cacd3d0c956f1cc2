import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from activities.models import Practice
from convening.models import Innovation, Membership, Organisation, Participant, Programme, User
from learning.models import LearningEntry
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
    assert counts["spaces"] == 7
    assert counts["meetings"] == 7 * 14
    assert counts["attendances"] > 500
    call_command("seed_demo")
    assert _counts() == counts


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
        spaces = AdaptiveSpace.objects.filter(programme=programme)
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
    assert Meeting.objects.due_a_log_reminder().count() == AdaptiveSpace.objects.count()
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
    entries = LearningEntry.objects.select_related("source_meeting__space", "author")
    assert entries.count() == Meeting.objects.filter(logged_at__isnull=False).count()
    assert {entry.kind for entry in entries} >= {"insight", "barrier", "result", "adaptation"}
    assert {entry.kind for entry in entries} <= set(LearningEntry.Kind.values)
    for entry in entries:
        assert entry.status == "draft"
        assert entry.author.email == "facilitator@example.org"
        assert entry.programme_id == entry.source_meeting.space.programme_id
        expected = "space" if entry.source_meeting.space.is_chatham_house else "programme"
        assert entry.visibility == expected


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
    }
