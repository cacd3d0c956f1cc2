"""Markdown rendering: safe, and each short text converted once per process (step 6's speed:
the register and the meeting log render the same snippets on every view)."""

from unittest import mock

from convening import text
from convening.text import CACHED_TEXT_MAX, render_markdown


def test_markdown_is_rendered_safe_with_nhs_classes():
    html = render_markdown("- one\n- two\n\n<script>alert(1)</script>")
    assert '<ul class="nhsuk-list nhsuk-list--bullet">' in html
    assert "<script>" not in html


def test_a_short_text_is_converted_once_however_often_it_is_shown():
    snippet = "Seen on **every** view of the register, 6b."
    with mock.patch.object(text, "_render", wraps=text._render) as convert:
        first, again = render_markdown(snippet), render_markdown(snippet)
    assert first == again == "<p>Seen on <strong>every</strong> view of the register, 6b.</p>"
    assert convert.call_count == 1


def test_a_long_text_is_not_kept():
    long_text = "word " * (CACHED_TEXT_MAX // 5 + 1)
    with mock.patch.object(text, "_render", wraps=text._render) as convert:
        render_markdown(long_text)
        render_markdown(long_text)
    assert convert.call_count == 2
