"""The shared understanding: leads edit the words everyone in the programme reads."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from convening import history
from convening.access import get_programme_for_view
from convening.models import Programme

from ..access import get_programme_for_lead
from ..forms.understanding import UnderstandingForm
from . import crumbs

FIELDS = (*Programme.UNDERSTANDING_FIELDS, "understanding_agreed_on", "understanding_agreed_by")
# The programme's other details have their own history page (programme_history).
NOT_UNDERSTANDING = tuple(
    field.name for field in Programme._meta.concrete_fields if field.name not in FIELDS
)


@require_http_methods(["GET", "POST"])
def understanding_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_lead(request, slug)
    form = UnderstandingForm(request.POST if request.method == "POST" else None, instance=programme)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = form.save_unless_changed()
        if conflict is None:
            messages.success(request, "Shared understanding saved.")
            return redirect(programme)
    return render(
        request,
        "activities/understanding_form.jinja",
        {
            "programme": programme,
            "form": form,
            "conflict": conflict,
            "breadcrumbs": crumbs(programme),
            "nav": "programmes",
        },
        status=409 if conflict else 400 if form.errors else 200,
    )


@require_GET
def understanding_history(request: HttpRequest, slug: str) -> HttpResponse:
    """Each save that changed the shared understanding, with the words as they stood after it."""
    programme = get_programme_for_view(request, slug)
    names = {history.label(Programme, name): name for name in FIELDS}
    changes = []
    for change in history.changes(programme, hidden=NOT_UNDERSTANDING):
        if change.added:  # the words the programme was created with, if any
            fields = [name for name in FIELDS if getattr(change.record, name)]
        else:
            fields = [names[text] for text in change.fields]
        if fields:
            changes.append({"record": change.record, "fields": fields})
    return render(
        request,
        "activities/understanding_history.jinja",
        {
            "programme": programme,
            "changes": changes,
            "labels": {name: label for label, name in names.items()},
            "breadcrumbs": crumbs(programme),
            "nav": "programmes",
        },
    )
