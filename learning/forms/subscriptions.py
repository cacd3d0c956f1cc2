"""Forms for digest subscriptions: changing or stopping one, and a member subscribing from
their account."""

from __future__ import annotations

from django import forms

from convening.models import Innovation, Programme

from ..models import Subscription
from .hub import WEEKDAYS

WEEKDAY_FIELD = {
    "label": "Day of the week, for a weekly email",
    "required": False,
    "coerce": int,
    "empty_value": None,
    "choices": [("", "Choose a day"), *WEEKDAYS],
    "error_messages": {"invalid_choice": "Choose a day of the week"},
}


class _FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(label="How often", widget=forms.RadioSelect)
    weekday = forms.TypedChoiceField(**WEEKDAY_FIELD)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("frequency") == Subscription.Frequency.WEEKLY:
            if cleaned.get("weekday") is None and "weekday" not in self.errors:
                self.add_error("weekday", "Choose the day of the week for a weekly email")
        else:
            cleaned["weekday"] = None
        return cleaned


class ManageSubscriptionForm(_FrequencyForm):
    """Daily, weekly on a day, or stop."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frequency"].choices = [
            (Subscription.Frequency.DAILY, "Daily"),
            (Subscription.Frequency.WEEKLY, "Weekly"),
            (Subscription.Frequency.OFF, "Stop these emails"),
        ]
        self.fields["frequency"].error_messages = {
            "required": "Choose daily, weekly or stop",
            "invalid_choice": "Choose daily, weekly or stop",
        }


class MemberSubscribeForm(_FrequencyForm):
    """A member subscribes to one of their programmes, or one innovation of them. The scope's
    value is "programme-<id>" or "innovation-<id>", from the member's own choices only."""

    scope = forms.ChoiceField(label="What to hear about")

    field_order = ["scope", "frequency", "weekday"]

    def __init__(self, *args, programmes: list[Programme], innovations: list[Innovation], **kw):
        super().__init__(*args, **kw)
        self._programmes = {f"programme-{p.pk}": p for p in programmes}
        self._innovations = {f"innovation-{i.pk}": i for i in innovations}
        names = {p.pk: p.name for p in programmes}
        self.fields["scope"].choices = [("", "Choose a programme or innovation")] + [
            choice
            for programme in programmes
            for choice in [
                (f"programme-{programme.pk}", f"{programme.name}: all learning"),
                *(
                    (key, f"{names[innovation.programme_id]}: {innovation.name}")
                    for key, innovation in self._innovations.items()
                    if innovation.programme_id == programme.pk
                ),
            ]
        ]
        self.fields["scope"].error_messages = {
            "required": "Choose what you want to hear about",
            "invalid_choice": "Choose what you want to hear about",
        }
        self.fields["frequency"].choices = [
            (Subscription.Frequency.DAILY, "Daily"),
            (Subscription.Frequency.WEEKLY, "Weekly"),
        ]
        self.fields["frequency"].initial = Subscription.Frequency.WEEKLY
        self.fields["frequency"].error_messages = {
            "required": "Choose daily or weekly",
            "invalid_choice": "Choose daily or weekly",
        }

    def chosen_scope(self) -> tuple[Programme, Innovation | None]:
        key = self.cleaned_data["scope"]
        if key in self._innovations:
            innovation = self._innovations[key]
            return self._programmes[f"programme-{innovation.programme_id}"], innovation
        return self._programmes[key], None
