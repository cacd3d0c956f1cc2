"""A space's private calendar feed, the page that shows its address, and one meeting as .ics."""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_safe
from icalendar import Calendar, Event

from convening.breadcrumbs import breadcrumbs

from ..access import get_meeting_for_view, get_space_for_change, get_space_for_view
from ..forms import CalendarAddressForm
from ..models import AdaptiveSpace, Meeting

# Meetings that started up to this long ago stay in the feed, so a subscribed calendar keeps
# the recent past; everything planned from then on is included.
FEED_PAST_WINDOW = timedelta(days=90)
PRODID = "-//Convening//Adaptive space meetings//EN"
ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"

_EVENT_STATUS = {
    Meeting.Status.PLANNED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
}


@require_http_methods(["GET", "POST"])
def space_calendar(request: HttpRequest, slug: str, space_slug: str) -> HttpResponse:
    if request.method == "POST":
        return _change_calendar_address(request, slug, space_slug)
    access = get_space_for_view(request, slug, space_slug)
    space = access.space
    feed_url = _feed_url(space) if space.calendar_token else ""
    return render(
        request,
        "spaces/space_calendar.jinja",
        {
            "programme": access.programme,
            "space": space,
            "can_change": access.can_change,
            "feed_url": feed_url,
            "breadcrumbs": _space_crumbs(space),
        },
    )


def _change_calendar_address(request: HttpRequest, slug: str, space_slug: str) -> HttpResponse:
    space = get_space_for_change(request, slug, space_slug).space
    form = CalendarAddressForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["action"][0])
    elif form.cleaned_data["action"] == "revoke":
        space.revoke_calendar_token()
        messages.success(request, "The calendar address is turned off. It no longer works.")
    else:
        had_one = bool(space.calendar_token)
        space.renew_calendar_token()
        messages.success(
            request,
            "There is a new calendar address. The old one no longer works."
            if had_one
            else "The calendar address is ready to copy.",
        )
    return redirect("space_calendar", slug=slug, space_slug=space_slug)


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    space = _space_for_token(token)
    meetings = space.meetings.filter(starts_at__gte=timezone.now() - FEED_PAST_WINDOW).order_by(
        "starts_at", "pk"
    )
    calendar = _calendar(name=space.name, uid=f"space-{space.pk}@convening")
    # How often apps should check for changes: the standard property, and Outlook's own.
    calendar.refresh_interval = timedelta(hours=1)
    calendar.add("X-PUBLISHED-TTL", timedelta(hours=1))
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    response = HttpResponse(calendar.to_ical(), content_type=ICAL_CONTENT_TYPE)
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def meeting_ics(request: HttpRequest, slug: str, space_slug: str, meeting_id: int) -> HttpResponse:
    _, meeting = get_meeting_for_view(request, slug, space_slug, meeting_id)
    calendar = _calendar(name=meeting.title, uid=f"meeting-{meeting.pk}-download@convening")
    calendar.add_component(_event(meeting))
    response = HttpResponse(calendar.to_ical(), content_type=ICAL_CONTENT_TYPE)
    filename = f"{slugify(meeting.title)[:80] or 'meeting'}.ics"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-cache"
    return response


def _space_for_token(token: str) -> AdaptiveSpace:
    # An empty token would match every space without an address.
    space = (
        AdaptiveSpace.objects.filter(calendar_token=token).select_related("programme").first()
        if token
        else None
    )
    if space is None:
        raise Http404("No calendar at this address")
    return space


def _calendar(*, name: str, uid: str) -> Calendar:
    return Calendar.new(prodid=PRODID, name=name, method="PUBLISH", uid=uid)


def _event(meeting: Meeting) -> Event:
    """One meeting as a calendar event: when, where and a link, and never its notes."""
    return Event.new(
        uid=f"meeting-{meeting.pk}@convening",
        start=meeting.starts_at.astimezone(datetime.UTC),
        end=meeting.ends_at.astimezone(datetime.UTC),
        summary=meeting.title,
        location=meeting.location or None,
        status=_EVENT_STATUS[meeting.status],
        url=settings.SITE_URL + meeting.get_absolute_url(),
        description=_description(meeting),
        # Each saved edit raises the version, so calendar apps pick up the change.
        sequence=meeting.version - 1,
    )


def _description(meeting: Meeting) -> str:
    space = meeting.space
    lines = [
        f"A meeting of {space.name} ({space.programme.name}).",
        f"Format: {meeting.get_format_display()}.",
    ]
    if meeting.status == Meeting.Status.CANCELLED:
        lines.append("This meeting is cancelled.")
    lines.append(f"Details: {settings.SITE_URL}{meeting.get_absolute_url()}")
    return "\n".join(lines)


def _feed_url(space: AdaptiveSpace) -> str:
    return settings.SITE_URL + reverse("calendar_feed", args=[space.calendar_token])


def _space_crumbs(space: AdaptiveSpace) -> list[dict[str, str]]:
    return breadcrumbs(space.programme, "space_list", space)
