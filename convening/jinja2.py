"""The Jinja2 environment, the htmx fragment helper, and the filters pages share."""

from __future__ import annotations

from typing import Any

from django.contrib.messages import constants as message_levels
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader
from jinja2_fragments import render_block

from .form_rendering import error_summary_items, field_params, with_options
from .navigation import programme_sections
from .people_links import organisation_url, person_url
from .status import as_tag
from .text import render_markdown


def environment(**options: Any) -> Environment:
    # Django passes a FileSystemLoader for templates/; the nhsuk macros come after it.
    own_templates = options.pop("loader")
    # The nhsuk macros read attributes of missing parameters, so missing values must chain.
    options["undefined"] = ChainableUndefined
    env = Environment(
        loader=ChoiceLoader([own_templates, PackageLoader("nhsuk_frontend_jinja", "templates")]),
        autoescape=options.pop("autoescape", True),
        **options,
    )
    env.globals.update(
        static=static,
        url=reverse,
        field=field_params,
        error_summary_items=error_summary_items,
        message_banner=message_banner,
        when=when,
        as_tag=as_tag,
        programme_sections=programme_sections,
        person_url=person_url,
        organisation_url=organisation_url,
    )
    env.filters["with_options"] = with_options
    env.filters["markdown"] = render_markdown
    env.filters["local_datetime"] = local_datetime
    env.filters["local_date"] = local_date
    return env


def render_fragment(
    request: HttpRequest,
    template_name: str,
    block_name: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render one named block of a page template, with the same context a full page gets."""
    backend = engines["jinja2"]
    full_context: dict[str, Any] = {
        # Lets a block add out-of-band updates (such as a live region's text) only when it is
        # sent alone.
        "fragment": True,
        "request": request,
        "csrf_token": get_token(request),
        "csrf_input": format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        ),
    }
    for processor in backend.template_context_processors:
        full_context.update(processor(request))
    full_context.update(context or {})
    html = render_block(backend.env, template_name, block_name, full_context)
    return HttpResponse(html, status=status)


_BANNER_FOR_LEVEL = {
    message_levels.SUCCESS: ("success", "Success"),
    message_levels.ERROR: ("", "Important"),
    message_levels.WARNING: ("", "Important"),
}


def message_banner(message) -> dict[str, Any]:
    kind, title = _BANNER_FOR_LEVEL.get(message.level, ("", "Important"))
    params: dict[str, Any] = {"text": str(message), "titleText": title}
    if kind == "success":
        params["type"] = "success"
    return params


def local_datetime(value) -> str:
    """27 March 2026, 14:00 in the service's time zone."""
    value = timezone.localtime(value)
    return f"{value.day} {value:%B %Y}, {value:%H:%M}"


def when(starts, ends) -> str:
    """27 March 2026, 14:00 to 15:30 (or to another day's date and time)."""
    starts, ends = timezone.localtime(starts), timezone.localtime(ends)
    end = f"{ends:%H:%M}" if ends.date() == starts.date() else local_datetime(ends)
    return f"{local_datetime(starts)} to {end}"


def local_date(value) -> str:
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return f"{value.day} {value:%B %Y}"
