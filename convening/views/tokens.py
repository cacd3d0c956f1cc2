"""Personal access tokens for the JSON API, on the account's "API tokens" page.

A new token is shown once, on the page that answers the form, and never again: only a hash of
its secret is kept. Revoking is immediate; a revoked or expired token gets 401 from the API.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from convening import audit
from convening.forms import ApiTokenForm
from convening.models import ApiToken


@never_cache
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None, user=request.user)
    new_token = None
    if request.method == "POST" and form.is_valid():
        token, new_token = ApiToken.objects.issue(
            user=request.user,
            name=form.cleaned_data["name"],
            programmes=form.cleaned_data["programmes"],
            can_write=form.cleaned_data["access"] == ApiTokenForm.WRITE,
            expires_at=form.expires_at(),
        )
        access_word = "read and write" if token.can_write else "read only"
        for programme in form.cleaned_data["programmes"]:
            audit.record(
                request,
                audit.Action.MADE_API_TOKEN,
                programme=programme,
                detail=f"{token.name} ({access_word}, until {token.expires_at:%Y-%m-%d})",
            )
        form = ApiTokenForm(user=request.user)
    tokens = (
        ApiToken.objects.filter(user=request.user)
        .prefetch_related("programmes")
        .order_by("revoked_at", "-created_at")
    )
    context = {
        "form": form,
        "tokens": tokens,
        "new_token": new_token,
        "breadcrumbs": [{"href": reverse("home"), "text": "Home"}],
    }
    status = 400 if form.errors else 200
    return render(request, "convening/api_tokens.jinja", context, status=status)


@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(user=request.user, pk=token_id).first()
    if token is None:
        raise Http404("No such token of yours")
    if token.revoked_at is None:
        token.revoke()
        messages.success(request, f"“{token.name}” revoked. It no longer works.")
    return redirect("api_tokens")
