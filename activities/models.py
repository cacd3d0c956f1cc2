"""The ten activity areas of systems convening and their practices (DESIGN section 6)."""

from django.db import models


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
