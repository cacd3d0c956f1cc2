"""The admin for adaptive spaces, meetings, attendance, actions and pulse answers."""

from django.contrib import admin

from convening.admin_base import PersonalDataAdmin, PersonalDataHistoryAdmin

from .models import Action, AdaptiveSpace, Attendance, Meeting, PulseResponse, SpaceMember


@admin.register(AdaptiveSpace)
class AdaptiveSpaceAdmin(PersonalDataHistoryAdmin):
    list_display = ["name", "programme", "kind", "confidentiality", "status"]
    list_filter = ["kind", "confidentiality", "status", "programme"]
    search_fields = ["name", "purpose", "programme__name"]
    exclude = ["calendar_token"]


@admin.register(SpaceMember)
class SpaceMemberAdmin(PersonalDataAdmin):
    str_names_person = True
    list_display = ["participant", "space", "role"]
    list_filter = ["role", "space__programme"]
    search_fields = ["space__name", "participant__name"]
    raw_id_fields = ["participant", "space"]


@admin.register(Meeting)
class MeetingAdmin(PersonalDataHistoryAdmin):
    list_display = ["title", "space", "starts_at", "status", "logged_at"]
    list_filter = ["status", "format", "space__programme"]
    search_fields = ["title", "space__name"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["space"]


@admin.register(Attendance)
class AttendanceAdmin(PersonalDataAdmin):
    str_names_person = True
    list_display = ["participant", "meeting", "status"]
    list_filter = ["status", "meeting__space__programme"]
    search_fields = ["meeting__title", "participant__name"]
    raw_id_fields = ["meeting", "participant"]


@admin.register(Action)
class ActionAdmin(PersonalDataAdmin):
    list_display = ["title", "programme", "owner", "due", "status"]
    list_filter = ["status", "programme"]
    search_fields = ["title", "owner__name"]
    raw_id_fields = ["meeting", "owner", "planned_activity"]


@admin.register(PulseResponse)
class PulseResponseAdmin(PersonalDataAdmin):
    """Anonymous answers: read-only, so nobody can tie one to a person after the event."""

    list_display = ["meeting", "answered_on", "felt_safe", "useful", "stretching"]
    list_filter = ["answered_on", "meeting__space__programme"]
    search_fields = ["meeting__title", "comment"]
    exclude = ["respondent_key"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
