"""Digest subscriptions: confirming, changing and stopping one by the link in an email (no
sign-in), and a member's own digests in their account.

The token pages answer everyone who holds the link: the confirmation token is signed and lasts
seven days; the manage and unsubscribe links carry the subscription's random 192-bit token. A
link that is forged, expired or unknown shows a clear page and changes nothing. GETs never
change anything; the one-click unsubscribe (RFC 8058) is a POST without a CSRF token, because a
mail client sends it with no session.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from convening.models import Innovation, Programme

from ..forms.subscriptions import ManageSubscriptionForm, MemberSubscribeForm
from ..models import Subscription
from ..subscriptions import (
    change,
    confirm,
    scope_name,
    subscription_for_confirmation,
    unsubscribe,
)

CONFIRM_TEMPLATE = "learning/digest_confirm.jinja"


def _invalid_link(request: HttpRequest, status: int, *, expired: bool = False) -> HttpResponse:
    return render(
        request,
        CONFIRM_TEMPLATE,
        {"state": "expired" if expired else "invalid", "nav": "hub"},
        status=status,
    )


def _by_token(token: str) -> Subscription | None:
    return (
        Subscription.objects.filter(unsubscribe_token=token)
        .select_related("programme", "innovation")
        .first()
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def digest_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscription = subscription_for_confirmation(token)
    except signing.SignatureExpired:
        return _invalid_link(request, 400, expired=True)
    except signing.BadSignature:
        return _invalid_link(request, 400)
    if request.method == "POST":
        if confirm(subscription):
            return redirect(reverse("digest_confirm", args=[token]) + "?confirmed=1")
        state = "already"
    elif subscription.is_confirmed:
        state = "confirmed" if request.GET.get("confirmed") == "1" else "already"
    else:
        state = "ask"
    context = {
        "state": state,
        "subscription": subscription,
        "scope": scope_name(subscription),
        "token": token,
        "nav": "hub",
    }
    return render(request, CONFIRM_TEMPLATE, context)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def digest_manage(request: HttpRequest, token: str) -> HttpResponse:
    subscription = _by_token(token)
    if subscription is None:
        return _invalid_link(request, 404)
    initial = {"frequency": subscription.frequency, "weekday": subscription.weekday}
    form = ManageSubscriptionForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        change(subscription, form.cleaned_data["frequency"], form.cleaned_data["weekday"])
        stopped = subscription.frequency == Subscription.Frequency.OFF
        messages.success(request, "Emails stopped" if stopped else "Changes saved")
        return redirect("digest_manage", token)
    context = {
        "subscription": subscription,
        "scope": scope_name(subscription),
        "form": form,
        "nav": "hub",
        "mine": request.user.is_authenticated and subscription.user_id == request.user.pk,
    }
    return render(
        request, "learning/digest_manage.jinja", context, status=400 if form.errors else 200
    )


@csrf_exempt  # List-Unsubscribe-Post: a mail client posts with no session and no token
@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscription = _by_token(token)
    if subscription is None:
        return _invalid_link(request, 404)
    if request.method == "POST":
        unsubscribe(subscription)
        return redirect("digest_unsubscribe", token)
    context = {
        "subscription": subscription,
        "scope": scope_name(subscription),
        "done": subscription.frequency == Subscription.Frequency.OFF,
        "token": token,
        "nav": "hub",
    }
    return render(request, "learning/digest_unsubscribe.jinja", context)


@never_cache
@require_http_methods(["GET", "POST"])
def my_digests(request: HttpRequest) -> HttpResponse:
    user = request.user
    programmes = list(Programme.objects.filter(memberships__user=user).distinct().order_by("name"))
    innovations = list(
        Innovation.objects.filter(programme__in=[p.pk for p in programmes]).order_by("name", "pk")
    )
    form = MemberSubscribeForm(
        request.POST if request.method == "POST" else None,
        programmes=programmes,
        innovations=innovations,
    )
    if request.method == "POST" and form.is_valid():
        programme, innovation = form.chosen_scope()
        _subscribe_member(user, programme, innovation, form.cleaned_data)
        messages.success(request, f"Subscribed to {innovation or programme}")
        return redirect("my_digests")
    subscriptions = (
        Subscription.objects.filter(user=user)
        .select_related("programme", "innovation")
        .order_by("programme__name", "innovation__name", "pk")
    )
    context = {
        "subscriptions": subscriptions,
        "form": form,
        "breadcrumbs": [{"href": reverse("home"), "text": "Home"}],
    }
    return render(request, "learning/my_digests.jinja", context, status=400 if form.errors else 200)


def _subscribe_member(user, programme: Programme, innovation: Innovation | None, data) -> None:
    """A member's subscription is confirmed at once: they are signed in with that address. One
    they already have for the scope (or one their address has as an email-only reader) is
    updated rather than doubled."""
    subscription = (
        Subscription.objects.filter(programme=programme, innovation=innovation)
        .filter(Q(user=user) | Q(user__isnull=True, email__iexact=user.email))
        .order_by(F("user_id").asc(nulls_last=True))  # their own first
        .first()
    )
    if subscription is None:
        subscription = Subscription(programme=programme, innovation=innovation)
    subscription.user = user
    subscription.email = user.email
    subscription.confirmed_at = subscription.confirmed_at or timezone.now()
    subscription.unsubscribed_at = None
    subscription.frequency = data["frequency"]
    subscription.weekday = data["weekday"]
    subscription.save()
