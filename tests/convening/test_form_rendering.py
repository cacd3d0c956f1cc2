"""The shared helper renders each kind of Django field through the matching nhsuk macro."""

import datetime
import re

import pytest
from django import forms
from django.template import engines

from convening.forms import NhsDateField
from convening.models import Participant


class EveryKindForm(forms.Form):
    name = forms.CharField(label="Name", max_length=20, help_text="As it appears on the badge")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    colour = forms.ChoiceField(
        label="Colour", choices=[("", "Choose"), ("r", "Red"), ("b", "Blue")]
    )
    size = forms.ChoiceField(
        label="Size", choices=[("s", "Small"), ("l", "Large")], widget=forms.RadioSelect
    )
    days = forms.MultipleChoiceField(
        label="Days",
        choices=[("mon", "Monday"), ("tue", "Tuesday")],
        widget=forms.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(label="I agree", required=False)
    due = NhsDateField(label="Due date", required=False)


def _render(form) -> str:
    template = engines["jinja2"].from_string(
        '{% from "components/forms.jinja" import form_field, error_summary %}'
        "{{ error_summary(form) }}"
        "{% for f in form %}{{ form_field(f) }}{% endfor %}"
    )
    return template.render({"form": form})


def test_each_widget_gets_its_nhsuk_component():
    html = _render(EveryKindForm(initial={"due": datetime.date(2026, 3, 27)}))
    assert 'class="nhsuk-input' in html
    assert 'id="id_name"' in html
    assert 'data-maxlength="20"' in html
    assert "As it appears on the badge" in html
    assert 'class="nhsuk-textarea' in html
    assert 'class="nhsuk-select' in html
    assert 'class="nhsuk-radios' in html
    assert 'id="id_size"' in html
    assert 'class="nhsuk-checkboxes' in html
    assert 'name="agree"' in html
    assert 'class="nhsuk-date-input' in html
    assert 'name="due_day"' in html
    assert 'value="27"' in html
    assert 'value="2026"' in html


def test_errors_appear_beside_fields_and_in_the_summary_with_links():
    form = EveryKindForm(
        data={
            "name": "x" * 25,
            "colour": "green",
            "size": "",
            "due_day": "31",
            "due_month": "2",
            "due_year": "2026",
        }
    )
    assert not form.is_valid()
    html = _render(form)
    assert "There is a problem" in html
    assert 'href="#id_name"' in html
    assert 'href="#id_due-day"' in html
    assert "Enter a real date" in html
    assert html.count("nhsuk-error-message") >= 4
    assert 'value="xxxxxxxxxxxxxxxxxxxxxxxxx"' in html  # what was typed is kept
    assert 'value="31"' in html
    assert html.count("Name must be 20 characters or fewer: it is 5 characters too long") == 2


def test_the_date_field_reads_day_month_and_year():
    field = NhsDateField()
    assert field.clean(["27", "3", "2026"]) == datetime.date(2026, 3, 27)
    form = EveryKindForm(
        data={
            "name": "a",
            "colour": "r",
            "size": "s",
            "days": ["mon"],
            "due_day": "27",
            "due_month": "",
            "due_year": "2026",
        }
    )
    assert not form.is_valid()
    assert form.errors["due"] == ["Enter a day, a month and a year."]


def test_no_id_is_used_twice_and_summary_links_reach_the_first_input():
    import re
    from collections import Counter

    form = EveryKindForm(data={"name": "", "size": "", "colour": ""})
    form.is_valid()
    html = _render(form)
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [name for name, count in ids.items() if count > 1] == []
    for anchor in re.findall(r'href="#([^"]+)"', html):
        assert f'id="{anchor}"' in html


def test_select_options_sit_inside_the_select_and_are_escaped():
    import re

    form = EveryKindForm(initial={"colour": "r"})
    form.fields["colour"].choices = [("", "Choose"), ("r", "Red & <b>bold</b>")]
    html = _render(form)
    select = re.search(
        r'<select class="nhsuk-select[^>]*name="colour"[^>]*>(.*?)</select>', html, re.S
    )
    assert select is not None
    assert '<option value="r" selected>Red &amp; &lt;b&gt;bold&lt;/b&gt;</option>' in select.group(
        1
    )
    assert "&lt;/select&gt;" not in html


class ParticipantChoicesForm(forms.ModelForm):
    """A required model choice field (role group) and an optional one (level), as radios:
    Django offers both with a "---------" blank choice."""

    class Meta:
        model = Participant
        fields = ["role_group", "level"]
        widgets = {"role_group": forms.RadioSelect, "level": forms.RadioSelect}


def test_a_required_radio_group_offers_no_blank_choice():
    html = _render(ParticipantChoicesForm())
    role_group = html[: html.index('name="level"')]
    assert 'name="role_group"' in role_group
    assert 'value=""' not in role_group
    assert "---------" not in html


def test_an_optional_radio_group_offers_its_blank_choice_in_words():
    html = _render(ParticipantChoicesForm(initial={"level": "senior"}))
    level = html[html.index('name="level"') :]
    assert 'value=""' in level
    assert "Not given" in level
    assert "---------" not in html


@pytest.mark.parametrize(
    "url",
    ["/programmes/virtual-wards/local-knowledge/new/", "/programmes/virtual-wards/spaces/new/"],
)
def test_no_page_offers_a_dashed_blank_radio(as_user, lead, url):
    """The register's kind and impact, and the space's kind, are required radios."""
    body = as_user(lead).get(url).content.decode()
    assert 'class="nhsuk-radios' in body
    assert "---------" not in body


class LimitedTextForm(forms.Form):
    title = forms.CharField(label="Title", max_length=10)
    story = forms.CharField(
        label="Story (optional)", max_length=1000, widget=forms.Textarea, required=False
    )
    note = forms.CharField(
        label="Note",
        max_length=5,
        widget=forms.Textarea,
        error_messages={"max_length": "Note must be 5 characters or fewer"},
    )


def test_no_limited_text_box_carries_maxlength_and_each_counts_characters():
    html = _render(LimitedTextForm())
    assert not re.search(r"\smaxlength=", html)
    assert html.count('data-module="nhsuk-character-count"') == 3
    assert 'data-maxlength="1000"' in html
    assert "You can enter up to 1,000 characters" in html
    # Each box is described by its count message, which the script keeps up to date.
    assert re.search(r'<textarea[^>]*aria-describedby="id_story-info"', html)
    assert re.search(r'<input[^>]*aria-describedby="id_title-info"', html)
    assert 'id="id_title-info"' in html


def test_over_long_text_is_kept_and_the_message_says_by_how_much():
    story = "s" * 2000
    form = LimitedTextForm(data={"title": "t" * 11, "story": story, "note": "n" * 7})
    assert not form.is_valid()
    html = _render(form)
    assert story in html  # all of it, in the box
    assert 'value="ttttttttttt"' in html
    assert (
        html.count("Story must be 1,000 characters or fewer: it is 1,000 characters too long") == 2
    )
    assert html.count("Title must be 10 characters or fewer: it is 1 character too long") == 2
    # A form's own words are kept, and told how far over.
    assert html.count("Note must be 5 characters or fewer: it is 2 characters too long") == 2


def test_an_explicit_maxlength_attribute_is_not_sent_either():
    template = engines["jinja2"].from_string(
        '{% from "components/forms.jinja" import form_field %}'
        '{{ form_field(form.title, attributes={"maxlength": "10", "autocomplete": "off"}) }}'
    )
    html = template.render({"form": LimitedTextForm()})
    assert not re.search(r"\smaxlength=", html)
    assert 'autocomplete="off"' in html
