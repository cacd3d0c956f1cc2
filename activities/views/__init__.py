"""The system leader's pages, one module each: understanding, complexity, plan, coverage and
the local knowledge register."""

from __future__ import annotations

from convening.breadcrumbs import breadcrumbs
from convening.models import Programme


def crumbs(programme: Programme, page: str | None = None) -> list[dict[str, str]]:
    """Programmes, then the programme, then (below one of its pages) that page."""
    return breadcrumbs(programme, page)
