"""The network pages' window and boundary switch: a GET form whose unknown values fall back to
the defaults with a message, never an error page."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from .models import DEFAULT_BOUNDARY, DEFAULT_WINDOW, Boundary, Window


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
