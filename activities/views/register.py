"""The local knowledge and disruption register (activity area 9).

Everyone in the programme reads it; its leads add, edit, close and reopen entries
(DESIGN section 5).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from convening import history
from convening.access import EVERYONE, LEAD, get_programme_for_view
from convening.exports import Table, register_table
from convening.jinja2 import render_fragment
from convening.models import Organisation, Programme
from convening.views.downloads import export_response

from ..access import get_knowledge_for_change, get_programme_for_lead
from ..forms.register import KnowledgeFilterForm, KnowledgeForm
from ..models import LocalKnowledge
from . import crumbs

LIST_TEMPLATE = "activities/knowledge_list.jinja"
ENTRIES_PER_PAGE = 50
FORM_TEMPLATE = "activities/knowledge_form.jinja"
EXPORT_HEADERS = [
    "Title",
    "Site",
    "Kind",
    "Likely impact",
    "Description",
    "Mitigation",
    "Owner",
    "Status",
    "Raised",
    "Last updated",
]
IMPACT_RANK = Case(
    When(impact=LocalKnowledge.Impact.HIGH, then=Value(0)),
    When(impact=LocalKnowledge.Impact.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
OPEN_FIRST = Case(
    When(status=LocalKnowledge.Status.OPEN, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


def in_register_order(entries: QuerySet[LocalKnowledge]) -> QuerySet[LocalKnowledge]:
    """Open before closed, then high impact first, then medium, then low; by title within."""
    return entries.order_by(OPEN_FIRST, IMPACT_RANK, "title", "pk")


def _filters(programme: Programme, query: QueryDict) -> KnowledgeFilterForm:
    sites = list(Organisation.objects.for_programme(programme).order_by("name").only("name"))
    return KnowledgeFilterForm(query, sites=sites)


def _entries(programme: Programme, filters: KnowledgeFilterForm) -> QuerySet[LocalKnowledge]:
    entries = LocalKnowledge.objects.for_programme(programme).with_related()
    return in_register_order(filters.apply(entries))


def _page_urls(list_url: str, filters: KnowledgeFilterForm, page) -> dict[str, str]:
    return {
        "previous": filters.page_url(list_url, page.number - 1) if page.has_previous() else "",
        "next": filters.page_url(list_url, page.number + 1) if page.has_next() else "",
    }


def _list_context(programme: Programme, query: QueryDict, notice: str = "") -> dict:
    filters = _filters(programme, query)
    page = Paginator(_entries(programme, filters), ENTRIES_PER_PAGE).get_page(query.get("page"))
    query_string = filters.query_string()
    list_url = reverse("knowledge_list", args=[programme.slug])
    count = page.paginator.count
    status = filters.values["status"]
    described = {"open": "open ", "closed": "closed ", "all": ""}[status]
    count_text = f"{count} {described}{'entry' if count == 1 else 'entries'}"
    if len(filters.values) > 1:
        count_text += " match the filters" if count != 1 else " matches the filters"
    shown = {"open": "Open entries", "closed": "Closed entries", "all": "Entries"}[status]
    return {
        "programme": programme,
        "filters": filters,
        "caption": f"{shown} in the local knowledge register, high impact first",
        "entries": page.object_list,
        "page": page,
        "page_urls": _page_urls(list_url, filters, page),
        "count_text": f"{count_text}.",
        "notice": notice,
        "can_change": programme.my_role == LEAD,
        "here": filters.page_url(list_url, page.number),
        "query_string": query_string,
        "breadcrumbs": crumbs(programme),
        "nav": "programmes",
    }


@require_GET
def knowledge_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_view(request, slug)
    return render(request, LIST_TEMPLATE, _list_context(programme, request.GET))


@require_GET
def knowledge_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return export_response(request, slug, fmt, "local_knowledge")


@register_table("local_knowledge", roles=EVERYONE, archive_query="status=all")
def knowledge_table(request: HttpRequest, programme: Programme) -> Table:
    return Table(
        f"{programme.slug}-local-knowledge",
        "Local knowledge",
        EXPORT_HEADERS,
        _entries(programme, _filters(programme, request.GET)),
        lambda entry: [
            entry.title,
            entry.site.name if entry.site else "Whole programme",
            entry.get_kind_display(),
            entry.get_impact_display(),
            entry.description,
            entry.mitigation,
            entry.owner.name if entry.owner else "",
            entry.get_status_display(),
            entry.created_at,
            entry.updated_at,
        ],
    )


@require_http_methods(["GET", "POST"])
def knowledge_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_lead(request, slug)
    form = KnowledgeForm(request.POST if request.method == "POST" else None, programme=programme)
    if request.method == "POST" and form.is_valid():
        entry = form.save_new(by=request.user)
        messages.success(request, f"“{entry.title}” added to the register.")
        return redirect("knowledge_list", slug=programme.slug)
    return _form_page(request, programme, form, entry=None)


@require_http_methods(["GET", "POST"])
def knowledge_edit(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    programme, entry = get_knowledge_for_change(request, slug, entry_id)
    data = request.POST if request.method == "POST" else None
    form = KnowledgeForm(data, instance=entry, programme=programme)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = form.save_unless_changed()
        if conflict is None:
            messages.success(request, f"“{entry.title}” saved.")
            return redirect("knowledge_list", slug=programme.slug)
    return _form_page(request, programme, form, entry=entry, conflict=conflict)


def _form_page(request, programme, form, *, entry, conflict=None) -> HttpResponse:
    status = 409 if conflict else 400 if form.errors else 200
    return render(
        request,
        FORM_TEMPLATE,
        {
            "programme": programme,
            "form": form,
            "entry": entry,
            # Who saved it last, said above the form; the conflict panel says it instead.
            "last_change": history.latest_change(entry) if entry and not conflict else None,
            "conflict": conflict,
            "breadcrumbs": crumbs(programme, "knowledge_list"),
            "nav": "programmes",
        },
        status=status,
    )


@require_POST
def knowledge_close(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    programme, entry = get_knowledge_for_change(request, slug, entry_id)
    entry.close()
    return _after_status_change(request, programme, f"“{entry.title}” closed.")


@require_POST
def knowledge_reopen(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    programme, entry = get_knowledge_for_change(request, slug, entry_id)
    entry.reopen()
    return _after_status_change(request, programme, f"“{entry.title}” reopened.")


def _after_status_change(request, programme: Programme, notice: str) -> HttpResponse:
    """Back to the register as it was filtered: the table alone for htmx, else the page."""
    back = _safe_next(request, programme)
    if request.htmx:
        context = _list_context(programme, QueryDict(urlsplit(back).query), notice)
        response = render_fragment(request, LIST_TEMPLATE, "register", context)
        return trigger_client_event(
            response, "convening:focus", {"target": "#register-heading"}, after="settle"
        )
    messages.success(request, notice)
    return redirect(back)


def _safe_next(request: HttpRequest, programme: Programme) -> str:
    """The register address the form came from, with its filters; never anywhere else."""
    list_url = reverse("knowledge_list", args=[programme.slug])
    back = request.POST.get("next", "")
    is_ours = url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if is_ours and urlsplit(back).path == list_url and not urlsplit(back).netloc:
        return back
    return list_url
