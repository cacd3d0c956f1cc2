"""The activity plan: planned activities grouped by the ten areas, adding and changing them,
their status, the actions from meetings that serve them, and the plan as a download."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from convening import history
from convening.access import EVERYONE, FACILITATOR, get_programme_for_view
from convening.exports import Table, register_table
from convening.jinja2 import render_fragment
from convening.models import Participant, Programme
from convening.views.downloads import export_response
from spaces.models import Action, AdaptiveSpace

from ..access import (
    PLANNERS,
    can_change_activity,
    get_activity_for_change,
    get_activity_for_view,
    get_programme_for_planning,
)
from ..complexity import activity_prefill
from ..forms.plan import (
    ActivityForm,
    ActivityStatusForm,
    LinkActionForm,
    PlanFilterForm,
    prefill,
)
from ..models import ActivityArea, Domain, PlannedActivity
from . import crumbs

PLAN_TEMPLATE = "activities/plan.jinja"
# A region's plan runs to hundreds of activities, each row with its own status form.
ACTIVITIES_PER_PAGE = 100
# Set once, when the activity is added: never a change.
HISTORY_NOT_SHOWN = ("created_by",)


def _filters(request: HttpRequest, programme: Programme, areas=None) -> PlanFilterForm:
    """The plan's filters from the query string; an owner to filter by is one who owns an
    activity of this programme."""
    owners = Participant.objects.filter(
        pk__in=PlannedActivity.objects.for_programme(programme).values("owner_id")
    ).order_by("name")
    spaces = AdaptiveSpace.objects.for_programme(programme).order_by("name")
    return PlanFilterForm.from_query(
        request.GET,
        areas=ActivityArea.objects.all() if areas is None else areas,
        owners=owners,
        spaces=spaces,
    )


def _safe_next(request: HttpRequest, programme: Programme) -> str:
    """Where to go back to after a change: a page of this programme on our site."""
    target = request.POST.get("next", "")
    if target.startswith(f"/programmes/{programme.slug}/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("plan", args=[programme.slug])


def _row_context(request: HttpRequest, programme: Programme) -> dict:
    """What a row of the plan needs, on the page and when it is sent alone."""
    return {
        "programme": programme,
        # One URL prefix for every row, not a reverse() per row: a plan may have hundreds.
        "plan_base": reverse("plan", args=[programme.slug]),
        "statuses": PlannedActivity.Status.choices,
        "can_plan": programme.my_role in PLANNERS,
    }


@require_GET
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_view(request, slug)
    areas = list(ActivityArea.objects.all())
    filters = _filters(request, programme, areas)
    matching = filters.apply(PlannedActivity.objects.for_programme(programme))
    per_area = _count_by_area(matching)
    page = _page(request, matching, sum(per_area.values()))
    activities = _with_practice_codes(list(page.object_list))
    for activity in activities:
        activity.can_change = can_change_activity(programme, activity, request.user)
    chosen = filters.values.get("area")
    in_scope = [area for area in areas if chosen is None or area.number == chosen]
    plan_url = reverse("plan", args=[programme.slug])
    return render(
        request,
        PLAN_TEMPLATE,
        {
            **_row_context(request, programme),
            "filters": filters,
            "filtered": bool(filters.values),
            "area_chosen": chosen is not None,
            "areas": _on_page(in_scope, per_area, page, activities),
            "empty_areas": [area for area in in_scope if not per_area.get(area.pk)],
            "page": page,
            "page_urls": {
                "previous": _page_url(plan_url, filters, page.number - 1),
                "next": _page_url(plan_url, filters, page.number + 1),
            },
            "count": page.paginator.count,
            "query": urlencode(filters.values),
            "next": _page_url(plan_url, filters, page.number),
            "breadcrumbs": crumbs(programme),
            "nav": "programmes",
        },
    )


def _page_url(plan_url: str, filters: PlanFilterForm, number: int) -> str:
    """A page of the plan with the same filters; the first page has no number."""
    query = urlencode({**filters.values, **({"page": number} if number > 1 else {})})
    return f"{plan_url}?{query}" if query else plan_url


def _count_by_area(activities: QuerySet) -> dict[int, int]:
    """How many of the activities are in each area that has any, in one grouped query."""
    return dict(activities.order_by().values_list("area_id").annotate(count=Count("pk")))


def _page(request: HttpRequest, activities: QuerySet, count: int) -> Page:
    """The requested page of the plan's rows, in the plan's order, with only what a row shows.

    The total comes from the count by area, so the paginator does not count again."""
    rows = (
        activities.select_related("owner", "space")
        .only(
            "title",
            "area",
            "due",
            "status",
            "created_by",
            "owner__name",
            "owner__user",
            "space__name",
        )
        .order_by("area__number", "due", "pk")
    )
    paginator = Paginator(rows, ACTIVITIES_PER_PAGE)
    paginator.count = count  # a cached property: set it and no COUNT query runs
    return paginator.get_page(request.GET.get("page"))


def _with_practice_codes(activities: list[PlannedActivity]) -> list[PlannedActivity]:
    """Give each activity its practices' codes ("3.1"), from the link table in one query."""
    links = (
        PlannedActivity.practices.through.objects.filter(
            plannedactivity_id__in=[activity.pk for activity in activities]
        )
        .order_by("practice__area__number", "practice__number")
        .values_list("plannedactivity_id", "practice__area__number", "practice__number")
    )
    codes: dict[int, list[str]] = {activity.pk: [] for activity in activities}
    for activity_id, area_number, number in links:
        codes[activity_id].append(f"{area_number}.{number}")
    for activity in activities:
        activity.practice_codes = codes[activity.pk]
    return activities


def _on_page(
    areas: list[ActivityArea], per_area: dict[int, int], page: Page, activities: list
) -> list[dict]:
    """The areas with rows on this page, each with its rows, and whether its rows began on
    an earlier page (the rows are in area order, so an area's rows are consecutive)."""
    by_area: dict[int, list[PlannedActivity]] = {}
    for activity in activities:
        by_area.setdefault(activity.area_id, []).append(activity)
    rows_before = page.start_index() - 1 if activities else 0
    sections, seen = [], 0
    for area in areas:
        if area.pk in by_area:
            rows = by_area[area.pk]
            sections.append({"area": area, "activities": rows, "continued": seen < rows_before})
        seen += per_area.get(area.pk, 0)
    return sections


@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_planning(request, slug)
    domain_prefill = activity_prefill(request.GET.get("from_domain", ""))
    if request.method == "POST":
        form = ActivityForm(request.POST, programme=programme)
        if form.is_valid():
            from_domain = domain_prefill["from_domain"] if domain_prefill else ""
            activity = form.save_new(by=request.user, from_domain=from_domain)
            messages.success(request, f"Activity “{activity.title}” added to the plan.")
            return redirect(activity.get_absolute_url())
        status = 400
    else:
        initial = prefill(area_number=request.GET.get("area"), domain_prefill=domain_prefill)
        if programme.my_role == FACILITATOR:
            mine = Participant.objects.filter(programme=programme, user=request.user).first()
            initial["owner"] = mine.pk if mine else None
        form = ActivityForm(programme=programme, initial=initial)
        status = 200
    prefilled_from = Domain(domain_prefill["from_domain"]).label if domain_prefill else ""
    return _activity_form(
        request, programme, form, None, status=status, prefilled_from=prefilled_from
    )


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, slug: str, activity_id: int) -> HttpResponse:
    programme, activity = get_activity_for_change(request, slug, activity_id)
    data = request.POST if request.method == "POST" else None
    form = ActivityForm(data, instance=activity, programme=programme)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = form.save_unless_changed()
        if conflict is None:
            messages.success(request, "Activity saved.")
            return redirect(activity.get_absolute_url())
    status = 409 if conflict else 400 if form.errors else 200
    return _activity_form(request, programme, form, activity, status=status, conflict=conflict)


def _activity_form(
    request, programme, form, activity, *, status: int, conflict=None, prefilled_from=""
):
    return render(
        request,
        "activities/activity_form.jinja",
        {
            "programme": programme,
            "form": form,
            "activity": activity,
            "conflict": conflict,
            "prefilled_from": prefilled_from,
            "breadcrumbs": crumbs(programme, "plan"),
            "nav": "programmes",
        },
        status=status,
    )


@require_GET
def activity_detail(request: HttpRequest, slug: str, activity_id: int) -> HttpResponse:
    programme, activity = get_activity_for_view(request, slug, activity_id)
    return render(
        request, "activities/activity_detail.jinja", _detail_context(request, programme, activity)
    )


def _detail_context(request, programme, activity, link_form=None) -> dict:
    can_change = can_change_activity(programme, activity, request.user)
    actions = list(
        Action.objects.filter(planned_activity=activity)
        .select_related("owner", "meeting__space")
        .order_by("status", "due", "pk")
    )
    if can_change and link_form is None:
        link_form = LinkActionForm(programme=programme)
    return {
        "programme": programme,
        "activity": activity,
        "can_change": can_change,
        "statuses": PlannedActivity.Status.choices,
        "from_domain": Domain(activity.from_domain).label
        if activity.from_domain in Domain.values
        else "",
        "actions": actions,
        "link_form": link_form if can_change else None,
        "form": link_form if can_change else None,  # the page title says "Error:" on failure
        "changes": history.changes(activity, hidden=HISTORY_NOT_SHOWN),
        "breadcrumbs": crumbs(programme, "plan"),
        "nav": "programmes",
    }


@require_POST
def activity_status(request: HttpRequest, slug: str, activity_id: int) -> HttpResponse:
    programme, activity = get_activity_for_change(request, slug, activity_id)
    form = ActivityStatusForm(request.POST)
    if form.is_valid():
        activity.change_status(form.cleaned_data["status"])
        notice = f"“{activity.title}” is now {activity.get_status_display().lower()}."
    else:
        notice = form.errors["status"][0]
    if request.htmx:
        activity.can_change = True
        activity.practice_codes = [practice.code for practice in activity.practices.all()]
        context = {
            **_row_context(request, programme),
            "activity": activity,
            "next": _safe_next(request, programme),
            "notice": notice,
        }
        response = render_fragment(
            request, PLAN_TEMPLATE, "activity_row", context, status=200 if form.is_valid() else 422
        )
        target = {"target": f"#status-button-{activity.pk}"}
        return trigger_client_event(response, "convening:focus", target, after="settle")
    if form.is_valid():
        messages.success(request, notice)
    else:
        messages.error(request, notice)
    return redirect(_safe_next(request, programme))


@require_POST
def activity_link_action(request: HttpRequest, slug: str, activity_id: int) -> HttpResponse:
    programme, activity = get_activity_for_change(request, slug, activity_id)
    form = LinkActionForm(request.POST, programme=programme)
    if not form.is_valid():
        context = _detail_context(request, programme, activity, link_form=form)
        return render(request, "activities/activity_detail.jinja", context, status=400)
    action = form.cleaned_data["action"]
    action.planned_activity = activity
    action.save(update_fields=["planned_activity"])
    messages.success(request, f"“{action.title}” now serves this activity.")
    return redirect(activity.get_absolute_url() + "#actions")


@require_POST
def activity_unlink_action(
    request: HttpRequest, slug: str, activity_id: int, action_id: int
) -> HttpResponse:
    _programme, activity = get_activity_for_change(request, slug, activity_id)
    action = Action.objects.filter(planned_activity=activity, pk=action_id).first()
    if action is None:
        raise Http404("No such action serves this activity")
    action.planned_activity = None
    action.save(update_fields=["planned_activity"])
    messages.success(request, f"“{action.title}” no longer serves this activity.")
    return redirect(activity.get_absolute_url() + "#actions")


# Download -----------------------------------------------------------------------------------

EXPORT_HEADERS = (
    "Area",
    "Practices",
    "Title",
    "Description",
    "Owner",
    "Space",
    "Due",
    "Status",
    "Linked actions",
    "Last updated",
)


@require_GET
def plan_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return export_response(request, slug, fmt, "activity_plan")


@register_table("activity_plan", roles=EVERYONE)
def plan_table(request: HttpRequest, programme: Programme) -> Table:
    activities = _filters(request, programme).apply(
        PlannedActivity.objects.for_programme(programme)
        .with_related()
        .prefetch_related(Prefetch("actions", queryset=Action.objects.order_by("status", "pk")))
    )
    return Table(
        f"{programme.slug}-activity-plan", "Activity plan", EXPORT_HEADERS, activities, _export_row
    )


def _export_row(activity: PlannedActivity) -> list[str | datetime | None]:
    return [
        str(activity.area),
        ", ".join(practice.code for practice in activity.practices.all()),
        activity.title,
        activity.description,
        activity.owner.name if activity.owner else "",
        activity.space.name if activity.space else "",
        activity.due,
        activity.get_status_display(),
        "; ".join(
            f"{action.title} ({action.get_status_display().lower()})"
            for action in activity.actions.all()
        ),
        activity.updated_at,
    ]
