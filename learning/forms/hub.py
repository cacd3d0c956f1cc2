"""The learning hub's forms: the learning filter, subscribing, feedback to the innovator, and
messages to the people who agreed to be contacted."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from ..models import (
    CONTACT_MESSAGE_MAX,
    FEEDBACK_MAX,
    ContactMessage,
    Feedback,
    LearningEntry,
    Subscription,
)
from ..subscriptions import may_subscribe_by_email

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class HubLearningFilterForm(forms.Form):
    """Learning by kind. A kind that is not one of the choices is ignored, not an error: an old
    bookmark or an edited address still shows the learning."""

    kind = forms.ChoiceField(
        label="Kind of learning",
        required=False,
        choices=[("", "All kinds"), *LearningEntry.Kind.choices],
    )

    def __init__(self, data: QueryDict):
        super().__init__(data={}, auto_id="filter-%s")
        kind = data.get("kind", "")
        if kind in LearningEntry.Kind.values:
            self.data = {"kind": kind}
        self.full_clean()

    @property
    def chosen(self) -> str:
        return self.cleaned_data.get("kind", "")

    def apply(self, entries: QuerySet[LearningEntry]) -> QuerySet[LearningEntry]:
        return entries.filter(kind=self.chosen) if self.chosen else entries


class SubscribeForm(forms.Form):
    SCOPE_PROGRAMME = "programme"
    SCOPE_INNOVATION = "innovation"

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    scope = forms.ChoiceField(label="What to hear about", widget=forms.RadioSelect)
    frequency = forms.ChoiceField(
        label="How often",
        widget=forms.RadioSelect,
        choices=[
            (Subscription.Frequency.DAILY, "Daily"),
            (Subscription.Frequency.WEEKLY, "Weekly"),
        ],
        initial=Subscription.Frequency.WEEKLY,
        error_messages={
            "required": "Choose daily or weekly",
            "invalid_choice": "Choose daily or weekly",
        },
    )
    weekday = forms.TypedChoiceField(
        label="Day of the week, for a weekly email",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Choose a day"), *WEEKDAYS],
        error_messages={"invalid_choice": "Choose a day of the week"},
    )

    def __init__(self, *args, programme, innovation, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["scope"].choices = [
            (self.SCOPE_INNOVATION, f"New learning about {innovation.name}"),
            (self.SCOPE_PROGRAMME, f"All new learning from {programme.name}"),
        ]
        self.fields["scope"].initial = self.SCOPE_INNOVATION
        self.fields["scope"].error_messages = {
            "required": "Choose what you want to hear about",
            "invalid_choice": "Choose what you want to hear about",
        }

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if not may_subscribe_by_email(self.programme):
            # An email address can be anyone's: only a public hub's learning goes to one.
            raise forms.ValidationError(
                "Learning from this programme is only for people who sign in, so it cannot be"
                " sent to an email address. If you are a member, subscribe from your account"
                " under Digests."
            )
        if cleaned.get("frequency") == Subscription.Frequency.WEEKLY:
            if cleaned.get("weekday") is None and "weekday" not in self.errors:
                self.add_error("weekday", "Choose the day of the week for a weekly email")
        else:
            cleaned["weekday"] = None
        return cleaned


class HoneypotForm(forms.Form):
    """A public form with a field people never see or fill in (the template hides it with
    the `honeypot` macro); bots that fill every field give themselves away."""

    website = forms.CharField(label="Leave this empty", required=False)

    @property
    def is_from_a_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class FeedbackForm(HoneypotForm, forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["name", "email", "site", "kind", "body"]
        widgets = {
            "kind": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 8}),
            "email": forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            "name": forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
            "site": forms.TextInput(attrs={"autocomplete": "organization"}),
        }
        labels = {
            "name": "Your name (optional)",
            "email": "Your email address (optional)",
            "site": "Your organisation or site (optional)",
            "kind": "What is your feedback about?",
            "body": "Your feedback",
        }
        help_texts = {
            "email": "Only if you would like a reply. We use it for nothing else.",
            "body": f"Up to {FEEDBACK_MAX:,} characters. Do not include details about patients.",
        }
        error_messages = {
            "name": {"max_length": "Name must be 200 characters or fewer"},
            "email": {
                "invalid": "Enter an email address in the correct format, like name@example.org"
            },
            "site": {"max_length": "Organisation must be 200 characters or fewer"},
            "kind": {
                "required": "Choose what your feedback is about",
                "invalid_choice": "Choose what your feedback is about",
            },
            "body": {
                "required": "Enter your feedback",
                "max_length": f"Feedback must be {FEEDBACK_MAX:,} characters or fewer",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Feedback.Kind.choices


class ContactForm(HoneypotForm, forms.ModelForm):
    class Meta:
        model = ContactMessage
        fields = ["name", "email", "body"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            "body": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {
            "name": "Your name",
            "email": "Your email address",
            "body": "Your message",
        }
        help_texts = {
            "email": "So they can reply to you. We use it for nothing else.",
            "body": f"Up to {CONTACT_MESSAGE_MAX:,} characters. Do not include details about"
            " patients.",
        }
        error_messages = {
            "name": {
                "required": "Enter your name",
                "max_length": "Name must be 200 characters or fewer",
            },
            "email": {
                "required": "Enter your email address, so they can reply",
                "invalid": "Enter an email address in the correct format, like name@example.org",
                "max_length": "Email address must be 254 characters or fewer",
            },
            "body": {
                "required": "Enter your message",
                "max_length": f"Message must be {CONTACT_MESSAGE_MAX:,} characters or fewer",
            },
        }
