"""The system leader's pages, one module each: understanding, complexity, plan, coverage and
the local knowledge register."""

from __future__ import annotations

from django.urls import reverse

from convening.models import Programme

PAGE_NAMES = {
    "complexity": "Complexity",
    "coverage": "Coverage",
    "knowledge_list": "Local knowledge",
    "plan": "Plan",
}


def crumbs(programme: Programme, page: str | None = None) -> list[dict[str, str]]:
    """Programmes, then the programme, then (below one of its pages) that page."""
    trail = [
        {"href": reverse("programme_list"), "text": "Programmes"},
        {"href": programme.get_absolute_url(), "text": programme.name},
    ]
    if page is not None:
        trail.append({"href": reverse(page, args=[programme.slug]), "text": PAGE_NAMES[page]})
    return trail
