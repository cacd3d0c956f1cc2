"""Downloads of the learning log, the adoption history and the feedback inbox, as CSV or XLSX.

Each has the rows of its page and its filters, read through the same access rules: learning as
the reader may see it (space-only entries, and names only with consent and never under the
Chatham House rule), and feedback for the programme's leads only.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from convening.access import EVERYONE, LEAD
from convening.exports import Table, register_table
from convening.models import AdoptionEvent, Innovation, Programme
from convening.views.downloads import export_response

from ..forms.adoption import TrackerFilterForm
from ..forms.feedback import FeedbackFilterForm
from ..models import Feedback
from .entries import _entries, _filters

LEARNING_HEADERS = [
    "Title",
    "Kind",
    "Status",
    "Who can read it",
    "Innovation",
    "Site",
    "Activity areas",
    "By",
    "Written",
    "Published",
    "What we learned",
]
ADOPTION_HEADERS = ["Innovation", "Site", "Stage", "Date", "Note", "Recorded by", "Recorded at"]
FEEDBACK_HEADERS = [
    "Received",
    "Innovation",
    "Kind",
    "Status",
    "From",
    "Email",
    "Site",
    "Feedback",
    "Response",
    "Responded",
]


@require_GET
def learning_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return export_response(request, slug, fmt, "learning")


@require_GET
def adoption_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return export_response(request, slug, fmt, "adoption_history")


@require_GET
def feedback_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return export_response(request, slug, fmt, "feedback")


@register_table("learning", roles=EVERYONE)
def learning_table(request: HttpRequest, programme: Programme) -> Table:
    """The learning log as the reader may see it, with its filters."""
    return Table(
        f"{programme.slug}-learning",
        "Learning",
        LEARNING_HEADERS,
        _entries(request, programme, _filters(programme, request.GET)),
        lambda entry: [
            entry.title,
            entry.get_kind_display(),
            entry.get_status_display(),
            entry.get_visibility_display(),
            entry.innovation.name if entry.innovation else "",
            entry.site.name if entry.site else "",
            ", ".join(str(area.number) for area in entry.areas.all()),
            entry.byline,
            entry.created_at,
            entry.published_at,
            entry.body,
        ],
    )


@register_table("adoption_history", roles=EVERYONE)
def adoption_table(request: HttpRequest, programme: Programme) -> Table:
    """Every recorded stage change, for the innovation the tracker is filtered to, if any."""
    innovations = list(Innovation.objects.filter(programme=programme).only("name", "slug"))
    filters = TrackerFilterForm(request.GET, innovations=innovations)
    events = AdoptionEvent.objects.filter(adoption__innovation__programme=programme)
    if filters.chosen:
        events = events.filter(adoption__innovation__slug=filters.chosen)
    events = events.select_related(
        "adoption__innovation", "adoption__organisation", "recorded_by"
    ).order_by("adoption__innovation__name", "adoption__organisation__name", "date", "pk")
    return Table(
        f"{programme.slug}-adoption-history",
        "Adoption history",
        ADOPTION_HEADERS,
        events,
        lambda event: [
            event.adoption.innovation.name,
            event.adoption.organisation.name,
            event.get_stage_display(),
            event.date,
            event.note,
            event.recorded_by.name if event.recorded_by and event.recorded_by.name else "",
            event.recorded_at,
        ],
    )


@register_table("feedback", roles=(LEAD,), archive_query="status=all")
def feedback_table(request: HttpRequest, programme: Programme) -> Table:
    innovations = list(Innovation.objects.filter(programme=programme).order_by("name", "pk"))
    filters = FeedbackFilterForm(request.GET, innovations=innovations)
    feedback = (
        filters.apply(Feedback.objects.filter(innovation__programme=programme))
        .select_related("innovation")
        .order_by("-created_at", "-pk")
    )
    return Table(
        f"{programme.slug}-feedback",
        "Feedback",
        FEEDBACK_HEADERS,
        feedback,
        lambda item: [
            item.created_at,
            item.innovation.name,
            item.get_kind_display(),
            item.get_status_display(),
            item.name,
            item.email,
            item.site,
            item.body,
            item.response,
            item.responded_at,
        ],
    )
