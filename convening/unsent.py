"""What someone posted after their session had ended is kept, and offered back after sign-in.

A form sent after 30 idle minutes (or 12 hours in all) reaches us signed out. Instead of losing
what was typed, the posted fields go into the new session, and once the same browser has signed
in again every page offers them back: a form holding exactly what was typed, sent to where it
was going. Secrets (the CSRF token, passwords, codes) are never kept. Kept for an hour.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

UNSENT = "convening_unsent"
# Who was signed in when the session was ended here, so their text is offered to them alone.
SIGNED_OUT_USER = "convening_signed_out_user"
KEEP_SECONDS = 60 * 60
MAX_CHARACTERS = 200_000
SECRET_NAMES = ("csrfmiddlewaretoken", "password", "code", "token")


def keep(request: HttpRequest) -> None:
    """Keep the fields of a POST that arrived after the session had ended."""
    fields = [
        [name, values]
        for name, values in request.POST.lists()
        if not any(secret in name.lower() for secret in SECRET_NAMES)
    ]
    typed = sum(len(value) for _, values in fields for value in values)
    if not typed or typed > MAX_CHARACTERS:
        return
    request.session[UNSENT] = {
        "action": request.path,
        "page": page_url(request),
        "fields": fields,
        "at": int(time.time()),
        "user": request.session.get(SIGNED_OUT_USER),
    }


def pending(request: HttpRequest) -> dict | None:
    """What this signed-in person posted while signed out, if it is theirs and recent."""
    kept = request.session.get(UNSENT)
    if not kept or not request.user.is_authenticated:
        return None
    if time.time() - kept.get("at", 0) > KEEP_SECONDS:
        discard(request)
        return None
    if kept.get("user") not in (None, request.user.pk):
        return None
    return kept


def discard(request: HttpRequest) -> None:
    request.session.pop(UNSENT, None)


def page_url(request: HttpRequest) -> str:
    """The page the form was on: htmx says so; a plain form's page is its Referer when that is
    ours; otherwise the address posted to."""
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.current_url_abs_path:
        return htmx.current_url_abs_path
    if referer := own_referer(request):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def own_referer(request: HttpRequest) -> str:
    """The Referer when it is a page of this site, else an empty string."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""
