"""A person's page: their participation in the programme and their place in its network.

Leads and facilitators open anyone's page; a member opens only their own (anyone else's is 404,
network.access.get_person_for_view). The page shows what the programme already shows about the
person elsewhere (spaces, meetings attended, actions), the learning they wrote only where its
byline would name them (or to themselves), introductions involving them, and, from the current
snapshot, their contacts grouped and counted by organisation, sector, role group and level, never
as names of other people. Brokerage and its bands are for leads and facilitators.

A person who did not agree to be recorded, or was erased, has no network section: the network
counts them but never places them by name, so neither does their page. An erased person's page
shows only what erasure kept (their anonymised record and their participation).

A fixed number of queries, whatever the size of the programme or of their history.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from convening import audit
from convening.access import PEOPLE_EDITORS
from convening.breadcrumbs import breadcrumbs
from convening.models import Participant, Programme
from learning.models import LearningEntry
from spaces.models import Action, Attendance, Meeting, SpaceMember

from .. import access, measures, snapshots
from ..models import Boundary, Introduction, PersonMeasure
from .windows import chosen_window

MEETINGS_PER_PAGE = 20
LEARNING_SHOWN = 20
ACTIONS_SHOWN = 20

# The boundaries a person's contacts are grouped by, in the order the page shows them.
CONTACT_GROUPS = (
    (Boundary.ORGANISATION, "Organisation"),
    (Boundary.SECTOR, "Sector"),
    (Boundary.ROLE_GROUP, "Role group"),
    (Boundary.LEVEL, "Level"),
)
ROLE_WORDS = {
    measures.COORDINATOR: "Coordinator: links two people of their own group",
    measures.ITINERANT: "Itinerant: links two people of another group",
    measures.GATEKEEPER: "Gatekeeper: lets someone from outside reach their group",
    measures.REPRESENTATIVE: "Representative: carries their group's word to another",
    measures.LIAISON: "Liaison: links two people of two other groups",
}


@require_GET
def network_person(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    programme, person = access.get_person_for_view(request, slug, participant_id)
    is_self = person.user_id is not None and person.user_id == request.user.pk
    if not is_self:
        audit.record(
            request,
            audit.Action.VIEWED_PERSON,
            subject=person,
            programme=programme,
            detail="network page",
        )
    window = chosen_window(request)
    context = {
        "programme": programme,
        "person": person,
        "is_self": is_self,
        "sees_people": access.sees_people(programme),
        "can_edit": programme.my_role in PEOPLE_EDITORS,
        "named": access.may_name(person),
        "window": window,
        "spaces": _spaces(person),
        "meetings": _meetings(request, programme, person),
        "actions": _capped(_actions(programme, person), ACTIONS_SHOWN),
        "learning": _capped(_learning(request, programme, person, is_self), LEARNING_SHOWN),
        "introductions": _introductions(programme, person),
        "base_url": reverse("network_person", args=[programme.slug, person.pk]),
        "breadcrumbs": breadcrumbs(programme, "people"),
        "nav": "programmes",
    }
    if context["named"]:
        context.update(_network(programme, person, window.value))
    context["page_url"] = _page_url(context["base_url"], window.value)
    return render(request, "network/person.jinja", context)


def _page_url(base_url: str, window: str):
    def url(page: int) -> str:
        return f"{base_url}?{urlencode({'window': window, 'page': page})}"

    return url


def _spaces(person: Participant) -> list[SpaceMember]:
    return list(
        SpaceMember.objects.filter(participant=person)
        .select_related("space")
        .order_by("space__name", "pk")
    )


def _meetings(request: HttpRequest, programme: Programme, person: Participant):
    """Held meetings they attended, newest first, a page at a time (two queries)."""
    attended = (
        Meeting.objects.for_programme(programme)
        .held()
        .filter(attendances__participant=person, attendances__status=Attendance.Status.ATTENDED)
        .select_related("space")
        .order_by("-starts_at", "-pk")
    )
    return Paginator(attended, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))


def _actions(programme: Programme, person: Participant):
    return (
        Action.objects.filter(programme=programme, owner=person)
        .select_related("meeting__space")
        .order_by("status", "due", "-pk")
    )


def _learning(request: HttpRequest, programme: Programme, person: Participant, is_self: bool):
    """Learning they wrote that the viewer may read. To anyone but themselves, only entries
    whose byline names them (they agreed to be named, and not from a Chatham House space):
    listing the rest here would name the author the learning pages keep anonymous."""
    entries = (
        LearningEntry.objects.readable_by(programme, request.user)
        .with_attribution()
        .filter(author__isnull=False, author_id=person.user_id)
        .select_related("innovation")
        .order_by("-created_at", "-pk")
    )
    if not is_self:
        entries = entries.filter(author_may_be_named=True)
    return entries


def _capped(queryset, limit: int) -> dict:
    """The first `limit` rows and how many there are in all (two queries)."""
    return {"rows": list(queryset[:limit]), "count": queryset.count()}


def _introductions(programme: Programme, person: Participant) -> list[dict]:
    """Introductions involving them, each with the other person, named only if they may be."""
    rows = (
        Introduction.objects.for_programme(programme)
        .involving(person)
        .select_related("person_a", "person_b", "met_meeting__space")
    )
    result = []
    for introduction in rows:
        other = (
            introduction.person_b
            if introduction.person_a_id == person.pk
            else introduction.person_a
        )
        result.append(
            {
                "introduction": introduction,
                "other": other,
                "other_named": access.may_name(other),
            }
        )
    return result


def _network(programme: Programme, person: Participant, window: str) -> dict:
    """Their place in the current snapshot: reach, contacts by group, brokerage and bands."""
    snapshot = snapshots.current_snapshot(programme, window)
    measure = (
        PersonMeasure.objects.filter(snapshot=snapshot, participant=person).first()
        if snapshot is not None
        else None
    )
    return {
        "snapshot": snapshot,
        "newer_on_the_way": snapshots.newer_on_the_way(programme, snapshot),
        "measure": measure,
        "contact_groups": _contact_groups(measure),
        "crossing": _crossing(measure),
        "brokerage": _brokerage(measure),
    }


def _contact_groups(measure: PersonMeasure | None) -> list[dict]:
    if measure is None:
        return []
    groups = []
    for boundary, label in CONTACT_GROUPS:
        rows = measure.contacts_by.get(boundary) or []
        if rows:
            groups.append({"boundary": boundary, "label": label, "rows": rows})
    return groups


def _crossing(measure: PersonMeasure | None) -> list[tuple[str, str]]:
    """(boundary, share of their ties crossing it, as a percentage or "Not known")."""
    if measure is None:
        return []
    shown = []
    for boundary, label in CONTACT_GROUPS:
        share = measure.crossing.get(boundary)
        shown.append((label, "Not known" if share is None else f"{round(share * 100)}%"))
    return shown


def _brokerage(measure: PersonMeasure | None) -> list[dict]:
    if measure is None:
        return []
    result = []
    for boundary, label in CONTACT_GROUPS:
        roles = measure.brokerage.get(boundary) or {}
        counted = [(ROLE_WORDS[role], roles[role]) for role in measures.ROLES if roles.get(role)]
        if counted:
            result.append({"label": label, "roles": counted})
    return result
