"""The programme navigation: five sections on one line (two on a phone), and the pages of the
current section under them, so every programme page is two clicks from any other.

Which pages a person sees is decided here, from their role, never in a template. Pages are
named by URL name, so core imports no feature app.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from .models import Membership

LEADS_ONLY = frozenset({Membership.Role.LEAD})
# Introductions name people: leads and facilitators (DESIGN section 11).
PEOPLE_VIEWERS = frozenset({Membership.Role.LEAD, Membership.Role.FACILITATOR})

# (section, [(URL name, link text, roles that see it, or None for every member)])
SECTIONS: list[tuple[str, list[tuple[str, str, frozenset | None]]]] = [
    (
        "Overview",
        [("programme_overview", "Overview", None), ("downloads", "Downloads", None)],
    ),
    (
        "Plan",
        [
            ("plan", "Plan", None),
            ("coverage", "Coverage", None),
            ("complexity", "Complexity", None),
            ("knowledge_list", "Local knowledge", None),
        ],
    ),
    ("Spaces and meetings", [("space_list", "Spaces", None), ("action_list", "Actions", None)]),
    (
        "Learning and adoption",
        [
            ("learning_log", "Learning", None),
            ("innovation_list", "Innovations", None),
            ("adoption_tracker", "Adoption", None),
            # Feedback to innovators and the digests sent are for the programme's leads only.
            ("feedback_inbox", "Feedback", LEADS_ONLY),
            ("digest_log", "Digests", LEADS_ONLY),
        ],
    ),
    (
        "People",
        [
            ("people", "People", None),
            ("member_list", "Members", None),
            ("network", "Network", None),
            ("introductions", "Introductions", PEOPLE_VIEWERS),
            ("data_we_hold", "Data we hold", None),
        ],
    ),
]


# The name of each programme page, as its link says (breadcrumbs use it too).
PAGE_NAMES = {name: text for _, pages in SECTIONS for name, text, _ in pages}


@dataclass(frozen=True)
class Link:
    text: str
    href: str
    current: bool


@dataclass(frozen=True)
class Section:
    text: str
    href: str
    current: bool
    links: list[Link]


def programme_sections(programme, current: str) -> list[Section]:
    """The sections a member of `programme` sees (`my_role` set by convening.access), with the
    page `current` (a URL name) marked."""
    role = getattr(programme, "my_role", None)
    sections = []
    for text, pages in SECTIONS:
        links = [
            Link(label, reverse(name, args=[programme.slug]), name == current)
            for name, label, roles in pages
            if roles is None or role in roles
        ]
        if links:
            here = any(link.current for link in links)
            sections.append(Section(text, links[0].href, here, links))
    return sections
