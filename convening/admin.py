from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Adoption,
    AdoptionEvent,
    Innovation,
    Invitation,
    Membership,
    Organisation,
    Participant,
    Programme,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "name")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "sector", "place"]
    list_filter = ["sector"]
    search_fields = ["name", "short_name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "status", "hub_visibility"]
    list_filter = ["status"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["programme", "user", "role"]
    list_filter = ["role", "programme"]
    autocomplete_fields = ["user", "programme"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "programme", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["programme"]
    readonly_fields = ["token_hash"]


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ["name", "programme", "organisation", "role_group", "level"]
    list_filter = ["programme", "role_group", "level"]
    search_fields = ["name", "email"]
    autocomplete_fields = ["organisation", "user"]


@admin.register(Innovation)
class InnovationAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "innovator_organisation"]
    prepopulated_fields = {"slug": ["name"]}


class AdoptionEventInline(admin.TabularInline):
    model = AdoptionEvent
    extra = 0


@admin.register(Adoption)
class AdoptionAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "innovation", "stage"]
    list_filter = ["stage", "innovation__programme"]
    inlines = [AdoptionEventInline]
