"""Innovations and their narratives, inside the programme: everyone in it reads them; leads
describe an innovation; leads and facilitators write what it means for each audience. Both
keep their history, and a save over someone else's change is refused with the text kept."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from convening.access import LEAD, can_see_contact_details, get_programme_for_roles
from convening.access import get_programme_for_view as get_programme
from convening.models import Adoption, Innovation, Participant, Programme

from ..access import (
    NARRATIVE_EDITORS,
    get_innovation_for_change,
    get_innovation_for_narratives,
    get_innovation_for_view,
)
from ..forms.innovations import InnovationForm, NarrativeForm
from ..models import Audience, Narrative

HISTORY_LIMIT = 50
# A save writes a record for the fields, then one for each change to its people; enough
# records for the last 50 saves.
HISTORY_RECORDS = 200
INNOVATION_FIELDS = {
    "name": "Name",
    "summary": "Summary",
    "innovator_organisation_id": "Innovator organisation",
    "evidence_summary": "Evidence",
    "core_components": "Core components",
    "adaptable_elements": "Adaptable elements",
}
CONFLICT = (
    "Someone else changed this {what} while you were editing it. Your changes are below and "
    "have not been saved: check them against the {what}'s page, then save again."
)
# Sites counted as adopting: every stage but not started and abandoned.
NOT_ADOPTING = (Adoption.Stage.NOT_STARTED, Adoption.Stage.ABANDONED)


def _crumbs(programme: Programme, innovation: Innovation | None = None) -> list[dict]:
    trail = [
        {"href": reverse("programme_list"), "text": "Programmes"},
        {"href": programme.get_absolute_url(), "text": programme.name},
        {"href": reverse("innovation_list", args=[programme.slug]), "text": "Innovations"},
    ]
    if innovation is not None:
        trail.append({"href": innovation.get_absolute_url(), "text": innovation.name})
    return trail


@require_GET
def innovation_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme(request, slug)
    innovations = (
        Innovation.objects.filter(programme=programme)
        .select_related("innovator_organisation")
        .only("name", "slug", "summary", "innovator_organisation__name")
        .annotate(adopting=Count("adoptions", filter=~Q(adoptions__stage__in=NOT_ADOPTING)))
        .order_by("name", "pk")
    )
    return render(
        request,
        "learning/innovation_list.jinja",
        {
            "programme": programme,
            "innovations": list(innovations),
            "can_change": programme.my_role == LEAD,
            "base_url": reverse("innovation_list", args=[programme.slug]),
            "breadcrumbs": _crumbs(programme)[:2],
            "nav": "programmes",
        },
    )


@require_http_methods(["GET", "POST"])
def innovation_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_roles(request, slug, (LEAD,))
    if request.method == "POST":
        form = InnovationForm(request.POST, programme=programme)
        if form.is_valid():
            innovation = form.save_new()
            messages.success(request, f"Innovation “{innovation.name}” added.")
            return redirect(innovation.get_absolute_url())
        status = 400
    else:
        form, status = InnovationForm(programme=programme), 200
    return _innovation_form(request, programme, form, None, status=status)


@require_http_methods(["GET", "POST"])
def innovation_edit(request: HttpRequest, slug: str, innovation_slug: str) -> HttpResponse:
    programme, innovation = get_innovation_for_change(request, slug, innovation_slug)
    if request.method == "POST":
        form = InnovationForm(request.POST, instance=innovation, programme=programme)
        if form.is_valid():
            if _save_unless_changed_meanwhile(form, Innovation, innovation.pk):
                messages.success(request, "Innovation saved.")
                return redirect(innovation.get_absolute_url())
            return _innovation_form(request, programme, form, innovation, status=409)
        status = 400
    else:
        form, status = InnovationForm(instance=innovation, programme=programme), 200
    return _innovation_form(request, programme, form, innovation, status=status)


def _save_unless_changed_meanwhile(form, model, pk: int | None) -> bool:
    """Save the form, unless the object changed since the form was read; then send the new
    time back with the form, so that saving again (after checking) goes through."""
    with transaction.atomic():
        current = None
        if pk is not None:
            current = (
                model.objects.select_for_update()
                .filter(pk=pk)
                .values_list("updated_at", flat=True)
                .first()
            )
        if current is not None and form.cleaned_data.get("based_on") != current.isoformat():
            form.data = form.data.copy()
            form.data["based_on"] = current.isoformat()
            return False
        saved = form.save(commit=False)
        saved.updated_at = timezone.now()
        saved.save()
        form.save_m2m()
    return True


def _innovation_form(request, programme, form, innovation, *, status: int) -> HttpResponse:
    conflict = CONFLICT.format(what="innovation") if status == 409 else ""
    return render(
        request,
        "learning/innovation_form.jinja",
        {
            "programme": programme,
            "innovation": innovation,
            "form": form,
            "conflict": conflict,
            "breadcrumbs": _crumbs(programme, innovation),
            "nav": "programmes",
        },
        status=status,
    )


@require_GET
def innovation_detail(request: HttpRequest, slug: str, innovation_slug: str) -> HttpResponse:
    programme, innovation = get_innovation_for_view(request, slug, innovation_slug)
    contacts = innovation.innovator_contacts.select_related("organisation").order_by("name")
    narratives = {
        narrative.audience: narrative
        for narrative in Narrative.objects.filter(innovation=innovation)
        .select_related("updated_by")
        .prefetch_related(
            Prefetch("contributors", queryset=Participant.objects.only("name").order_by("name"))
        )
    }
    adoptions = (
        Adoption.objects.filter(innovation=innovation)
        .select_related("organisation")
        .only("stage", "updated_at", "organisation__name")
        .order_by("organisation__name", "pk")
    )
    return render(
        request,
        "learning/innovation_detail.jinja",
        {
            "programme": programme,
            "innovation": innovation,
            "contacts": list(contacts),
            "show_contact_details": can_see_contact_details(programme),
            "audiences": [(audience, narratives.get(audience.value)) for audience in Audience],
            "adoptions": list(adoptions),
            "is_lead": programme.my_role == LEAD,
            "writes_narratives": programme.my_role in NARRATIVE_EDITORS,
            "breadcrumbs": _crumbs(programme),
            "nav": "programmes",
        },
    )


@require_GET
def innovation_history(request: HttpRequest, slug: str, innovation_slug: str) -> HttpResponse:
    programme, innovation = get_innovation_for_view(request, slug, innovation_slug)
    records = innovation.history.select_related("history_user").prefetch_related(
        "historicalinnovation_innovator_contacts_set"
    )
    changes = _saves(records, "historicalinnovation_innovator_contacts_set")
    for change in changes:
        before, record = change["before"], change["record"]
        change["fields"] = [] if before is None else _changed_labels(before, record)
        if before is not None and change["people"] != _people(before, change["people_set"]):
            change["fields"].append("Innovator contacts")
    return render(
        request,
        "learning/innovation_history.jinja",
        {
            "programme": programme,
            "innovation": innovation,
            "changes": changes,
            "breadcrumbs": _crumbs(programme, innovation),
            "nav": "programmes",
        },
    )


def _saves(records, people_set: str) -> list[dict]:
    """The latest saves, newest first (two queries): each save's last record, the record
    before the save, and the ids of the people it named.

    Saving a form writes a record for the fields, then one for each change to its people;
    every record of one save has the same `updated_at`, so they are shown as one."""
    records = list(records.order_by("-history_id")[:HISTORY_RECORDS])
    records.reverse()
    saves: list[dict] = []
    for record in records:
        if saves and record.updated_at == saves[-1]["record"].updated_at:
            saves[-1]["record"] = record
            continue
        before = saves[-1]["record"] if saves else None
        saves.append({"first": record, "record": record, "before": before})
    changes = []
    for save in reversed(saves):
        added = save["first"].history_type == "+"
        if save["before"] is None and not added:
            continue  # the oldest of a long history, kept only to compare the next one with
        save.update(added=added, people_set=people_set, people=_people(save["record"], people_set))
        changes.append(save)
    return changes[:HISTORY_LIMIT]


def _people(record, people_set: str) -> set[int]:
    return {row.participant_id for row in getattr(record, people_set).all()}


def _changed_labels(before, record) -> list[str]:
    return [
        label
        for field, label in INNOVATION_FIELDS.items()
        if getattr(before, field) != getattr(record, field)
    ]


# Narratives -------------------------------------------------------------------------------------


def _audience(audience: str) -> Audience:
    if audience not in Audience.values:
        raise Http404("No such audience")
    return Audience(audience)


@require_http_methods(["GET", "POST"])
def narrative_edit(
    request: HttpRequest, slug: str, innovation_slug: str, audience: str
) -> HttpResponse:
    programme, innovation = get_innovation_for_narratives(request, slug, innovation_slug)
    audience = _audience(audience)
    narrative = (
        Narrative.objects.filter(innovation=innovation, audience=audience)
        .select_related("updated_by")
        .first()
    )
    form_args = {"programme": programme, "audience_label": audience.label}
    if request.method == "POST":
        form = NarrativeForm(request.POST, instance=narrative, **form_args)
        if form.is_valid():
            if _save_narrative(form, innovation, audience, request.user):
                messages.success(request, f"Narrative for {audience.label.lower()} saved.")
                return redirect(innovation.get_absolute_url() + f"#narrative-{audience.value}")
            status = 409
        else:
            status = 400
    else:
        form, status = NarrativeForm(instance=narrative, **form_args), 200
    return render(
        request,
        "learning/narrative_form.jinja",
        {
            "programme": programme,
            "innovation": innovation,
            "audience": audience,
            "narrative": narrative,
            "form": form,
            "conflict": CONFLICT.format(what="narrative") if status == 409 else "",
            "breadcrumbs": _crumbs(programme, innovation),
            "nav": "programmes",
        },
        status=status,
    )


def _save_narrative(form: NarrativeForm, innovation: Innovation, audience, user) -> bool:
    """Save the narrative, making it on its first save. Someone who started from an empty
    page while another person saved the first version gets the conflict too."""
    values = {
        "body": form.cleaned_data["body"],
        "updated_by": user,
        "updated_at": timezone.now(),
    }
    with transaction.atomic():
        narrative, created = Narrative.objects.select_for_update().get_or_create(
            innovation=innovation, audience=audience, defaults=values
        )
        if not created:
            based_on = form.cleaned_data.get("based_on") or ""
            if based_on != narrative.updated_at.isoformat():
                form.data = form.data.copy()
                form.data["based_on"] = narrative.updated_at.isoformat()
                return False
            for name, value in values.items():
                setattr(narrative, name, value)
            narrative.save()
        narrative.contributors.set(form.cleaned_data["contributors"])
    return True


@require_GET
def narrative_history(
    request: HttpRequest, slug: str, innovation_slug: str, audience: str
) -> HttpResponse:
    programme, innovation = get_innovation_for_view(request, slug, innovation_slug)
    audience = _audience(audience)
    people_set = "historicalnarrative_contributors_set"
    records = (
        Narrative.history.filter(innovation_id=innovation.pk, audience=audience)
        .select_related("history_user")
        .prefetch_related(people_set)
    )
    changes = _saves(records, people_set)
    names = dict(
        Participant.objects.filter(
            pk__in={pk for change in changes for pk in change["people"]}
        ).values_list("pk", "name")
    )
    for change in changes:
        change["contributors"] = sorted(names.get(pk, "Someone removed") for pk in change["people"])
    return render(
        request,
        "learning/narrative_history.jinja",
        {
            "programme": programme,
            "innovation": innovation,
            "audience": audience,
            "changes": changes,
            "breadcrumbs": _crumbs(programme, innovation),
            "nav": "programmes",
        },
    )
