"""Coverage: how much of the programme's work serves each of the ten activity areas.

Four queries (the areas, then three counts grouped by area), whatever the number of activities,
meetings or learning entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from convening.models import Programme
from learning.models import LearningEntry
from spaces.models import Meeting

from .complexity import RECENT_DAYS
from .models import ActivityArea, PlannedActivity

# Learning entries every member of the programme may read. Space-only entries are left out of
# the counts: their titles are for the space's members.
PROGRAMME_WIDE_VISIBILITY = (LearningEntry.Visibility.PUBLIC, LearningEntry.Visibility.PROGRAMME)


@dataclass(frozen=True)
class AreaCoverage:
    """The numbers behind one row of the coverage table."""

    area: ActivityArea
    open_activities: int = 0
    done_activities: int = 0
    recent_meetings: int = 0  # held in the last 90 days
    all_meetings: int = 0  # held, at any time
    learning_entries: int = 0

    @property
    def number(self) -> int:
        return self.area.number

    @property
    def title(self) -> str:
        return self.area.title


def recent_since(now: datetime | None = None) -> tuple[datetime, datetime]:
    """The start and end of "the last 90 days", as the complexity match counts them."""
    now = now or timezone.now()
    return now - timedelta(days=RECENT_DAYS), now


def coverage_for(programme: Programme, *, now: datetime | None = None) -> list[AreaCoverage]:
    """One row per activity area, all ten in order, zeros included."""
    since, now = recent_since(now)
    areas = list(ActivityArea.objects.order_by("number"))
    activities = {
        row["area_id"]: row
        for row in PlannedActivity.objects.for_programme(programme)
        .order_by()
        .values("area_id")
        .annotate(
            open=Count("pk", filter=Q(status__in=PlannedActivity.OPEN_STATUSES)),
            done=Count("pk", filter=Q(status=PlannedActivity.Status.DONE)),
        )
    }
    # Through the practices: a meeting that served two practices of one area counts once there.
    meetings = {
        row["practice__area_id"]: row
        for row in Meeting.practices.through.objects.filter(
            meeting__space__programme=programme, meeting__status=Meeting.Status.HELD
        )
        .order_by()
        .values("practice__area_id")
        .annotate(
            all=Count("meeting_id", distinct=True),
            recent=Count(
                "meeting_id",
                distinct=True,
                filter=Q(meeting__starts_at__gte=since, meeting__starts_at__lte=now),
            ),
        )
    }
    learning = dict(
        LearningEntry.areas.through.objects.filter(
            learningentry__programme=programme,
            learningentry__visibility__in=PROGRAMME_WIDE_VISIBILITY,
        )
        .order_by()
        .values("activityarea_id")
        .annotate(entries=Count("learningentry_id", distinct=True))
        .values_list("activityarea_id", "entries")
    )
    rows = []
    for area in areas:
        planned = activities.get(area.pk, {})
        met = meetings.get(area.pk, {})
        rows.append(
            AreaCoverage(
                area=area,
                open_activities=planned.get("open", 0),
                done_activities=planned.get("done", 0),
                recent_meetings=met.get("recent", 0),
                all_meetings=met.get("all", 0),
                learning_entries=learning.get(area.pk, 0),
            )
        )
    return rows


def gaps(rows: list[AreaCoverage]) -> list[str]:
    """The gaps in plain words: areas no recent meeting served, then areas with no planned work
    still open, each worded by what is missing: nothing planned at all, or only done work.

    When every area has the same gap, one sentence says so instead of ten.
    """
    unmet = [row.title for row in rows if not row.recent_meetings]
    unplanned = [row.title for row in rows if not row.open_activities and not row.done_activities]
    sentences = []
    if rows and len(unmet) == len(rows):
        sentences.append("No meeting has served any activity area in the last 90 days")
    else:
        sentences += [f"No meeting has served {title} in the last 90 days" for title in unmet]
    if rows and len(unplanned) == len(rows):
        sentences.append("Nothing is planned for any activity area")
        return sentences
    for row in rows:
        if row.open_activities:
            continue
        if not row.done_activities:
            sentences.append(f"Nothing is planned for {row.title}")
        elif row.done_activities == 1:
            sentences.append(
                f"Nothing is still open for {row.title}: its one planned activity is done"
            )
        else:
            sentences.append(
                f"Nothing is still open for {row.title}: its {row.done_activities} planned "
                "activities are done"
            )
    return sentences
