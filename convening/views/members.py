"""Members of a programme and invitations to join it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from convening import access
from convening.forms import (
    AcceptInvitationForm,
    InviteForm,
    RoleForm,
)
from convening.jinja2 import render_fragment
from convening.models import (
    Invitation,
    InvitationUnusableError,
    LastLeadError,
    Membership,
    Programme,
    User,
)
from convening.views.programmes import _crumbs

# Members and invitations ----------------------------------------------------------------------


def _members_context(programme: Programme, invite_form: InviteForm | None = None) -> dict:
    return {
        "programme": programme,
        "memberships": programme.memberships.select_related("user").order_by(
            "user__name", "user__email"
        ),
        "invitations": programme.invitations.pending().select_related("invited_by"),
        "invite_form": invite_form or InviteForm(programme=programme),
        "is_lead": programme.my_role == access.LEAD,
        "role_choices": Membership.Role.choices,
        "breadcrumbs": _crumbs(programme),
        "nav": "programmes",
    }


@require_GET
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = access.get_programme_for_view(request, slug)
    return render(request, "convening/members.jinja", _members_context(programme))


@require_POST
def member_invite(request: HttpRequest, slug: str) -> HttpResponse:
    programme = access.get_programme_for_change(request, slug)
    form = InviteForm(request.POST, programme=programme)
    if form.is_valid():
        _send_invitation(request, programme, form.cleaned_data["email"], form.cleaned_data["role"])
        notice = f"Invitation sent to {form.cleaned_data['email']}."
        if request.htmx:
            context = _members_context(programme)
            context["invite_notice"] = notice
            return render_fragment(request, "convening/members.jinja", "invitations", context)
        messages.success(request, notice)
        return redirect("member_list", slug=programme.slug)
    context = _members_context(programme, invite_form=form)
    if request.htmx:
        return render_fragment(request, "convening/members.jinja", "invitations", context)
    return render(request, "convening/members.jinja", context, status=400)


def _send_invitation(request: HttpRequest, programme: Programme, email: str, role: str) -> None:
    invitation, token = Invitation.issue(
        programme=programme, email=email, role=role, by=request.user
    )
    link = settings.SITE_URL + reverse("invitation_accept", args=[token])
    body = render_to_string(
        "convening/email/invitation.txt",
        {
            "invitation": invitation,
            "link": link,
            "inviter": request.user,
            "days": settings.INVITATION_DAYS,
        },
    )
    transaction.on_commit(
        lambda: send_mail(
            f"You are invited to join {programme.name} on Convening",
            body,
            None,
            [invitation.email],
        )
    )


@require_POST
def invitation_revoke(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    programme, invitation = access.get_invitation_for_change(request, slug, invitation_id)
    revoked = (
        programme.invitations.pending().filter(pk=invitation.pk).update(revoked_at=timezone.now())
    )
    if revoked:
        messages.success(request, "Invitation withdrawn. The link no longer works.")
    else:
        messages.info(request, "That invitation was already used or withdrawn.")
    return redirect("member_list", slug=programme.slug)


@require_POST
def member_role(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    programme, membership = access.get_membership_for_change(request, slug, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["role"][0])
    else:
        try:
            membership.change_role(form.cleaned_data["role"])
            messages.success(
                request, f"{membership.user} is now a {membership.get_role_display().lower()}."
            )
        except LastLeadError:
            messages.error(
                request,
                "A programme needs at least one lead. Make someone else a lead first.",
            )
    return redirect("member_list", slug=programme.slug)


@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    programme, membership = access.get_membership_for_change(request, slug, membership_id)
    if request.method == "POST":
        try:
            membership.remove()
        except LastLeadError:
            messages.error(
                request,
                "A programme needs at least one lead. Make someone else a lead first.",
            )
            return redirect("member_list", slug=programme.slug)
        messages.success(request, f"{membership.user} has been removed from the programme.")
        return redirect("member_list", slug=programme.slug)
    return render(
        request,
        "convening/member_remove.jinja",
        {
            "programme": programme,
            "membership": membership,
            "is_last_lead": membership.is_last_lead(),
            "breadcrumbs": [
                *_crumbs(programme),
                {"href": reverse("member_list", args=[slug]), "text": "Members"},
            ],
        },
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.by_token(token)
    template = "convening/invitation_accept.jinja"
    if invitation is None or not invitation.is_usable:
        return render(request, template, {"invitation": invitation, "unusable": True}, status=410)
    context: dict = {"invitation": invitation, "programme_name": invitation.programme.name}
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email:
            context["wrong_account"] = True
            return render(request, template, context, status=403)
        if request.method == "POST":
            return _accept(request, invitation, user)
        return render(request, template, context)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        context["sign_in_url"] = f"{reverse('account_login')}?next={request.path}"
        return render(request, template, context)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = User.objects.create_user(
                invitation.email, form.cleaned_data["password"], name=form.cleaned_data["name"]
            )
            response = _accept(request, invitation, user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return response
    context["form"] = form
    return render(request, template, context, status=400 if form.errors else 200)


def _accept(request: HttpRequest, invitation: Invitation, user: User) -> HttpResponse:
    try:
        membership = invitation.accept(user)
    except InvitationUnusableError:
        return render(
            request,
            "convening/invitation_accept.jinja",
            {"invitation": invitation, "unusable": True},
            status=410,
        )
    messages.success(
        request,
        f"Welcome to {invitation.programme.name}. "
        f"You are a {membership.get_role_display().lower()}.",
    )
    return redirect(invitation.programme)
