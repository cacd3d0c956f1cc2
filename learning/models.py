"""Learning entries (more of the learning app arrives with the hub and digests)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from convening.models import NAME_MAX, Innovation, Organisation, Programme

BODY_MAX = 50_000


class LearningEntryQuerySet(models.QuerySet):
    def for_programme(self, programme: Programme) -> LearningEntryQuerySet:
        return self.filter(programme=programme)

    def drafts(self) -> LearningEntryQuerySet:
        return self.filter(status=LearningEntry.Status.DRAFT)

    def published(self) -> LearningEntryQuerySet:
        return self.filter(status=LearningEntry.Status.PUBLISHED)


class LearningEntry(models.Model):
    class Kind(models.TextChoices):
        INSIGHT = "insight", "Insight"
        ENABLER = "enabler", "Enabler"
        BARRIER = "barrier", "Barrier"
        ADAPTATION = "adaptation", "Adaptation"
        RESULT = "result", "Result"
        QUESTION = "question", "Question"
        SUCCESS_STORY = "success_story", "Success story"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public hub"
        PROGRAMME = "programme", "Programme members"
        SPACE = "space", "Space members"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="learning_entries"
    )
    innovation = models.ForeignKey(
        Innovation, null=True, blank=True, on_delete=models.SET_NULL, related_name="learning"
    )
    title = models.CharField(max_length=NAME_MAX)
    body = models.TextField(blank=True, max_length=BODY_MAX)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.INSIGHT)
    source_meeting = models.ForeignKey(
        "spaces.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learning_entries",
    )
    site = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    areas = models.ManyToManyField("activities.ActivityArea", blank=True, related_name="+")
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PROGRAMME
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    review_by = models.DateField(null=True, blank=True, help_text="When to check it is still true")
    history = HistoricalRecords()

    objects = LearningEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "learning entries"
        indexes = [models.Index(fields=["programme", "status", "-created_at"])]

    def __str__(self) -> str:
        return self.title
