"""Coverage of the ten activity areas, and the items behind each of its numbers."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from markupsafe import Markup

from convening.access import EVERYONE, get_programme_for_view
from convening.exports import Table, register_table
from convening.models import Programme
from convening.views.downloads import export_response
from learning.models import LearningEntry
from spaces.models import Meeting

from ..charts import bar_chart
from ..coverage import PROGRAMME_WIDE_VISIBILITY, AreaCoverage, coverage_for, gaps, recent_since
from ..models import ActivityArea, PlannedActivity, Practice
from . import crumbs

MEETINGS_PER_PAGE = 50
ALL_TIME = "all"
RECENT = "90"


@require_GET
def coverage(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_view(request, slug)
    rows = coverage_for(programme)
    charts = [
        _chart(rows, "recent_meetings", "Meetings held in the last 90 days"),
        _chart(rows, "open_activities", "Open planned activities"),
    ]
    return render(
        request,
        "activities/coverage.jinja",
        {
            "programme": programme,
            "rows": rows,
            "gaps": gaps(rows),
            "charts": charts,
            "breadcrumbs": crumbs(programme),
            "nav": "programmes",
        },
    )


COVERAGE_HEADERS = [
    "Activity area",
    "Open activities",
    "Done activities",
    "Meetings, last 90 days",
    "Meetings, all time",
    "Learning entries",
]


@require_GET
def coverage_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return export_response(request, slug, fmt, "coverage")


@register_table("coverage", roles=EVERYONE)
def coverage_table(request: HttpRequest, programme: Programme) -> Table:
    """The coverage table: all ten areas, with zeros."""
    return Table(
        f"{programme.slug}-coverage",
        "Coverage",
        COVERAGE_HEADERS,
        coverage_for(programme),
        lambda row: [
            f"{row.number}. {row.title}",
            row.open_activities,
            row.done_activities,
            row.recent_meetings,
            row.all_meetings,
            row.learning_entries,
        ],
    )


def _chart(rows: list[AreaCoverage], number: str, heading: str) -> tuple[str, Markup]:
    """A heading and a bar chart of one of the table's columns, by area."""
    chart = bar_chart(
        [(f"{row.number}. {row.title}", getattr(row, number)) for row in rows],
        title=f"Bar chart: {heading.lower()}, by activity area",
    )
    return heading, chart


@require_GET
def coverage_area(request: HttpRequest, slug: str, area_number: int) -> HttpResponse:
    programme = get_programme_for_view(request, slug)
    area = ActivityArea.objects.with_practices().filter(number=area_number).first()
    if area is None:
        raise Http404("No such activity area")
    # Anything but "all" means the last 90 days, the default.
    period = ALL_TIME if request.GET.get("period") == ALL_TIME else RECENT
    meetings = Paginator(_meetings(programme, area, period), MEETINGS_PER_PAGE)
    activities = list(
        PlannedActivity.objects.for_programme(programme)
        .filter(area=area, status__in=(*PlannedActivity.OPEN_STATUSES, PlannedActivity.Status.DONE))
        .select_related("owner", "space")
    )
    learning = (
        LearningEntry.objects.for_programme(programme)
        .filter(areas=area, visibility__in=PROGRAMME_WIDE_VISIBILITY)
        .defer("body")
    )
    return render(
        request,
        "activities/coverage_area.jinja",
        {
            "programme": programme,
            "area": area,
            "practices": list(area.practices.all()),
            "open_activities": [activity for activity in activities if activity.is_open],
            "done_activities": [activity for activity in activities if not activity.is_open],
            "period": period,
            "meetings": meetings.get_page(request.GET.get("page")),
            "learning": list(learning),
            "breadcrumbs": crumbs(programme, "coverage"),
            "nav": "programmes",
        },
    )


def _meetings(programme, area: ActivityArea, period: str):
    """Held meetings that served one of the area's practices, newest first, each with the
    area's practices it served (prefetched)."""
    served = Meeting.practices.through.objects.filter(practice__area=area).values("meeting_id")
    meetings = (
        Meeting.objects.for_programme(programme)
        .held()
        .filter(pk__in=served)
        .select_related("space__programme")
        .defer("notes", "tensions", "decisions")  # never shown here
        .prefetch_related(
            Prefetch(
                "practices",
                queryset=Practice.objects.filter(area=area).select_related("area"),
                to_attr="area_practices",
            )
        )
        .order_by("-starts_at", "-pk")
    )
    if period == RECENT:
        since, now = recent_since()
        meetings = meetings.filter(starts_at__gte=since, starts_at__lte=now)
    return meetings
