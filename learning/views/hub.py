"""The learning hub: what a programme has learned, for adopters outside it (DESIGN section 4).

A programme's hub is public, for signed-in users, or for its members only, as the programme
sets it; anyone else gets 404 naming nothing (`learning.access.get_hub_programme`). Only
published learning marked for the public hub is ever shown here, whoever is reading.

Pages for anonymous visitors may be kept by shared caches for five minutes, and answer
conditional requests, with Last-Modified taken from the newest change to anything the hub shows.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.decorators import login_not_required
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from convening.breadcrumbs import breadcrumbs
from convening.models import Adoption, Innovation, Membership, Participant, Programme

from ..access import get_hub_contact, get_hub_innovation, get_hub_programme, hub_programmes_for
from ..contact import hub_contacts, innovation_adoptions, relay
from ..feeds import learning_feed
from ..forms.hub import (
    ContactForm,
    FeedbackForm,
    HoneypotForm,
    HubLearningFilterForm,
    SubscribeForm,
)
from ..models import Audience, LearningEntry, Narrative, Subscription
from ..subscriptions import may_ask_again, request_confirmation

LATEST_LEARNING = 10
FEED_ENTRIES = 50
LEARNING_PER_PAGE = 20
HIGHLIGHTS = 10  # adaptations and success stories shown on an innovation's page
SHARED_CACHE_SECONDS = 300
FEEDBACK_LIMIT = 5  # feedback sent from one address about one innovation, per hour
FEEDBACK_WINDOW_SECONDS = 60 * 60  # the window of every hub form's limit
CONTACT_LIMIT = 5  # messages sent from one address to one person, per hour
# Stages where a site is taking part, for the count on the programme's hub.
TAKING_PART = [
    Adoption.Stage.EXPLORING,
    Adoption.Stage.PREPARING,
    Adoption.Stage.TESTING,
    Adoption.Stage.ADOPTED,
    Adoption.Stage.SUSTAINED,
]


# Caching ---------------------------------------------------------------------------------------


def _max_of(queryset, field: str) -> Subquery:
    """The largest value of `field` in the queryset, as a subquery (NULL if it is empty)."""
    return Subquery(
        queryset.exclude(**{f"{field}__isnull": True}).order_by(f"-{field}").values(field)[:1]
    )


def last_changed(programme: Programme) -> datetime | None:
    """When anything the programme's hub shows last changed, in one query: learning published,
    edited or withdrawn; an innovation, narrative or adoption changed; the programme's own
    words; and the people who may be named as contacts (their consent or role)."""
    sources = {
        "published": LearningEntry.objects.public().filter(programme=programme),
        "learning": LearningEntry.history.filter(programme_id=programme.pk),
        "innovation": Innovation.history.filter(programme_id=programme.pk),
        "narrative": Narrative.objects.filter(innovation__programme=programme),
        "adoption": Adoption.objects.filter(innovation__programme=programme),
        "programme": Programme.history.filter(id=programme.pk),
        "participant": Participant.history.filter(programme_id=programme.pk),
        "membership": Membership.history.filter(programme_id=programme.pk),
    }
    fields = {
        "published": "published_at",
        "innovation": "updated_at",
        "narrative": "updated_at",
        "adoption": "updated_at",
    }
    row = (
        Programme.objects.filter(pk=programme.pk)
        .values("pk")
        .annotate(
            **{
                name: _max_of(queryset, fields.get(name, "history_date"))
                for name, queryset in sources.items()
            }
        )
        .first()
    )
    times = [value for name, value in (row or {}).items() if name != "pk" and value]
    return max(times) if times else None


def _is_shared(request: HttpRequest) -> bool:
    """The page is the same for every anonymous visitor: nobody is signed in, and no message
    is waiting to be shown to this browser."""
    return not request.user.is_authenticated and not list(get_messages(request))


def _not_modified(request: HttpRequest, changed: datetime | None) -> HttpResponse | None:
    """A 304 for an anonymous visitor whose copy is still current; otherwise None."""
    if changed is None or not _is_shared(request):
        return None
    response = get_conditional_response(request, last_modified=int(changed.timestamp()))
    return _cache_headers(request, response, changed) if response is not None else None


def _cache_headers(
    request: HttpRequest, response: HttpResponse, changed: datetime | None
) -> HttpResponse:
    if _is_shared(request):
        patch_cache_control(response, public=True, max_age=SHARED_CACHE_SECONDS)
        if changed is not None:
            response["Last-Modified"] = http_date(changed.timestamp())
    else:
        patch_cache_control(response, private=True, max_age=0)
    patch_vary_headers(response, ["Cookie"])
    return response


def _hub_page(
    request: HttpRequest, template: str, context: dict, changed: datetime | None
) -> HttpResponse:
    response = render(request, template, {"nav": "hub", **context})
    return _cache_headers(request, response, changed)


# Breadcrumbs -----------------------------------------------------------------------------------


def _crumbs(programme: Programme | None = None, innovation: Innovation | None = None) -> list:
    """The public hub's trail starts at the hub, never at the signed-in programme pages."""
    return breadcrumbs(
        None,
        ("Learning hub", reverse("hub_index")),
        (programme.name, reverse("hub_programme", args=[programme.slug])) if programme else None,
        (innovation.name, reverse("hub_innovation", args=[programme.slug, innovation.slug]))
        if innovation
        else None,
        signed_in=False,
    )


def _public_learning(programme: Programme):
    """Published public learning of the programme, newest first, ready for bylines."""
    return (
        LearningEntry.objects.public()
        .filter(programme=programme)
        .with_attribution()
        .select_related("innovation", "site", "author", "source_meeting__space")
        .order_by("-published_at", "-pk")
    )


# Pages -----------------------------------------------------------------------------------------


@login_not_required
@require_safe
def hub_index(request: HttpRequest) -> HttpResponse:
    programmes = (
        hub_programmes_for(request.user)
        .order_by("name")
        .prefetch_related(
            Prefetch(
                "innovations",
                queryset=Innovation.objects.order_by("name").only("programme_id", "name", "slug"),
            )
        )
    )
    response = render(
        request,
        "learning/hub_index.jinja",
        {"programmes": programmes, "nav": "hub", "breadcrumbs": []},
    )
    return _cache_headers(request, response, None)


@login_not_required
@require_safe
def hub_programme(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_hub_programme(request, slug)
    changed = last_changed(programme)
    if not_modified := _not_modified(request, changed):
        return not_modified
    innovations = (
        Innovation.objects.filter(programme=programme)
        .annotate(sites=Count("adoptions", filter=Q(adoptions__stage__in=TAKING_PART)))
        .order_by("name")
    )
    context = {
        "programme": programme,
        "innovations": innovations,
        "learning": _public_learning(programme)[:LATEST_LEARNING],
        "breadcrumbs": _crumbs(),
    }
    return _hub_page(request, "learning/hub_programme.jinja", context, changed)


@login_not_required
@require_safe
def hub_innovation(request: HttpRequest, slug: str, innovation_slug: str) -> HttpResponse:
    programme, innovation = get_hub_innovation(request, slug, innovation_slug)
    changed = last_changed(programme)
    if not_modified := _not_modified(request, changed):
        return not_modified
    context = _innovation_context(request, programme, innovation)
    return _hub_page(request, "learning/hub_innovation.jinja", context, changed)


def _innovation_context(request: HttpRequest, programme: Programme, innovation: Innovation) -> dict:
    learning = _public_learning(programme).filter(innovation=innovation)
    filters = HubLearningFilterForm(request.GET)
    page = Paginator(filters.apply(learning), LEARNING_PER_PAGE).get_page(request.GET.get("page"))
    narratives = {
        narrative.audience: narrative
        for narrative in Narrative.objects.filter(innovation=innovation).exclude(body="")
    }
    chosen = request.GET.get("audience", "")
    chosen = chosen if chosen in narratives else ""
    audiences = [(value, label) for value, label in Audience.choices if value in narratives]
    adoptions = innovation_adoptions(innovation)
    hub_url = reverse("hub_innovation", args=[programme.slug, innovation.slug])
    return {
        "programme": programme,
        "innovation": innovation,
        "narratives": narratives,
        "audiences": audiences,
        "chosen_audience": chosen,
        "adoptions": adoptions,
        "adaptations": learning.filter(kind=LearningEntry.Kind.ADAPTATION)[:HIGHLIGHTS],
        "success_stories": learning.filter(kind=LearningEntry.Kind.SUCCESS_STORY)[:HIGHLIGHTS],
        "filters": filters,
        "page": page,
        "page_urls": _page_urls(hub_url, filters.chosen, page, audience=chosen),
        "hub_url": hub_url,
        "contacts": _contacts(programme, innovation, adoptions),
        "breadcrumbs": _crumbs(programme),
    }


def _page_url(hub_url: str, kind: str, number: int, audience: str = "") -> str:
    """A page of the learning list that keeps the reader's kind and audience."""
    query = "&".join(
        part
        for part in (
            f"kind={kind}" if kind else "",
            f"page={number}" if number > 1 else "",
            f"audience={audience}" if audience else "",
        )
        if part
    )
    return f"{hub_url}?{query}#learning" if query else f"{hub_url}#learning"


def _page_urls(hub_url: str, kind: str, page, *, audience: str = "") -> dict[str, str]:
    return {
        "previous": _page_url(hub_url, kind, page.number - 1, audience)
        if page.has_previous()
        else "",
        "next": _page_url(hub_url, kind, page.number + 1, audience) if page.has_next() else "",
    }


def _contacts(programme: Programme, innovation: Innovation, adoptions: list[Adoption]) -> list:
    """The people adopters may contact, as the page shows them: the programme's members see
    their email addresses (as they do inside the programme); anyone else gets a link to the
    contact form instead, and the page is sent no address at all (DESIGN section 5)."""
    return [
        {
            "name": contact.person.name,
            "roles": contact.roles,
            "job_title": contact.person.job_title,
            "organisation": contact.person.organisation,
            "email": contact.person.email if programme.is_member else "",
            "contact_url": ""
            if programme.is_member or not contact.person.email
            else reverse("hub_contact", args=[programme.slug, innovation.slug, contact.contact_id]),
        }
        for contact in hub_contacts(programme, innovation, adoptions)
    ]


@login_not_required
@require_safe
def hub_entry(request: HttpRequest, slug: str, innovation_slug: str, entry_id: int) -> HttpResponse:
    programme, innovation = get_hub_innovation(request, slug, innovation_slug)
    changed = last_changed(programme)
    if not_modified := _not_modified(request, changed):
        return not_modified
    entry = _public_learning(programme).filter(innovation=innovation, pk=entry_id).first()
    if entry is None:
        raise Http404("No such learning on this hub")
    context = {
        "programme": programme,
        "innovation": innovation,
        "entry": entry,
        "breadcrumbs": _crumbs(programme, innovation),
    }
    return _hub_page(request, "learning/hub_entry.jinja", context, changed)


# Feeds -----------------------------------------------------------------------------------------


def _feed(request, programme, *, title, path, feed_path, entries, changed) -> HttpResponse:
    feed = learning_feed(programme, title=title, path=path, feed_path=feed_path, entries=entries)
    response = HttpResponse(content_type=feed.content_type)
    feed.write(response, "utf-8")
    return _cache_headers(request, response, changed)


@login_not_required
@require_safe
def hub_programme_feed(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_hub_programme(request, slug)
    changed = last_changed(programme)
    if not_modified := _not_modified(request, changed):
        return not_modified
    return _feed(
        request,
        programme,
        title=f"Learning from {programme.name}",
        path=reverse("hub_programme", args=[programme.slug]),
        feed_path=reverse("hub_programme_feed", args=[programme.slug]),
        entries=_public_learning(programme)[:FEED_ENTRIES],
        changed=changed,
    )


@login_not_required
@require_safe
def hub_innovation_feed(request: HttpRequest, slug: str, innovation_slug: str) -> HttpResponse:
    programme, innovation = get_hub_innovation(request, slug, innovation_slug)
    changed = last_changed(programme)
    if not_modified := _not_modified(request, changed):
        return not_modified
    args = [programme.slug, innovation.slug]
    entries = _public_learning(programme).filter(innovation=innovation)[:FEED_ENTRIES]
    return _feed(
        request,
        programme,
        title=f"Learning about {innovation.name} – {programme.name}",
        path=reverse("hub_innovation", args=args),
        feed_path=reverse("hub_innovation_feed", args=args),
        entries=entries,
        changed=changed,
    )


# Forms -----------------------------------------------------------------------------------------


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def hub_subscribe(request: HttpRequest, slug: str, innovation_slug: str) -> HttpResponse:
    programme, innovation = get_hub_innovation(request, slug, innovation_slug)
    form = SubscribeForm(
        request.POST if request.method == "POST" else None,
        programme=programme,
        innovation=innovation,
    )
    if request.method == "POST" and form.is_valid():
        _save_subscription(programme, innovation, form.cleaned_data)
        return redirect(reverse("hub_subscribe", args=[slug, innovation_slug]) + "?saved=1")
    context = {
        "programme": programme,
        "innovation": innovation,
        "form": form,
        "saved": request.method == "GET" and request.GET.get("saved") == "1",
        "breadcrumbs": _crumbs(programme, innovation),
        "nav": "hub",
    }
    return render(
        request, "learning/hub_subscribe.jinja", context, status=400 if form.errors else 200
    )


def _save_subscription(programme: Programme, innovation: Innovation, data: dict) -> None:
    """A pending subscription, or the pending one for the same address and scope updated, and
    a confirmation email at most once an hour. A confirmed, running one is left as it is:
    anyone can type an address, so changing what its owner confirmed waits for the owner's
    own link. One its owner stopped must be confirmed again to restart. The page says the
    same whatever happened, so it never tells whether an address is subscribed."""
    scope_innovation = innovation if data["scope"] == SubscribeForm.SCOPE_INNOVATION else None
    existing = Subscription.objects.filter(
        email__iexact=data["email"], programme=programme, innovation=scope_innovation
    ).first()
    if existing is not None and existing.is_confirmed:
        if existing.frequency != Subscription.Frequency.OFF:
            return
        existing.confirmed_at = None
    if existing is None:
        existing = Subscription(
            email=data["email"], programme=programme, innovation=scope_innovation
        )
    existing.programme = programme
    existing.frequency = data["frequency"]
    existing.weekday = data["weekday"]
    existing.save()
    if may_ask_again(existing):
        request_confirmation(existing)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def hub_feedback(request: HttpRequest, slug: str, innovation_slug: str) -> HttpResponse:
    programme, innovation = get_hub_innovation(request, slug, innovation_slug)
    here = reverse("hub_feedback", args=[slug, innovation_slug])
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = _check_public_post(request, form, f"feedback:{innovation.pk}", FEEDBACK_LIMIT)
        if status == ACCEPTED:
            feedback = form.save(commit=False)
            feedback.innovation = innovation
            feedback.save()
        if status in (ACCEPTED, FROM_A_BOT):
            return redirect(here + "?sent=1")
    context = {
        "programme": programme,
        "innovation": innovation,
        "form": form,
        "too_many": status == 429,
        "sent": request.method == "GET" and request.GET.get("sent") == "1",
        "limit": FEEDBACK_LIMIT,
        "breadcrumbs": _crumbs(programme, innovation),
        "nav": "hub",
    }
    return render(request, "learning/hub_feedback.jinja", context, status=status)


# What a post to a public hub form turns out to be: stored, or answered as if it were.
ACCEPTED = 201
FROM_A_BOT = 202


def _check_public_post(request: HttpRequest, form: HoneypotForm, scope: str, limit: int) -> int:
    """Judge a post to one of the hub's public forms: 400 for bad input, 429 when this address
    has sent `limit` posts to `scope` in the hour, otherwise ACCEPTED, or FROM_A_BOT when the
    honeypot was filled (answer exactly as for a person, so the bot learns nothing, and keep
    nothing). Bots count against the limit too."""
    is_bot = form.is_from_a_bot
    if not (is_bot or form.is_valid()):
        return 400
    if not _within_limit(request, scope, limit):
        return 429
    return FROM_A_BOT if is_bot else ACCEPTED


def _within_limit(request: HttpRequest, scope: str, limit: int) -> bool:
    """Count this submission against the address's hourly allowance for `scope`."""
    key = f"hub-{scope}:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=FEEDBACK_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=FEEDBACK_WINDOW_SECONDS)
        count = 1
    return count <= limit


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def hub_contact(
    request: HttpRequest, slug: str, innovation_slug: str, contact_id: str
) -> HttpResponse:
    programme, innovation, contact = get_hub_contact(request, slug, innovation_slug, contact_id)
    form = ContactForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        scope = f"contact:{contact.person.pk}"
        status = _check_public_post(request, form, scope, CONTACT_LIMIT)
        if status == ACCEPTED:
            with transaction.atomic():
                message = form.save(commit=False)
                message.innovation, message.recipient = innovation, contact.person
                message.save()
                relay(message)
        if status in (ACCEPTED, FROM_A_BOT):
            return redirect(request.path + "?sent=1")
    context = {
        "programme": programme,
        "innovation": innovation,
        "contact": contact,
        "form": form,
        "too_many": status == 429,
        "sent": request.method == "GET" and request.GET.get("sent") == "1",
        "limit": CONTACT_LIMIT,
        "breadcrumbs": _crumbs(programme, innovation),
        "nav": "hub",
    }
    return render(request, "learning/hub_contact.jinja", context, status=status)
