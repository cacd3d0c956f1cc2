from django.contrib import admin

from .models import ActivityArea, Practice


class PracticeInline(admin.TabularInline):
    model = Practice
    extra = 0
    can_delete = False
    fields = ["number", "text"]
    readonly_fields = ["number"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ActivityArea)
class ActivityAreaAdmin(admin.ModelAdmin):
    """The wording may be refined; the ten areas and their practices are fixed."""

    list_display = ["number", "title"]
    readonly_fields = ["number"]
    inlines = [PracticeInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
