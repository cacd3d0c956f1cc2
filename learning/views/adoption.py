"""The adoption tracker: each site's stage with each innovation, how that changed over the last
twelve months, recording a stage change, and the timeline of one site with one innovation.

Everyone in the programme reads them; leads and facilitators record stage changes (DESIGN
section 5).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from convening.access import get_programme_for_view
from convening.breadcrumbs import breadcrumbs
from convening.models import Adoption, Innovation, Programme

from ..access import ADOPTION_EDITORS, get_adoption_for_view, get_programme_for_adoption_change
from ..adoption import STAGES, programme_stages_over_time, stages_chart
from ..forms.adoption import StageChangeForm, TrackerFilterForm


def crumbs(programme: Programme, *, tracker: bool = False) -> list[dict[str, str]]:
    return breadcrumbs(programme, "adoption_tracker" if tracker else None)


def record_url(programme: Programme, innovation: str = "", site: int | None = None) -> str:
    """The stage change form, prefilled with the innovation (slug) and site when given."""
    query = {key: value for key, value in (("innovation", innovation), ("site", site)) if value}
    url = reverse("adoption_record", args=[programme.slug])
    return f"{url}?{urlencode(query)}" if query else url


@require_GET
def adoption_tracker(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_view(request, slug)
    innovations = list(Innovation.objects.filter(programme=programme).only("name", "slug"))
    filters = TrackerFilterForm(request.GET, innovations=innovations)
    adoptions = Adoption.objects.for_programme(programme)
    if filters.chosen:
        innovations = [i for i in innovations if i.slug == filters.chosen]
        adoptions = adoptions.filter(innovation__slug=filters.chosen)
    cells: dict[tuple[int, int], Adoption] = {}
    sites = {}
    for adoption in adoptions.select_related("organisation").order_by("organisation__name"):
        cells[adoption.organisation_id, adoption.innovation_id] = adoption
        sites[adoption.organisation_id] = adoption.organisation
    months = programme_stages_over_time(adoptions, timezone.localdate())
    return render(
        request,
        "learning/adoption_tracker.jinja",
        {
            "programme": programme,
            "filters": filters,
            "innovations": innovations,
            "sites": list(sites.values()),
            "cells": cells,
            "not_tracked": Adoption.NOT_TRACKED_TAG,
            "stages": STAGES,
            "months": months,
            "changes_recorded": any(month.total for month in months),
            "chart": stages_chart(months, title="Sites at each stage at the end of each month"),
            "can_change": programme.my_role in ADOPTION_EDITORS,
            "record_url": record_url(programme, filters.chosen),
            "export_query": urlencode({"innovation": filters.chosen}) if filters.chosen else "",
            "record_url_for": lambda innovation, site: record_url(programme, innovation, site),
            "breadcrumbs": crumbs(programme),
            "nav": "programmes",
        },
    )


@require_http_methods(["GET", "POST"])
def adoption_record(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_adoption_change(request, slug)
    if request.method == "POST":
        form = StageChangeForm(request.POST, programme=programme)
        if form.is_valid():
            adoption = form.save(by=request.user)
            messages.success(
                request,
                f"Stage change recorded: {adoption.organisation.name} is at "
                f"“{adoption.get_stage_display()}” with {adoption.innovation.name}.",
            )
            return redirect("adoption_timeline", slug=programme.slug, adoption_id=adoption.pk)
    else:
        initial = {key: request.GET.get(key, "") for key in ("innovation", "site")}
        form = StageChangeForm(initial=initial, programme=programme)
    return render(
        request,
        "learning/adoption_record.jinja",
        {
            "programme": programme,
            "form": form,
            "breadcrumbs": crumbs(programme, tracker=True),
            "nav": "programmes",
        },
        status=400 if form.errors else 200,
    )


@require_GET
def adoption_timeline(request: HttpRequest, slug: str, adoption_id: int) -> HttpResponse:
    programme, adoption = get_adoption_for_view(request, slug, adoption_id)
    events = adoption.events.select_related("recorded_by").order_by("-date", "-recorded_at", "-pk")
    return render(
        request,
        "learning/adoption_timeline.jinja",
        {
            "programme": programme,
            "adoption": adoption,
            "events": list(events),
            "can_change": programme.my_role in ADOPTION_EDITORS,
            "record_url": record_url(programme, adoption.innovation.slug, adoption.organisation_id),
            "breadcrumbs": crumbs(programme, tracker=True),
            "nav": "programmes",
        },
    )
