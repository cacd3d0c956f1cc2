"""The activities app's part of the programme archive (convening/export_jobs.py): complexity
assessments, which no list page downloads. The plan, coverage and register are registered by
their views."""

from __future__ import annotations

from django.http import HttpRequest

from convening.access import LEAD
from convening.exports import Table, register_table
from convening.models import Programme

from .models import DomainRating

ASSESSMENT_HEADERS = [
    "Assessment",
    "Assessed at",
    "Interdependence",
    "Notes on the discussion",
    "Domain",
    "Rating",
    "Note",
]


@register_table("complexity_ratings", roles=(LEAD,))
def complexity_table(request: HttpRequest, programme: Programme) -> Table:
    """Every rating of every assessment, one row each, the assessment's details repeated."""
    ratings = (
        DomainRating.objects.filter(assessment__programme=programme)
        .select_related("assessment")
        .order_by("assessment__assessed_at", "assessment_id", "pk")
    )
    return Table(
        f"{programme.slug}-complexity-ratings",
        "Complexity ratings",
        ASSESSMENT_HEADERS,
        ratings,
        lambda rating: [
            rating.assessment_id,
            rating.assessment.assessed_at,
            rating.assessment.get_interdependence_display(),
            rating.assessment.summary,
            rating.get_domain_display(),
            rating.get_rating_display(),
            rating.note,
        ],
    )
