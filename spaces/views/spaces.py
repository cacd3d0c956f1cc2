"""Adaptive spaces: the list, adding and editing, members and their mix, and "My spaces"."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from convening import history
from convening.access import LEAD, get_programme_for_view
from convening.breadcrumbs import breadcrumbs
from convening.jinja2 import render_fragment
from convening.models import Participant

from .. import access
from ..forms import SpaceForm, SpaceMemberForm
from ..models import AdaptiveSpace, Meeting, SpaceMember, space_mix

PAST_MEETINGS_PER_PAGE = 20


def crumbs(programme, space=None) -> list[dict[str, str]]:
    return breadcrumbs(programme, "space_list", space)


@require_GET
def my_spaces(request: HttpRequest) -> HttpResponse:
    spaces = (
        AdaptiveSpace.objects.visible_to(request.user)
        .where_member(request.user)
        .select_related("programme")
        .with_meeting_dates()
        .order_by("programme__name", "name")
    )
    return render(request, "spaces/my_spaces.jinja", {"spaces": spaces, "nav": "my_spaces"})


@require_GET
def space_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_view(request, slug)
    spaces = (
        AdaptiveSpace.objects.for_programme(programme)
        .with_meeting_dates()
        .order_by("status", "name")
    )
    return render(
        request,
        "spaces/space_list.jinja",
        {
            "programme": programme,
            "spaces": spaces,
            "can_add": programme.my_role == LEAD,
            # Attendance names people in bulk: leads only, as the people download.
            "can_export_attendance": programme.my_role == LEAD,
            "breadcrumbs": crumbs(programme)[:-1],
            "nav": "programmes",
        },
    )


@require_http_methods(["GET", "POST"])
def space_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = access.get_programme_for_new_space(request, slug)
    form = SpaceForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        form.save_unless_changed()  # a new space: nobody else can have saved it
        space = form.instance
        messages.success(request, f"Space “{space.name}” added. Now add its members.")
        return redirect(space.get_absolute_url())
    return _space_form(request, programme, form, space=None)


@require_http_methods(["GET", "POST"])
def space_edit(request: HttpRequest, slug: str, space_slug: str) -> HttpResponse:
    space_access = access.get_space_for_change(request, slug, space_slug)
    space = space_access.space
    form = SpaceForm(request.POST or None, instance=space, programme=space_access.programme)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = form.save_unless_changed()
        if conflict is None:
            messages.success(request, "Space details saved.")
            return redirect(space.get_absolute_url())
    return _space_form(request, space_access.programme, form, space=space, conflict=conflict)


def _space_form(request, programme, form, space, conflict=None) -> HttpResponse:
    return render(
        request,
        "spaces/space_form.jinja",
        {
            "programme": programme,
            "form": form,
            "space": space,
            "conflict": conflict,
            "breadcrumbs": crumbs(programme, space),
            "nav": "programmes",
        },
        status=409 if conflict else 400 if form.errors else 200,
    )


@require_GET
def space_history(request: HttpRequest, slug: str, space_slug: str) -> HttpResponse:
    """Every saved change to a space's details, for everyone who may see the space."""
    space_access = access.get_space_for_view(request, slug, space_slug)
    space, programme = space_access.space, space_access.programme
    return render(
        request,
        "components/history_page.jinja",
        {
            "programme": programme,
            "heading": f"History of {space.name}",
            "caption": programme.name,
            "changes": history.changes(space),
            "back_url": space.get_absolute_url(),
            "back_text": f"Back to {space.name}",
            "breadcrumbs": crumbs(programme, space),
            "nav": "programmes",
        },
    )


CANDIDATES_LIMIT = 20


@require_GET
def space_detail(request: HttpRequest, slug: str, space_slug: str) -> HttpResponse:
    space_access = access.get_space_for_view(request, slug, space_slug)
    if request.htmx and "member_q" in request.GET and space_access.can_change:
        query = request.GET["member_q"].strip()[:100]
        return render_fragment(
            request,
            "spaces/space_detail.jinja",
            "member_candidates",
            {
                "programme": space_access.programme,
                "space": space_access.space,
                "member_query": query,
                "candidates": _candidates(space_access.space, query),
            },
        )
    return render(request, "spaces/space_detail.jinja", _detail_context(request, space_access))


def _candidates(space, query: str) -> list[Participant] | None:
    """Programme people who are not yet members and match the search (the first 20)."""
    if not query:
        return None
    members = SpaceMember.objects.filter(space=space).values("participant_id")
    return list(
        Participant.objects.filter(programme_id=space.programme_id)
        .matching(query)
        .exclude(pk__in=members)
        .select_related("organisation")
        .order_by("name")[:CANDIDATES_LIMIT]
    )


def _detail_context(request, space_access, member_form=None) -> dict:
    space, programme = space_access.space, space_access.programme
    members = list(
        SpaceMember.objects.filter(space=space)
        .select_related("participant__organisation")
        .order_by("role", "participant__name")
    )
    meetings = Meeting.objects.filter(space=space)
    upcoming = list(meetings.upcoming().order_by("starts_at")[:10])
    past = Paginator(
        meetings.exclude(pk__in=[m.pk for m in upcoming]).order_by("-starts_at"),
        PAST_MEETINGS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    member_query = request.GET.get("member_q", "").strip()[:100]
    return {
        "programme": programme,
        "space": space,
        "access": space_access,
        "members": members,
        "mix": space_mix(space, members),
        "upcoming": upcoming,
        "past": past,
        "member_query": member_query,
        "candidates": _candidates(space, member_query) if space_access.can_change else None,
        "member_form": member_form or SpaceMemberForm(space=space),
        "breadcrumbs": crumbs(programme),
        "nav": "programmes",
    }


@require_POST
def space_member_add(request: HttpRequest, slug: str, space_slug: str) -> HttpResponse:
    space_access = access.get_space_for_change(request, slug, space_slug)
    space = space_access.space
    form = SpaceMemberForm(request.POST, space=space)
    if form.is_valid():
        participant = form.cleaned_data["participant"]
        try:
            with transaction.atomic():
                SpaceMember.objects.create(
                    space=space, participant=participant, role=form.cleaned_data["role"]
                )
            messages.success(request, f"{participant.name} added to the space.")
        except IntegrityError:
            messages.error(request, f"{participant.name} is already a member of this space.")
        return redirect(space.get_absolute_url() + "#members")
    context = _detail_context(request, space_access, member_form=form)
    return render(request, "spaces/space_detail.jinja", context, status=400)


@require_POST
def space_member_remove(
    request: HttpRequest, slug: str, space_slug: str, member_id: int
) -> HttpResponse:
    space_access = access.get_space_for_change(request, slug, space_slug)
    member = (
        SpaceMember.objects.filter(space=space_access.space, pk=member_id)
        .select_related("participant")
        .first()
    )
    if member is None:
        raise Http404("No such member of this space")
    member.delete()
    messages.success(request, f"{member.participant.name} is no longer a member of the space.")
    return redirect(space_access.space.get_absolute_url() + "#members")
