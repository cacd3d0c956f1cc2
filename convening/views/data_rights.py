"""Data rights pages for a data protection officer: find a person by email across every
programme, download everything held about them, and erase them by anonymisation; and the
"Data we hold" page of each programme, for its members.

The officer's pages post the email address rather than putting it in the address, so it is
never written to a server's access log or a browser's history.
"""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from convening import access, audit, personal_data
from convening.forms import PersonLookupForm
from convening.views.programmes import _crumbs

NOTHING_HELD = "We hold nothing about {email}. Nothing was changed."


@require_http_methods(["GET", "POST"])
def data_protection(request: HttpRequest) -> HttpResponse:
    """Find a person by email: what is held about them, with the download and erasure."""
    access.require_data_protection(request)
    form = PersonLookupForm(request.POST or None)
    person = None
    searched = False
    if request.method == "POST" and form.is_valid():
        searched = True
        person = personal_data.find_person(form.cleaned_data["email"])
    return render(
        request,
        "convening/data_protection.jinja",
        {
            "form": form,
            "searched": searched,
            "person": person,
            "holdings": person.holdings() if person else [],
            "nav": "data_protection",
        },
        status=400 if form.errors else 200,
    )


@require_POST
def subject_access_export(request: HttpRequest) -> HttpResponse:
    """A ZIP of everything held about the person: JSON, and the same as a page to read."""
    access.require_data_protection(request)
    form = PersonLookupForm(request.POST)
    person = personal_data.find_person(form.cleaned_data["email"]) if form.is_valid() else None
    if person is None:
        return _not_found(request, form)
    data = personal_data.subject_access_data(person)
    audit.record(
        request,
        audit.Action.SUBJECT_ACCESS,
        subject=person.participants[0] if person.participants else None,
        subject_label=person.email,
    )
    page = render_to_string("convening/subject_access_page.jinja", {"data": data})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", personal_data.subject_access_json(data))
        archive.writestr("data.html", page)
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def erasure(request: HttpRequest) -> HttpResponse:
    """First the confirmation page, listing what will change; with `confirm`, the erasure."""
    access.require_data_protection(request)
    form = PersonLookupForm(request.POST)
    if not form.is_valid():
        return _not_found(request, form)
    email = form.cleaned_data["email"]
    if not form.cleaned_data["confirm"]:
        person = personal_data.find_person(email)
        if person is None:
            return _not_found(request, form)
        return render(
            request,
            "convening/erasure_confirm.jinja",
            {"form": form, "person": person, "holdings": person.holdings()},
        )
    result = personal_data.erase(email)
    if result is None:  # nothing held, or another officer's erasure got there first
        return _not_found(request, form)
    audit.record(
        request,
        audit.Action.ERASED,
        subject_label=", ".join(result.pseudonyms) or "A former participant",
        detail=result.summary(),
    )
    names = ", ".join(result.pseudonyms)
    messages.success(
        request,
        f"Erased. Their records are now {names}." if names else "Erased.",
    )
    return redirect("data_protection")


def _not_found(request: HttpRequest, form: PersonLookupForm) -> HttpResponse:
    if form.is_valid():
        messages.info(request, NOTHING_HELD.format(email=form.cleaned_data["email"]))
        return redirect("data_protection")
    return render(
        request,
        "convening/data_protection.jinja",
        {"form": form, "searched": False, "person": None, "holdings": []},
        status=400,
    )


@require_GET
def data_we_hold(request: HttpRequest, slug: str) -> HttpResponse:
    """What the programme records about people, why, who sees it and for how long."""
    programme = access.get_programme_for_view(request, slug)
    return render(
        request,
        "convening/data_we_hold.jinja",
        {
            "programme": programme,
            "retention_years": settings.RETENTION_YEARS,
            "invitation_days": settings.INVITATION_DAYS,
            "breadcrumbs": _crumbs(programme),
            "nav": "programmes",
        },
    )
