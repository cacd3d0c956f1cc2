"""The learning app's part of the programme archive (convening/export_jobs.py): narratives and
subscriptions, which no list page downloads, and every learning entry and narrative as Markdown.
Learning, adoption history and feedback are registered by their download views.

Learning is attributed as its pages attribute it (`byline`): a name only with consent, and
never for learning from a Chatham House space."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest

from convening.access import LEAD
from convening.exports import (
    Table,
    markdown_document,
    register_table,
    register_texts,
    text_file_name,
)
from convening.models import Programme

from .models import LearningEntry, Narrative, Subscription


def _narratives(programme: Programme):
    return (
        Narrative.objects.filter(innovation__programme=programme)
        .select_related("innovation")
        .order_by("innovation__name", "audience", "pk")
    )


@register_table("narratives", roles=(LEAD,))
def narratives_table(request: HttpRequest, programme: Programme) -> Table:
    return Table(
        f"{programme.slug}-narratives",
        "Narratives",
        ["Innovation", "Audience", "Narrative", "Last updated"],
        _narratives(programme),
        lambda narrative: [
            narrative.innovation.name,
            narrative.get_audience_display(),
            narrative.body,
            narrative.updated_at,
        ],
    )


@register_table("subscriptions", roles=(LEAD,))
def subscriptions_table(request: HttpRequest, programme: Programme) -> Table:
    """Who receives the learning digest, so a new home can ask them again."""
    return Table(
        f"{programme.slug}-subscriptions",
        "Digest subscriptions",
        ["Email", "Innovation", "Frequency", "Confirmed", "Unsubscribed"],
        Subscription.objects.filter(programme=programme)
        .select_related("innovation")
        .order_by("email", "pk"),
        lambda subscription: [
            subscription.email,
            subscription.innovation.name if subscription.innovation else "Whole programme",
            subscription.get_frequency_display(),
            subscription.confirmed_at,
            subscription.unsubscribed_at,
        ],
    )


@register_texts("learning")
def learning_texts(programme: Programme) -> Iterator[tuple[str, str]]:
    entries = (
        LearningEntry.objects.for_programme(programme)
        .with_attribution()
        .select_related("innovation", "site", "author", "source_meeting__space")
        .order_by("pk")
    )
    for entry in entries.iterator(chunk_size=500):
        yield (
            text_file_name(entry.pk, entry.title),
            markdown_document(
                entry.title,
                [
                    ("Kind", entry.get_kind_display()),
                    ("Status", entry.get_status_display()),
                    ("Who can read it", entry.get_visibility_display()),
                    ("Innovation", entry.innovation.name if entry.innovation else ""),
                    ("By", entry.byline),
                    ("Written", entry.created_at),
                    ("Published", entry.published_at),
                ],
                [("What we learned", entry.body)],
            ),
        )


@register_texts("narratives")
def narrative_texts(programme: Programme) -> Iterator[tuple[str, str]]:
    for narrative in _narratives(programme).iterator(chunk_size=200):
        title = f"{narrative.innovation.name}: for {narrative.get_audience_display().lower()}"
        yield (
            text_file_name(narrative.pk, title),
            markdown_document(
                title, [("Last updated", narrative.updated_at)], [("Narrative", narrative.body)]
            ),
        )
