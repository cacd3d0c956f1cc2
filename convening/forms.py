"""Forms for the core pages, and the date widget the shared field renderer knows."""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.forms import LoginForm
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import slugify

from .exports import TABLES
from .history import Conflict, VersionedForm
from .models import (
    NAME_MAX,
    Membership,
    Organisation,
    Participant,
    Programme,
    User,
)


class NhsDateInput(forms.MultiWidget):
    """Day, month and year boxes, rendered by the nhsuk dateInput macro."""

    nhsuk_macro = "dateInput"
    PARTS = ("day", "month", "year")

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput, forms.TextInput, forms.TextInput], attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]

    def value_from_datadict(self, data, files, name):
        return [data.get(f"{name}_{part}", "").strip() for part in self.PARTS]

    def nhsuk_items(self, name: str, value: Any) -> list[dict[str, Any]]:
        if isinstance(value, datetime.date):
            value = self.decompress(value)
        value = value if isinstance(value, list | tuple) else ["", "", ""]
        return [
            {
                "id": f"id_{name}-{part}",
                "name": f"{name}_{part}",
                "label": part.capitalize(),
                "value": value[index] if index < len(value) else "",
                "width": 4 if part == "year" else 2,
            }
            for index, part in enumerate(self.PARTS)
        ]


class NhsDateField(forms.Field):
    widget = NhsDateInput
    default_error_messages = {
        "invalid": "Enter a real date, for example 27 3 2026.",
        "incomplete": "Enter a day, a month and a year.",
    }

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        if not value or not any(value):
            return None
        if not all(value):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            day, month, year = (int(part) for part in value)
            return datetime.date(year, month, day)
        # A year of many digits overflows the date type rather than failing as a bad value.
        except (TypeError, ValueError, OverflowError) as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


class AddressFilterForm(forms.Form):
    """Filters read from a page's address. A value that is not one of a field's choices is
    dropped, not shown as an error, so an old bookmark or an edited address still shows the
    page. Subclasses set their choices, then call `keep_known`."""

    def keep_known(self, data, *, given: dict | None = None, defaults: dict | None = None):
        """Bind to the values of `data` that are among the choices (fields in `given` are taken
        as given instead), then `defaults` for anything left unset."""
        known = dict(given or {})
        for name, field in self.fields.items():
            value = data.get(name, "")
            if name not in known and value in {str(choice) for choice, _ in field.choices}:
                known[name] = value
        for name, value in (defaults or {}).items():
            known.setdefault(name, value)
        self.data = {name: value for name, value in known.items() if value}
        self.full_clean()

    @property
    def values(self) -> dict[str, str]:
        """The filters in use, as they go in an address."""
        return {name: value for name, value in self.cleaned_data.items() if value}

    def query_string(self) -> str:
        query = QueryDict(mutable=True)
        query.update(self.values)
        return query.urlencode()

    def page_url(self, base_url: str, number: int) -> str:
        """Page `number` of `base_url` with the same filters; the first page has no number."""
        parts = (self.query_string(), f"page={number}" if number > 1 else "")
        query = "&".join(part for part in parts if part)
        return f"{base_url}?{query}" if query else base_url


class ProgrammeForm(VersionedForm):
    class Meta:
        model = Programme
        fields = ["name", "summary", "status", "hub_visibility"]
        widgets = {"status": forms.RadioSelect, "hub_visibility": forms.RadioSelect}
        labels = {"name": "Programme name"}
        help_texts = {
            "summary": "A sentence or two on what the programme spreads, and where.",
            "hub_visibility": "Who can read the programme's learning hub pages.",
        }
        error_messages = {
            "name": {
                "required": "Enter the programme name",
                "max_length": "Programme name must be %(limit_value)d characters or fewer",
            },
            "summary": {"max_length": "Summary must be %(limit_value)d characters or fewer"},
        }

    def save_new(self, lead) -> Programme:
        data = self.cleaned_data
        return Programme.create_with_lead(
            lead=lead,
            name=data["name"],
            slug=unique_programme_slug(data["name"]),
            summary=data["summary"],
            status=data["status"],
            hub_visibility=data["hub_visibility"],
        )


# Slugs that would collide with fixed URLs under /programmes/.
RESERVED_SLUGS = {"new"}


def unique_programme_slug(name: str) -> str:
    base = slugify(name)[:70] or "programme"
    if base in RESERVED_SLUGS:
        base = f"{base}-programme"
    taken = set(Programme.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


ROLE_ERRORS = {
    "required": "Choose a role",
    "invalid_choice": "Choose lead, facilitator or member",
}


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "Email address must be 254 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
        error_messages=ROLE_ERRORS,
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if Membership.objects.filter(programme=self.programme, user__email__iexact=email).exists():
            raise ValidationError("This person is already a member of the programme")
        if self.programme.invitations.pending().filter(email__iexact=email).exists():
            raise ValidationError(
                "This person has already been invited and the invitation has not expired"
            )
        return email


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=Membership.Role.choices, widget=forms.RadioSelect, error_messages=ROLE_ERRORS
    )


class AcceptInvitationForm(forms.Form):
    """For someone new: their name and a password create the account."""

    name = forms.CharField(
        label="Your full name",
        max_length=NAME_MAX,
        error_messages={
            "required": "Enter your full name",
            "max_length": f"Name must be {NAME_MAX} characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label="Choose a password",
        help_text="At least 12 characters. A few unrelated words make a strong password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Choose a password"},
        strip=False,
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password(self) -> str:
        from django.contrib.auth.password_validation import validate_password

        from .models import User

        password = self.cleaned_data["password"]
        validate_password(password, User(email=self.email, name=self.data.get("name", "")))
        return password


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.get_sector_display()})"


class ParticipantForm(VersionedForm):
    # Consent is only ever changed knowingly: a form opened before someone else's save shows it
    # as saved now, never as it was.
    keep_current = Participant.CONSENT_FIELDS

    organisation = OrganisationChoiceField(
        queryset=Organisation.objects.all(),
        required=False,
        empty_label="No organisation",
        error_messages={
            "invalid_choice": "Choose an organisation from the list, or add it first",
        },
    )

    class Meta:
        model = Participant
        fields = [
            "name",
            "email",
            "organisation",
            "job_title",
            "role_group",
            "level",
            "lived_experience",
            "consent_recorded",
            "consent_contact",
            "consent_named",
        ]
        widgets = {"role_group": forms.RadioSelect, "level": forms.RadioSelect}
        labels = {
            "name": "Full name",
            "email": "Email address (optional)",
            "role_group": "Role group",
            "consent_recorded": "Agrees to be recorded in meeting notes",
            "consent_contact": "Agrees to be contacted by the programme",
            "consent_named": "Agrees to be named in shared learning",
            "lived_experience": (
                "Brings lived experience as a patient, carer or member of the public"
            ),
        }
        error_messages = {
            "name": {
                "required": "Enter the person's full name",
                "max_length": "Name must be %(limit_value)d characters or fewer",
            },
            "email": {"invalid": "Enter an email address in the correct format"},
            "job_title": {"max_length": "Job title must be %(limit_value)d characters or fewer"},
            "role_group": {
                "required": "Choose a role group",
                "invalid_choice": "Choose one of the role groups listed",
            },
            "level": {"invalid_choice": "Choose one of the levels listed"},
        }
        help_texts = {"lived_experience": ""}

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["level"].choices = [("", "Not known"), *self.fields["level"].choices[1:]]
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email:
            clash = Participant.objects.filter(programme=self.programme, email__iexact=email)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise ValidationError("Someone in this programme already has this email address")
        return email

    def save_for(self, by) -> Conflict | None:
        """Save unless someone saved this person since the form was opened."""
        self.by = by
        return self.save_unless_changed()

    def prepare(self, participant: Participant) -> None:
        participant.programme = self.programme
        if (
            any(name in self.changed_data for name in Participant.CONSENT_FIELDS)
            or not participant.pk
            or participant.consent_updated_at is None
        ):
            participant.stamp_consent(self.by)
        if participant.pk and participant.user_id is None and "email" in self.changed_data:
            participant.user = participant.member_with_my_email()


class ParticipantAccountForm(forms.Form):
    """Which member's account is this person: a lead's fix when the automatic link missed."""

    account = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Linked account",
        empty_label="No account",
        help_text="Members of this programme not already linked to another person",
        error_messages={"invalid_choice": "Choose one of the members listed"},
    )

    def __init__(self, *args, participant: Participant, **kwargs):
        kwargs.setdefault("initial", {"account": participant.user_id})
        super().__init__(*args, **kwargs)
        linked_elsewhere = (
            Participant.objects.filter(programme_id=participant.programme_id, user__isnull=False)
            .exclude(pk=participant.pk)
            .values("user_id")
        )
        self.fields["account"].queryset = (
            User.objects.filter(memberships__programme_id=participant.programme_id)
            .exclude(pk__in=linked_elsewhere)
            .order_by("name", "email")
        )
        self.fields["account"].label_from_instance = lambda user: f"{user.name} ({user.email})"


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "sector", "place"]
        widgets = {"sector": forms.Select}
        labels = {"name": "Organisation name", "short_name": "Short name (optional)"}
        error_messages = {
            "name": {
                "required": "Enter the organisation's name",
                "max_length": "Name must be %(limit_value)d characters or fewer",
            },
            "short_name": {"max_length": "Short name must be %(limit_value)d characters or fewer"},
            "sector": {
                "required": "Choose a sector",
                "invalid_choice": "Choose one of the sectors listed",
            },
        }

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if Organisation.objects.filter(name__iexact=name).exists():
            raise ValidationError("An organisation with this name is already in the directory")
        return name


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label="Search by name or organisation", required=False, max_length=100)


class SignInForm(LoginForm):
    """allauth's sign-in form, with messages that say which box needs what."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].error_messages.update(
            required="Enter your email address",
            invalid="Enter an email address in the correct format, like name@example.org",
        )
        self.fields["password"].error_messages["required"] = "Enter your password"


class ExportStartForm(forms.Form):
    """Which registered table to prepare as a spreadsheet, with its page's filters. Both fields
    are hidden: the large-download page fills them in."""

    export = forms.CharField(max_length=60, widget=forms.HiddenInput)
    query = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)

    def clean_export(self) -> str:
        name = self.cleaned_data["export"]
        if name not in TABLES:
            raise ValidationError("That is not one of the downloads this programme offers.")
        return name


class PersonLookupForm(forms.Form):
    """The email address of a person asking about their data (data protection pages)."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Every programme is searched; upper and lower case do not matter",
        error_messages={
            "required": "Enter the email address of the person",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ApiTokenForm(forms.Form):
    """A new personal access token for the JSON API."""

    READ, WRITE = "read", "write"

    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, so you know which to revoke, for example "
        "“Monthly report script”",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    programmes = forms.ModelMultipleChoiceField(
        label="Programmes",
        queryset=Programme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="The token reads only these programmes, and only what you may see in them.",
        error_messages={
            "required": "Choose at least one programme",
            "invalid_choice": "Choose programmes from the list",
            "invalid_pk_value": "Choose programmes from the list",
        },
    )
    access = forms.ChoiceField(
        label="What it may do",
        choices=[(READ, "Read only"), (WRITE, "Read, and log meetings and draft learning")],
        initial=READ,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what the token may do",
            "invalid_choice": "Choose one of the options",
        },
    )
    expires_on = NhsDateField(
        label="Expires on",
        help_text="At most a year from today, for example 31 3 2027. It stops working at the "
        "start of that day.",
        error_messages={"required": "Enter the date the token expires"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programmes"].queryset = Programme.objects.filter(
            memberships__user=user
        ).order_by("name")
        self.fields["programmes"].label_from_instance = lambda programme: programme.name

    def clean_expires_on(self) -> datetime.date:
        expires_on = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if expires_on <= today:
            raise ValidationError("The expiry date must be in the future")
        if expires_on > today + datetime.timedelta(days=365):
            raise ValidationError("The expiry date must be at most a year from today")
        return expires_on

    def expires_at(self) -> datetime.datetime:
        day = self.cleaned_data["expires_on"]
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
