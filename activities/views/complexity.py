"""The complexity assessment: the current one and its result, the history, and a new one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from convening.access import LEAD, get_programme_for_view

from ..access import PLANNERS, get_programme_for_lead
from ..complexity import Profile, current_assessment, movements, result_for
from ..forms.complexity import AssessmentForm
from ..models import ComplexityAssessment, Domain
from . import crumbs

# Assessments are a few a year; past this many, the oldest are left off the page.
HISTORY_LIMIT = 50
# `?from=last` on the new assessment page starts the form from the current assessment.
START_FROM_LAST = "last"


@require_GET
def complexity(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_view(request, slug)
    assessments = list(
        ComplexityAssessment.objects.for_programme(programme).with_ratings()[: HISTORY_LIMIT + 1]
    )
    current = assessments[0] if assessments else None
    shown, moves = movements(assessments)
    return render(
        request,
        "activities/complexity.jinja",
        {
            "programme": programme,
            "current": current,
            "domains": Domain.choices,
            "result": result_for(programme, assessment=current),
            "previous": [(a, Profile.of(a)) for a in assessments[1:HISTORY_LIMIT]],
            "more_than_shown": len(assessments) > HISTORY_LIMIT,
            "shown": shown,
            "movements": moves,
            "can_assess": programme.my_role == LEAD,
            "can_plan": programme.my_role in PLANNERS,
            "breadcrumbs": crumbs(programme),
            "nav": "programmes",
        },
    )


@require_http_methods(["GET", "POST"])
def complexity_assess(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_lead(request, slug)
    if request.method == "POST":
        form = AssessmentForm(request.POST)
        if form.is_valid():
            form.save(programme, by=request.user)
            messages.success(request, "Assessment saved. The result below uses it.")
            return redirect("complexity", slug=programme.slug)
    last = current_assessment(programme)
    # A new assessment starts blank unless the lead asks to start from the last one, so an
    # old rating is never saved again just because nobody changed it.
    from_last = last is not None and request.GET.get("from") == START_FROM_LAST
    if request.method == "GET":
        form = AssessmentForm(initial=AssessmentForm.initial_from(last) if from_last else {})
    return render(
        request,
        "activities/complexity_form.jinja",
        {
            "programme": programme,
            "form": form,
            "last": last,
            "from_last": from_last,
            "start_from_last": START_FROM_LAST,
            "breadcrumbs": crumbs(programme, "complexity"),
            "nav": "programmes",
        },
        status=400 if form.errors else 200,
    )
