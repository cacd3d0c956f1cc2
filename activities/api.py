"""The JSON API's routes for the activity plan, coverage, complexity and local knowledge."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Prefetch, Q
from ninja import Field, Router, Schema

from convening.api import ListQuery, changed_in_history, page_of, paginate, programme_for

from .coverage import coverage_for
from .models import ComplexityAssessment, LocalKnowledge, PlannedActivity, Practice

router = Router(tags=["Plan, coverage and complexity"])


class PlannedActivityOut(Schema):
    id: int
    title: str
    description: str
    area: int = Field(description="The activity area's number, 1 to 10")
    practices: list[str] = Field(description="Codes of the practices, such as 3.1")
    owner_id: int | None
    space_id: int | None
    due: date | None
    status: str
    created_at: datetime
    updated_at: datetime
    version: int

    @staticmethod
    def resolve_area(activity) -> int:
        return activity.area.number

    @staticmethod
    def resolve_practices(activity) -> list[str]:
        return [practice.code for practice in activity.practices.all()]


@router.get(
    "/programmes/{slug:slug}/activities",
    response=page_of(PlannedActivityOut),
    url_name="api_activity_list",
)
def activity_list(request, slug: str, params: ListQuery):
    programme = programme_for(request, slug)
    activities = (
        PlannedActivity.objects.for_programme(programme)
        .select_related("area")
        .prefetch_related(Prefetch("practices", queryset=Practice.objects.select_related("area")))
    )
    return paginate(activities, params, changed_in_history(PlannedActivity))


class AreaCoverageOut(Schema):
    area: int
    title: str
    open_activities: int
    done_activities: int
    recent_meetings: int = Field(description="Held in the last 90 days")
    all_meetings: int
    learning_entries: int

    @staticmethod
    def resolve_area(row) -> int:
        return row.number


class CoverageOut(Schema):
    areas: list[AreaCoverageOut] = Field(description="All ten activity areas, in order")


@router.get("/programmes/{slug:slug}/coverage", response=CoverageOut, url_name="api_coverage")
def coverage(request, slug: str):
    """Coverage is worked out afresh for the ten areas: a summary, not a list to page through."""
    programme = programme_for(request, slug)
    return {"areas": coverage_for(programme)}


class DomainRatingOut(Schema):
    domain: str
    rating: str
    note: str


class ComplexityAssessmentOut(Schema):
    id: int
    interdependence: str
    summary: str
    assessed_at: datetime
    ratings: list[DomainRatingOut]

    @staticmethod
    def resolve_ratings(assessment) -> list:
        return list(assessment.ratings.all())


def _assessed_since(when: datetime):
    """An assessment is never changed once made: a new one is made instead."""
    return Q(assessed_at__gte=when)


@router.get(
    "/programmes/{slug:slug}/complexity-assessments",
    response=page_of(ComplexityAssessmentOut),
    url_name="api_complexity_list",
)
def complexity_list(request, slug: str, params: ListQuery):
    programme = programme_for(request, slug)
    assessments = ComplexityAssessment.objects.for_programme(programme).prefetch_related("ratings")
    return paginate(assessments, params, _assessed_since)


class LocalKnowledgeOut(Schema):
    id: int
    site_id: int | None
    kind: str
    title: str
    description: str
    impact: str
    mitigation: str
    owner_id: int | None
    status: str
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int


@router.get(
    "/programmes/{slug:slug}/local-knowledge",
    response=page_of(LocalKnowledgeOut),
    url_name="api_knowledge_list",
)
def knowledge_list(request, slug: str, params: ListQuery):
    programme = programme_for(request, slug)
    entries = LocalKnowledge.objects.for_programme(programme)
    return paginate(entries, params, changed_in_history(LocalKnowledge))
