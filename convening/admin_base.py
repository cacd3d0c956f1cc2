"""The admin's base classes, used by every app's admin.py: personal fields (names, email
addresses, job titles, contact and consent) are shown only to staff with the data protection
permission. Anyone else sees the rest of each record, with every link to a person left out
and each person called by number, in lists, forms, searches, filters, history and the
summary before a delete.

History is read-only everywhere (SIMPLE_HISTORY_REVERT_DISABLED).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from .access import DATA_PROTECTION
from .models import Participant, User

# Models whose rows are people: a link to one of them names someone.
PERSON_MODELS = (Participant, User)


def may_see_people(request) -> bool:
    return request.user.has_perm(DATA_PROTECTION)


@dataclass(frozen=True)
class Numbered:
    """Stands in for an object on an admin page where its name would name a person."""

    text: str
    pk: int

    def __str__(self) -> str:
        return self.text


class PersonalDataMixin:
    """For ModelAdmin and inlines. `personal_fields` names the model's own personal fields;
    links to people (foreign keys and many-to-many to Participant or User) are found from the
    model. `str_names_person` says whether the object's own name (`str()`) names someone."""

    personal_fields: tuple[str, ...] = ()
    str_names_person = False

    def hidden_fields(self, request) -> set[str]:
        if may_see_people(request):
            return set()
        links = {
            field.name
            for field in self.model._meta.get_fields()
            if (field.many_to_one or field.many_to_many)
            and not field.auto_created
            and field.related_model in PERSON_MODELS
        }
        return set(self.personal_fields) | links

    def _without(self, request, names) -> list:
        hidden = self.hidden_fields(request)
        return [
            name
            for name in names
            if not (isinstance(name, str) and name.split("__")[0].lstrip("^=@") in hidden)
        ]

    def get_fieldsets(self, request, obj=None):
        hidden = self.hidden_fields(request)
        fieldsets = super().get_fieldsets(request, obj)
        if not hidden:
            return fieldsets
        kept = []
        for name, options in fieldsets:
            fields = [f for f in options.get("fields", ()) if f not in hidden]
            if fields:
                kept.append((name, {**options, "fields": fields}))
        return kept

    def get_form(self, request, obj=None, **kwargs):
        hidden = self.hidden_fields(request)
        if hidden and "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        return super().get_form(request, obj, **kwargs)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        return [*exclude, *self.hidden_fields(request)] or None

    def get_readonly_fields(self, request, obj=None):
        return self._without(request, super().get_readonly_fields(request, obj))

    def get_autocomplete_fields(self, request):
        return self._without(request, super().get_autocomplete_fields(request))


class PersonalDataAdmin(PersonalDataMixin, admin.ModelAdmin):
    """A ModelAdmin that hides personal data from staff without the permission."""

    def get_list_display(self, request):
        shown = self._without(request, super().get_list_display(request))
        if self.str_names_person and not may_see_people(request):
            shown = ["id", *(name for name in shown if name != "__str__")]
        return shown

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        kept = [name for name in links or () if name in list_display]
        return kept or list_display[:1]

    def get_inline_instances(self, request, obj=None):
        # An inline row is headed by its object's name.
        inlines = super().get_inline_instances(request, obj)
        if may_see_people(request):
            return inlines
        return [inline for inline in inlines if not getattr(inline, "str_names_person", False)]

    def get_actions(self, request):
        # The checkbox of each row is labelled with the object's name.
        if self.str_names_person and not may_see_people(request):
            return {}
        return super().get_actions(request)

    def get_list_filter(self, request):
        return self._without(request, super().get_list_filter(request))

    def get_search_fields(self, request):
        return self._without(request, super().get_search_fields(request))

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete of another model's form lists people by name.
        autocomplete = request.path == reverse("admin:autocomplete")
        if autocomplete and self.str_names_person and not may_see_people(request):
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

    def numbered(self, obj) -> str:
        return f"{self.model._meta.verbose_name.capitalize()} {obj.pk}"

    def render_delete_form(self, request, context):
        if self.str_names_person and not may_see_people(request):
            context["object"] = Numbered(self.numbered(context["object"]), context["object"].pk)
        return super().render_delete_form(request, context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.str_names_person and not may_see_people(request):
            context["original"] = context["subtitle"] = self.numbered(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if not may_see_people(request):
            # Only how many of each kind: the list would name the people among them.
            to_delete, protected = [], [str(len(protected))] if protected else []
        return to_delete, model_count, perms_needed, protected


class PersonalDataHistoryAdmin(PersonalDataAdmin, SimpleHistoryAdmin):
    """The same, for models with django-simple-history: their history page lists the saves,
    and without the permission it shows when and which fields, not the values or who."""

    def render_history_view(self, request, template, context, **kwargs):
        if not may_see_people(request):
            context["object_history_list_template"] = "admin/history_without_people.html"
            if self.str_names_person:
                context["object"] = Numbered(self.numbered(context["object"]), context["object"].pk)
        return super().render_history_view(request, template, context, **kwargs)

    def history_view_title(self, request, obj):
        if self.str_names_person and not may_see_people(request):
            return f"Change history: {self.numbered(obj)}"
        return super().history_view_title(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # One old version shown in full: its values are what the permission protects.
        if not may_see_people(request) and (self.str_names_person or self.personal_fields):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class PersonalDataInline(PersonalDataMixin, admin.TabularInline):
    extra = 0
