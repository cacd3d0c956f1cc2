"""What learning holds about a person (see convening.personal_data), registered from
LearningConfig. Pulse answers are anonymous and held by no one's name, so they are not here."""

from __future__ import annotations

from django.db.models import Q

from convening.models import Participant
from convening.personal_data import DELETE, Holding, register, register_activity

from .models import ContactMessage, Feedback, LearningEntry, Narrative, Subscription


def active_since(cutoff):
    """People who wrote learning, narratives or feedback since the cutoff, or who still take
    digests (a confirmed subscription that is switched on)."""
    wrote = LearningEntry.objects.filter(created_at__gte=cutoff).values("author")
    told = Feedback.objects.filter(created_at__gte=cutoff).values("participant")
    narrated = Narrative.objects.filter(updated_at__gte=cutoff).values("contributors")
    reading = Subscription.objects.active().filter(unsubscribed_at__isnull=True)
    return Participant.objects.filter(
        Q(user__in=wrote)
        | Q(pk__in=told)
        | Q(pk__in=narrated)
        | Q(pk__in=reading.values("participant"))
        | Q(user__in=reading.values("user"))
    ).values("pk")


def register_holdings() -> None:
    register(
        Holding(
            LearningEntry,
            "Learning written",
            export=("programme__name", "title", "body", "kind", "status", "created_at"),
            erase={"author": None},
            explain="Kept, with no author: the byline says “A member of the programme”.",
            user="author",
        ),
        Holding(
            Narrative,
            "Narratives contributed to",
            export=("innovation__name", "audience", "body", "updated_at"),
            explain="Kept, the contributor being the anonymised record.",
            participant="contributors",
        ),
        Holding(
            Narrative,
            "Narratives last saved",
            export=("innovation__name", "audience", "updated_at"),
            erase={"updated_by": None},
            explain="Kept, no longer saying who saved them.",
            user="updated_by",
        ),
        Holding(
            Feedback,
            "Feedback sent to innovators",
            export=("innovation__name", "name", "email", "site", "kind", "body", "created_at"),
            erase={"name": "", "email": ""},
            explain="Kept, with the sender's name and email address removed.",
            participant="participant",
            email="email",
        ),
        Holding(
            Feedback,
            "Feedback answered",
            export=("innovation__name", "response", "responded_at"),
            erase={"responded_by": None},
            explain="Kept, no longer saying who answered.",
            user="responded_by",
        ),
        Holding(
            ContactMessage,
            "Messages sent from the learning hub",
            export=("innovation__name", "name", "email", "body", "created_at"),
            erase={"name": "", "email": ""},
            explain="Kept, with the sender's name and email address removed.",
            email="email",
        ),
        Holding(
            ContactMessage,
            "Messages received from the learning hub",
            export=("innovation__name", "name", "body", "created_at"),
            explain="Kept, addressed to the anonymised record.",
            participant="recipient",
        ),
        Holding(
            Subscription,
            "Learning digest subscriptions",
            export=("programme__name", "innovation__name", "email", "frequency", "confirmed_at"),
            erase=DELETE,
            explain="Deleted, with the record of digests sent.",
            participant="participant",
            user="user",
            email="email",
        ),
    )
    register_activity(active_since)
