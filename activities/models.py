"""The ten activity areas of systems convening and their practices (DESIGN section 6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from convening.history import Versioned
from convening.status import Tag, tag_colours


class ActivityAreaQuerySet(models.QuerySet):
    def with_practices(self):
        return self.prefetch_related("practices")


class ActivityArea(models.Model):
    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=120)
    summary = models.TextField(blank=True)

    objects = ActivityAreaQuerySet.as_manager()

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Practice(models.Model):
    area = models.ForeignKey(ActivityArea, on_delete=models.CASCADE, related_name="practices")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["area__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["area", "number"], name="practice_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def code(self) -> str:
        return f"{self.area.number}.{self.number}"


# Planning: activities, the complexity assessment and the local knowledge register -------------


class PlannedActivityQuerySet(models.QuerySet):
    def for_programme(self, programme) -> PlannedActivityQuerySet:
        return self.filter(programme=programme)

    def open(self) -> PlannedActivityQuerySet:
        """Ideas, planned and in progress: work that is still to be done."""
        return self.filter(status__in=PlannedActivity.OPEN_STATUSES)

    def done(self) -> PlannedActivityQuerySet:
        return self.filter(status=PlannedActivity.Status.DONE)

    def with_related(self) -> PlannedActivityQuerySet:
        return self.select_related("area", "owner", "space").prefetch_related(
            models.Prefetch("practices", queryset=Practice.objects.select_related("area"))
        )


class PlannedActivity(Versioned):
    """A piece of convening work the programme means to do, in one of the ten areas."""

    @tag_colours(IDEA="white", PLANNED="blue", IN_PROGRESS="yellow", DONE="green", DROPPED="grey")
    class Status(models.TextChoices):
        IDEA = "idea", "Idea"
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    OPEN_STATUSES = (Status.IDEA, Status.PLANNED, Status.IN_PROGRESS)
    OVERDUE_TAG = Tag("Overdue", "red")

    programme = models.ForeignKey(
        "convening.Programme", on_delete=models.CASCADE, related_name="planned_activities"
    )
    area = models.ForeignKey(
        ActivityArea, on_delete=models.PROTECT, related_name="planned_activities"
    )
    practices = models.ManyToManyField(Practice, blank=True, related_name="planned_activities")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=10_000)
    owner = models.ForeignKey(
        "convening.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planned_activities",
    )
    space = models.ForeignKey(
        "spaces.AdaptiveSpace",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planned_activities",
    )
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    # Set when the activity was planned from a complex domain of an assessment.
    from_domain = models.CharField(max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[practices])

    objects = PlannedActivityQuerySet.as_manager()

    class Meta:
        ordering = ["area__number", "due", "pk"]
        verbose_name_plural = "planned activities"
        indexes = [models.Index(fields=["programme", "area", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activity_detail", args=[self.programme.slug, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def overdue_tag(self) -> Tag | None:
        """The "Overdue" tag while the activity is open past its due date; otherwise None."""
        if self.is_open and self.due and self.due < timezone.localdate():
            return self.OVERDUE_TAG
        return None

    def is_owned_by(self, user) -> bool:
        """The activity's owner is this user's participant record, or they added it."""
        if self.created_by_id == user.pk:
            return True
        return self.owner is not None and self.owner.user_id == user.pk

    def change_status(self, status: str) -> None:
        self.status = status
        self.updated_at = timezone.now()
        self.save(update_fields=["status", "updated_at"])


class Domain(models.TextChoices):
    """The seven domains of the complexity assessment (DESIGN section 7, after NASSS)."""

    CONDITION = "condition", "The condition or need"
    INNOVATION = "innovation", "The innovation itself"
    VALUE = "value", "Its value proposition"
    ADOPTERS = "adopters", "The adopter system: staff, patients and carers"
    ORGANISATIONS = "organisations", "The organisations"
    WIDER_SYSTEM = "wider_system", "The wider system: policy, regulation, professions, funding"
    EMBEDDING = "embedding", "Embedding and adaptation over time"


# Colours to tell the ratings apart on the complexity page.
@tag_colours(SIMPLE="green", COMPLICATED="blue", COMPLEX="orange", UNKNOWN="grey")
class Rating(models.TextChoices):
    SIMPLE = "simple", "Simple"
    COMPLICATED = "complicated", "Complicated"
    COMPLEX = "complex", "Complex"
    UNKNOWN = "unknown", "Don't know"


class ComplexityAssessmentQuerySet(models.QuerySet):
    def for_programme(self, programme) -> ComplexityAssessmentQuerySet:
        return self.filter(programme=programme)

    def with_ratings(self) -> ComplexityAssessmentQuerySet:
        return self.select_related("assessed_by").prefetch_related("ratings")


class ComplexityAssessment(models.Model):
    """One discussion of how complex the change is. Each is kept; the latest is current."""

    class Interdependence(models.TextChoices):
        INDEPENDENT = "independent", "Independent: each organisation can adopt on its own"
        INTERDEPENDENT = (
            "interdependent",
            "Interdependent: organisations depend on each other to make it work",
        )

    programme = models.ForeignKey(
        "convening.Programme", on_delete=models.CASCADE, related_name="complexity_assessments"
    )
    interdependence = models.CharField(max_length=16, choices=Interdependence.choices)
    summary = models.TextField("notes on the discussion", blank=True, max_length=5000)
    assessed_at = models.DateTimeField(default=timezone.now)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ComplexityAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_at", "-pk"]
        get_latest_by = ["assessed_at", "pk"]

    def __str__(self) -> str:
        return f"Assessment of {self.assessed_at:%d %B %Y}"

    @property
    def is_interdependent(self) -> bool:
        return self.interdependence == self.Interdependence.INTERDEPENDENT

    def rating_of(self, domain: str) -> DomainRating | None:
        """The rating of one domain (from the prefetched ratings), or None if not rated."""
        return next((r for r in self.ratings.all() if r.domain == domain), None)


class DomainRating(models.Model):
    assessment = models.ForeignKey(
        ComplexityAssessment, on_delete=models.CASCADE, related_name="ratings"
    )
    domain = models.CharField(max_length=20, choices=Domain.choices)
    rating = models.CharField(max_length=12, choices=Rating.choices)
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["assessment", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "domain"], name="domain_rated_once_per_assessment"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__in=Rating.values), name="domain_rating_known_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.get_rating_display()}"


class LocalKnowledgeQuerySet(models.QuerySet):
    def for_programme(self, programme) -> LocalKnowledgeQuerySet:
        return self.filter(programme=programme)

    def open(self) -> LocalKnowledgeQuerySet:
        return self.filter(status=LocalKnowledge.Status.OPEN)

    def high_impact(self) -> LocalKnowledgeQuerySet:
        return self.filter(impact=LocalKnowledge.Impact.HIGH)

    def with_related(self) -> LocalKnowledgeQuerySet:
        return self.select_related("site", "owner")


class LocalKnowledge(Versioned):
    """Something local that may disrupt adoption, and what is being done about it."""

    class Kind(models.TextChoices):
        ROUTINES = "routines", "Routines and workflows"
        WORKFORCE = "workforce", "Workforce"
        RESOURCES = "resources", "Resources and finance"
        IT_DATA = "it_data", "IT and data"
        ESTATES = "estates", "Estates"
        LOCAL_HISTORY = "local_history", "Local history"
        VALUES = "values", "Values and beliefs"
        CUSTOMS = "customs", "Customs"

    @tag_colours(LOW="grey", MEDIUM="orange", HIGH="red")
    class Impact(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    @tag_colours(OPEN="blue", CLOSED="grey")
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    programme = models.ForeignKey(
        "convening.Programme", on_delete=models.CASCADE, related_name="local_knowledge"
    )
    site = models.ForeignKey(
        "convening.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Leave empty for something that affects the whole programme",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=10_000)
    impact = models.CharField("likely impact", max_length=8, choices=Impact.choices)
    mitigation = models.TextField(blank=True, max_length=10_000)
    owner = models.ForeignKey(
        "convening.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="local_knowledge",
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = LocalKnowledgeQuerySet.as_manager()

    class Meta:
        ordering = ["status", "title"]
        verbose_name_plural = "local knowledge"
        indexes = [models.Index(fields=["programme", "status", "impact"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge_edit", args=[self.programme.slug, self.pk])

    def close(self) -> None:
        self.status = self.Status.CLOSED
        self.closed_at = timezone.now()
        self.updated_at = self.closed_at
        self.save(update_fields=["status", "closed_at", "updated_at"])

    def reopen(self) -> None:
        self.status = self.Status.OPEN
        self.closed_at = None
        self.updated_at = timezone.now()
        self.save(update_fields=["status", "closed_at", "updated_at"])
