"""Status tags: each choice's colour is declared beside its choices, and one macro draws them
(`status_tag` in templates/components/status.jinja).

    @tag_colours(PLANNED="blue", DONE="green", DROPPED="grey")
    class Status(models.TextChoices):
        ...

A state worked out from several fields (a meeting held but not logged, an overdue activity) is a
`Tag` made by the model, so no template picks a colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

# The colours of the NHS.UK tag component.
COLOURS = frozenset(
    {"white", "grey", "green", "aqua-green", "blue", "purple", "pink", "red", "orange", "yellow"}
)
_BY_CHOICES: dict[tuple, dict[str, str]] = {}


@dataclass(frozen=True)
class Tag:
    text: str
    colour: str

    def __post_init__(self):
        if self.colour not in COLOURS:
            raise ValueError(f"{self.colour!r} is not a tag colour")


def tag_colours(**colours: str):
    """Declare the tag colour of every choice of a TextChoices class, by member name."""

    def register(choices: type[models.TextChoices]) -> type[models.TextChoices]:
        if set(colours) != set(choices.names):
            raise ValueError(f"{choices.__qualname__}: give a colour for each of {choices.names}")
        for colour in colours.values():
            if colour not in COLOURS:
                raise ValueError(f"{colour!r} is not a tag colour")
        _BY_CHOICES[_key(choices.choices)] = {
            choices[name].value: colour for name, colour in colours.items()
        }
        return choices

    return register


def _key(choices) -> tuple:
    return tuple((str(value), str(label)) for value, label in choices)


def colours_of(choices) -> dict[str, str]:
    """The declared colour of each value of a TextChoices class or of a field's choices
    (KeyError if none are declared)."""
    return dict(_BY_CHOICES[_key(getattr(choices, "choices", choices))])


def is_declared(choices) -> bool:
    """Whether tag colours are declared for these choices (a class or a field's choices)."""
    return _key(getattr(choices, "choices", choices)) in _BY_CHOICES


def colour_of(instance: models.Model, field_name: str = "status") -> str:
    """The declared colour of a choice field's current value."""
    model_field = instance._meta.get_field(field_name)
    colours = _BY_CHOICES[_key(model_field.choices)]
    return colours[getattr(instance, field_name)]


def tag(instance: models.Model, field_name: str = "status") -> Tag:
    """A model's choice field as a tag: its label and its declared colour."""
    text = getattr(instance, f"get_{field_name}_display")()
    return Tag(str(text), colour_of(instance, field_name))


def as_tag(item, field_name: str = "status") -> Tag:
    """What the status_tag macro draws: a Tag as it is, or a model's choice field."""
    return item if isinstance(item, Tag) else tag(item, field_name)
