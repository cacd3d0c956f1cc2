"""Digests for a programme's leads: what a subscriber would get now, and what was sent."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from convening.access import LEAD, get_programme_for_change, get_programme_for_view
from convening.models import Programme

from ..digest import build_email, compose
from ..models import DigestDelivery, Subscription
from .entries import crumbs

PREVIEW_CHOICES = 50
EMAIL_SEARCH_MAX = 254


def _preview_crumbs(programme: Programme) -> list[dict[str, str]]:
    return [
        {"href": reverse("programme_list"), "text": "Programmes"},
        {"href": programme.get_absolute_url(), "text": programme.name},
        {"href": reverse("digest_log", args=[programme.slug]), "text": "Digests"},
    ]


def _chosen_subscription(programme: Programme, value: str) -> Subscription | None:
    """The subscription picked in the address, if any; one of another programme, or an id that
    is not a number, is 404."""
    if not value:
        return None
    is_id = value.isascii() and value.isdigit() and len(value) <= 18
    subscription = (
        Subscription.objects.filter(programme=programme, pk=int(value) if is_id else 0)
        .select_related("programme", "innovation", "user")
        .first()
    )
    if subscription is None:
        raise Http404("No such subscription in this programme")
    return subscription


def preview_period_start(subscription: Subscription):
    """Where the subscriber's next digest would start: the end of the last one sent (or found
    empty), or when they confirmed (or asked, if they have not confirmed yet)."""
    last = subscription.deliveries.filter(
        status__in=(DigestDelivery.Status.SENT, DigestDelivery.Status.EMPTY)
    ).aggregate(end=Max("period_end"))["end"]
    return last or subscription.confirmed_at or subscription.created_at


@require_GET
def digest_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """What the chosen subscriber would get if their digest were sent now, for the leads.

    The subscription is looked up in the programme before the role is checked, so another
    programme's is 404 for everyone, as an object in the path would be."""
    programme = get_programme_for_view(request, slug)
    subscription = _chosen_subscription(programme, request.GET.get("subscription", ""))
    if programme.my_role != LEAD:
        raise PermissionDenied("Your role in this programme does not allow this")
    search = " ".join(request.GET.get("q", "").split())[:EMAIL_SEARCH_MAX]
    choices = Subscription.objects.filter(programme=programme).select_related("innovation")
    if search:
        choices = choices.filter(email__icontains=search)
    choices = list(choices.order_by("-created_at", "-pk")[:PREVIEW_CHOICES])
    preview = None
    if subscription is not None:
        now = timezone.now()
        start = min(preview_period_start(subscription), now)
        digest = compose(subscription, start, now)
        email = build_email(subscription, digest, period_end=now)
        preview = {"digest": digest, "subject": email.subject, "text": email.body, "start": start}
    return render(
        request,
        "learning/digest_preview.jinja",
        {
            "programme": programme,
            "search": search,
            "choices": choices,
            "subscription": subscription,
            "preview": preview,
            "breadcrumbs": _preview_crumbs(programme),
            "nav": "programmes",
        },
    )


DELIVERIES_PER_PAGE = 50


@require_GET
def digest_log(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme's digest deliveries, newest first, for its leads: what was sent, what was
    empty, and what failed and why."""
    programme = get_programme_for_change(request, slug)
    deliveries = DigestDelivery.objects.filter(subscription__programme=programme)
    counts = dict(deliveries.order_by().values_list("status").annotate(Count("pk")))
    status = request.GET.get("status", "")
    if status not in DigestDelivery.Status.values:
        status = ""
    shown = deliveries.filter(status=status) if status else deliveries
    shown = shown.select_related("subscription__innovation").order_by("-period_end", "-pk")
    page = Paginator(shown, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/digest_log.jinja",
        {
            "programme": programme,
            "statuses": [
                (value, label, counts.get(value, 0))
                for value, label in DigestDelivery.Status.choices
            ],
            "total": sum(counts.values()),
            "status": status,
            "caption": "Digest deliveries, newest first"
            + (f", {DigestDelivery.Status(status).label.lower()} only" if status else ""),
            "deliveries": page.object_list,
            "page": page,
            "breadcrumbs": crumbs(programme, log=True),
            "nav": "programmes",
        },
    )
