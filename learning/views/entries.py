"""Learning entries inside a programme: the learning log, writing and editing an entry, and
publishing it.

Everyone in the programme drafts; leads publish any entry and facilitators publish learning from
the spaces they facilitate (DESIGN section 5). Space-only entries are for the space's members
and the programme's leads.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from activities.models import ActivityArea
from convening.access import get_programme_for_view
from convening.breadcrumbs import breadcrumbs
from convening.history import Conflict, latest_change
from convening.jinja2 import render_fragment
from convening.models import Innovation, Organisation, Programme

from ..access import (
    can_edit,
    can_publish,
    get_entry_for_change,
    get_entry_for_publishing,
    get_entry_for_view,
)
from ..forms.entries import LearningEntryForm, LearningFilterForm
from ..models import LearningEntry

LOG_TEMPLATE = "learning/learning_log.jinja"
FORM_TEMPLATE = "learning/learning_form.jinja"
DETAIL_TEMPLATE = "learning/learning_detail.jinja"
ENTRIES_PER_PAGE = 50


def crumbs(programme: Programme, *, log: bool = False) -> list[dict[str, str]]:
    return breadcrumbs(programme, "learning_log" if log else None)


def _areas_in_order() -> Prefetch:
    return Prefetch("areas", queryset=ActivityArea.objects.order_by("number"))


# The learning log ------------------------------------------------------------------------------


def _filters(programme: Programme, query: QueryDict) -> LearningFilterForm:
    return LearningFilterForm(
        query,
        areas=list(ActivityArea.objects.order_by("number").only("number", "title")),
        innovations=list(
            Innovation.objects.filter(programme=programme).order_by("name").only("name", "slug")
        ),
        sites=list(Organisation.objects.for_programme(programme).order_by("name").only("name")),
    )


def _entries(request: HttpRequest, programme: Programme, filters) -> QuerySet[LearningEntry]:
    entries = (
        LearningEntry.objects.readable_by(programme, request.user)
        .with_attribution()
        .select_related("innovation", "site", "author", "source_meeting__space")
        .prefetch_related(_areas_in_order())
    )
    return filters.apply(entries)


@require_GET
def learning_log(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_view(request, slug)
    filters = _filters(programme, request.GET)
    page = Paginator(_entries(request, programme, filters), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    log_url = reverse("learning_log", args=[programme.slug])
    count = page.paginator.count
    count_text = f"{count} {'entry' if count == 1 else 'entries'}"
    if filters.values:
        count_text += " match" if count != 1 else " matches"
        count_text += " the search and filters" if "q" in filters.values else " the filters"
    return render(
        request,
        LOG_TEMPLATE,
        {
            "programme": programme,
            "filters": filters,
            "entries": page.object_list,
            "page": page,
            "previous_url": filters.page_url(log_url, page.number - 1)
            if page.has_previous()
            else "",
            "next_url": filters.page_url(log_url, page.number + 1) if page.has_next() else "",
            "count_text": f"{count_text}.",
            "export_query": filters.query_string(),
            "breadcrumbs": crumbs(programme),
            "nav": "programmes",
        },
    )


# Writing and editing ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def learning_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_view(request, slug)  # everyone in the programme drafts
    data = request.POST if request.method == "POST" else None
    form = LearningEntryForm(data, programme=programme)
    if request.method == "POST" and form.is_valid():
        entry = form.save_new(by=request.user)
        messages.success(request, f"“{entry.title}” saved as a draft.")
        return redirect("learning_detail", slug=programme.slug, entry_id=entry.pk)
    return _form_page(request, programme, form, entry=None)


@require_http_methods(["GET", "POST"])
def learning_edit(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    programme, entry = get_entry_for_change(request, slug, entry_id)
    form = LearningEntryForm(request.POST or None, instance=entry, programme=programme)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = form.save_unless_changed()
        if conflict is None:
            messages.success(request, f"“{entry.title}” saved.")
            return redirect("learning_detail", slug=programme.slug, entry_id=entry.pk)
    return _form_page(request, programme, form, entry=entry, conflict=conflict)


def _form_page(
    request, programme, form, *, entry, conflict: Conflict | None = None
) -> HttpResponse:
    return render(
        request,
        FORM_TEMPLATE,
        {
            "programme": programme,
            "form": form,
            "entry": entry,
            "last_change": latest_change(entry) if entry and not conflict else None,
            "conflict": conflict,
            "breadcrumbs": crumbs(programme, log=True),
            "nav": "programmes",
        },
        status=409 if conflict else 400 if form.errors else 200,
    )


# Reading and publishing ------------------------------------------------------------------------


def _detail_context(request: HttpRequest, programme: Programme, entry: LearningEntry) -> dict:
    return {
        "programme": programme,
        "entry": entry,
        "areas": list(entry.areas.order_by("number")),
        "may_edit": can_edit(programme, entry, request.user),
        "may_publish": can_publish(programme, entry, request.user),
        "breadcrumbs": crumbs(programme, log=True),
        "nav": "programmes",
    }


@require_GET
def learning_detail(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    programme, entry = get_entry_for_view(request, slug, entry_id)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, programme, entry))


@require_POST
def learning_publish(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    programme, entry = get_entry_for_publishing(request, slug, entry_id)
    entry.publish()
    return _after_status_change(request, programme, entry, f"“{entry.title}” is published.")


@require_POST
def learning_unpublish(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    programme, entry = get_entry_for_publishing(request, slug, entry_id)
    entry.unpublish()
    notice = f"“{entry.title}” is unpublished and back to a draft."
    return _after_status_change(request, programme, entry, notice)


def _after_status_change(request, programme, entry: LearningEntry, notice: str) -> HttpResponse:
    """The status block alone for htmx, announced in the live region; else back to the entry."""
    if request.htmx:
        context = {**_detail_context(request, programme, entry), "notice": notice}
        response = render_fragment(request, DETAIL_TEMPLATE, "status_block", context)
        return trigger_client_event(
            response, "convening:focus", {"target": "#status-heading"}, after="settle"
        )
    messages.success(request, notice)
    return redirect("learning_detail", slug=programme.slug, entry_id=entry.pk)
