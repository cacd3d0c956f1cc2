"""The people taking part in a programme, and organisations."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from convening import access, audit, history
from convening.exports import Table, register_table, yes_no
from convening.forms import (
    OrganisationForm,
    ParticipantAccountForm,
    ParticipantForm,
    PeopleSearchForm,
)
from convening.jinja2 import render_fragment
from convening.models import (
    Organisation,
    Participant,
    Programme,
)
from convening.views.downloads import export_response
from convening.views.programmes import _crumbs

PEOPLE_PER_PAGE = 50


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
        # People in bulk, with their contact details, are for leads only.
        "can_export": programme.my_role == access.LEAD,
        "export_query": urlencode({"q": text}) if text else "",
        "breadcrumbs": _crumbs(programme),
        "nav": "programmes",
    }
    if request.htmx:
        return render_fragment(request, "convening/people.jinja", "people_results", context)
    context["own_record_needing_consent"] = access.own_record_needing_consent(request, programme)
    context["organisations"] = (
        Organisation.objects.filter(participants__programme=programme)
        .annotate(people=Count("participants"))
        .order_by("name")
    )
    return render(request, "convening/people.jinja", context)


PEOPLE_EXPORT_HEADERS = [
    "Name",
    "Email",
    "Organisation",
    "Job title",
    "Role group",
    "Level",
    "Consents to be recorded",
    "Consents to be contacted",
    "Consents to be named in learning",
    "Consent last answered",
]


@require_GET
def people_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return export_response(request, slug, fmt, "people")


@register_table("people", roles=(access.LEAD,))
def people_table(request: HttpRequest, programme: Programme) -> Table:
    """Everyone in the programme with their contact and consent answers: for leads only,
    since it is personal data in bulk."""
    search = PeopleSearchForm(request.GET)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    participants = (
        Participant.objects.for_programme(programme)
        .matching(text)
        .with_organisation()
        .order_by("name", "pk")
    )
    return Table(
        f"{programme.slug}-people",
        "People",
        PEOPLE_EXPORT_HEADERS,
        participants,
        lambda person: [
            person.name,
            person.email,
            person.organisation.name if person.organisation else "",
            person.job_title,
            person.get_role_group_display(),
            person.get_level_display(),
            yes_no(person.consent_recorded),
            yes_no(person.consent_contact),
            yes_no(person.consent_named),
            person.consent_updated_at,
        ],
    )


@require_http_methods(["GET", "POST"])
def participant_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = access.get_programme_for_people_change(request, slug)
    form = ParticipantForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        form.save_for(by=request.user)
        messages.success(request, f"{form.instance.name} added to the programme's people.")
        return redirect("people", slug=programme.slug)
    return _participant_form(request, programme, form, participant=None)


@require_http_methods(["GET", "POST"])
def participant_edit(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    programme, participant = access.get_participant_for_change(request, slug, participant_id)
    form = ParticipantForm(request.POST or None, instance=participant, programme=programme)
    if request.method == "GET":
        audit.record(request, audit.Action.VIEWED_PERSON, subject=participant)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = form.save_for(by=request.user)
        if conflict is None:
            messages.success(request, f"Details of {participant.name} saved.")
            return redirect("people", slug=programme.slug)
    return _participant_form(request, programme, form, participant=participant, conflict=conflict)


@require_GET
def participant_history(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    """Every saved change to a person's details and consent, for those who may change them."""
    programme, participant = access.get_participant_for_change(request, slug, participant_id)
    audit.record(request, audit.Action.VIEWED_PERSON, subject=participant, detail="history")
    return render(
        request,
        "components/history_page.jinja",
        {
            "programme": programme,
            "heading": f"History of {participant.name}",
            "caption": programme.name,
            "changes": history.changes(participant),
            "back_url": reverse("participant_edit", args=[programme.slug, participant.pk]),
            "back_text": f"Back to {participant.name}",
            "breadcrumbs": [
                *_crumbs(programme),
                {"href": reverse("people", args=[programme.slug]), "text": "People"},
            ],
            "nav": "programmes",
        },
    )


@require_POST
def participant_account(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    programme, participant = access.get_participant_for_account_change(
        request, slug, participant_id
    )
    form = ParticipantAccountForm(request.POST, participant=participant)
    if not form.is_valid():
        return _participant_form(
            request,
            programme,
            ParticipantForm(instance=participant, programme=programme),
            participant=participant,
            account_form=form,
        )
    account = form.cleaned_data["account"]
    participant.link_account(account)
    if account is None:
        messages.success(request, f"{participant.name} is no longer linked to an account.")
    else:
        messages.success(request, f"{participant.name} is linked to the account {account.email}.")
    return redirect("participant_edit", slug=programme.slug, participant_id=participant.pk)


def _participant_form(
    request, programme, form, participant, account_form=None, conflict=None
) -> HttpResponse:
    if participant is not None and account_form is None and programme.my_role == access.LEAD:
        account_form = ParticipantAccountForm(participant=participant)
    return render(
        request,
        "convening/participant_form.jinja",
        {
            "programme": programme,
            "form": form,
            "participant": participant,
            "account_form": account_form,
            "conflict": conflict,
            "breadcrumbs": [
                *_crumbs(programme),
                {"href": reverse("people", args=[programme.slug]), "text": "People"},
            ],
            "nav": "programmes",
        },
        status=409
        if conflict
        else 400
        if form.errors or (account_form and account_form.errors)
        else 200,
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
