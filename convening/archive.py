"""Core's part of the programme archive (convening/export_jobs.py): the tables and texts that
no list page downloads, registered with the exports like the apps' own."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest

from .access import LEAD
from .exports import Table, markdown_document, register_table, register_texts, text_file_name
from .models import Adoption, Innovation, Membership, Organisation, Programme


@register_table("members", roles=(LEAD,))
def members_table(request: HttpRequest, programme: Programme) -> Table:
    """Who has an account in the programme, and their role."""
    members = (
        Membership.objects.filter(programme=programme)
        .select_related("user")
        .order_by("user__name", "user__email", "pk")
    )
    return Table(
        f"{programme.slug}-members",
        "Members",
        ["Name", "Email", "Role"],
        members,
        lambda membership: [
            membership.user.name,
            membership.user.email,
            membership.get_role_display(),
        ],
    )


@register_table("organisations", roles=(LEAD,))
def organisations_table(request: HttpRequest, programme: Programme) -> Table:
    return Table(
        f"{programme.slug}-organisations",
        "Organisations",
        ["Name", "Short name", "Sector", "Place"],
        Organisation.objects.for_programme(programme).order_by("name", "pk"),
        lambda organisation: [
            organisation.name,
            organisation.short_name,
            organisation.get_sector_display(),
            organisation.place,
        ],
    )


@register_table("innovations", roles=(LEAD,))
def innovations_table(request: HttpRequest, programme: Programme) -> Table:
    return Table(
        f"{programme.slug}-innovations",
        "Innovations",
        ["Name", "Summary", "Innovator", "Evidence", "Core components", "Adaptable elements"],
        Innovation.objects.filter(programme=programme)
        .select_related("innovator_organisation")
        .order_by("name", "pk"),
        lambda innovation: [
            innovation.name,
            innovation.summary,
            innovation.innovator_organisation.name if innovation.innovator_organisation else "",
            innovation.evidence_summary,
            innovation.core_components,
            innovation.adaptable_elements,
        ],
    )


@register_table("adoptions", roles=(LEAD,))
def adoptions_table(request: HttpRequest, programme: Programme) -> Table:
    """Each site's current stage with each innovation (the history is `adoption_history`)."""
    return Table(
        f"{programme.slug}-adoptions",
        "Adoption",
        ["Innovation", "Site", "Stage", "Local lead", "Last changed"],
        Adoption.objects.for_programme(programme)
        .select_related("innovation", "organisation", "local_lead")
        .order_by("innovation__name", "organisation__name", "pk"),
        lambda adoption: [
            adoption.innovation.name,
            adoption.organisation.name,
            adoption.get_stage_display(),
            adoption.local_lead.name if adoption.local_lead else "",
            adoption.updated_at,
        ],
    )


@register_texts("programme")
def programme_texts(programme: Programme) -> Iterator[tuple[str, str]]:
    """The programme's summary and its shared understanding."""
    yield (
        "shared-understanding.md",
        markdown_document(
            programme.name,
            [
                ("Status", programme.get_status_display()),
                ("Last agreed on", programme.understanding_agreed_on),
                ("Agreed by", programme.understanding_agreed_by),
            ],
            [
                ("Summary", programme.summary),
                ("The problem to solve", programme.problem),
                ("Its priority, and why now", programme.priority),
                ("The value the innovation is expected to bring", programme.value),
                ("Shared purpose", programme.shared_purpose),
            ],
        ),
    )


@register_texts("innovations")
def innovation_texts(programme: Programme) -> Iterator[tuple[str, str]]:
    innovations = Innovation.objects.filter(programme=programme).select_related(
        "innovator_organisation"
    )
    for innovation in innovations.order_by("pk").iterator(chunk_size=200):
        organisation = innovation.innovator_organisation
        yield (
            text_file_name(innovation.pk, innovation.name),
            markdown_document(
                innovation.name,
                [("Innovator", organisation.name if organisation else "")],
                [
                    ("Summary", innovation.summary),
                    ("Evidence", innovation.evidence_summary),
                    ("Core components", innovation.core_components),
                    ("Adaptable elements", innovation.adaptable_elements),
                ],
            ),
        )
