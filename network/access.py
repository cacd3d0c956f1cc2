"""Who sees what of the network (DESIGN section 11).

Leads and facilitators see people: names, measures, brokers, introductions. Members see
organisations and groups, and their own contacts, never another person's place in the network.
People who did not consent to be recorded are counted, never named, whoever is looking. The
learning hub and the digests never show the network. Staff see the installation view.
Outsiders get 404, as everywhere.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest

from convening.access import FACILITATOR, LEAD, get_programme_for_view
from convening.models import Organisation, Participant, Programme

# Who sees people in the network, and makes introductions.
PEOPLE_VIEWERS = (LEAD, FACILITATOR)


def sees_people(programme: Programme) -> bool:
    return programme.my_role in PEOPLE_VIEWERS


def may_name(participant: Participant) -> bool:
    """A person is named in the network only with consent to be recorded, and never once
    erased."""
    return participant.consent_recorded and participant.anonymised_at is None


def named_people(prefix: str = "") -> Q:
    """`may_name` as a filter, on the participant reached by `prefix` ("participant__")."""
    return Q(**{f"{prefix}consent_recorded": True, f"{prefix}anonymised_at__isnull": True})


def get_programme_for_network(request: HttpRequest, slug: str) -> Programme:
    """The programme, for its network page: every member (what they see depends on role)."""
    return get_programme_for_view(request, slug)


def get_programme_for_introductions(request: HttpRequest, slug: str) -> Programme:
    """The programme, for making or changing introductions: leads and facilitators."""
    programme = get_programme_for_view(request, slug)
    if not sees_people(programme):
        raise PermissionDenied("Only leads and facilitators make introductions")
    return programme


def get_person_for_view(request: HttpRequest, slug: str, participant_id: int):
    """A person of the programme, for their person page: leads and facilitators see anyone's;
    a member sees only their own (anyone else's is 404, so it leaks nothing)."""
    programme = get_programme_for_view(request, slug)
    person = (
        Participant.objects.filter(programme=programme, pk=participant_id)
        .select_related("organisation", "user")
        .first()
    )
    if person is None:
        raise Http404("No such person in this programme")
    if not sees_people(programme) and person.user_id != request.user.pk:
        raise Http404("No such person in this programme")
    return programme, person


def require_staff(request: HttpRequest) -> None:
    """The installation view is for staff; anyone else gets 404."""
    if not (request.user.is_authenticated and request.user.is_staff):
        raise Http404("No such page")


def get_introduction_for_change(request: HttpRequest, slug: str, introduction_id: int):
    """An introduction of the programme, for a lead or facilitator to change. Looked up before
    the role is checked, so another programme's introduction is 404 for everyone."""
    from .models import Introduction

    programme = get_programme_for_view(request, slug)
    introduction = (
        Introduction.objects.filter(programme=programme, pk=introduction_id)
        .select_related("person_a", "person_b")
        .first()
    )
    if introduction is None:
        raise Http404("No such introduction in this programme")
    if not sees_people(programme):
        raise PermissionDenied("Only leads and facilitators change introductions")
    return programme, introduction


def get_organisation_for_view(request: HttpRequest, slug: str, organisation_id: int):
    """One of the programme's organisations (its participants' or its adopting sites'), for its
    organisation page: every member. Any other organisation is 404, even one that exists."""
    programme = get_programme_for_view(request, slug)
    organisation = Organisation.objects.for_programme(programme).filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404("No such organisation in this programme")
    return programme, organisation
