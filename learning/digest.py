"""What one learning digest holds for one subscription and one period, and its email.

`compose` reads only what the subscriber may see: an email-only subscriber (no `user`) gets the
programme's public, published learning, and its adoption stage changes, and only while the
programme's hub is open beyond its members; a member's subscription also gets what the member may
read inside the programme, their spaces' meetings in the next 14 days and their own open actions
due in that time or overdue. New learning and stage changes are what make a digest worth
sending; meetings and actions ride along with them, so an overdue action does not send an email
every day on its own.

It runs a fixed number of queries whatever the number of items: each group is one query that
keeps the first ten rows of each group with a window function and counts the rest in the same
query.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Case, Count, Exists, F, OuterRef, Value, When, Window
from django.db.models.functions import RowNumber
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from convening.models import AdoptionEvent, Membership, Programme
from convening.text import render_markdown
from spaces.models import Action, Meeting, SpaceMember

from .feeds import entry_url
from .models import LearningEntry, Subscription

ITEMS_PER_GROUP = 10
UPCOMING_DAYS = 14
EXCERPT_LENGTH = 300
TEXT_TEMPLATE = "learning/email/digest.txt"
HTML_TEMPLATE = "learning/email/digest.html"
# Hubs an email-only reader may follow: a members-only hub shows nothing to them.
OPEN_HUBS = (Programme.HubVisibility.PUBLIC, Programme.HubVisibility.SIGNED_IN)


@dataclass(frozen=True)
class DigestItem:
    title: str
    url: str
    label: str = ""  # a short fact before the text: the kind of learning, a date, a stage
    text: str = ""  # a plain excerpt or detail, never HTML


@dataclass(frozen=True)
class DigestGroup:
    kind: str  # "learning", "adoption", "meetings" or "actions"
    heading: str
    items: tuple[DigestItem, ...]
    total: int
    see_all_url: str
    see_all_text: str

    @property
    def has_more(self) -> bool:
        return self.total > len(self.items)


@dataclass(frozen=True)
class Digest:
    scope_name: str
    period_start: datetime
    period_end: datetime
    groups: tuple[DigestGroup, ...]
    # New learning and stage changes; upcoming meetings and due actions are not counted.
    item_count: int

    @property
    def is_empty(self) -> bool:
        return self.item_count == 0


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def excerpt(markdown_text: str, length: int = EXCERPT_LENGTH) -> str:
    """The Markdown as short plain text: rendered safely, tags dropped, spaces collapsed, and cut
    at a word boundary."""
    text = " ".join(html.unescape(strip_tags(str(render_markdown(markdown_text)))).split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0] or text[:length]
    return cut.rstrip(" ,;:.") + "…"


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def _member_programme(subscription: Subscription) -> Programme | None:
    """The subscription's programme with the member's role as `my_role`, or None when the
    subscription is not a member's (or its member has left the programme)."""
    programme = subscription.programme
    if subscription.user_id is None:
        return None
    role = (
        Membership.objects.filter(programme_id=programme.pk, user_id=subscription.user_id)
        .values_list("role", flat=True)
        .first()
    )
    if role is None:
        return None
    programme.my_role = role
    return programme


# Learning ---------------------------------------------------------------------------------------


def _learning_rows(subscription, member_programme, period_start, period_end) -> list:
    programme = subscription.programme
    if member_programme is not None:
        entries = LearningEntry.objects.readable_by(member_programme, subscription.user).published()
    else:
        entries = LearningEntry.objects.public().filter(programme=programme)
    entries = entries.filter(published_at__gte=period_start, published_at__lt=period_end)
    if subscription.innovation_id:
        entries = entries.filter(innovation_id=subscription.innovation_id)
    success_first = Case(
        When(kind=LearningEntry.Kind.SUCCESS_STORY, then=Value(0)), default=Value(1)
    )
    in_group = {"partition_by": [F("innovation_id")]}
    return list(
        entries.select_related("innovation")
        .annotate(
            success_rank=success_first,
            place=Window(
                RowNumber(),
                order_by=[success_first, F("published_at").desc(), F("pk").desc()],
                **in_group,
            ),
            group_total=Window(Count("pk"), **in_group),
        )
        .filter(place__lte=ITEMS_PER_GROUP)
        .order_by(
            F("innovation__name").asc(nulls_last=True),
            "innovation_id",
            "success_rank",
            "-published_at",
            "-pk",
        )
    )


def _learning_groups(subscription, member_programme, rows) -> list[DigestGroup]:
    programme = subscription.programme
    groups: list[DigestGroup] = []
    current: list = []
    for row in [*rows, None]:
        if current and (row is None or row.innovation_id != current[0].innovation_id):
            groups.append(_learning_group(programme, member_programme, current))
            current = []
        if row is not None:
            current.append(row)
    return groups


def _learning_group(programme, member_programme, entries: list) -> DigestGroup:
    innovation = entries[0].innovation
    if member_programme is not None:
        query = "?status=published" + (f"&innovation={innovation.slug}" if innovation else "")
        see_all = absolute(reverse("learning_log", args=[programme.slug]) + query)
        see_all_text = "See all learning in the learning log"
    elif innovation is not None:
        see_all = absolute(reverse("hub_innovation", args=[programme.slug, innovation.slug]))
        see_all_text = f"See all learning about {one_line(innovation.name)}"
    else:
        see_all = absolute(reverse("hub_programme", args=[programme.slug]))
        see_all_text = "See all learning on the learning hub"
    items = tuple(
        DigestItem(
            title=one_line(entry.title),
            url=_entry_link(programme, member_programme, entry),
            label=entry.get_kind_display(),
            text=excerpt(entry.body),
        )
        for entry in entries
    )
    heading = (
        f"New learning: {one_line(innovation.name)}"
        if innovation
        else "New learning: the whole programme"
    )
    return DigestGroup("learning", heading, items, entries[0].group_total, see_all, see_all_text)


def _entry_link(programme, member_programme, entry) -> str:
    if member_programme is not None:
        return absolute(reverse("learning_detail", args=[programme.slug, entry.pk]))
    return entry_url(programme, entry)


# Adoption ---------------------------------------------------------------------------------------


def _adoption_group(subscription, member_programme, period_start, period_end):
    programme = subscription.programme
    events = AdoptionEvent.objects.filter(
        adoption__innovation__programme_id=programme.pk,
        recorded_at__gte=period_start,
        recorded_at__lt=period_end,
    )
    if subscription.innovation_id:
        events = events.filter(adoption__innovation_id=subscription.innovation_id)
    rows = list(
        events.select_related("adoption__innovation", "adoption__organisation")
        .annotate(total=Window(Count("pk")))
        .order_by("recorded_at", "pk")[:ITEMS_PER_GROUP]
    )
    if not rows:
        return None
    if member_programme is not None:
        see_all = absolute(reverse("adoption_tracker", args=[programme.slug]))
        see_all_text = "See the adoption tracker"
    elif subscription.innovation_id:
        innovation = subscription.innovation
        see_all = absolute(reverse("hub_innovation", args=[programme.slug, innovation.slug]))
        see_all_text = f"See where {one_line(innovation.name)} is being adopted"
    else:
        see_all = absolute(reverse("hub_programme", args=[programme.slug]))
        see_all_text = "See the learning hub"
    items = tuple(_adoption_item(programme, member_programme, event) for event in rows)
    return DigestGroup(
        "adoption", "Adoption stage changes", items, rows[0].total, see_all, see_all_text
    )


def _adoption_item(programme, member_programme, event) -> DigestItem:
    adoption = event.adoption
    innovation = adoption.innovation
    if member_programme is not None:
        url = absolute(reverse("adoption_timeline", args=[programme.slug, adoption.pk]))
        note = excerpt(event.note, 200)  # notes are for the programme, not the public
    else:
        url = absolute(reverse("hub_innovation", args=[programme.slug, innovation.slug]))
        note = ""
    return DigestItem(
        title=f"{one_line(adoption.organisation.name)}: {one_line(innovation.name)}",
        url=url,
        label=f"{event.get_stage_display()} from {_day(event.date)}",
        text=note,
    )


# Members' meetings and actions ------------------------------------------------------------------


def _meetings_group(subscription, programme, period_end) -> DigestGroup | None:
    in_space = SpaceMember.objects.filter(
        space_id=OuterRef("space_id"), participant__user_id=subscription.user_id
    )
    rows = list(
        Meeting.objects.filter(
            space__programme_id=programme.pk,
            status=Meeting.Status.PLANNED,
            starts_at__gte=period_end,
            starts_at__lt=period_end + timedelta(days=UPCOMING_DAYS),
        )
        .filter(Exists(in_space))
        .select_related("space")
        .annotate(total=Window(Count("pk")))
        .order_by("starts_at", "pk")[:ITEMS_PER_GROUP]
    )
    if not rows:
        return None
    items = tuple(
        DigestItem(
            title=one_line(meeting.title),
            url=absolute(
                reverse("meeting_detail", args=[programme.slug, meeting.space.slug, meeting.pk])
            ),
            label=_when(meeting.starts_at),
            text=_where(meeting),
        )
        for meeting in rows
    )
    return DigestGroup(
        "meetings",
        f"Your meetings in the next {UPCOMING_DAYS} days",
        items,
        rows[0].total,
        absolute(reverse("my_spaces")),
        "See all your spaces",
    )


def _where(meeting: Meeting) -> str:
    place = one_line(meeting.location) or "place to be confirmed"
    return f"{meeting.space.name}. {meeting.get_format_display()}: {place}"


def _actions_group(subscription, programme, period_end) -> DigestGroup | None:
    horizon = timezone.localdate(period_end) + timedelta(days=UPCOMING_DAYS)
    rows = list(
        Action.objects.open()
        .filter(programme_id=programme.pk, owner__user_id=subscription.user_id, due__lte=horizon)
        .annotate(total=Window(Count("pk")))
        .order_by("due", "pk")[:ITEMS_PER_GROUP]
    )
    if not rows:
        return None
    today = timezone.localdate(period_end)
    list_url = absolute(reverse("action_list", args=[programme.slug]))
    items = tuple(
        DigestItem(
            title=one_line(action.title),
            url=list_url,
            label=("Overdue: was due " if action.due < today else "Due ") + _day(action.due),
        )
        for action in rows
    )
    return DigestGroup(
        "actions",
        "Your actions due soon or overdue",
        items,
        rows[0].total,
        list_url,
        "See all actions",
    )


def _day(value) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{_day(local)} at {local:%H:%M}"


# Composing and the email ------------------------------------------------------------------------


def scope_name(subscription: Subscription) -> str:
    return one_line(
        subscription.innovation.name if subscription.innovation_id else subscription.programme.name
    )


def compose(subscription: Subscription, period_start: datetime, period_end: datetime) -> Digest:
    """What the subscriber gets for learning published, and stages changed, in
    [period_start, period_end). Pass the subscription with `programme`, `innovation` and `user`
    selected: then a member's digest takes five queries and an email-only one two."""
    programme = subscription.programme
    groups: list[DigestGroup] = []
    member_programme = _member_programme(subscription)
    if member_programme is None and programme.hub_visibility not in OPEN_HUBS:
        return Digest(scope_name(subscription), period_start, period_end, (), 0)
    rows = _learning_rows(subscription, member_programme, period_start, period_end)
    groups.extend(_learning_groups(subscription, member_programme, rows))
    adoption = _adoption_group(subscription, member_programme, period_start, period_end)
    if adoption is not None:
        groups.append(adoption)
    item_count = sum(group.total for group in groups)
    if member_programme is not None:
        for extra in (
            _meetings_group(subscription, member_programme, period_end),
            _actions_group(subscription, member_programme, period_end),
        ):
            if extra is not None:
                groups.append(extra)
    return Digest(scope_name(subscription), period_start, period_end, tuple(groups), item_count)


def subject(digest: Digest) -> str:
    count = digest.item_count
    return f"Learning from {digest.scope_name}: {count} new item{'' if count == 1 else 's'}"


_UNSAFE_HEADER = re.compile(r"[\r\n]+")


def build_email(
    subscription: Subscription, digest: Digest, *, period_end: datetime
) -> EmailMultiAlternatives:
    """The digest email, plain text and HTML, with one-click unsubscribe headers (RFC 8058)."""
    token = subscription.unsubscribe_token
    unsubscribe_url = absolute(reverse("digest_unsubscribe", args=[token]))
    context = {
        "digest": digest,
        "subscription": subscription,
        "programme_name": one_line(subscription.programme.name),
        "period_end_day": _day(timezone.localtime(period_end)),
        "period_start_day": _day(timezone.localtime(digest.period_start)),
        "manage_url": absolute(reverse("digest_manage", args=[token])),
        "unsubscribe_url": unsubscribe_url,
        "hub_url": absolute(reverse("hub_programme", args=[subscription.programme.slug])),
    }
    message = EmailMultiAlternatives(
        subject=_UNSAFE_HEADER.sub(" ", subject(digest)),
        body=render_to_string(TEXT_TEMPLATE, context),
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(HTML_TEMPLATE, context), "text/html")
    return message
