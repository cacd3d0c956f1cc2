"""Forms of the network pages: introductions, and the window and boundary switch (a GET form
whose unknown values fall back to the defaults with a message, never an error page)."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from convening.models import Participant, Programme

from . import introductions
from .models import DEFAULT_BOUNDARY, DEFAULT_WINDOW, Boundary, Introduction, Window

REASON_MAX = Introduction._meta.get_field("reason").max_length
MESSAGE_MAX = 5000


class PersonField(forms.ChoiceField):
    """A person of the programme, chosen from a list. Any value is accepted here, so that the
    form can say why a person cannot be introduced rather than "not a valid choice"."""

    def valid_value(self, value) -> bool:
        return True


class IntroductionForm(forms.Form):
    person_a = PersonField(
        label="First person",
        help_text="Only people who agreed to be contacted and have an email address are listed.",
    )
    person_b = PersonField(label="Second person")
    reason = forms.CharField(
        label="Why they should meet",
        max_length=REASON_MAX,
        help_text="In plain words; it is kept with the introduction.",
        error_messages={"required": "Say why they should meet"},
    )
    message = forms.CharField(
        label="Message",
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Sent by email to both people, with both addresses so they can reply.",
        error_messages={"required": "Write the message to send"},
    )

    def __init__(self, *args, programme: Programme, people: list[Participant], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        choices = [("", "Choose a person")] + [
            (str(person.pk), _label(person)) for person in people
        ]
        self.fields["person_a"].choices = choices
        self.fields["person_b"].choices = choices
        self.fields["person_a"].error_messages["required"] = "Choose the first person"
        self.fields["person_b"].error_messages["required"] = "Choose the second person"

    def clean_message(self) -> str:
        return self.cleaned_data["message"].replace("\r\n", "\n")

    def clean(self) -> dict:
        cleaned = super().clean()
        raw = {name: cleaned.get(name) for name in ("person_a", "person_b")}
        ids = {name: int(value) for name, value in raw.items() if value and value.isdigit()}
        found = {
            person.pk: person
            for person in Participant.objects.filter(pk__in=ids.values()).select_related(
                "organisation", "user"
            )
        }
        for name, value in raw.items():
            if not value:
                continue
            person = found.get(ids.get(name))
            problem = introductions.refusal(self.programme, person)
            if problem:
                self.add_error(name, problem)
            else:
                cleaned[name] = person
        first, second = cleaned.get("person_a"), cleaned.get("person_b")
        both = isinstance(first, Participant) and isinstance(second, Participant)
        if both and first.pk == second.pk:
            self.add_error(
                "person_b",
                "Choose two different people: someone cannot be introduced to themselves.",
            )
        return cleaned


def _label(person: Participant) -> str:
    if person.organisation_id:
        return f"{person.name} ({person.organisation.name})"
    return person.name


class NetworkViewForm(forms.Form):
    window = forms.ChoiceField(
        label="Time window",
        choices=Window.choices,
        required=False,
        error_messages={
            "invalid_choice": "There is no time window “%(value)s”: showing the last 12 months"
        },
    )
    boundary = forms.ChoiceField(
        label="Boundary",
        required=False,
        error_messages={
            "invalid_choice": "There is no boundary “%(value)s” here: showing organisations"
        },
    )

    def __init__(self, data, *, boundaries: Sequence[Boundary]):
        super().__init__(data)
        self.fields["boundary"].choices = [(b.value, b.label) for b in boundaries]

    def chosen(self) -> tuple[str, str]:
        """The window and boundary to show: what was asked for, or the default for anything
        missing or unknown. The form then shows what is shown, with the errors kept."""
        self.full_clean()
        window = self.cleaned_data.get("window") or DEFAULT_WINDOW.value
        boundary = self.cleaned_data.get("boundary") or DEFAULT_BOUNDARY.value
        self.data = {"window": window, "boundary": boundary}
        return window, boundary
