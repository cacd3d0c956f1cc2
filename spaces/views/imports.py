"""Importing attendees from a Teams attendance report or a Zoom participants export.

Uploading shows a preview and saves nothing; the preview waits in the session (the people's
names and addresses, never participant ids) until it is confirmed, and is matched against the
programme again at that moment, so only this programme's participants can ever be recorded.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ..access import SpaceAccess, get_meeting_for_change
from ..forms import AttendanceFileForm, ConfirmImportForm
from ..imports import (
    AttendanceReport,
    ImportOutcome,
    ImportPreview,
    match_report,
    save_import,
)
from ..models import Meeting
from .spaces import crumbs


def _session_key(meeting: Meeting) -> str:
    return f"attendance_import:{meeting.pk}"


@require_http_methods(["GET", "POST"])
def attendance_import(
    request: HttpRequest, slug: str, space_slug: str, meeting_id: int
) -> HttpResponse:
    space_access, meeting = get_meeting_for_change(request, slug, space_slug, meeting_id)
    if request.method == "GET":
        return _page(request, space_access, meeting, AttendanceFileForm())
    form = AttendanceFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, space_access, meeting, form)
    report = form.cleaned_data["report"]
    request.session[_session_key(meeting)] = report.as_session_data()
    preview = match_report(report, meeting)
    form = ConfirmImportForm(new_people=preview.creatable)
    return _page(request, space_access, meeting, form, preview)


@require_POST
def attendance_import_confirm(
    request: HttpRequest, slug: str, space_slug: str, meeting_id: int
) -> HttpResponse:
    space_access, meeting = get_meeting_for_change(request, slug, space_slug, meeting_id)
    try:
        report = AttendanceReport.from_session_data(request.session[_session_key(meeting)])
    except (KeyError, ValueError):
        messages.error(request, "The preview has expired. Upload the file again.")
        return redirect(_url("attendance_import", meeting))
    preview = match_report(report, meeting)
    form = ConfirmImportForm(request.POST, new_people=preview.creatable)
    if not form.is_valid():
        return _page(request, space_access, meeting, form, preview)
    outcome = save_import(
        meeting,
        preview,
        create_new=form.cleaned_data["create_new"],
        role_group=form.cleaned_data["role_group"],
        organisations=form.cleaned_data["organisations"],
    )
    del request.session[_session_key(meeting)]
    messages.success(request, _summary(outcome))
    return redirect(_url("meeting_log", meeting))


def _url(name: str, meeting: Meeting) -> str:
    return reverse(name, args=[meeting.space.programme.slug, meeting.space.slug, meeting.pk])


def _page(
    request: HttpRequest,
    space_access: SpaceAccess,
    meeting: Meeting,
    form: forms.Form,
    preview: ImportPreview | None = None,
) -> HttpResponse:
    breadcrumbs = [
        *crumbs(space_access.programme, space_access.space),
        {"href": _url("meeting_log", meeting), "text": meeting.title},
    ]
    context = {
        "programme": space_access.programme,
        "meeting": meeting,
        "form": form,
        "preview": preview,
        "upload_url": _url("attendance_import", meeting),
        "confirm_url": _url("attendance_import_confirm", meeting),
        "log_url": _url("meeting_log", meeting),
        "breadcrumbs": breadcrumbs,
        "nav": "programmes",
    }
    return render(
        request,
        "spaces/attendance_import.jinja",
        context,
        status=400 if form.errors else 200,
    )


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def _summary(outcome: ImportOutcome) -> str:
    text = f"Attendance imported: {_people(outcome.added)} recorded as attended"
    if outcome.created:
        text += f", including {_people(outcome.created)} new to the programme"
    text += "."
    if outcome.already_recorded:
        were = "was" if outcome.already_recorded == 1 else "were"
        text += f" {_people(outcome.already_recorded)} {were} already recorded."
    if outcome.left_out:
        were = "was" if outcome.left_out == 1 else "were"
        text += f" {_people(outcome.left_out)} from the file {were} not added."
    return text
