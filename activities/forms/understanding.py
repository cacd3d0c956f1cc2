"""The programme's shared understanding (activity area 6), edited by its leads."""

from __future__ import annotations

from django import forms

from convening.forms import NhsDateField
from convening.history import VersionedForm
from convening.models import Programme

MARKDOWN_HINT = "You can use Markdown: a blank line between paragraphs, - for a list."


class UnderstandingForm(VersionedForm):
    """The programme's shared understanding. Its details (name, status) are another form of
    the same programme: a save of those meanwhile is not a conflict here."""

    agreed_on = NhsDateField(
        label="Last agreed on",
        required=False,
        help_text="The date these words were last agreed together, for example 27 3 2026",
    )

    class Meta:
        model = Programme
        fields = ["problem", "priority", "value", "shared_purpose", "understanding_agreed_by"]
        labels = {
            "problem": "The problem to solve",
            "priority": "Its priority, and why now",
            "value": "The value the innovation is expected to bring",
            "shared_purpose": "Our shared purpose",
            "understanding_agreed_by": "Agreed by",
        }
        help_texts = {
            "problem": "Who is affected, and how. " + MARKDOWN_HINT,
            "priority": "Why this matters more than other work at the moment.",
            "value": "For patients, staff and organisations, and how you will know.",
            "shared_purpose": "One or two sentences everyone taking part can stand behind.",
            "understanding_agreed_by": "Who agreed these words, for example the programme board",
        }
        error_messages = {
            name: {"max_length": "Keep this to %(limit_value)d characters or fewer"}
            for name in ["problem", "priority", "value", "shared_purpose"]
        } | {"understanding_agreed_by": {"max_length": "Keep this to 200 characters or fewer"}}
        widgets = {
            name: forms.Textarea(attrs={"rows": 5})
            for name in ["problem", "priority", "value", "shared_purpose"]
        }

    field_order = ["problem", "priority", "value", "shared_purpose", "agreed_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["agreed_on"] = self.instance.understanding_agreed_on

    def prepare(self, programme: Programme) -> None:
        programme.understanding_agreed_on = self.cleaned_data["agreed_on"]

    def versioned_fields(self) -> list[str]:
        # The date is posted as `agreed_on` (three boxes) but saved on the programme's own field.
        return [*super().versioned_fields(), "understanding_agreed_on"]
