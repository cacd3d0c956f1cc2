"""Status tags: each choice's colour is declared beside its choices (convening/status.py) and one
macro, `status_tag` in templates/components/status.jinja, draws every tag."""

import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.template import engines
from django.utils import timezone

from activities.models import PlannedActivity
from convening.models import Adoption, Participant, Programme
from convening.status import COLOURS, Tag, as_tag, colours_of, is_declared
from learning.adoption import STAGE_FILLS, STRONG_FILLS
from learning.models import LearningEntry
from spaces.imports import MatchedPerson, NewPerson
from spaces.models import Meeting

TEMPLATES = Path(settings.BASE_DIR) / "templates"
OUR_APPS = ("convening", "activities", "spaces", "learning")

# The names of the choice fields that pages draw as tags.
TAG_FIELDS = {"status", "stage", "role", "kind", "impact", "rating"}
# Choice fields with one of those names that no page draws as a tag, only as words.
SHOWN_AS_WORDS = {
    ("spaces", "AdaptiveSpace", "kind"),
    ("spaces", "SpaceMember", "role"),
    ("spaces", "Attendance", "status"),
    ("activities", "LocalKnowledge", "kind"),
}
# Allauth's pages are Django templates: they cannot call the Jinja macro, and their tags
# (two-factor on or off, the main email address) are not statuses of our models.
NOT_JINJA = (TEMPLATES / "django",)
THE_MACRO = TEMPLATES / "components" / "status.jinja"


def _choice_fields():
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if getattr(field, "choices", None) and field.name in TAG_FIELDS:
                yield model, field


def _templates():
    for path in sorted(TEMPLATES.rglob("*")):
        if not path.is_file() or path == THE_MACRO:
            continue
        if any(path.is_relative_to(skipped) for skipped in (TEMPLATES / "nhsuk", *NOT_JINJA)):
            continue
        yield path


def _render(source: str, **context) -> str:
    env = engines["jinja2"].env
    template = env.from_string('{% from "components/status.jinja" import status_tag %}' + source)
    return template.render(**context)


# Declarations ----------------------------------------------------------------------------------


def test_every_choice_field_drawn_as_a_tag_has_a_colour_for_each_choice():
    checked = set()
    for model, field in _choice_fields():
        key = (model._meta.app_label, model.__name__, field.name)
        if key in SHOWN_AS_WORDS:
            continue
        assert is_declared(field.choices), f"{key}: declare its colours with @tag_colours"
        declared = colours_of(field.choices)
        assert set(declared) == {value for value, _ in field.choices}, key
        assert set(declared.values()) <= COLOURS, key
        checked.add(key)
    # The walk found the fields the pages draw.
    assert {
        ("convening", "Programme", "status"),
        ("convening", "Membership", "role"),
        ("convening", "Adoption", "stage"),
        ("convening", "AdoptionEvent", "stage"),
        ("spaces", "AdaptiveSpace", "status"),
        ("spaces", "Meeting", "status"),
        ("spaces", "Action", "status"),
        ("activities", "PlannedActivity", "status"),
        ("activities", "DomainRating", "rating"),
        ("activities", "LocalKnowledge", "impact"),
        ("activities", "LocalKnowledge", "status"),
        ("learning", "LearningEntry", "kind"),
        ("learning", "LearningEntry", "status"),
        ("learning", "Feedback", "kind"),
        ("learning", "Feedback", "status"),
        ("learning", "DigestDelivery", "status"),
    } <= checked


def test_the_fields_shown_as_words_are_not_drawn_as_tags():
    """A field left out of the walk above must not be drawn: nothing declares its colours."""
    for app_label, model_name, field_name in SHOWN_AS_WORDS:
        field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
        assert not is_declared(field.choices)


def test_templates_draw_tags_only_of_fields_the_walk_checks():
    drawn = set()
    for path in _templates():
        drawn.update(re.findall(r"status_tag\([^,()]+,\s*\"(\w+)\"\)", path.read_text()))
    assert drawn  # the pattern still matches how templates call the macro
    assert drawn <= TAG_FIELDS


def test_a_choices_class_must_give_every_member_a_colour():
    from django.db import models

    from convening.status import tag_colours

    class Weather(models.TextChoices):
        SUN = "sun", "Sun"
        RAIN = "rain", "Rain"

    with pytest.raises(ValueError, match="give a colour for each"):
        tag_colours(SUN="yellow")(Weather)
    with pytest.raises(ValueError, match="not a tag colour"):
        tag_colours(SUN="yellow", RAIN="mauve")(Weather)
    with pytest.raises(ValueError, match="not a tag colour"):
        Tag("Drizzle", "mauve")


def test_the_adoption_chart_draws_each_stage_in_the_shade_of_its_tag_colour():
    for stage, colour in colours_of(Adoption.Stage).items():
        assert STAGE_FILLS[stage] == STRONG_FILLS[colour]
    assert len(set(STAGE_FILLS.values())) == len(Adoption.Stage)  # the stages stay apart


# Templates -------------------------------------------------------------------------------------


def test_no_template_draws_a_tag_itself():
    nhsuk_tag_macro = re.compile(r"(?<![\w.])tag\(")
    offenders = []
    for path in _templates():
        text = path.read_text()
        name = path.relative_to(TEMPLATES)
        if "nhsuk-tag" in text:
            offenders.append(f"{name}: nhsuk-tag")
        if "nhsuk/components/tag/" in text or nhsuk_tag_macro.search(text):
            offenders.append(f"{name}: the nhsuk tag macro")
        if re.search(r"\b(tag_colour|status_colours|tag_classes|kind_colours)\b", text):
            offenders.append(f"{name}: a colour map")
    assert offenders == []


def test_the_macro_draws_a_fields_declared_colour_and_label():
    programme = Programme(status=Programme.Status.SUSTAINING)
    assert _render("{{ status_tag(programme) }}", programme=programme) == (
        '<strong class="nhsuk-tag nhsuk-tag--purple">Sustaining</strong>'
    )
    adoption = Adoption(stage=Adoption.Stage.TESTING)
    assert _render('{{ status_tag(adoption, "stage") }}', adoption=adoption) == (
        '<strong class="nhsuk-tag nhsuk-tag--yellow">Testing</strong>'
    )


def test_the_macro_draws_a_tag_a_model_worked_out_and_escapes_its_text():
    html = _render("{{ status_tag(found) }}", found=Tag("<b>Late</b>", "red"))
    assert html == '<strong class="nhsuk-tag nhsuk-tag--red">&lt;b&gt;Late&lt;/b&gt;</strong>'


# States worked out from several fields ---------------------------------------------------------


def test_a_meeting_held_but_not_logged_is_flagged():
    held = Meeting(status=Meeting.Status.HELD)
    assert held.state_tag == Tag("Held, not logged yet", "orange")
    held.logged_at = timezone.now()
    assert held.state_tag == Tag("Held", "green")
    assert Meeting(status=Meeting.Status.PLANNED).state_tag == Tag("Planned", "grey")


def test_an_open_activity_past_its_due_date_is_overdue():
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = PlannedActivity(status=PlannedActivity.Status.IN_PROGRESS, due=yesterday)
    assert late.overdue_tag == Tag("Overdue", "red")
    assert PlannedActivity(status=PlannedActivity.Status.DONE, due=yesterday).overdue_tag is None
    assert PlannedActivity(status=PlannedActivity.Status.PLANNED, due=None).overdue_tag is None
    assert as_tag(late) == Tag("In progress", "yellow")


def test_learning_past_its_review_date_is_flagged():
    entry = LearningEntry(review_by=datetime.date(2020, 3, 5))
    assert entry.review_tag == Tag("Review by 5 March 2020", "orange")
    assert LearningEntry(review_by=timezone.localdate()).review_tag is None
    assert LearningEntry().review_tag is None


def test_the_import_preview_rows_have_their_tags():
    person = Participant(lived_experience=True)
    matched = MatchedPerson(row=None, participant=person, matched_by="email", already_recorded=True)
    assert matched.status_tag == Tag("Already recorded", "grey")
    assert (
        MatchedPerson(row=None, participant=person, matched_by="name", already_recorded=False)
    ).status_tag == Tag("Will be added", "green")
    assert NewPerson(row=None, namesakes=2).status_tag == Tag("Needs a decision", "orange")
    assert NewPerson(row=None).status_tag == Tag("Not in the programme", "blue")
    lived_experience = person.LIVED_EXPERIENCE_TAG
    assert lived_experience == Tag("Lived experience", "aqua-green")
