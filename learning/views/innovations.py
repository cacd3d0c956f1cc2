"""Innovations and their narratives, inside the programme: everyone in it reads them; leads
describe an innovation; leads and facilitators write what it means for each audience. Both
keep their history, and a save over someone else's change is refused with the text kept."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from convening import history
from convening.access import LEAD, can_see_contact_details, get_programme_for_roles
from convening.access import get_programme_for_view as get_programme
from convening.breadcrumbs import breadcrumbs
from convening.history import Conflict
from convening.models import Adoption, Innovation, Participant, Programme

from ..access import (
    NARRATIVE_EDITORS,
    get_innovation_for_change,
    get_innovation_for_narratives,
    get_innovation_for_view,
)
from ..forms.innovations import InnovationForm, NarrativeForm
from ..models import Audience, Narrative

# Who last saved a narrative is shown as who made the change, not as a change.
NARRATIVE_HIDDEN = ("innovation", "audience", "updated_by")
CONTRIBUTORS = "historicalnarrative_contributors_set"
# Sites counted as adopting: every stage but not started and abandoned.
NOT_ADOPTING = (Adoption.Stage.NOT_STARTED, Adoption.Stage.ABANDONED)


def _crumbs(programme: Programme, innovation: Innovation | None = None) -> list[dict]:
    return breadcrumbs(programme, "innovation_list", innovation)


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
    form = InnovationForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        innovation = form.save_new()
        messages.success(request, f"Innovation “{innovation.name}” added.")
        return redirect(innovation.get_absolute_url())
    return _innovation_form(request, programme, form, None)


@require_http_methods(["GET", "POST"])
def innovation_edit(request: HttpRequest, slug: str, innovation_slug: str) -> HttpResponse:
    programme, innovation = get_innovation_for_change(request, slug, innovation_slug)
    form = InnovationForm(request.POST or None, instance=innovation, programme=programme)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = form.save_unless_changed()
        if conflict is None:
            messages.success(request, "Innovation saved.")
            return redirect(innovation.get_absolute_url())
    return _innovation_form(request, programme, form, innovation, conflict=conflict)


def _innovation_form(
    request, programme, form, innovation, *, conflict: Conflict | None = None
) -> HttpResponse:
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
        status=409 if conflict else 400 if form.errors else 200,
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
    return render(
        request,
        "components/history_page.jinja",
        {
            "programme": programme,
            "heading": f"History of {innovation.name}",
            "caption": programme.name,
            "changes": history.changes(innovation),
            "back_url": innovation.get_absolute_url(),
            "back_text": f"Back to {innovation.name}",
            "breadcrumbs": _crumbs(programme, innovation),
            "nav": "programmes",
        },
    )


# Narratives -------------------------------------------------------------------------------------


def _audience(audience: str) -> Audience:
    if audience not in Audience.values:
        raise Http404("No such audience")
    return Audience(audience)


def _narrative(innovation: Innovation, audience: Audience) -> Narrative | None:
    return (
        Narrative.objects.filter(innovation=innovation, audience=audience)
        .select_related("updated_by")
        .first()
    )


@require_http_methods(["GET", "POST"])
def narrative_edit(
    request: HttpRequest, slug: str, innovation_slug: str, audience: str
) -> HttpResponse:
    """Write or change the narrative for one audience; the first save makes it. Someone who
    opened the page while another person saved the first version posts no version, so they
    get the conflict too, with their words kept."""
    programme, innovation = get_innovation_for_narratives(request, slug, innovation_slug)
    audience = _audience(audience)
    narrative = _narrative(innovation, audience)
    form_args = {"programme": programme, "audience_label": audience.label}
    instance = narrative or Narrative(innovation=innovation, audience=audience)
    form = NarrativeForm(request.POST or None, instance=instance, **form_args)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            conflict = form.save_for(request.user)
        except IntegrityError:
            # Another person saved the first version at the same moment: theirs stands.
            narrative = _narrative(innovation, audience)
            instance = narrative or Narrative(innovation=innovation, audience=audience)
            form = NarrativeForm(request.POST, instance=instance, **form_args)
            conflict = form.save_for(request.user) if form.is_valid() else None
        if conflict is None and not form.errors:
            messages.success(request, f"Narrative for {audience.label.lower()} saved.")
            return redirect(innovation.get_absolute_url() + f"#narrative-{audience.value}")
    return render(
        request,
        "learning/narrative_form.jinja",
        {
            "programme": programme,
            "innovation": innovation,
            "audience": audience,
            "narrative": narrative,
            "form": form,
            "conflict": conflict,
            "breadcrumbs": _crumbs(programme, innovation),
            "nav": "programmes",
        },
        status=409 if conflict else 400 if form.errors else 200,
    )


@require_GET
def narrative_history(
    request: HttpRequest, slug: str, innovation_slug: str, audience: str
) -> HttpResponse:
    """Each save of the narrative, with the words and contributors as they stood after it."""
    programme, innovation = get_innovation_for_view(request, slug, innovation_slug)
    audience = _audience(audience)
    narrative = Narrative.objects.filter(innovation=innovation, audience=audience).first()
    changes = history.changes(narrative, hidden=NARRATIVE_HIDDEN) if narrative else []
    people = {
        change.record.history_id: {
            row.participant_id for row in getattr(change.record, CONTRIBUTORS).all()
        }
        for change in changes
    }
    names = dict(
        Participant.objects.filter(pk__in=set().union(*people.values())).values_list("pk", "name")
    )
    contributors = {
        record_id: sorted(names.get(pk, "Someone removed") for pk in ids)
        for record_id, ids in people.items()
    }
    return render(
        request,
        "learning/narrative_history.jinja",
        {
            "programme": programme,
            "innovation": innovation,
            "audience": audience,
            "changes": changes,
            "contributors": contributors,
            "breadcrumbs": _crumbs(programme, innovation),
            "nav": "programmes",
        },
    )
