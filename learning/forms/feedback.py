"""The feedback inbox: its filters, the reply to a sender and a change of status."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from convening.forms import AddressFilterForm
from convening.models import Innovation

from ..models import BODY_MAX, Feedback

# The status filter's value for feedback not yet answered, the inbox's default.
OPEN = "open"
ALL = "all"


class FeedbackFilterForm(AddressFilterForm):
    """The inbox's filters. A value that is not one of the choices is ignored, not an error:
    an old bookmark or an edited address still shows the inbox."""

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            (OPEN, "New and acknowledged"),
            *Feedback.Status.choices,
            (ALL, "Any status"),
        ],
    )
    innovation = forms.ChoiceField(label="Innovation", required=False)

    def __init__(self, data: QueryDict, *, innovations: list[Innovation]):
        super().__init__(data={}, auto_id="filter-%s")
        self.fields["innovation"].choices = [
            ("", "Any innovation"),
            *((str(innovation.pk), innovation.name) for innovation in innovations),
        ]
        self.keep_known(data, defaults={"status": OPEN})

    def apply(self, feedback: QuerySet[Feedback]) -> QuerySet[Feedback]:
        values = self.values
        if "innovation" in values:
            feedback = feedback.filter(innovation_id=int(values["innovation"]))
        status = values["status"]
        if status == OPEN:
            feedback = feedback.exclude(status=Feedback.Status.ANSWERED)
        elif status != ALL:
            feedback = feedback.filter(status=status)
        return feedback


class ReplyForm(forms.Form):
    """The lead's answer to a piece of feedback."""

    response = forms.CharField(
        label="Your answer",
        max_length=BODY_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Enter your answer",
            "max_length": f"Keep your answer to {BODY_MAX:,} characters or fewer",
        },
    )

    def save(self, feedback: Feedback, *, by) -> Feedback:
        """Store the answer and mark the feedback answered."""
        feedback.response = self.cleaned_data["response"]
        feedback.status = Feedback.Status.ANSWERED
        feedback.responded_at = timezone.now()
        feedback.responded_by = by
        feedback.save(update_fields=["response", "status", "responded_at", "responded_by"])
        return feedback


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=Feedback.Status.choices,
        error_messages={
            "required": "Choose new, acknowledged or answered",
            "invalid_choice": "Choose new, acknowledged or answered",
        },
    )
