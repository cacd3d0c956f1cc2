"""Versioned editing and history: one mechanism for every object people edit.

Each edited model has a `version` column (`Versioned`) and django-simple-history records.
A form (`VersionedForm`) carries the version it was opened at; saving claims the next version in
one conditional UPDATE, so of two people saving the same object, only one wins. The other gets a
`Conflict`: who saved, when, and what they changed, shown by the `conflict_panel` macro of
`components/history.jinja` with everything the second person typed still in the form.

When the versions differ but the later saves touched none of this form's fields (two leads
editing different forms of the same programme), the save goes ahead: only a real overlap is a
conflict.

`changes()` lists the saves, newest first, for the `change_list` macro: one history page looks
the same for every object.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone

# Kept on every history page: enough for a meeting or an entry edited for a year.
HISTORY_LIMIT = 50
# Fields that change on every save, or that people do not edit: never shown as a change.
NOT_SHOWN = frozenset({"version", "updated_at", "created_at", "search_vector"})


class Versioned(models.Model):
    """A model people edit: `version` goes up by one on every save of an existing row, so a
    form opened before any change (through a form, a quick status button or a job) cannot
    overwrite it unseen."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or getattr(self, "_version_claimed", False):
            self._version_claimed = False
            return super().save(*args, **kwargs)
        with transaction.atomic(savepoint=False):
            manager = type(self)._base_manager
            manager.filter(pk=self.pk).update(version=models.F("version") + 1)
            self.version = manager.filter(pk=self.pk).values_list("version", flat=True).get()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            return super().save(*args, **kwargs)

    @transaction.atomic(savepoint=False)
    def save_if_unchanged(
        self, expected_version: int | None, *, fields: Iterable[str] = ()
    ) -> bool:
        """Save only if nobody has saved `fields` since `expected_version` was read.

        Claiming the next version is one conditional UPDATE, which also holds the row until the
        transaction ends, so two saves can never both win. When someone saved meanwhile but
        changed none of `fields`, the save claims the version after theirs instead. Returns False
        (and saves nothing) when the object changed underneath the form.
        """
        if expected_version is None:
            return False
        manager = type(self)._base_manager
        claimed = manager.filter(pk=self.pk, version=expected_version).update(
            version=expected_version + 1
        )
        if not claimed:
            current = manager.filter(pk=self.pk).values_list("version", flat=True).first()
            if current is None or not fields or _changed_since(self, expected_version, fields):
                return False
            if not manager.filter(pk=self.pk, version=current).update(version=current + 1):
                return False
            self._take_saved_values(expected_version)
            expected_version = current
        self.version = expected_version + 1
        self._version_claimed = True
        self.save()
        return True

    def _take_saved_values(self, version: int) -> None:
        """Keep the other saves: every field this edit left as it was at `version` takes the
        value saved since."""
        base = self.history.filter(version=version).order_by("-history_id").first()
        fields = [
            f for f in self._meta.concrete_fields if not f.primary_key and f.name != "version"
        ]
        saved = (
            type(self)._base_manager.filter(pk=self.pk).values(*(f.attname for f in fields)).get()
        )
        for model_field in fields:
            if getattr(self, model_field.attname) == getattr(base, model_field.attname, None):
                setattr(self, model_field.attname, saved[model_field.attname])


def _changed_since(instance: Versioned, version: int, fields: Iterable[str]) -> bool:
    """Whether any of `fields` differs between the object at `version` and the object now.

    Unknown when the history has no record of that version: then it counts as changed."""
    base = instance.history.filter(version=version).order_by("-history_id").first()
    latest = instance.history.order_by("-history_id").first()
    if base is None or latest is None:
        return True
    m2m = {f.name for f in base._history_m2m_fields}
    model = type(instance)
    for name in fields:
        model_field = model._meta.get_field(name) if _is_field(model, name) else None
        if model_field is not None and model_field.many_to_many and name not in m2m:
            return True  # no history of it to compare: counted as changed, never overwritten
        if name in m2m:
            if _related_ids(base, name) != _related_ids(latest, name):
                return True
        elif _value(base, name) != _value(latest, name):
            return True
    return False


def _is_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _value(record, name: str) -> Any:
    try:
        model_field = record.instance_type._meta.get_field(name)
    except FieldDoesNotExist:
        return getattr(record, name, None)
    return getattr(record, model_field.attname, None)


def _related_ids(record, name: str) -> set[int]:
    """The ids a many-to-many field held in one history record."""
    model_field = record.instance_type._meta.get_field(name)
    target = model_field.m2m_reverse_field_name()
    return {
        getattr(row, f"{target}_id") for row in getattr(record, _m2m_accessor(model_field)).all()
    }


def _m2m_accessor(model_field) -> str:
    """The history record's rows for a tracked many-to-many field."""
    return f"historical{model_field.remote_field.through._meta.model_name}_set"


# Conflicts -------------------------------------------------------------------------------------


@dataclass
class Conflict:
    """Someone else saved first: who, when, and what they saved that differs from the form."""

    changed: dict[str, str] = field(default_factory=dict)  # field label -> their saved value
    by: str = ""
    at: datetime.datetime | None = None
    version: int = 0
    # Fields put back as they are now rather than as the form had them (consent, for example).
    kept_current: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return True


def latest_change(instance: models.Model):
    """The newest history record of an object, with who made it (one query)."""
    return instance.history.select_related("history_user").order_by("-history_id").first()


def conflict_with(instance: Versioned, posted: dict[str, Any], fields: Iterable[str]) -> Conflict:
    """What differs between the saved object and what was posted, for the conflict panel."""
    current = type(instance)._base_manager.get(pk=instance.pk)
    changed = {}
    for name in fields:
        if name not in posted:
            continue
        theirs = _current_value(current, name)
        if _comparable(theirs) != _comparable(posted[name]):
            changed[label(type(instance), name)] = display(current, name)
    record = latest_change(current)
    by = ""
    if record is not None and record.history_user is not None:
        by = str(record.history_user)
    return Conflict(
        changed=changed,
        by=by,
        at=record.history_date if record is not None else None,
        version=current.version,
    )


def _current_value(instance: models.Model, name: str) -> Any:
    model_field = instance._meta.get_field(name)
    if model_field.many_to_many:
        return getattr(instance, name).all()
    return getattr(instance, name)


def _comparable(value: Any) -> Any:
    if isinstance(value, models.QuerySet | list | tuple | set):
        return {getattr(item, "pk", item) for item in value}
    if isinstance(value, models.Model):
        return value.pk
    if value is None:
        return ""
    return value


def label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:  # a history-only field has no label of ours
        return name.replace("_", " ").capitalize()


def display(instance: models.Model, name: str) -> str:
    """A field's value as a person reads it."""
    model_field = instance._meta.get_field(name)
    if model_field.many_to_many:
        return ", ".join(str(item) for item in getattr(instance, name).all()) or "(none)"
    if model_field.choices:
        return str(getattr(instance, f"get_{name}_display")()) or "(not set)"
    value = getattr(instance, name)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%-d %B %Y, %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    if value is None or value == "":
        return "(left empty)"
    return str(value)


class VersionedForm(forms.ModelForm):
    """A model form that will not overwrite a save made after it was opened.

    `save_unless_changed()` returns None when saved, or a Conflict with the form ready to show
    again: its version moved on to the current one, and the fields in `keep_current` (consent,
    for example) put back as they are saved now, so a stale form never overwrites them.
    """

    # Read leniently: a missing or unreadable version counts as out of date (a conflict), never
    # as an error on a field nobody can see.
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    keep_current: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_version(self) -> int | None:
        value = self.cleaned_data.get("version") or ""
        return int(value) if value.isdigit() else None

    def prepare(self, obj: Versioned) -> None:
        """Set anything the form does not hold (who, when) before saving; for subclasses."""

    def versioned_fields(self) -> list[str]:
        """The model fields this form changes: a save of any of them meanwhile is a conflict."""
        return [name for name in self._meta.fields if name in self.fields]

    def save_unless_changed(self) -> Conflict | None:
        instance = self.instance
        fields = self.versioned_fields()
        with transaction.atomic():
            obj = self.save(commit=False)
            self.prepare(obj)
            if obj.pk is None:
                obj.save()
                saved = True
            else:
                saved = obj.save_if_unchanged(self.cleaned_data.get("version"), fields=fields)
            if saved:
                self._save_m2m()
        if saved:
            return None
        conflict = conflict_with(instance, self.cleaned_data, fields)
        self._show_again(conflict)
        return conflict

    def _show_again(self, conflict: Conflict) -> None:
        current = type(self.instance)._base_manager.get(pk=self.instance.pk)
        data = self.data.copy()
        data[self.add_prefix("version")] = str(conflict.version)
        for name in self.keep_current:
            value = getattr(current, name)
            widget_name = self.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[widget_name] = "on"
                else:
                    data.pop(widget_name, None)
            else:
                data[widget_name] = "" if value is None else str(value)
            if self._comparable_posted(name) != _comparable(value):
                conflict.kept_current.append(label(type(current), name))
        self.data = data

    def _comparable_posted(self, name: str) -> Any:
        return _comparable(self.cleaned_data.get(name))


# History pages ---------------------------------------------------------------------------------


@dataclass
class Change:
    """One save: the newest history record it wrote, and what it changed."""

    record: Any
    added: bool
    fields: list[str]

    @property
    def who(self) -> str:
        user = self.record.history_user
        return str(user) if user is not None else "Convening"

    @property
    def when(self) -> datetime.datetime:
        return self.record.history_date


def changes(
    instance: models.Model, *, limit: int = HISTORY_LIMIT, hidden: Iterable[str] = ()
) -> list[Change]:
    """The latest saves of an object, newest first: who, when and which fields (two queries).

    A form's save writes a record for its fields, then one for each change to a many-to-many
    field; those are shown as part of the save they belong to. Choice fields say from what to
    what."""
    model = type(instance)
    history = instance.history
    m2m_fields = [f for f in history.model._history_m2m_fields]
    hidden = NOT_SHOWN | set(hidden) | set(getattr(model, "HISTORY_HIDDEN", ()))
    shown = [
        f.name
        for f in model._meta.concrete_fields
        if f.name not in hidden and f.name in {t.name for t in history.model.tracked_fields}
    ]
    m2m_shown = [f for f in m2m_fields if f.name not in hidden]
    # Enough records for `limit` saves of a form with a few many-to-many fields.
    records = list(
        history.select_related("history_user")
        .prefetch_related(*(_m2m_accessor(f) for f in m2m_shown))
        .order_by("-history_id")[: limit * (1 + len(m2m_shown)) + 1]
    )
    records.reverse()
    saves: list[dict] = []
    for before, record in zip([None, *records], records, strict=False):
        if before is None:
            saves.append({"first": record, "record": record, "before": None, "fields": []})
            continue
        fields = _fields_changed(record, before, shown, m2m_shown)
        if saves and _same_save(before, record):
            saves[-1]["record"] = record  # a many-to-many record of the same save
            saves[-1]["fields"] = _merge(saves[-1]["fields"], fields)
            continue
        saves.append({"first": record, "record": record, "before": before, "fields": fields})
    result = []
    for save in reversed(saves):
        added = save["first"].history_type == "+"
        if save["before"] is None and not added:
            continue  # the oldest of a long history, kept only to compare the next one with
        if not added and not save["fields"]:
            continue
        result.append(Change(save["record"], added, [] if added else save["fields"]))
    return result[:limit]


def _fields_changed(record, before, shown: list[str], m2m: list) -> list[str]:
    model = record.instance_type
    described = []
    for name in shown:
        old, new = _value(before, name), _value(record, name)
        if old == new:
            continue
        model_field = model._meta.get_field(name)
        text = label(model, name)
        if model_field.choices:
            options = dict(model_field.flatchoices)
            was, now = options.get(old, old or "not set"), options.get(new, new or "not set")
            text = f"{text}: {was} to {now}"
        described.append(text)
    for model_field in m2m:
        if _related_ids(record, model_field.name) != _related_ids(before, model_field.name):
            described.append(label(model, model_field.name))
    return described


def _same_save(before, record) -> bool:
    """Every save raises the version; the many-to-many records written after it keep it."""
    if record.history_type != "~":
        return False
    if hasattr(record, "version"):
        return record.version == before.version
    return hasattr(record, "updated_at") and record.updated_at == before.updated_at


def _merge(first: list[str], more: list[str]) -> list[str]:
    return [*first, *(text for text in more if text not in first)]


# Migrations ------------------------------------------------------------------------------------

MIGRATION_BATCH = 500


def number_earlier_saves(*models: tuple[str, str, bool]):
    """A data migration's function that gives the saves made before versioned editing their
    versions: `(app, model, whether its many-to-many records follow a save with the same
    `updated_at`)` for each model.

    A new version column starts at 1 on every row and history record. Left so, every earlier
    save of an object would look like one save (`changes()` groups the records of one version),
    and a form opened now could not be compared with the save it started from. So each object's
    records are numbered in order, and the object takes the version of its latest record."""

    def number_saves(apps, schema_editor) -> None:
        for app_label, model_name, grouped_by_time in models:
            model = apps.get_model(app_label, model_name)
            historical = apps.get_model(app_label, f"Historical{model_name}")
            changed, latest = [], {}
            records = historical.objects.order_by("id", "history_id")
            for record in records.iterator(chunk_size=MIGRATION_BATCH):
                before = latest.get(record.id)
                if before is None:
                    version = 1
                elif (
                    grouped_by_time
                    and record.history_type == "~"
                    and record.updated_at == before.updated_at
                ):
                    version = before.version
                else:
                    version = before.version + 1
                if record.version != version:
                    record.version = version
                    changed.append(record)
                latest[record.id] = record
            historical.objects.bulk_update(changed, ["version"], batch_size=MIGRATION_BATCH)
            for pk, record in latest.items():
                if record.version != 1:
                    model.objects.filter(pk=pk).update(version=record.version)

    return number_saves


def record_starting_history(app_label: str, model_name: str):
    """A data migration's function that gives each existing row of a model that has just begun
    keeping history a first record, as it stands, so a form opened before its first save can
    be compared with the saves after it."""

    def record(apps, schema_editor) -> None:
        model = apps.get_model(app_label, model_name)
        historical = apps.get_model(app_label, f"Historical{model_name}")
        kept = {f.attname for f in historical._meta.concrete_fields}
        copied = [f.attname for f in model._meta.concrete_fields if f.attname in kept]
        has_history = historical.objects.values("id")
        now = timezone.now()
        rows = (
            historical(
                **{name: getattr(row, name) for name in copied},
                history_date=now,
                history_type="+",
                history_change_reason="History began",
            )
            for row in model.objects.exclude(pk__in=has_history).iterator(
                chunk_size=MIGRATION_BATCH
            )
        )
        while batch := list(islice(rows, MIGRATION_BATCH)):
            historical.objects.bulk_create(batch)

    return record
