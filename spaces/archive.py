"""The spaces app's part of the programme archive (convening/export_jobs.py): the spaces and
their members, and each meeting's notes as Markdown. Meetings, attendance and actions are
registered by their download views."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.http import HttpRequest

from convening.access import LEAD
from convening.exports import (
    Table,
    markdown_document,
    register_table,
    register_texts,
    text_file_name,
    yes_no,
)
from convening.models import Programme

from .models import AdaptiveSpace, Meeting, SpaceMember

CHATHAM_HOUSE_NOTE = (
    "Chatham House rule: use what was said, but never say who said it or where they work"
)


@register_table("spaces", roles=(LEAD,))
def spaces_table(request: HttpRequest, programme: Programme) -> Table:
    return Table(
        f"{programme.slug}-spaces",
        "Spaces",
        ["Name", "Kind", "Status", "Chatham House rule", "Cadence", "Purpose", "Ground rules"],
        AdaptiveSpace.objects.filter(programme=programme).order_by("name", "pk"),
        lambda space: [
            space.name,
            space.get_kind_display(),
            space.get_status_display(),
            yes_no(space.is_chatham_house),
            space.cadence,
            space.purpose,
            space.ground_rules,
        ],
    )


@register_table("space_members", roles=(LEAD,))
def space_members_table(request: HttpRequest, programme: Programme) -> Table:
    return Table(
        f"{programme.slug}-space-members",
        "Space members",
        ["Space", "Person", "Role"],
        SpaceMember.objects.filter(space__programme=programme)
        .select_related("space", "participant")
        .order_by("space__name", "participant__name", "pk"),
        lambda member: [member.space.name, member.participant.name, member.get_role_display()],
    )


@register_texts("meetings")
def meeting_texts(programme: Programme) -> Iterator[tuple[str, str]]:
    """The notes, tensions and decisions of every meeting that has any, marked when the space
    keeps the Chatham House rule. Who logged them is left out, as the pages leave it out."""
    meetings = (
        Meeting.objects.for_programme(programme)
        .exclude(Q(notes="") & Q(tensions="") & Q(decisions=""))
        .select_related("space")
        .order_by("starts_at", "pk")
    )
    for meeting in meetings.iterator(chunk_size=500):
        details = [
            ("Space", meeting.space.name),
            ("Starts", meeting.starts_at),
            ("Status", meeting.get_status_display()),
        ]
        if meeting.space.is_chatham_house:
            details.append(("Confidentiality", CHATHAM_HOUSE_NOTE))
        yield (
            text_file_name(meeting.pk, meeting.title),
            markdown_document(
                meeting.title,
                details,
                [
                    ("Notes", meeting.notes),
                    ("Tensions and disagreements", meeting.tensions),
                    ("Decisions", meeting.decisions),
                ],
            ),
        )
