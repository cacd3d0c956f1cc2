"""The shared understanding: leads edit the words everyone in the programme reads."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from convening.access import get_programme_for_view
from convening.models import Programme

from ..access import get_programme_for_lead
from ..forms.understanding import UnderstandingForm
from . import crumbs

HISTORY_LIMIT = 50
FIELDS = (*Programme.UNDERSTANDING_FIELDS, "understanding_agreed_on", "understanding_agreed_by")


def _latest_history_id(programme: Programme) -> int | None:
    return programme.history.order_by("-history_id").values_list("history_id", flat=True).first()


@require_http_methods(["GET", "POST"])
def understanding_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_lead(request, slug)
    conflict = None
    if request.method == "POST":
        form = UnderstandingForm(request.POST, instance=programme)
        if form.is_valid():
            with transaction.atomic():
                current = Programme.objects.select_for_update().get(pk=programme.pk)
                latest = _latest_history_id(current)
                if form.cleaned_data["based_on"] in (None, latest):
                    form.save()
                    messages.success(request, "Shared understanding saved.")
                    return redirect(programme)
            conflict = current
            form.data = form.data.copy()
            form.data["based_on"] = latest
        status = 409 if conflict else 400
    else:
        form = UnderstandingForm(
            instance=programme, initial={"based_on": _latest_history_id(programme)}
        )
        status = 200
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
        status=status,
    )


def _changed_fields(record, before) -> list[str]:
    """The shared-understanding fields this history record changed (or first filled in)."""
    if before is None:
        return [field for field in FIELDS if getattr(record, field)]
    return [field for field in FIELDS if getattr(record, field) != getattr(before, field)]


@require_GET
def understanding_history(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_view(request, slug)
    records = list(
        programme.history.select_related("history_user").order_by("-history_id")[
            : HISTORY_LIMIT + 1
        ]
    )
    # The extra record is the one before the oldest shown, so its changes can be worked out.
    befores = [*records[1:], None]
    changes = [
        {"record": record, "fields": _changed_fields(record, before)}
        for record, before in list(zip(records, befores, strict=True))[:HISTORY_LIMIT]
    ]
    changes = [change for change in changes if change["fields"]]
    return render(
        request,
        "activities/understanding_history.jinja",
        {
            "programme": programme,
            "changes": changes,
            "labels": {field: Programme._meta.get_field(field).verbose_name for field in FIELDS},
            "breadcrumbs": crumbs(programme),
            "nav": "programmes",
        },
    )
