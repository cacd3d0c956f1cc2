"""Our own pages for requests Django refuses before a view runs: unreadable or too large, and
forms sent without a valid CSRF token. Django's defaults are unstyled (our CSP blocks their inline
style) and say nothing a person can act on."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from convening.unsent import own_referer

# Posted fields never shown back: the token itself, and anything secret.
NOT_SHOWN = ("csrfmiddlewaretoken", "password", "code", "token", "website")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return render(request, "413.html", {"back": _back_link(request)}, status=413)
    return render(request, "400.html", {"back": _back_link(request)}, status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form that cannot be trusted is not saved, but what the person typed is shown back to
    them so that nothing is lost: they can copy it into the form again."""
    return render(
        request,
        "403_csrf.html",
        {"back": _back_link(request), "typed": _typed_values(request)},
        status=403,
    )


def _typed_values(request: HttpRequest) -> list[tuple[str, str]]:
    if request.method != "POST":
        return []
    typed = []
    for name, values in request.POST.lists():
        if any(secret in name for secret in NOT_SHOWN):
            continue
        text = "\n".join(value for value in values if value.strip())
        if text:
            typed.append((name.replace("_", " "), text))
    return typed


def _back_link(request: HttpRequest) -> str:
    return own_referer(request) or "/"
