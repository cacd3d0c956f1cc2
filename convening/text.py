"""Markdown that facilitators write, rendered safe to show."""

from __future__ import annotations

import threading

import markdown as markdown_lib
import nh3
from markupsafe import Markup

# Only what notes need: no images (they would load from anywhere), no raw HTML attributes
# beyond links, and certainly no script, event handlers, iframes or hx- attributes.
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
NHS_CLASSES = {
    "ul": "nhsuk-list nhsuk-list--bullet",
    "ol": "nhsuk-list nhsuk-list--number",
    "table": "nhsuk-table",
}


# Building a Markdown converter loads its extensions each time; a page of register entries or
# history renders dozens of snippets, so each thread keeps one and resets it between uses.
_converters = threading.local()


def _converter() -> markdown_lib.Markdown:
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = markdown_lib.Markdown(extensions=["sane_lists", "tables"], output_format="html")
        _converters.markdown = converter
    return converter.reset()


def render_markdown(text: str) -> Markup:
    """Markdown to HTML that cannot run script, styled as NHS.UK body text."""
    if not text:
        return Markup("")
    html = _converter().convert(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={tag: {"class": value} for tag, value in NHS_CLASSES.items()},
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above
