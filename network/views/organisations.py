"""An organisation's page: its people in the programme, its sites' adoption of the programme's
innovations, the meetings its people attended, and its ties to other organisations.

Every member of the programme opens it, for any of the programme's organisations (its
participants' or adopting sites'); any other organisation is 404. Leads and facilitators see
the names of its people who agreed to be recorded, and a count of the rest; members see a
count. Ties come from the current snapshot's organisation ties, each linking to the other
organisation's page. A fixed number of queries, whatever the size.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from convening.breadcrumbs import breadcrumbs
from convening.models import Adoption, Organisation, Participant, Programme
from spaces.models import Attendance, Meeting

from .. import access, snapshots
from ..models import Boundary, GroupMeasure, GroupTie
from .windows import chosen_window

MEETINGS_SHOWN = 20
PEOPLE_SHOWN = 100


@require_GET
def network_organisation(request: HttpRequest, slug: str, organisation_id: int) -> HttpResponse:
    programme, organisation = access.get_organisation_for_view(request, slug, organisation_id)
    window = chosen_window(request)
    snapshot = snapshots.current_snapshot(programme, window.value)
    context = {
        "programme": programme,
        "organisation": organisation,
        "sees_people": access.sees_people(programme),
        "window": window,
        **_people(programme, organisation, access.sees_people(programme)),
        "adoptions": list(
            Adoption.objects.for_programme(programme)
            .filter(organisation=organisation)
            .select_related("innovation")
            .order_by("innovation__name", "pk")
        ),
        "meetings": _meetings(programme, organisation),
        "snapshot": snapshot,
        "newer_on_the_way": snapshots.newer_on_the_way(programme, snapshot),
        "group": _group(snapshot, organisation),
        "ties": _ties(snapshot, organisation),
        "base_url": reverse("network_organisation", args=[programme.slug, organisation.pk]),
        "breadcrumbs": breadcrumbs(programme, "people"),
        "nav": "programmes",
    }
    return render(request, "network/organisation.jinja", context)


def _people(programme: Programme, organisation: Organisation, sees_people: bool) -> dict:
    """Its people in the programme: how many, and, for leads and facilitators, the names of
    those who may be named (people who did not agree to be recorded, or were erased, are
    counted, never named). Two queries."""
    people = Participant.objects.filter(programme=programme, organisation=organisation)
    nameable = Q(consent_recorded=True, anonymised_at__isnull=True)
    counts = people.aggregate(everyone=Count("pk"), named=Count("pk", filter=nameable))
    named = []
    if sees_people:
        named = list(
            people.filter(nameable)
            .only("pk", "name", "job_title", "user_id", "programme_id")
            .order_by("name", "pk")[:PEOPLE_SHOWN]
        )
    return {
        "people_count": counts["everyone"],
        "named_count": counts["named"],
        "not_named_count": counts["everyone"] - counts["named"],
        "named_people": named,
    }


def _meetings(programme: Programme, organisation: Organisation) -> dict:
    """Held meetings its people attended, newest first, with how many of them were there: the
    most recent, and how many in all (two queries)."""
    present = Q(
        attendances__participant__organisation=organisation,
        attendances__status=Attendance.Status.ATTENDED,
    )
    meetings = (
        Meeting.objects.for_programme(programme)
        .held()
        .filter(present)
        .annotate(from_here=Count("attendances", filter=present, distinct=True))
        .select_related("space")
        .order_by("-starts_at", "-pk")
    )
    count = Meeting.objects.for_programme(programme).held().filter(present).distinct().count()
    return {"rows": list(meetings[:MEETINGS_SHOWN]), "count": count}


def _group(snapshot, organisation: Organisation) -> GroupMeasure | None:
    if snapshot is None:
        return None
    return GroupMeasure.objects.filter(
        snapshot=snapshot, boundary=Boundary.ORGANISATION, key=str(organisation.pk)
    ).first()


def _ties(snapshot, organisation: Organisation) -> list[dict]:
    """Its ties to other organisations in the snapshot, strongest first, each with the other
    organisation's id (the tie's key) and name."""
    if snapshot is None:
        return []
    key = str(organisation.pk)
    rows = GroupTie.objects.filter(snapshot=snapshot, boundary=Boundary.ORGANISATION).filter(
        Q(a_key=key) | Q(b_key=key)
    )
    ties = []
    for tie in rows.order_by("-weight", "pk"):
        other_key, other_label = (
            (tie.b_key, tie.b_label)
            if tie.a_key == key
            else (
                tie.a_key,
                tie.a_label,
            )
        )
        ties.append(
            {
                "organisation_id": int(other_key) if other_key.isdigit() else None,
                "name": other_label,
                "weight": tie.weight,
                "ties": tie.ties,
            }
        )
    return ties
