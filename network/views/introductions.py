"""Introductions (DESIGN section 11): the suggestions, making one, and declining one.

Leads and facilitators only (network.access.get_programme_for_introductions): members get 403,
outsiders 404. The suggestions are worked out on each visit in a fixed number of queries
(network.introductions); making an introduction records it and, after the commit, queues the
email to both people. A person who cannot be introduced (no consent to be contacted, no email,
erased, not in the programme, or the same person twice) is refused with the reason beside the
field, keeping what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from convening.breadcrumbs import breadcrumbs
from convening.models import Participant, Programme

from .. import introductions
from ..access import get_introduction_for_change, get_programme_for_introductions, may_name
from ..forms import REASON_MAX, IntroductionForm
from ..models import Introduction

LIST_TEMPLATE = "network/introductions.jinja"
FORM_TEMPLATE = "network/introduction_form.jinja"


def _crumbs(programme: Programme, *below) -> list[dict[str, str]]:
    return breadcrumbs(programme, *below)


@require_GET
def introductions_page(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_introductions(request, slug)
    made = list(
        Introduction.objects.for_programme(programme).select_related(
            "person_a__organisation", "person_b__organisation", "made_by", "met_meeting"
        )
    )
    counts = introductions.summary_of(made)
    return render(
        request,
        LIST_TEMPLATE,
        {
            "programme": programme,
            "suggestions": introductions.suggestions(programme),
            # Names decided here: someone who may not be named is "a person not named".
            "introductions": [(intro, _pair_names(intro, first=True)) for intro in made],
            "counts": counts,
            "breadcrumbs": _crumbs(programme),
            "nav": "programmes",
        },
    )


def _people(programme: Programme) -> list[Participant]:
    """Who may be chosen: the programme's people who may be named, agreed to be contacted and
    have an email address."""
    return [
        person
        for person in Participant.objects.for_programme(programme)
        .not_anonymised()
        .filter(consent_recorded=True, consent_contact=True)
        .select_related("organisation", "user")
        .order_by("name", "pk")
        if introductions.may_introduce(person)
    ]


def _prefilled(request: HttpRequest, programme: Programme, people: list[Participant]) -> tuple:
    """The form's starting values from a suggestion's link (?a=&b=&reason=), and a note if a
    person in the link cannot be chosen."""
    by_id = {str(person.pk): person for person in people}
    chosen = {}
    dropped = False
    for name, key in (("person_a", "a"), ("person_b", "b")):
        value = request.GET.get(key, "")
        if value in by_id:
            chosen[name] = by_id[value]
        elif value:
            dropped = True
    reason = request.GET.get("reason", "")[:REASON_MAX]
    initial = {name: str(person.pk) for name, person in chosen.items()}
    initial["reason"] = reason
    if len(chosen) == 2:
        initial["message"] = introductions.default_message(
            chosen["person_a"], chosen["person_b"], reason, request.user
        )
    note = "A person in the link is not in this programme's list: choose again." if dropped else ""
    return initial, note


@require_http_methods(["GET", "POST"])
def introduction_new(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_introductions(request, slug)
    people = _people(programme)
    note = ""
    if request.method == "POST":
        form = IntroductionForm(request.POST, programme=programme, people=people)
        introduction = _make(request, programme, form) if form.is_valid() else None
        if introduction is not None:
            messages.success(request, f"Introduction sent to {_pair_names(introduction)}.")
            return redirect("introductions", slug=programme.slug)
    else:
        initial, note = _prefilled(request, programme, people)
        form = IntroductionForm(programme=programme, people=people, initial=initial)
    context = {
        "programme": programme,
        "form": form,
        "note": note,
        "breadcrumbs": _crumbs(programme, ("Introductions", introductions.link_for(programme))),
        "nav": "programmes",
    }
    return render(request, FORM_TEMPLATE, context, status=400 if form.errors else 200)


def _make(request: HttpRequest, programme: Programme, form: IntroductionForm):
    """The introduction made from a valid form, or None with the reason added to the form."""
    data = form.cleaned_data
    try:
        return introductions.make(
            programme,
            data["person_a"],
            data["person_b"],
            reason=data["reason"],
            message=data["message"],
            by=request.user,
        )
    except introductions.IntroductionRefused as refused:
        form.add_error(refused.field, str(refused))
        return None


@require_POST
def introduction_decline(request: HttpRequest, slug: str, introduction_id: int) -> HttpResponse:
    programme, introduction = get_introduction_for_change(request, slug, introduction_id)
    names = _pair_names(introduction)
    if introductions.decline(introduction):
        messages.success(request, f"The introduction of {names} is marked declined.")
    else:
        state = introduction.get_status_display().lower()
        messages.info(request, f"The introduction of {names} is already {state}.")
    return redirect("introductions", slug=programme.slug)


def _pair_names(introduction: Introduction, *, first: bool = False) -> str:
    """The two people as a sentence says them; `first` when the words start it."""

    def name(person: Participant) -> str:
        return person.name if may_name(person) else "a person not named"

    names = f"{name(introduction.person_a)} and {name(introduction.person_b)}"
    return names[0].upper() + names[1:] if first else names
