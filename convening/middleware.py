"""Project middleware: session limits, htmx-aware sign-in, and MFA for leads and staff."""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from . import unsent
from .signin.stages import passed_second_factor

SESSION_STARTED = "convening_session_started"
SESSION_SEEN = "convening_session_seen"
# Refreshing the idle clock at most once a minute keeps a session write off most requests.
SEEN_REFRESH_SECONDS = 60
MFA_CHECKED = "convening_mfa_checked"
SIGNED_IN_WITHOUT_AUTHENTICATOR = "convening_signed_in_without_authenticator"


class StripNullCharactersMiddleware:
    """Drop NUL characters from the query string and form fields before anything reads them.

    Nobody types one; PostgreSQL refuses them in text, so a search for one was a server error.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "%00" in request.META.get("QUERY_STRING", ""):
            request.GET = _without_nulls(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            posted = request.POST
            if any("\x00" in value for values in posted.lists() for value in values[1]):
                request.POST = _without_nulls(posted)
        return self.get_response(request)


def _without_nulls(data: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    cleaned._mutable = False
    return cleaned


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
                signed_out = request.user.pk
                logout(request)
                request.session[unsent.SIGNED_OUT_USER] = signed_out
            elif now - seen >= SEEN_REFRESH_SECONDS or SESSION_SEEN not in session:
                session[SESSION_SEEN] = now
        return self.get_response(request)


API_PREFIX = "/api/"


class HtmxLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Sign-in everywhere except views marked login_not_required.

    An htmx request whose session has ended gets HX-Redirect to the sign-in page, so a sign-in
    form is never swapped into a fragment of a page. A form posted after the session ended is
    kept (convening.unsent) and the person is sent back to its page after signing in, where it
    is offered back to them.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(API_PREFIX):
            return None  # the API answers for itself: 401 in JSON, never a sign-in page
        if request.method == "POST" and request.user.is_authenticated:
            kept = request.session.get(unsent.UNSENT)
            if kept and kept.get("action") == request.path:
                unsent.discard(request)  # sent again, from the offer or the form itself
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request, view_func):
        login_url = resolve_url(self.get_login_url(view_func))
        field = self.get_redirect_field_name(view_func)
        if request.method == "POST":
            unsent.keep(request)
            back_to = unsent.page_url(request)
        else:
            back_to = request.get_full_path()
        if getattr(request, "htmx", False):
            path = request.htmx.current_url_abs_path or back_to
            return HttpResponseClientRedirect(redirect_to_login(path, login_url, field).url)
        return redirect_to_login(back_to, login_url, field)


class RequireMfaMiddleware:
    """Two-factor authentication, enforced per session.

    A session whose user has an authenticator must have passed it: allauth records each step of
    a sign-in in the session, and a session with no "mfa" step was made some other way (the admin's
    own sign-in form, before it was sent to ours), so it is ended. An "mfa" step may also be the
    work account's identity provider saying it did MFA (convening.signin). With
    REQUIRE_MFA_FOR_LEADS on, leads and staff with no second factor this session are sent to set
    up an authenticator first. The answer is kept in the session, so the check costs queries
    once per session.
    """

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/accessibility", "/privacy")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or request.session.get(MFA_CHECKED) == user.pk:
            return self.get_response(request)
        has_authenticator = Authenticator.objects.filter(user=user).exists()
        if has_authenticator and not self._passed_second_factor(request, user):
            return self._sign_out(request)
        # A second factor this session, even the identity provider's with no authenticator of
        # ours (NHS sign-in), meets the rule.
        if has_authenticator or passed_second_factor(request, user) or not self._must_set_up(user):
            request.session[MFA_CHECKED] = user.pk
            return self.get_response(request)
        # This session began without an authenticator, so one added in it counts as passed.
        request.session[SIGNED_IN_WITHOUT_AUTHENTICATOR] = user.pk
        if request.path.startswith(self.ALLOWED_PREFIXES):
            return self.get_response(request)
        messages.warning(
            request,
            "Programme leads and staff must turn on two-factor authentication before "
            "going on. Set up an authenticator app below.",
        )
        return _redirect(request, reverse("mfa_activate_totp"))

    @staticmethod
    def _passed_second_factor(request: HttpRequest, user) -> bool:
        if request.session.get(SIGNED_IN_WITHOUT_AUTHENTICATOR) == user.pk:
            return True
        return passed_second_factor(request, user)

    @staticmethod
    def _must_set_up(user) -> bool:
        return settings.REQUIRE_MFA_FOR_LEADS and (user.is_staff or user.is_lead_anywhere())

    @staticmethod
    def _sign_out(request: HttpRequest) -> HttpResponse:
        logout(request)
        messages.warning(
            request, "Sign in again, with the code from your authenticator app, to go on."
        )
        login_url = redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
        return _redirect(request, login_url.url)


def _redirect(request: HttpRequest, target: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(target)
    return redirect(target)
