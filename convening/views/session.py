"""Staying signed in, and what was typed while signed out."""

from __future__ import annotations

import time

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from convening import unsent
from convening.middleware import SESSION_SEEN

# A value shorter than this with no line break is not text someone typed (an id, a choice):
# it is sent again unseen rather than shown as a box to edit.
SHOWN_FROM_LENGTH = 30


@never_cache
@require_POST
def keep_signed_in(request: HttpRequest) -> HttpResponse:
    """The session timeout warning's "Stay signed in": the idle clock starts again now."""
    request.session[SESSION_SEEN] = int(time.time())
    return HttpResponse(status=204)


@never_cache
@require_GET
def unsent_changes(request: HttpRequest) -> HttpResponse:
    kept = unsent.pending(request)
    if kept is None:
        return render(request, "convening/unsent_changes.jinja", {"kept": None})
    shown, hidden = [], []
    for name, values in kept["fields"]:
        for value in values:
            is_text = "\n" in value or len(value) >= SHOWN_FROM_LENGTH
            (shown if is_text else hidden).append((name, value))
    context = {"kept": kept, "shown": shown, "hidden": hidden}
    return render(request, "convening/unsent_changes.jinja", context)


@require_POST
def unsent_discard(request: HttpRequest) -> HttpResponse:
    kept = unsent.pending(request)
    unsent.discard(request)
    return redirect(kept["page"] if kept else "programme_list")
