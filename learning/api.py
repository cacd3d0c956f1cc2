"""The JSON API's routes for learning entries and narratives.

Entries are those the user may read on the learning log (space-only entries for the space's
members and leads), and each names its author only as its page would: by name with their
consent, never under the Chatham House rule. Anyone in the programme drafts learning, checked by
the same form as the page.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.http import Http404, QueryDict
from ninja import Field, Router, Schema, Status

from activities.models import ActivityArea
from convening.api import (
    FormInvalidError,
    ListQuery,
    Payload,
    changed_in_history,
    field_error,
    may_write,
    page_of,
    paginate,
    programme_for,
)

from .forms.entries import LearningEntryForm
from .models import LearningEntry, Narrative

router = Router(tags=["Learning"])


class LearningEntryOut(Schema):
    id: int
    title: str
    body: str = Field(description="Markdown")
    kind: str
    innovation_id: int | None
    site_id: int | None
    source_meeting_id: int | None
    areas: list[int] = Field(description="Activity area numbers, 1 to 10")
    visibility: str
    status: str
    byline: str = Field(description="Who wrote it, as far as they agreed to be named")
    created_at: datetime
    published_at: datetime | None
    review_by: date | None
    version: int

    @staticmethod
    def resolve_areas(entry) -> list[int]:
        return sorted(area.number for area in entry.areas.all())


def _entries(request, programme):
    return (
        LearningEntry.objects.readable_by(programme, request.user)
        .with_attribution()
        .select_related("author", "site", "source_meeting__space")
        .prefetch_related("areas")
    )


@router.get(
    "/programmes/{slug:slug}/learning",
    response=page_of(LearningEntryOut),
    url_name="api_learning_list",
)
def learning_list(request, slug: str, params: ListQuery):
    programme = programme_for(request, slug)
    return paginate(_entries(request, programme), params, changed_in_history(LearningEntry))


@router.get(
    "/programmes/{slug:slug}/learning/{entry_id}",
    response=LearningEntryOut,
    url_name="api_learning_entry",
)
def learning_entry(request, slug: str, entry_id: int):
    programme = programme_for(request, slug)
    entry = _entries(request, programme).filter(pk=entry_id).first()
    if entry is None:
        raise Http404("No such learning entry in this programme")
    return entry


class LearningEntryIn(Payload):
    title: str
    body: str = Field("", description="Markdown")
    kind: Literal[tuple(LearningEntry.Kind.values)] = "insight"
    innovation_id: int | None = None
    site_id: int | None = Field(None, description="The organisation where it was learned")
    areas: list[int] = Field(
        default_factory=list, max_length=10, description="Activity area numbers, 1 to 10"
    )
    visibility: Literal["public", "programme"] = Field(
        "programme", description="Who may read it once it is published"
    )
    review_by: date | None = Field(None, description="When to check it is still true")


def _entry_form_data(payload: LearningEntryIn) -> QueryDict:
    data = QueryDict(mutable=True)
    for name in ("title", "body", "kind", "visibility"):
        data[name] = getattr(payload, name)
    data["innovation"] = str(payload.innovation_id or "")
    data["site"] = str(payload.site_id or "")
    areas = dict(ActivityArea.objects.values_list("number", "pk"))
    unknown = [number for number in payload.areas if number not in areas]
    if unknown:
        raise field_error(["body", "payload", "areas"], "Activity areas are numbered 1 to 10")
    data.setlist("areas", [str(areas[number]) for number in payload.areas])
    if payload.review_by:
        day = payload.review_by
        for part, value in zip(
            ("day", "month", "year"), (day.day, day.month, day.year), strict=True
        ):
            data[f"review_by_{part}"] = str(value)
    return data


@router.post(
    "/programmes/{slug:slug}/learning",
    response={201: LearningEntryOut},
    url_name="api_learning_list",
)
def learning_create(request, slug: str, payload: LearningEntryIn):
    """Draft a learning entry; a lead, or a facilitator of its space, publishes it later."""
    programme = programme_for(request, slug)
    may_write(request)
    form = LearningEntryForm(_entry_form_data(payload), programme=programme)
    if not form.is_valid():
        raise FormInvalidError(form, {"innovation": "innovation_id", "site": "site_id"})
    entry = form.save_new(request.user)
    return Status(201, _entries(request, programme).get(pk=entry.pk))


class NarrativeOut(Schema):
    id: int
    innovation_id: int
    audience: str
    body: str = Field(description="Markdown")
    contributor_ids: list[int]
    updated_at: datetime
    version: int

    @staticmethod
    def resolve_contributor_ids(narrative) -> list[int]:
        return sorted(person.pk for person in narrative.contributors.all())


@router.get(
    "/programmes/{slug:slug}/narratives",
    response=page_of(NarrativeOut),
    url_name="api_narrative_list",
)
def narrative_list(request, slug: str, params: ListQuery):
    programme = programme_for(request, slug)
    narratives = Narrative.objects.filter(innovation__programme=programme).prefetch_related(
        "contributors"
    )
    return paginate(narratives, params, changed_in_history(Narrative))
