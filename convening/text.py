"""Markdown that facilitators write, rendered safe to show."""

from __future__ import annotations

import threading
from functools import lru_cache

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


# A page of register entries, meeting notes or learning renders the same snippets on every
# view, and converting and cleaning them is most of its time; they change rarely, so each
# process keeps the latest. Only short texts, so the cache stays a few megabytes at most.
CACHED_TEXTS = 1024
CACHED_TEXT_MAX = 4_000


def render_markdown(text: str) -> Markup:
    """Markdown to HTML that cannot run script, styled as NHS.UK body text."""
    if not text:
        return Markup("")
    if len(text) <= CACHED_TEXT_MAX:
        return _render_remembered(text)
    return _render(text)


@lru_cache(maxsize=CACHED_TEXTS)
def _render_remembered(text: str) -> Markup:
    return _render(text)  # a Markup is immutable, so every page may share it


def _render(text: str) -> Markup:
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
