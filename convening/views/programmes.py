"""Programmes: the list, creating one and editing its details."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from convening import access, history
from convening.breadcrumbs import breadcrumbs
from convening.forms import (
    ProgrammeForm,
)
from convening.models import (
    Programme,
)


def _crumbs(programme: Programme | None = None) -> list[dict[str, str]]:
    return breadcrumbs(programme)


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Signed in: your programmes. Otherwise: signing in, and the public learning hub."""
    if request.user.is_authenticated:
        return redirect("programme_list")
    return render(request, "convening/home.jinja", {"nav": "home"})


@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = Programme.objects.visible_to(request.user).with_counts().order_by("name")
    return render(
        request,
        "convening/programme_list.jinja",
        {
            "programmes": programmes,
            # Staff see the network across all programmes (named by URL: core imports no app).
            "installation_network": request.user.is_staff,
            "nav": "programmes",
        },
    )


@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    if not request.user.can_create_programme:
        raise PermissionDenied("You cannot create programmes")
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = form.save_new(lead=request.user)
        messages.success(request, f"Programme “{programme.name}” created. You are its lead.")
        return redirect(programme)
    return render(
        request,
        "convening/programme_form.jinja",
        {"form": form, "nav": "programmes", "breadcrumbs": _crumbs(), "creating": True},
    )


@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = access.get_programme_for_change(request, slug)
    form = ProgrammeForm(request.POST or None, instance=programme)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = form.save_unless_changed()
        if conflict is None:
            messages.success(request, "Programme details saved.")
            return redirect(programme)
    return render(
        request,
        "convening/programme_form.jinja",
        {
            "form": form,
            "programme": programme,
            "conflict": conflict,
            "breadcrumbs": _crumbs(programme),
        },
        status=409 if conflict else 400 if form.errors else 200,
    )


@require_GET
def programme_history(request: HttpRequest, slug: str) -> HttpResponse:
    """Every saved change to the programme's details and shared understanding."""
    programme = access.get_programme_for_view(request, slug)
    return render(
        request,
        "components/history_page.jinja",
        {
            "programme": programme,
            "heading": f"History of {programme.name}",
            "caption": "Programme",
            "changes": history.changes(programme),
            "back_url": programme.get_absolute_url(),
            "back_text": "Back to the programme",
            "breadcrumbs": _crumbs(programme),
            "nav": "programmes",
        },
    )
