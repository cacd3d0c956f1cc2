"""The only way views turn ids into spaces and meetings for a user (DESIGN section 5).

Leads change every space; facilitators change the spaces they facilitate; everyone in the
programme views. In a Chatham House space, or for space-only items, the notes are for the lead
and the space's own members. Outsiders get 404; viewers get 403 on change.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from convening.access import FACILITATOR, LEAD, get_programme_for_view
from convening.models import Programme

from .models import AdaptiveSpace, Meeting, SpaceMember


@dataclass(frozen=True)
class SpaceAccess:
    """What the signed-in user may do in one space."""

    programme: Programme
    space: AdaptiveSpace
    can_change: bool
    is_space_member: bool

    @property
    def can_read_notes(self) -> bool:
        """Notes of a Chatham House space are for the lead and the space's members only."""
        if not self.space.is_chatham_house:
            return True
        return self.programme.my_role == LEAD or self.is_space_member


def _space_roles(space: AdaptiveSpace, user) -> set[str]:
    return set(
        SpaceMember.objects.filter(space=space, participant__user=user).values_list(
            "role", flat=True
        )
    )


def space_access(programme: Programme, space: AdaptiveSpace, user) -> SpaceAccess:
    roles = _space_roles(space, user)
    facilitates = SpaceMember.Role.FACILITATOR in roles
    can_change = programme.my_role == LEAD or (programme.my_role == FACILITATOR and facilitates)
    return SpaceAccess(programme, space, can_change, bool(roles))


def get_space_for_view(request: HttpRequest, slug: str, space_slug: str) -> SpaceAccess:
    programme = get_programme_for_view(request, slug)
    space = AdaptiveSpace.objects.filter(programme=programme, slug=space_slug).first()
    if space is None:
        raise Http404("No such space in this programme")
    space.programme = programme  # already fetched, with the user's role
    return space_access(programme, space, request.user)


def get_space_for_change(request: HttpRequest, slug: str, space_slug: str) -> SpaceAccess:
    access = get_space_for_view(request, slug, space_slug)
    if not access.can_change:
        raise PermissionDenied("Only the programme's leads and this space's facilitators can")
    return access


def get_programme_for_new_space(request: HttpRequest, slug: str) -> Programme:
    programme = get_programme_for_view(request, slug)
    if programme.my_role != LEAD:
        raise PermissionDenied("Only programme leads can add spaces")
    return programme


def get_meeting_for_view(request: HttpRequest, slug: str, space_slug: str, meeting_id: int):
    access = get_space_for_view(request, slug, space_slug)
    meeting = Meeting.objects.filter(space=access.space, pk=meeting_id).first()
    if meeting is None:
        raise Http404("No such meeting in this space")
    meeting.space = access.space
    return access, meeting


def get_meeting_for_change(request: HttpRequest, slug: str, space_slug: str, meeting_id: int):
    access, meeting = get_meeting_for_view(request, slug, space_slug, meeting_id)
    if not access.can_change:
        raise PermissionDenied("Only the programme's leads and this space's facilitators can")
    return access, meeting


def get_meeting_by_id_for_view(request: HttpRequest, slug: str, meeting_id: int):
    """A meeting named by its id alone (as the JSON API does), within the programme."""
    programme = get_programme_for_view(request, slug)
    meeting = (
        Meeting.objects.filter(space__programme=programme, pk=meeting_id)
        .select_related("space")
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting in this programme")
    meeting.space.programme = programme
    return space_access(programme, meeting.space, request.user), meeting


def get_meeting_by_id_for_change(request: HttpRequest, slug: str, meeting_id: int):
    access, meeting = get_meeting_by_id_for_view(request, slug, meeting_id)
    if not access.can_change:
        raise PermissionDenied("Only the programme's leads and this space's facilitators can")
    return access, meeting


def spaces_where_member(programme: Programme, user) -> set[int]:
    """The programme's spaces of which the user is a member (one query)."""
    return set(
        SpaceMember.objects.filter(space__programme=programme, participant__user=user).values_list(
            "space_id", flat=True
        )
    )
