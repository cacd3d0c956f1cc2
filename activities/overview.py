"""What the programme overview shows of the plan: the shared understanding sits on the
programme itself; the complexity match, coverage, adoption, recent meetings, overdue actions and
high-impact risks are gathered here, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from convening.models import Adoption, Programme

from .access import PLANNERS
from .complexity import result_for
from .coverage import coverage_for, gaps
from .models import LocalKnowledge

RECENT_MEETINGS = 5
OVERDUE_SHOWN = 5
RISKS_SHOWN = 5


def adoption_by_stage(programme: Programme) -> list[tuple[str, str, int]]:
    """(stage, label, number of sites) for each stage any site is at, in stage order."""
    counts = dict(
        Adoption.objects.filter(innovation__programme=programme)
        .order_by()
        .values_list("stage")
        .annotate(sites=Count("pk"))
    )
    return [
        (stage, label, counts[stage]) for stage, label in Adoption.Stage.choices if stage in counts
    ]


def planning_context(programme: Programme) -> dict:
    from spaces.models import Action, Meeting

    today = timezone.localdate()
    overdue = Action.objects.filter(programme=programme, due__lt=today).open()
    rows = coverage_for(programme)
    return {
        "complexity": result_for(programme),
        "can_plan": programme.my_role in PLANNERS,
        "coverage_rows": rows,
        "coverage_gaps": gaps(rows),
        "adoption_stages": adoption_by_stage(programme),
        "recent_meetings": list(
            Meeting.objects.for_programme(programme)
            .held()
            .select_related("space")
            .order_by("-starts_at")[:RECENT_MEETINGS]
        ),
        "overdue_count": overdue.count(),
        "overdue_actions": list(
            overdue.select_related("owner").order_by("due", "pk")[:OVERDUE_SHOWN]
        ),
        "high_risks": list(
            LocalKnowledge.objects.for_programme(programme)
            .open()
            .high_impact()
            .with_related()
            .order_by("-updated_at")[: RISKS_SHOWN + 1]
        ),
        "risks_shown": RISKS_SHOWN,
    }
