import pytest
from django.core.management import CommandError, call_command

from convening.models import Innovation, Membership, Organisation, Participant, Programme, User


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
    call_command("seed_demo")
    assert _counts() == counts


def test_seed_demo_if_empty_leaves_an_existing_installation_alone(db, settings):
    settings.DEBUG = True
    Programme.objects.create(name="Mine", slug="mine")
    call_command("seed_demo", "--if-empty")
    assert Programme.objects.count() == 1


def _counts():
    return {
        "programmes": Programme.objects.count(),
        "innovations": Innovation.objects.count(),
        "organisations": Organisation.objects.count(),
        "participants": Participant.objects.count(),
        "users": User.objects.count(),
    }
