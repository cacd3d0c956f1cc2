"""The programme's open actions, which their owners and facilitators mark done."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from convening.access import PEOPLE_EDITORS, get_programme_for_view
from convening.jinja2 import render_fragment

from ..models import Action

ACTIONS_PER_PAGE = 50


def _context(request, programme) -> dict:
    actions = (
        Action.objects.filter(programme=programme)
        .open()
        .select_related("owner", "meeting__space", "planned_activity")
        .order_by("due", "pk")
    )
    return {
        "programme": programme,
        "page": Paginator(actions, ACTIONS_PER_PAGE).get_page(request.GET.get("page")),
        "can_close_any": programme.my_role in PEOPLE_EDITORS,
        # One URL prefix for the planned activities, not a reverse() per row.
        "plan_base": reverse("plan", args=[programme.slug]),
        "breadcrumbs": [
            {"href": reverse("programme_list"), "text": "Programmes"},
            {"href": programme.get_absolute_url(), "text": programme.name},
        ],
        "nav": "programmes",
    }


@require_GET
def action_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_view(request, slug)
    return render(request, "spaces/action_list.jinja", _context(request, programme))


@require_POST
def action_done(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    programme = get_programme_for_view(request, slug)
    action = (
        Action.objects.filter(programme=programme, pk=action_id).select_related("owner").first()
    )
    if action is None:
        raise Http404("No such action in this programme")
    owns_it = action.owner is not None and action.owner.user_id == request.user.pk
    if not (owns_it or programme.my_role in PEOPLE_EDITORS):
        raise PermissionDenied("Only the action's owner or a facilitator can mark it done")
    action.mark_done()
    notice = f"“{action.title}” marked done."
    if request.htmx:
        context = _context(request, programme)
        context["notice"] = notice
        return render_fragment(request, "spaces/action_list.jinja", "open_actions", context)
    messages.success(request, notice)
    return redirect("action_list", slug=programme.slug)
