"""The board report: a printable account of a programme over a date range (DESIGN section 14).

It gathers what the other pages compute (the complexity match, coverage, the adoption curve)
measured up to the end of the range, and adds the meetings held in the range. A fixed number of
queries, whatever the size of the programme: every list is either an aggregate or cut short.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django import forms
from django.db.models import Count, Q
from django.utils import timezone

from activities.complexity import result_for
from activities.coverage import coverage_for, gaps
from activities.models import LocalKnowledge, PlannedActivity
from convening.forms import NhsDateField
from convening.models import Adoption, Programme
from spaces.models import Action, Attendance, Meeting

from .adoption import month_ends, programme_events, stages_over_time
from .models import LearningEntry

DEFAULT_DAYS = 365
MAX_MONTHS = 36  # the adoption curve and the meetings by month, one row a month
LEARNING_SHOWN = 10
RISKS_SHOWN = 20


class ReportRangeForm(forms.Form):
    """The report's dates, read from its address. Left empty, the last 12 months."""

    start = NhsDateField(label="From", required=False, help_text="For example 1 4 2026")
    end = NhsDateField(label="To", required=False, help_text="For example 31 3 2027")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        today = timezone.localdate()
        end = cleaned.get("end") or today
        start = cleaned.get("start") or end - datetime.timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            self.add_error("start", "The start date must be on or before the end date")
        elif months_between(start, end) > MAX_MONTHS:
            self.add_error("start", f"Choose a range of at most {MAX_MONTHS // 12} years")
        cleaned["start"], cleaned["end"] = start, end
        return cleaned


def months_between(start: datetime.date, end: datetime.date) -> int:
    """How many calendar months the range touches, both ends included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class MeetingMonth:
    """Logged meetings in one month of the range, and how many crossed boundaries."""

    month: datetime.date  # its first day
    meetings: int = 0
    crossing: int = 0
    attendances: int = 0

    @property
    def label(self) -> str:
        return f"{self.month:%B %Y}"


@dataclass(frozen=True)
class MeetingSummary:
    meetings: int
    crossing: int
    attendances: int
    people: int
    organisations: int
    sectors: int
    months: list[MeetingMonth]

    @property
    def crossing_percent(self) -> int | None:
        return round(100 * self.crossing / self.meetings) if self.meetings else None


def meetings_in_range(
    programme: Programme, start: datetime.date, end: datetime.date
) -> MeetingSummary:
    """Logged meetings in the range, month by month, counted as the complexity match counts
    them: crossing boundaries when the people who attended came from more than one
    organisation and more than one sector. Two queries."""
    attended = Q(attendances__status=Attendance.Status.ATTENDED)
    in_range = Meeting.objects.logged().filter(
        space__programme=programme,
        starts_at__gte=start_of_day(start),
        starts_at__lte=end_of_day(end),
    )
    # One row a meeting: a programme holds a few hundred a year at most, and the counts by
    # month need each meeting's local date.
    rows = (
        in_range.order_by()
        .annotate(
            organisations=Count(
                "attendances__participant__organisation", filter=attended, distinct=True
            ),
            sectors=Count(
                "attendances__participant__organisation__sector", filter=attended, distinct=True
            ),
            attendees=Count("attendances", filter=attended, distinct=True),
        )
        .values_list("starts_at", "organisations", "sectors", "attendees")
    )
    by_month: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for starts_at, organisations, sectors, attendees in rows:
        month = timezone.localtime(starts_at).date().replace(day=1)
        by_month[month][0] += 1
        by_month[month][1] += organisations > 1 and sectors > 1
        by_month[month][2] += attendees
    months = [
        MeetingMonth(end_day.replace(day=1), *by_month.get(end_day.replace(day=1), (0, 0, 0)))
        for end_day in month_ends(end, months_between(start, end))
    ]
    totals = Attendance.objects.filter(
        meeting__in=in_range, status=Attendance.Status.ATTENDED
    ).aggregate(
        people=Count("participant", distinct=True),
        organisations=Count("participant__organisation", distinct=True),
        sectors=Count("participant__organisation__sector", distinct=True),
    )
    return MeetingSummary(
        meetings=sum(month.meetings for month in months),
        crossing=sum(month.crossing for month in months),
        attendances=sum(month.attendances for month in months),
        months=months,
        **totals,
    )


def top_learning(programme: Programme, user, start: datetime.date, end: datetime.date) -> list:
    """The most recently published learning in the range that the user may read, with
    `author_may_be_named` (never for learning from a Chatham House space)."""
    return list(
        LearningEntry.objects.readable_by(programme, user)
        .published()
        .filter(published_at__gte=start_of_day(start), published_at__lte=end_of_day(end))
        .with_attribution()
        .select_related("author", "site", "source_meeting__space")
        .order_by("-published_at", "-pk")[:LEARNING_SHOWN]
    )


def open_risks(programme: Programme) -> dict:
    """As of today: open high-impact local knowledge, and open actions and planned
    activities past their due date. Each list is cut short; the counts are whole."""
    today = timezone.localdate()
    overdue_actions = Action.objects.filter(programme=programme, due__lt=today).open()
    overdue_activities = (
        PlannedActivity.objects.for_programme(programme).open().filter(due__lt=today)
    )
    risks = LocalKnowledge.objects.for_programme(programme).open().high_impact()
    return {
        "high_risks": list(risks.with_related().order_by("-updated_at", "pk")[:RISKS_SHOWN]),
        "high_risk_count": risks.count(),
        "overdue_actions": list(
            overdue_actions.select_related("owner", "meeting__space").order_by("due", "pk")[
                :RISKS_SHOWN
            ]
        ),
        "overdue_action_count": overdue_actions.count(),
        "overdue_activities": list(
            overdue_activities.select_related("owner").order_by("due", "pk")[:RISKS_SHOWN]
        ),
        "overdue_activity_count": overdue_activities.count(),
    }


def adoption_curve(programme: Programme, start: datetime.date, end: datetime.date) -> list:
    """Sites at each stage at the end of each month of the range (one query)."""
    adoptions = Adoption.objects.filter(innovation__programme=programme)
    return stages_over_time(
        programme_events(adoptions), month_ends(end, months_between(start, end))
    )


def report_context(programme: Programme, user, start: datetime.date, end: datetime.date) -> dict:
    until = end_of_day(end)
    coverage_rows = coverage_for(programme, now=until)
    return {
        "complexity": result_for(programme, now=until),
        "coverage_rows": coverage_rows,
        "coverage_gaps": gaps(coverage_rows),
        "adoption_months": adoption_curve(programme, start, end),
        "meetings": meetings_in_range(programme, start, end),
        "learning": top_learning(programme, user, start, end),
        **open_risks(programme),
    }
