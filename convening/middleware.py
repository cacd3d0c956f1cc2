"""Project middleware: session limits, htmx-aware sign-in, and MFA for leads and staff."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

SESSION_STARTED = "convening_session_started"
SESSION_SEEN = "convening_session_seen"
# Refreshing the idle clock at most once a minute keeps a session write off most requests.
SEEN_REFRESH_SECONDS = 60
MFA_CHECKED = "convening_mfa_checked"


class SessionLimitsMiddleware:
    """End a signed-in session after 30 minutes idle or 12 hours in all.

    The idle limit is the session's own expiry (SESSION_COOKIE_AGE), renewed whenever the
    session is saved; this middleware saves it at most once a minute and enforces the cap.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(SESSION_STARTED, now)
            seen = session.get(SESSION_SEEN, now)
            if (
                now - started > settings.SESSION_MAX_SECONDS
                or now - seen > settings.SESSION_IDLE_SECONDS
            ):
                logout(request)
            elif now - seen >= SEEN_REFRESH_SECONDS or SESSION_SEEN not in session:
                session[SESSION_SEEN] = now
        return self.get_response(request)


class HtmxLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Sign-in everywhere except views marked login_not_required.

    An htmx request whose session has ended gets HX-Redirect to the sign-in page, so a sign-in
    form is never swapped into a fragment of a page.
    """

    def handle_no_permission(self, request, view_func):
        if getattr(request, "htmx", False):
            path = request.htmx.current_url_abs_path or request.get_full_path()
            login_url = resolve_url(self.get_login_url(view_func))
            return HttpResponseClientRedirect(
                redirect_to_login(path, login_url, self.get_redirect_field_name(view_func)).url
            )
        return super().handle_no_permission(request, view_func)


class RequireMfaMiddleware:
    """With REQUIRE_MFA_FOR_LEADS on, leads and staff must set up an authenticator app first."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/accessibility", "/privacy")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_set_up_mfa(request):
            messages.warning(
                request,
                "Programme leads and staff must turn on two-factor authentication before "
                "going on. Set up an authenticator app below.",
            )
            target = reverse("mfa_activate_totp")
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(target)
            return redirect(target)
        return self.get_response(request)

    def _must_set_up_mfa(self, request: HttpRequest) -> bool:
        if not settings.REQUIRE_MFA_FOR_LEADS or not request.user.is_authenticated:
            return False
        if request.path.startswith(self.ALLOWED_PREFIXES):
            return False
        if request.session.get(MFA_CHECKED) == request.user.pk:
            return False
        user = request.user
        from allauth.mfa.models import Authenticator

        needs_mfa = (user.is_staff or user.is_lead_anywhere()) and not (
            Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        )
        if not needs_mfa:
            # Remembered for the session so the check costs no queries on later pages.
            request.session[MFA_CHECKED] = user.pk
        return needs_mfa
