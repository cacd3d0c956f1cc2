"""Core pages: programmes, members and invitations, people, and the public pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities.models import ActivityArea
from activities.overview import planning_context

from . import access
from .forms import (
    AcceptInvitationForm,
    InviteForm,
    OrganisationForm,
    ParticipantForm,
    PeopleSearchForm,
    ProgrammeForm,
    RoleForm,
)
from .jinja2 import render_fragment
from .models import (
    Innovation,
    Invitation,
    InvitationUnusableError,
    LastLeadError,
    Membership,
    Organisation,
    Participant,
    Programme,
    User,
)

PEOPLE_PER_PAGE = 50


def _crumbs(programme: Programme | None = None) -> list[dict[str, str]]:
    crumbs = [{"href": reverse("programme_list"), "text": "Programmes"}]
    if programme is not None:
        crumbs.append({"href": programme.get_absolute_url(), "text": programme.name})
    return crumbs


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return redirect("programme_list")


@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = Programme.objects.visible_to(request.user).with_counts().order_by("name")
    return render(
        request,
        "convening/programme_list.jinja",
        {"programmes": programmes, "nav": "programmes"},
    )


@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    if not request.user.can_create_programme:
        raise PermissionDenied("You cannot create programmes")
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = form.save_new(lead=request.user)
        messages.success(request, f"Programme “{programme.name}” created. You are its lead.")
        return redirect(programme)
    return render(
        request,
        "convening/programme_form.jinja",
        {"form": form, "nav": "programmes", "breadcrumbs": _crumbs(), "creating": True},
    )


@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = access.get_programme_for_change(request, slug)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Programme details saved.")
        return redirect(programme)
    return render(
        request,
        "convening/programme_form.jinja",
        {"form": form, "programme": programme, "breadcrumbs": _crumbs(programme)},
    )


@require_GET
def programme_overview(request: HttpRequest, slug: str) -> HttpResponse:
    programme = access.get_programme_for_view(request, slug)
    memberships = list(
        programme.memberships.select_related("user").order_by("user__name", "user__email")
    )
    innovations = list(
        Innovation.objects.filter(programme=programme).select_related("innovator_organisation")
    )
    organisations = list(
        Organisation.objects.for_programme(programme).with_people_in(programme).order_by("name")
    )
    participant_count = Participant.objects.filter(programme=programme).count()
    members_by_role = {
        role.label: [m for m in memberships if m.role == role] for role in Membership.Role
    }
    return render(
        request,
        "convening/programme_overview.jinja",
        {
            "programme": programme,
            "members_by_role": members_by_role,
            "innovations": innovations,
            "organisations": organisations,
            "participant_count": participant_count,
            "is_lead": programme.my_role == access.LEAD,
            "breadcrumbs": _crumbs(),
            "nav": "programmes",
            **planning_context(programme),
        },
    )


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
    programme = access.get_programme_for_change(request, slug)
    from django.utils import timezone

    revoked = (
        programme.invitations.pending().filter(pk=invitation_id).update(revoked_at=timezone.now())
    )
    if revoked:
        messages.success(request, "Invitation withdrawn. The link no longer works.")
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


# People ---------------------------------------------------------------------------------------


@require_GET
def people(request: HttpRequest, slug: str) -> HttpResponse:
    programme = access.get_programme_for_view(request, slug)
    search = PeopleSearchForm(request.GET)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    participants = (
        Participant.objects.for_programme(programme)
        .matching(text)
        .with_organisation()
        .order_by("name", "pk")
    )
    page = Paginator(participants, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    count = page.paginator.count
    noun = "person" if count == 1 else "people"
    context = {
        "count_text": f"{count} {noun} found for “{text}”"
        if text
        else f"{count} {noun} in this programme",
        "programme": programme,
        "search": search,
        "query": text,
        "page": page,
        "show_contact": access.can_see_contact_details(programme),
        "can_edit": programme.my_role in access.PEOPLE_EDITORS,
        "breadcrumbs": _crumbs(programme),
        "nav": "programmes",
    }
    if request.htmx:
        return render_fragment(request, "convening/people.jinja", "people_results", context)
    context["organisations"] = (
        Organisation.objects.filter(participants__programme=programme)
        .annotate(people=Count("participants"))
        .order_by("name")
    )
    return render(request, "convening/people.jinja", context)


@require_http_methods(["GET", "POST"])
def participant_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = access.get_programme_for_people_change(request, slug)
    form = ParticipantForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        participant = form.save_for(by=request.user)
        messages.success(request, f"{participant.name} added to the programme's people.")
        return redirect("people", slug=programme.slug)
    return _participant_form(request, programme, form, participant=None)


@require_http_methods(["GET", "POST"])
def participant_edit(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    programme, participant = access.get_participant_for_change(request, slug, participant_id)
    form = ParticipantForm(request.POST or None, instance=participant, programme=programme)
    if request.method == "POST" and form.is_valid():
        form.save_for(by=request.user)
        messages.success(request, f"Details of {participant.name} saved.")
        return redirect("people", slug=programme.slug)
    return _participant_form(request, programme, form, participant=participant)


def _participant_form(request, programme, form, participant) -> HttpResponse:
    return render(
        request,
        "convening/participant_form.jinja",
        {
            "programme": programme,
            "form": form,
            "participant": participant,
            "breadcrumbs": [
                *_crumbs(programme),
                {"href": reverse("people", args=[programme.slug]), "text": "People"},
            ],
            "nav": "programmes",
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = access.get_programme_for_people_change(request, slug)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        messages.success(
            request,
            f"{organisation.name} added to the directory. You can now choose it for a person.",
        )
        return redirect("participant_create", slug=programme.slug)
    return render(
        request,
        "convening/organisation_form.jinja",
        {
            "programme": programme,
            "form": form,
            "breadcrumbs": [
                *_crumbs(programme),
                {"href": reverse("people", args=[programme.slug]), "text": "People"},
            ],
            "nav": "programmes",
        },
        status=400 if form.errors else 200,
    )


# Reference and public pages -------------------------------------------------------------------


@require_GET
def activity_areas(request: HttpRequest) -> HttpResponse:
    areas = ActivityArea.objects.with_practices()
    return render(request, "activities/areas.jinja", {"areas": areas, "nav": "areas"})


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def _database_ok() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "error"
    return "ok"


def _cache_ok() -> str:
    try:
        cache.set("healthz", "ok", 10)
        return "ok" if cache.get("healthz") == "ok" else "error"
    except Exception:
        return "error"


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.jinja", {})


@login_not_required
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.jinja", {})
