"""The meeting pulse: the anonymous answer page behind a signed link, and the results."""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .. import pulse
from ..access import get_meeting_for_change
from ..forms import PulseForm
from ..models import Meeting

BROWSER_COOKIE = "convening_pulse"
# Browsers cap cookie lifetimes at 400 days.
BROWSER_COOKIE_AGE = 400 * 24 * 60 * 60
BROWSER_COOKIE_PATH = "/pulse/"
BROWSER_ID = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
TEMPLATE = "spaces/pulse_answer.jinja"


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def pulse_answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        meeting = pulse.meeting_from_pulse_token(token)
    except pulse.PulseLinkExpired:
        return render(request, TEMPLATE, {"state": "expired"}, status=410)
    except pulse.PulseLinkInvalid:
        return render(request, TEMPLATE, {"state": "invalid"}, status=404)
    browser_id = _browser_id(request)
    refusal = _refusal(meeting, browser_id)
    if refusal:
        # A refused write is a conflict; merely opening the link again is not.
        status = 409 if request.method == "POST" else 200
        return _page(request, meeting, refusal, status=status)
    form = PulseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pulse.record_answer(meeting, browser_id, form.cleaned_data)
        except pulse.AlreadyAnswered:
            return _page(request, meeting, "answered", status=409)
        messages.success(request, "Thank you. Your answers are saved.")
        return _with_browser_id(redirect(request.path), browser_id)
    response = _page(request, meeting, "form", form=form, status=400 if form.errors else 200)
    # Set before the first answer, so two quick posts from one browser share one key.
    return _with_browser_id(response, browser_id)


def _refusal(meeting: Meeting, browser_id: str) -> str:
    """Why this browser cannot answer now, or "" if it can."""
    if meeting.status != Meeting.Status.HELD:
        return "not_held"
    if pulse.has_answered(meeting, browser_id):
        return "answered"
    return ""


def _page(
    request: HttpRequest, meeting: Meeting, state: str, *, status: int, form=None
) -> HttpResponse:
    context = {
        "meeting": meeting,
        "meeting_date": date_format(timezone.localtime(meeting.starts_at), "j F Y"),
        "state": state,
        "form": form,
    }
    return render(request, TEMPLATE, context, status=status)


def _browser_id(request: HttpRequest) -> str:
    """This browser's random pulse id, or a new one."""
    value = request.COOKIES.get(BROWSER_COOKIE, "")
    return value if BROWSER_ID.match(value) else secrets.token_urlsafe(32)


def _with_browser_id(response: HttpResponse, browser_id: str) -> HttpResponse:
    response.set_cookie(
        BROWSER_COOKIE,
        browser_id,
        max_age=BROWSER_COOKIE_AGE,
        path=BROWSER_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@require_GET
def pulse_results(
    request: HttpRequest, slug: str, space_slug: str, meeting_id: int
) -> HttpResponse:
    access, meeting = get_meeting_for_change(request, slug, space_slug, meeting_id)
    can_answer = meeting.status != Meeting.Status.CANCELLED
    pulse_url = ""
    if can_answer:
        pulse_url = settings.SITE_URL + reverse("pulse_answer", args=[pulse.pulse_token(meeting)])
    space = access.space
    return render(
        request,
        "spaces/pulse_results.jinja",
        {
            "programme": access.programme,
            "space": space,
            "meeting": meeting,
            "pulse_url": pulse_url,
            "results": pulse.pulse_results(meeting),
            "threshold": pulse.RESULTS_THRESHOLD,
            "link_days": pulse.LINK_LIFETIME.days,
            "breadcrumbs": [
                {"href": reverse("programme_list"), "text": "Programmes"},
                {"href": access.programme.get_absolute_url(), "text": access.programme.name},
                {"href": reverse("space_list", args=[slug]), "text": "Spaces"},
                {"href": space.get_absolute_url(), "text": space.name},
                {"href": meeting.get_absolute_url(), "text": meeting.title},
            ],
        },
    )
