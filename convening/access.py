"""The only way views turn ids into core objects for a user.

Someone who may not see an object gets 404, so its existence is not leaked; someone who may see
it but not change it gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from .models import ExportJob, Membership, Participant, Programme

LEAD = Membership.Role.LEAD
FACILITATOR = Membership.Role.FACILITATOR
MEMBER = Membership.Role.MEMBER
EVERYONE = (LEAD, FACILITATOR, MEMBER)
# Who may change the people directory (participants and organisations).
PEOPLE_EDITORS = (LEAD, FACILITATOR)


def get_programme_for_view(request: HttpRequest, slug: str) -> Programme:
    """The programme, with `my_role` set, if the user is a member; otherwise 404. An API token
    reaches only the programmes it names (`token_programme_ids`, set by convening.api)."""
    programmes = Programme.objects.visible_to(request.user).filter(slug=slug)
    token_scope = getattr(request, "token_programme_ids", None)
    if token_scope is not None:
        programmes = programmes.filter(pk__in=token_scope)
    programme = programmes.first()
    if programme is None:
        raise Http404("No such programme")
    return programme


DATA_PROTECTION = "convening.data_protection"


def require_data_protection(request: HttpRequest) -> None:
    """The data protection pages are for staff granted the permission in the admin; anyone else
    gets 404, as for any page they may not see."""
    if not request.user.has_perm(DATA_PROTECTION):
        raise Http404("No such page")


def get_programme_for_roles(request: HttpRequest, slug: str, roles: tuple[str, ...]) -> Programme:
    programme = get_programme_for_view(request, slug)
    if programme.my_role not in roles:
        raise PermissionDenied("Your role in this programme does not allow this")
    return programme


def get_programme_for_change(request: HttpRequest, slug: str) -> Programme:
    """Leads change the programme itself and its membership."""
    return get_programme_for_roles(request, slug, (LEAD,))


def get_programme_for_people_change(request: HttpRequest, slug: str) -> Programme:
    return get_programme_for_roles(request, slug, PEOPLE_EDITORS)


def can_see_contact_details(programme: Programme) -> bool:
    return programme.my_role in PEOPLE_EDITORS


def own_record_needing_consent(request: HttpRequest, programme: Programme):
    """The signed-in person's own record, if its consent was never asked and they may answer."""
    if programme.my_role not in PEOPLE_EDITORS:
        return None
    own = Participant.objects.filter(programme=programme, user=request.user)
    return own.needing_consent().first()


def get_participant_for_change(request: HttpRequest, slug: str, participant_id: int):
    """The programme and one of its participants; a participant of another programme is 404."""
    programme = get_programme_for_view(request, slug)
    participant = (
        Participant.objects.filter(programme=programme, pk=participant_id)
        .select_related("organisation", "consent_updated_by", "user")
        .first()
    )
    if participant is None:
        raise Http404("No such person in this programme")
    if programme.my_role not in PEOPLE_EDITORS:
        raise PermissionDenied("Your role in this programme does not allow this")
    return programme, participant


def get_invitation_for_change(request: HttpRequest, slug: str, invitation_id: int):
    """The programme and one of its invitations, for its leads; another programme's is 404."""
    programme = get_programme_for_view(request, slug)
    invitation = programme.invitations.filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation in this programme")
    if programme.my_role != LEAD:
        raise PermissionDenied("Only the programme's leads may do this")
    return programme, invitation


def get_membership_for_change(request: HttpRequest, slug: str, membership_id: int):
    programme = get_programme_for_view(request, slug)
    membership = (
        Membership.objects.filter(programme=programme, pk=membership_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Http404("No such member of this programme")
    if programme.my_role != LEAD:
        raise PermissionDenied("Only programme leads can change members")
    return programme, membership


def get_participant_for_account_change(request: HttpRequest, slug: str, participant_id: int):
    """Only leads link a person to a member's account, since that grants what the person may do."""
    programme, participant = get_participant_for_change(request, slug, participant_id)
    if programme.my_role != LEAD:
        raise PermissionDenied("Only programme leads can link a person to an account")
    return programme, participant


def get_export_job(request: HttpRequest, slug: str, job_id: int):
    """The programme and one of the signed-in person's own prepared downloads in it; anyone
    else's, or another programme's, is 404."""
    programme = get_programme_for_view(request, slug)
    job = ExportJob.objects.for_user(request.user, programme).filter(pk=job_id).first()
    if job is None:
        raise Http404("No such download")
    job.programme = programme
    return programme, job
