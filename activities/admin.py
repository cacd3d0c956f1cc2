from django.contrib import admin

from convening.admin_base import PersonalDataAdmin, PersonalDataHistoryAdmin, PersonalDataInline

from .models import (
    ActivityArea,
    ComplexityAssessment,
    DomainRating,
    LocalKnowledge,
    PlannedActivity,
    Practice,
)


class PracticeInline(PersonalDataInline):
    model = Practice
    can_delete = False
    fields = ["number", "text"]
    readonly_fields = ["number"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ActivityArea)
class ActivityAreaAdmin(PersonalDataAdmin):
    """The wording may be refined; the ten areas and their practices are fixed."""

    list_display = ["number", "title"]
    list_filter = ["number"]
    search_fields = ["title", "summary"]
    readonly_fields = ["number"]
    inlines = [PracticeInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Practice)
class PracticeAdmin(ActivityAreaAdmin):
    list_display = ["number", "text", "area"]
    list_filter = ["area"]
    search_fields = ["text"]
    inlines = []


@admin.register(PlannedActivity)
class PlannedActivityAdmin(PersonalDataHistoryAdmin):
    list_display = ["title", "programme", "area", "status", "due", "owner"]
    list_filter = ["status", "area", "programme"]
    search_fields = ["title", "description"]
    raw_id_fields = ["owner", "space"]


class DomainRatingInline(PersonalDataInline):
    model = DomainRating


@admin.register(ComplexityAssessment)
class ComplexityAssessmentAdmin(PersonalDataAdmin):
    list_display = ["programme", "assessed_at", "interdependence"]
    list_filter = ["interdependence", "programme"]
    search_fields = ["programme__name", "summary"]
    inlines = [DomainRatingInline]


@admin.register(DomainRating)
class DomainRatingAdmin(PersonalDataAdmin):
    list_display = ["assessment", "domain", "rating"]
    list_filter = ["domain", "rating"]
    search_fields = ["note", "assessment__programme__name"]


@admin.register(LocalKnowledge)
class LocalKnowledgeAdmin(PersonalDataHistoryAdmin):
    list_display = ["title", "programme", "kind", "impact", "status"]
    list_filter = ["kind", "impact", "status", "programme"]
    search_fields = ["title", "description", "mitigation"]
    raw_id_fields = ["owner", "site"]
