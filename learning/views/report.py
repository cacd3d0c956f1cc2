"""The board report: a printable page for a programme's leads, over a range of dates."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from activities.access import get_programme_for_lead
from activities.charts import bar_chart
from convening.breadcrumbs import breadcrumbs

from ..adoption import STAGES, stages_chart
from ..report import ReportRangeForm, report_context


@require_GET
def board_report(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_lead(request, slug)
    form = ReportRangeForm(request.GET)
    context = {
        "programme": programme,
        "form": form,
        "breadcrumbs": breadcrumbs(programme),
        "nav": "programmes",
    }
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        report = report_context(programme, request.user, start, end)
        context.update(report, start=start, end=end, stages=STAGES, charts=_charts(report))
    return render(request, "learning/board_report.jinja", context)


def _charts(report: dict) -> dict:
    """Each chart is drawn from the same numbers as the table that follows it."""
    return {
        "coverage": bar_chart(
            [
                (f"{row.number}. {row.title}", row.recent_meetings)
                for row in report["coverage_rows"]
            ],
            title="Bar chart: meetings in the 90 days to the end of the range, by activity area",
        ),
        "adoption": stages_chart(
            report["adoption_months"], title="Chart: sites at each stage at the end of each month"
        ),
        "meetings": bar_chart(
            [(month.label, month.meetings) for month in report["meetings"].months],
            title="Bar chart: logged meetings in each month",
        ),
    }
