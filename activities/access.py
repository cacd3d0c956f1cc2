"""The only way views turn ids into planned activities and register entries for a user.

DESIGN section 5: everyone in the programme views the plan, coverage, complexity and local
knowledge; leads change them; facilitators add activities and change the ones they own.
Outsiders get 404; viewers get 403 on change.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from convening.access import FACILITATOR, LEAD, get_programme_for_view
from convening.models import Programme

from .models import LocalKnowledge, PlannedActivity

# Who may add planned activities.
PLANNERS = (LEAD, FACILITATOR)


def can_change_activity(programme: Programme, activity: PlannedActivity, user) -> bool:
    if programme.my_role == LEAD:
        return True
    return programme.my_role == FACILITATOR and activity.is_owned_by(user)


def get_programme_for_planning(request: HttpRequest, slug: str) -> Programme:
    """The programme, for adding a planned activity: leads and facilitators."""
    programme = get_programme_for_view(request, slug)
    if programme.my_role not in PLANNERS:
        raise PermissionDenied("Only leads and facilitators can add activities")
    return programme


def get_programme_for_lead(request: HttpRequest, slug: str) -> Programme:
    """The programme, for changes only its leads make (assessment, register, understanding)."""
    programme = get_programme_for_view(request, slug)
    if programme.my_role != LEAD:
        raise PermissionDenied("Only the programme's leads can change this")
    return programme


def get_activity_for_view(request: HttpRequest, slug: str, activity_id: int):
    programme = get_programme_for_view(request, slug)
    activity = (
        PlannedActivity.objects.for_programme(programme)
        .with_related()
        .filter(pk=activity_id)
        .first()
    )
    if activity is None:
        raise Http404("No such activity in this programme")
    activity.programme = programme  # already fetched, with the user's role
    return programme, activity


def get_activity_for_change(request: HttpRequest, slug: str, activity_id: int):
    programme, activity = get_activity_for_view(request, slug, activity_id)
    if not can_change_activity(programme, activity, request.user):
        raise PermissionDenied("Only leads, and facilitators who own it, can change an activity")
    return programme, activity


def get_knowledge_for_change(request: HttpRequest, slug: str, entry_id: int):
    programme = get_programme_for_view(request, slug)
    entry = (
        LocalKnowledge.objects.for_programme(programme).with_related().filter(pk=entry_id).first()
    )
    if entry is None:
        raise Http404("No such entry in this programme's register")
    if programme.my_role != LEAD:
        raise PermissionDenied("Only the programme's leads can change the register")
    entry.programme = programme
    return programme, entry
