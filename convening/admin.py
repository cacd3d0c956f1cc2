"""The admin for support work: every core model, with search, filters and read-only history;
personal fields only for staff with the data protection permission (convening.admin_base)."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .admin_base import PersonalDataAdmin, PersonalDataHistoryAdmin, PersonalDataInline
from .models import (
    Adoption,
    AdoptionEvent,
    ApiToken,
    AuditEntry,
    ExportJob,
    Innovation,
    Invitation,
    Membership,
    Organisation,
    Participant,
    Programme,
    RetentionPolicy,
    User,
)


@admin.register(User)
class UserAdmin(PersonalDataAdmin, BaseUserAdmin):
    personal_fields = ("email", "name")
    str_names_person = True
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
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
class OrganisationAdmin(PersonalDataAdmin):
    list_display = ["name", "short_name", "sector", "place"]
    list_filter = ["sector"]
    search_fields = ["name", "short_name"]


class MembershipInline(PersonalDataInline):
    model = Membership
    str_names_person = True
    autocomplete_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(PersonalDataHistoryAdmin):
    list_display = ["name", "status", "hub_visibility"]
    list_filter = ["status", "hub_visibility"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(PersonalDataHistoryAdmin):
    str_names_person = True
    list_display = ["programme", "user", "role"]
    list_filter = ["role", "programme"]
    search_fields = ["programme__name", "user__email", "user__name"]
    autocomplete_fields = ["user", "programme"]


@admin.register(Invitation)
class InvitationAdmin(PersonalDataAdmin):
    personal_fields = ("email",)
    str_names_person = True
    list_display = ["email", "programme", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["programme", "role"]
    search_fields = ["email", "programme__name"]
    readonly_fields = ["token_hash"]


@admin.register(Participant)
class ParticipantAdmin(PersonalDataHistoryAdmin):
    personal_fields = (
        "name",
        "email",
        "job_title",
        "lived_experience",
        "consent_recorded",
        "consent_contact",
        "consent_named",
        "consent_updated_at",
    )
    str_names_person = True
    list_display = ["name", "programme", "organisation", "role_group", "level", "anonymised_at"]
    list_filter = ["programme", "role_group", "level"]
    search_fields = ["name", "email", "organisation__name"]
    autocomplete_fields = ["organisation", "user"]
    readonly_fields = ["anonymised_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting a person would change every count they are in: erase them instead.
        return False


@admin.register(Innovation)
class InnovationAdmin(PersonalDataHistoryAdmin):
    list_display = ["name", "programme", "innovator_organisation"]
    list_filter = ["programme"]
    search_fields = ["name", "programme__name"]
    prepopulated_fields = {"slug": ["name"]}


class AdoptionEventInline(PersonalDataInline):
    model = AdoptionEvent


@admin.register(Adoption)
class AdoptionAdmin(PersonalDataHistoryAdmin):
    list_display = ["organisation", "innovation", "stage"]
    list_filter = ["stage", "innovation__programme"]
    search_fields = ["organisation__name", "innovation__name"]
    inlines = [AdoptionEventInline]


@admin.register(AdoptionEvent)
class AdoptionEventAdmin(PersonalDataAdmin):
    list_display = ["adoption", "stage", "date", "recorded_at"]
    list_filter = ["stage", "adoption__innovation__programme"]
    search_fields = ["adoption__organisation__name", "adoption__innovation__name", "note"]


@admin.register(AuditEntry)
class AuditEntryAdmin(PersonalDataAdmin):
    """Read-only, for staff who may read it: entries are never changed or deleted."""

    personal_fields = ("subject_label", "ip_address")
    list_display = ["at", "action", "actor", "subject_label", "programme", "ip_address"]
    list_filter = ["action", "at", "programme"]
    search_fields = ["subject_label", "actor__email", "detail"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("convening.data_protection") or super().has_view_permission(
            request, obj
        )


class RetentionPolicyForm(forms.ModelForm):
    confirm_period = forms.BooleanField(
        required=False,
        label=f"Confirm the retention period of {settings.RETENTION_YEARS} years",
        help_text="The nightly job anonymises people with no activity for longer than this, "
        "from the night after it is confirmed. Run `python manage.py apply_retention "
        "--dry-run` first to see who that would be.",
    )

    class Meta:
        model = RetentionPolicy
        fields = []


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(PersonalDataAdmin):
    """One row. Confirming records who confirmed which period, and when; a change of the
    RETENTION_YEARS setting needs confirming again before the job runs."""

    form = RetentionPolicyForm
    list_display = ["__str__", "confirmed_years", "confirmed_by", "confirmed_at"]
    list_filter = ["confirmed_at"]
    search_fields = ["confirmed_years"]
    readonly_fields = ["confirmed_years", "confirmed_by", "confirmed_at"]

    def has_add_permission(self, request) -> bool:
        return not RetentionPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("convening.data_protection")

    def save_model(self, request, obj, form, change) -> None:
        if form.cleaned_data.get("confirm_period"):
            obj.confirm(settings.RETENTION_YEARS, by=request.user)
        else:
            obj.confirmed_years = obj.confirmed_by = obj.confirmed_at = None
            obj.save()


@admin.register(ExportJob)
class ExportJobAdmin(PersonalDataAdmin):
    """Prepared downloads, to see why one failed; they are made and removed by the app."""

    list_display = ["title", "programme", "format", "status", "created_at", "finished_at"]
    list_filter = ["status", "format", "programme"]
    search_fields = ["title", "export", "error"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(PersonalDataAdmin):
    """Tokens are made and revoked by their owner in the account pages; staff may only look,
    to answer a question about one. The secret is never stored, so never shown."""

    list_display = ["name", "key", "user", "can_write", "created_at", "expires_at", "revoked_at"]
    list_filter = ["can_write", "expires_at", "revoked_at"]
    search_fields = ["name", "key"]
    exclude = ["secret_hash"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
