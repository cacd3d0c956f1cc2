"""Breadcrumbs, built one way for every page: Programmes, the programme, then what the page is
below. A step is the URL name of a programme page (named as in the programme navigation), an
object with `get_absolute_url()` (named by `str()`), or a `(text, href)` pair."""

from __future__ import annotations

from django.urls import reverse

from .navigation import PAGE_NAMES


def breadcrumbs(programme=None, *below, signed_in: bool = True) -> list[dict[str, str]]:
    """The trail above a page. `signed_in=False` starts from nothing, for the public hub."""
    trail = [{"href": reverse("programme_list"), "text": "Programmes"}] if signed_in else []
    if programme is not None:
        trail.append({"href": programme.get_absolute_url(), "text": programme.name})
    for step in below:
        if step is None:
            continue
        if isinstance(step, str):
            href, text = reverse(step, args=[programme.slug]), PAGE_NAMES[step]
        elif isinstance(step, tuple):
            text, href = step
        else:
            href, text = step.get_absolute_url(), str(step)
        trail.append({"href": href, "text": text})
    return trail
