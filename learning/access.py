"""The only way views turn ids into innovations, learning entries, feedback and hub pages.

Inside a programme (DESIGN section 5): everyone in it reads innovations, narratives, the adoption
tracker and the learning they may see; leads change innovations and answer feedback; leads and
facilitators write narratives and record stage changes; anyone drafts learning; leads publish
any entry and facilitators publish learning from the spaces they facilitate. Outsiders get 404;
those who may see but not change get 403.

The learning hub is public, for signed-in users, or for members only, as the programme sets it;
anyone else gets 404 with no hint of the programme's name.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest

from convening.access import FACILITATOR, LEAD, get_programme_for_view
from convening.models import Adoption, Innovation, Membership, Programme
from spaces.models import SpaceMember

from .contact import hub_contacts, innovation_adoptions
from .models import Feedback, LearningEntry

# Who may record adoption stage changes and write narratives.
ADOPTION_EDITORS = (LEAD, FACILITATOR)
NARRATIVE_EDITORS = (LEAD, FACILITATOR)


def _innovation(programme: Programme, innovation_slug: str) -> Innovation:
    innovation = (
        Innovation.objects.filter(programme=programme, slug=innovation_slug)
        .select_related("innovator_organisation")
        .first()
    )
    if innovation is None:
        raise Http404("No such innovation in this programme")
    innovation.programme = programme
    return innovation


def get_innovation_for_view(request: HttpRequest, slug: str, innovation_slug: str):
    programme = get_programme_for_view(request, slug)
    return programme, _innovation(programme, innovation_slug)


def get_innovation_for_change(request: HttpRequest, slug: str, innovation_slug: str):
    programme, innovation = get_innovation_for_view(request, slug, innovation_slug)
    if programme.my_role != LEAD:
        raise PermissionDenied("Only the programme's leads can change an innovation")
    return programme, innovation


def get_innovation_for_narratives(request: HttpRequest, slug: str, innovation_slug: str):
    programme, innovation = get_innovation_for_view(request, slug, innovation_slug)
    if programme.my_role not in NARRATIVE_EDITORS:
        raise PermissionDenied("Only leads and facilitators write narratives")
    return programme, innovation


def get_programme_for_adoption_change(request: HttpRequest, slug: str) -> Programme:
    programme = get_programme_for_view(request, slug)
    if programme.my_role not in ADOPTION_EDITORS:
        raise PermissionDenied("Only leads and facilitators record stage changes")
    return programme


def get_adoption_for_view(request: HttpRequest, slug: str, adoption_id: int):
    """The programme and one of its adoptions, with its innovation and site; otherwise 404."""
    programme = get_programme_for_view(request, slug)
    adoption = (
        Adoption.objects.for_programme(programme)
        .select_related("innovation", "organisation")
        .filter(pk=adoption_id)
        .first()
    )
    if adoption is None:
        raise Http404("No such adoption in this programme")
    adoption.innovation.programme = programme
    return programme, adoption


def facilitates_space_of(entry: LearningEntry, user) -> bool:
    """The user facilitates the space of the meeting the entry came from."""
    if entry.source_meeting_id is None:
        return False
    return SpaceMember.objects.filter(
        space__meetings=entry.source_meeting_id,
        participant__user=user,
        role=SpaceMember.Role.FACILITATOR,
    ).exists()


def can_publish(programme: Programme, entry: LearningEntry, user) -> bool:
    if programme.my_role == LEAD:
        return True
    return programme.my_role == FACILITATOR and facilitates_space_of(entry, user)


def can_edit(programme: Programme, entry: LearningEntry, user) -> bool:
    """Leads edit any entry; its author and those who may publish it edit it too."""
    if programme.my_role == LEAD or entry.author_id == user.pk:
        return True
    return can_publish(programme, entry, user)


def get_entry_for_view(request: HttpRequest, slug: str, entry_id: int):
    programme = get_programme_for_view(request, slug)
    entry = (
        LearningEntry.objects.readable_by(programme, request.user)
        .with_attribution()
        .select_related("innovation", "site", "author", "source_meeting__space")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise Http404("No such learning entry in this programme")
    entry.programme = programme
    return programme, entry


def get_entry_for_change(request: HttpRequest, slug: str, entry_id: int):
    programme, entry = get_entry_for_view(request, slug, entry_id)
    if not can_edit(programme, entry, request.user):
        raise PermissionDenied("Only its author, a facilitator of its space or a lead can")
    return programme, entry


def get_entry_for_publishing(request: HttpRequest, slug: str, entry_id: int):
    programme, entry = get_entry_for_view(request, slug, entry_id)
    if not can_publish(programme, entry, request.user):
        raise PermissionDenied("Only leads, or facilitators for their spaces, publish learning")
    return programme, entry


def get_feedback_for_change(request: HttpRequest, slug: str, feedback_id: int):
    programme = get_programme_for_view(request, slug)
    feedback = (
        Feedback.objects.filter(innovation__programme=programme, pk=feedback_id)
        .select_related("innovation", "responded_by", "answer_entry")
        .first()
    )
    if feedback is None:
        raise Http404("No such feedback in this programme")
    if programme.my_role != LEAD:
        raise PermissionDenied("Only the programme's leads read and answer feedback")
    feedback.innovation.programme = programme
    return programme, feedback


def get_programme_for_feedback(request: HttpRequest, slug: str) -> Programme:
    programme = get_programme_for_view(request, slug)
    if programme.my_role != LEAD:
        raise PermissionDenied("Only the programme's leads read and answer feedback")
    return programme


# The learning hub ------------------------------------------------------------------------------


def hub_programmes_for(user):
    """Programmes whose hub this visitor may read."""
    visible = [Programme.HubVisibility.PUBLIC]
    if user.is_authenticated:
        visible.append(Programme.HubVisibility.SIGNED_IN)
    queryset = Programme.objects.filter(hub_visibility__in=visible)
    if user.is_authenticated:
        queryset = queryset | Programme.objects.filter(
            hub_visibility=Programme.HubVisibility.MEMBERS, memberships__user=user
        )
    return queryset.distinct()


def get_hub_programme(request: HttpRequest, slug: str) -> Programme:
    """The programme if its hub is open to this visitor, with `is_member` set (whether the
    visitor belongs to the programme); otherwise 404, naming nothing."""
    programmes = hub_programmes_for(request.user).filter(slug=slug)
    if request.user.is_authenticated:
        programmes = programmes.annotate(
            is_member=Exists(Membership.objects.filter(programme=OuterRef("pk"), user=request.user))
        )
    programme = programmes.first()
    if programme is None:
        raise Http404("No such learning hub")
    if not request.user.is_authenticated:
        programme.is_member = False
    return programme


def get_hub_innovation(request: HttpRequest, slug: str, innovation_slug: str):
    programme = get_hub_programme(request, slug)
    innovation = (
        Innovation.objects.filter(programme=programme, slug=innovation_slug)
        .select_related("innovator_organisation")
        .first()
    )
    if innovation is None:
        raise Http404("No such innovation")
    innovation.programme = programme
    return programme, innovation


def get_hub_contact(request: HttpRequest, slug: str, innovation_slug: str, contact_id: str):
    """The programme, the innovation and one person its hub page lists as a contact, named by
    the opaque id the page uses. Anyone not listed there (who did not agree to be contacted,
    or belongs to another innovation's page), or with no address to relay to, is 404."""
    programme, innovation = get_hub_innovation(request, slug, innovation_slug)
    adoptions = innovation_adoptions(innovation)
    for contact in hub_contacts(programme, innovation, adoptions):
        if contact.contact_id == contact_id and contact.person.email:
            return programme, innovation, contact
    raise Http404("No such contact")
