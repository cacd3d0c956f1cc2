"""The programme overview and the page of the ten activity areas."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from activities.models import ActivityArea
from activities.overview import planning_context
from convening import access
from convening.models import (
    Innovation,
    Membership,
    Organisation,
    Participant,
)
from convening.views.programmes import _crumbs


@require_GET
def programme_overview(request: HttpRequest, slug: str) -> HttpResponse:
    programme = access.get_programme_for_view(request, slug)
    memberships = list(
        programme.memberships.select_related("user").order_by("user__name", "user__email")
    )
    innovations = list(
        Innovation.objects.filter(programme=programme).select_related("innovator_organisation")
    )
    organisations = list(
        Organisation.objects.for_programme(programme).with_people_in(programme).order_by("name")
    )
    participant_count = Participant.objects.filter(programme=programme).count()
    members_by_role = {
        role.label: [m for m in memberships if m.role == role] for role in Membership.Role
    }
    return render(
        request,
        "activities/programme_overview.jinja",
        {
            "programme": programme,
            "members_by_role": members_by_role,
            "innovations": innovations,
            "organisations": organisations,
            "participant_count": participant_count,
            "own_record_needing_consent": access.own_record_needing_consent(request, programme),
            "is_lead": programme.my_role == access.LEAD,
            "breadcrumbs": _crumbs(),
            "nav": "programmes",
            **planning_context(programme),
        },
    )


@require_GET
def activity_areas(request: HttpRequest) -> HttpResponse:
    areas = ActivityArea.objects.with_practices()
    return render(request, "activities/areas.jinja", {"areas": areas, "nav": "areas"})
