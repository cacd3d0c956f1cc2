"""Atom feeds of a programme's public learning, for feed readers outside the service."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from convening.models import Programme
from convening.text import render_markdown

from .models import LearningEntry


def entry_url(programme: Programme, entry: LearningEntry) -> str:
    """The entry's absolute address on the hub: its own page, or for learning about the whole
    programme (no innovation) its place on the programme's hub."""
    if entry.innovation_id:
        path = reverse("hub_entry", args=[programme.slug, entry.innovation.slug, entry.pk])
    else:
        path = reverse("hub_programme", args=[programme.slug]) + f"#entry-{entry.pk}"
    return settings.SITE_URL + path


def learning_feed(
    programme: Programme,
    *,
    title: str,
    path: str,
    feed_path: str,
    entries: Iterable[LearningEntry],
) -> Atom1Feed:
    """Published public entries (the caller selects them, with `innovation`), newest first.
    No author is named: the hub's pages name authors only with consent, and a feed is copied
    to places we cannot correct later."""
    feed = Atom1Feed(
        title=title,
        link=settings.SITE_URL + path,
        description=programme.summary,
        feed_url=settings.SITE_URL + feed_path,
        language="en-GB",
    )
    for entry in entries:
        url = entry_url(programme, entry)
        feed.add_item(
            title=entry.title,
            link=url,
            description=str(render_markdown(entry.body)),
            unique_id=url,
            unique_id_is_permalink=True,
            pubdate=entry.published_at,
            updateddate=entry.published_at,
            categories=[entry.get_kind_display()],
        )
    return feed
