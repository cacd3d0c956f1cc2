"""What spaces hold about a person (see convening.personal_data), registered from SpacesConfig."""

from __future__ import annotations

from django.db.models import Q

from convening.models import Participant
from convening.personal_data import Holding, register, register_activity

from .models import Action, Attendance, Meeting, SpaceMember


def active_since(cutoff):
    """People with attendance at a meeting since the cutoff, or an action set or done since."""
    attended = Attendance.objects.filter(meeting__starts_at__gte=cutoff).values("participant")
    actions = Action.objects.filter(Q(created_at__gte=cutoff) | Q(done_at__gte=cutoff)).values(
        "owner"
    )
    return Participant.objects.filter(Q(pk__in=attended) | Q(pk__in=actions)).values("pk")


def register_holdings() -> None:
    register(
        Holding(
            SpaceMember,
            "Adaptive spaces taken part in",
            export=("space__programme__name", "space__name", "role"),
            explain="Kept, so each space's mix stays the same; the person's record is anonymised.",
            participant="participant",
        ),
        Holding(
            Attendance,
            "Attendance at meetings",
            export=("meeting__space__name", "meeting__title", "meeting__starts_at", "status"),
            explain="Kept, so attendance counts stay the same.",
            participant="participant",
        ),
        Holding(
            Action,
            "Actions owned",
            export=("programme__name", "title", "due", "status", "created_at"),
            explain="Kept, owned by the anonymised record.",
            participant="owner",
        ),
        Holding(
            Meeting,
            "Meetings logged",
            export=("space__name", "title", "starts_at", "logged_at"),
            erase={"logged_by": None},
            explain="Kept, no longer saying who logged them.",
            user="logged_by",
        ),
    )
    register_activity(active_since)
