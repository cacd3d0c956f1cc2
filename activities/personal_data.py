"""What the system leaders' tools hold about a person (see convening.personal_data)."""

from __future__ import annotations

from django.db.models import Q

from convening.models import Participant
from convening.personal_data import Holding, register, register_activity

from .models import ComplexityAssessment, LocalKnowledge, PlannedActivity


def active_since(cutoff):
    """People owning a planned activity or register entry changed since the cutoff."""
    planned = PlannedActivity.objects.filter(updated_at__gte=cutoff).values("owner")
    known = LocalKnowledge.objects.filter(updated_at__gte=cutoff).values("owner")
    return Participant.objects.filter(Q(pk__in=planned) | Q(pk__in=known)).values("pk")


def register_holdings() -> None:
    register(
        Holding(
            PlannedActivity,
            "Planned activities owned",
            export=("programme__name", "title", "status", "due"),
            explain="Kept, owned by the anonymised record.",
            participant="owner",
        ),
        Holding(
            PlannedActivity,
            "Planned activities added",
            export=("programme__name", "title", "created_at"),
            erase={"created_by": None},
            explain="Kept, no longer saying who added them.",
            user="created_by",
        ),
        Holding(
            ComplexityAssessment,
            "Complexity assessments recorded",
            export=("programme__name", "assessed_at", "summary"),
            erase={"assessed_by": None},
            explain="Kept, no longer saying who recorded them.",
            user="assessed_by",
        ),
        Holding(
            LocalKnowledge,
            "Local knowledge entries owned",
            export=("programme__name", "title", "status"),
            explain="Kept, owned by the anonymised record.",
            participant="owner",
        ),
        Holding(
            LocalKnowledge,
            "Local knowledge entries added",
            export=("programme__name", "title", "created_at"),
            erase={"created_by": None},
            explain="Kept, no longer saying who added them.",
            user="created_by",
        ),
    )
    register_activity(active_since)
