"""Forms for spaces and meetings."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django import forms
from django.utils import timezone
from django.utils.text import slugify

from activities.models import ActivityArea
from convening.forms import NhsDateField
from convening.history import VersionedForm
from convening.models import NAME_MAX, Innovation, Organisation, Participant, RoleGroup
from learning.models import LearningEntry

from .imports import (
    MAX_BYTES,
    TOO_LARGE,
    AttendanceReport,
    NewPerson,
    read_attendance_report,
)
from .models import NOTES_MAX, Action, AdaptiveSpace, Attendance, Meeting, SpaceMember

TOO_LONG = "%(field)s must be %(limit)s characters or fewer"


def _too_long(field: str, limit: int) -> str:
    return TOO_LONG % {"field": field, "limit": f"{limit:,}"}


class SpaceForm(VersionedForm):
    class Meta:
        model = AdaptiveSpace
        fields = ["name", "purpose", "kind", "ground_rules", "confidentiality", "cadence", "status"]
        widgets = {
            "kind": forms.RadioSelect,
            "confidentiality": forms.RadioSelect,
            "status": forms.RadioSelect,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "ground_rules": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"name": "Space name", "confidentiality": "Confidentiality"}
        help_texts = {
            "purpose": "What the space is for, in a sentence or two.",
            "ground_rules": "How people agree to behave here.",
            "confidentiality": "Under the Chatham House rule, notes never say who said what, and "
            "only the space's members and programme leads can read them.",
        }
        error_messages = {
            "name": {"required": "Enter the space's name", "max_length": _too_long("Name", 200)},
            "purpose": {"max_length": _too_long("Purpose", 5000)},
            "ground_rules": {"max_length": _too_long("Ground rules", 5000)},
            "kind": {
                "required": "Choose a kind of space",
                "invalid_choice": "Choose a kind listed",
            },
            "confidentiality": {"invalid_choice": "Choose standard or Chatham House"},
            "status": {"invalid_choice": "Choose active, paused or closed"},
            "cadence": {"max_length": _too_long("Cadence", 120)},
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme

    def prepare(self, space: AdaptiveSpace) -> None:
        space.programme = self.programme
        if not space.slug:
            space.slug = _unique_space_slug(self.programme, space.name)


def _unique_space_slug(programme, name: str) -> str:
    base = slugify(name)[:70] or "space"
    if base in {"new"}:
        base = f"{base}-space"
    taken = set(
        AdaptiveSpace.objects.filter(programme=programme, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


class ProgrammeParticipantField(forms.ModelChoiceField):
    """A participant of this programme; anyone else's id is 'not found'."""

    default_error_messages = {
        "invalid_choice": "That person was not found in this programme",
    }

    def __init__(self, programme, **kwargs):
        super().__init__(queryset=Participant.objects.filter(programme=programme), **kwargs)


class SpaceMemberForm(forms.Form):
    participant = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(
        choices=SpaceMember.Role.choices,
        initial=SpaceMember.Role.PARTICIPANT,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose facilitator or participant"},
    )

    def __init__(self, *args, space: AdaptiveSpace, **kwargs):
        super().__init__(*args, **kwargs)
        self.space = space
        self.fields["participant"] = ProgrammeParticipantField(
            space.programme,
            widget=forms.Select,
            label="Person",
            empty_label="Choose a person",
            error_messages={"required": "Choose a person to add"},
        )


class MeetingPlanForm(VersionedForm):
    """A meeting's title, time, format and place, and cancelling a planned meeting."""

    date = NhsDateField(label="Date", error_messages={"required": "Enter the meeting's date"})
    start_time = forms.TimeField(
        label="Start time",
        help_text="24-hour clock, for example 14:00",
        error_messages={"required": "Enter a start time", "invalid": "Enter a time like 14:00"},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    end_time = forms.TimeField(
        label="End time",
        error_messages={"required": "Enter an end time", "invalid": "Enter a time like 15:30"},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    cancel_meeting = forms.BooleanField(label="Cancel this meeting", required=False)

    # Set by `clean` from the fields above, never posted; listed in the model fields so that a
    # save is checked against anyone else's change to the time or the status.
    SET_BY_CLEAN = ("starts_at", "ends_at", "status")

    class Meta:
        model = Meeting
        fields = ["title", "format", "location", "starts_at", "ends_at", "status"]
        widgets = {"format": forms.RadioSelect}
        error_messages = {
            "title": {"required": "Enter a title", "max_length": _too_long("Title", 200)},
            "format": {"invalid_choice": "Choose in person, online or hybrid"},
            "location": {"max_length": _too_long("Location", 500)},
        }

    def __init__(self, *args, held: bool = False, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            local_start = timezone.localtime(instance.starts_at)
            kwargs.setdefault("initial", {}).update(
                date=local_start.date(),
                start_time=local_start.time().strftime("%H:%M"),
                end_time=timezone.localtime(instance.ends_at).time().strftime("%H:%M"),
            )
        super().__init__(*args, **kwargs)
        self.held = held
        for name in self.SET_BY_CLEAN:
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].required = False
                self.fields[name].widget = forms.HiddenInput()
        if not (self.instance.pk and self.instance.status == Meeting.Status.PLANNED):
            self.fields.pop("cancel_meeting", None)  # only a planned meeting can be cancelled

    def clean(self):
        data = super().clean()
        if data.get("cancel_meeting"):
            data["status"] = Meeting.Status.CANCELLED
        date, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if date and start and end:
            if end <= start:
                self.add_error("end_time", "The end time must be after the start time")
                return data
            tz = timezone.get_current_timezone()
            data["starts_at"] = timezone.make_aware(datetime.datetime.combine(date, start), tz)
            data["ends_at"] = timezone.make_aware(datetime.datetime.combine(date, end), tz)
            if self.held and data["starts_at"] > timezone.now():
                self.add_error(
                    "date", "A meeting that has not started yet cannot be logged as held"
                )
        return data


class MeetingLogForm(MeetingPlanForm):
    """A held meeting on one page: when and where it was, then what happened (notes, tensions,
    decisions and the practices served). Saved by `services.save_log`, which also marks the
    meeting held."""

    cancel_meeting = None

    class Meta:
        model = Meeting
        fields = ["title", "format", "location", "notes", "tensions", "decisions", "practices"]
        widgets = {
            "format": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 8}),
            "tensions": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
            "practices": forms.CheckboxSelectMultiple,
        }
        labels = {"tensions": "Tensions and disagreements"}
        help_texts = {
            "notes": "Markdown: **bold**, lists with - or 1., links as [text](address).",
            "tensions": "Conflicts and disagreements that surfaced, and how they were held.",
        }
        error_messages = {
            **MeetingPlanForm.Meta.error_messages,
            "notes": {"max_length": _too_long("Notes", NOTES_MAX)},
            "tensions": {"max_length": _too_long("Tensions and disagreements", NOTES_MAX)},
            "decisions": {"max_length": _too_long("Decisions", NOTES_MAX)},
            "practices": {
                "invalid_choice": "Choose practices from the list",
                "invalid_pk_value": "Choose practices from the list",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, held=True, **kwargs)


class AttendeeStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=Attendance.Status.choices,
        error_messages={"invalid_choice": "Choose attended, apologies or absent"},
    )


class AddAttendeeForm(forms.Form):
    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"] = ProgrammeParticipantField(
            meeting.space.programme, error_messages={"required": "Choose a person to add"}
        )


class NewPersonForm(forms.ModelForm):
    """Someone not yet in the programme's people, added while logging a meeting."""

    class Meta:
        model = Participant
        fields = ["name", "organisation", "role_group", "consent_recorded"]
        labels = {
            "name": "Full name",
            "consent_recorded": "Agrees to be recorded in meeting notes",
        }
        widgets = {"role_group": forms.Select}
        error_messages = {
            "name": {
                "required": "Enter the person's full name",
                "max_length": _too_long("Name", NAME_MAX),
            },
            "role_group": {
                "required": "Choose a role group",
                "invalid_choice": "Choose one of the role groups listed",
            },
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, prefix="new", **kwargs)
        self.programme = programme
        self.fields["organisation"].empty_label = "No organisation"
        self.fields["organisation"].error_messages["invalid_choice"] = (
            "Choose an organisation from the list"
        )
        self.fields["role_group"].choices = [("", "Choose a role group"), *RoleGroup.choices]


class ActionForm(forms.ModelForm):
    due = NhsDateField(label="Due date", required=False)

    class Meta:
        model = Action
        fields = ["title", "owner", "due"]
        labels = {"title": "Action"}
        error_messages = {
            "title": {"required": "Enter the action", "max_length": _too_long("Action", NAME_MAX)},
        }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, prefix="action", **kwargs)
        owner = ProgrammeParticipantField(
            meeting.space.programme,
            required=False,
            label="Owner",
            help_text="Chosen from the people recorded for this meeting.",
        )
        # Offer the meeting's attendees, not the whole programme (which may be thousands of
        # people); anyone in the programme is still accepted.
        attendees = (
            Participant.objects.filter(attendances__meeting=meeting)
            if meeting.pk
            else Participant.objects.none()  # a meeting being logged for the first time
        )
        owner.choices = [
            ("", "No owner yet"),
            *attendees.order_by("name").values_list("pk", "name"),
        ]
        self.fields["owner"] = owner


class LearningPointForm(forms.ModelForm):
    """A learning point captured in a meeting. Its activity areas start as the meeting's (from
    the practices it served) and its innovation as the programme's, when it has only one, so
    the learning counts in coverage at once; the facilitator may change both."""

    class Meta:
        model = LearningEntry
        fields = ["title", "kind", "body", "innovation", "areas"]
        labels = {"title": "Learning point", "body": "What was learned", "areas": "Activity areas"}
        widgets = {
            "body": forms.Textarea(attrs={"rows": 3}),
            "areas": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "areas": "Ticked from the practices this meeting served. Leave them all unticked "
            "to use the meeting's areas.",
        }
        error_messages = {
            "title": {
                "required": "Give the learning point a title",
                "max_length": _too_long("Title", NAME_MAX),
            },
            "kind": {"invalid_choice": "Choose a kind listed"},
            "body": {"max_length": _too_long("Text", 50_000)},
            "innovation": {"invalid_choice": "Choose an innovation of this programme"},
            "areas": {
                "invalid_choice": "Choose activity areas from the list",
                "invalid_pk_value": "Choose activity areas from the list",
            },
        }

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, prefix="learning", **kwargs)
        innovation = self.fields["innovation"]
        innovation.queryset = Innovation.objects.filter(
            programme_id=meeting.space.programme_id
        ).order_by("name")
        innovation.empty_label = "Not about one innovation"
        if not self.is_bound:
            only = list(innovation.queryset.values_list("pk", flat=True)[:2])
            self.initial["innovation"] = only[0] if len(only) == 1 else None
            self.initial["areas"] = meeting_area_ids(meeting)


def meeting_area_ids(meeting: Meeting) -> list[int]:
    """The activity areas a meeting served, through its practices."""
    if meeting.pk is None:
        return []
    return list(
        ActivityArea.objects.filter(practices__meetings=meeting)
        .order_by("number")
        .distinct()
        .values_list("pk", flat=True)
    )


# Attendance import ------------------------------------------------------------------------


class AttendanceFileForm(forms.Form):
    report = forms.FileField(
        label="Attendance report",
        help_text="The CSV or TSV file that Microsoft Teams or Zoom downloaded, up to 2 MB",
        error_messages={
            "required": "Select a Teams attendance report or a Zoom participants export",
            "empty": "The selected file is empty",
            "invalid": "Select a Teams attendance report or a Zoom participants export",
        },
    )

    def clean_report(self) -> AttendanceReport:
        upload = self.cleaned_data["report"]
        if upload.size > MAX_BYTES:  # checked before reading it into memory
            raise forms.ValidationError(TOO_LARGE)
        return read_attendance_report(upload.read())


class ConfirmImportForm(forms.Form):
    create_new = forms.BooleanField(
        label="Create the new people",
        required=False,
        help_text="They join the programme without consent to be recorded, which you can "
        "ask them for later.",
    )
    role_group = forms.ChoiceField(
        label="Role group for the new people",
        required=False,
        choices=[("", "Choose a role group"), *RoleGroup.choices],
        help_text="You can change each person's role group later.",
        error_messages={"invalid_choice": "Choose a role group from the list"},
    )

    def __init__(self, *args, new_people: Sequence[NewPerson] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.new_people = new_people
        # One select per new person, named by their place in the report (never a posted id of
        # theirs). The directory is read once, not once per select.
        choices = (
            [("", "No organisation")]
            + [
                (str(pk), name)
                for pk, name in Organisation.objects.order_by("name").values_list("pk", "name")
            ]
            if new_people
            else []
        )
        for person in new_people:
            self.fields[self.organisation_field(person)] = forms.ChoiceField(
                label=f"Organisation of {person.row.name}",
                required=False,
                choices=choices,
                error_messages={"invalid_choice": "Choose an organisation from the list"},
            )

    @staticmethod
    def organisation_field(person: NewPerson) -> str:
        return f"organisation-{person.index}"

    def organisation_fields(self) -> dict[int, forms.BoundField]:
        """Each new person's organisation select, by their place in the report."""
        return {person.index: self[self.organisation_field(person)] for person in self.new_people}

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.new_people:
            cleaned["create_new"] = False  # nobody to create, and no fields were shown
        elif cleaned.get("create_new") and cleaned.get("role_group") == "":
            # An unknown role group is absent from cleaned_data and already has its error.
            self.add_error("role_group", "Choose a role group for the new people")
        chosen = {
            person.index: int(cleaned[self.organisation_field(person)])
            for person in self.new_people
            if cleaned.get(self.organisation_field(person))
        }
        found = Organisation.objects.in_bulk(set(chosen.values()))
        cleaned["organisations"] = {index: found[pk] for index, pk in chosen.items()}
        return cleaned


# Meeting pulse ----------------------------------------------------------------------------

SCALE = [
    ("1", "1 – Strongly disagree"),
    ("2", "2 – Disagree"),
    ("3", "3 – Neither agree nor disagree"),
    ("4", "4 – Agree"),
    ("5", "5 – Strongly agree"),
]


def _scale(label: str, required: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": required, "invalid_choice": "Choose a number from 1 to 5"},
    )


class PulseForm(forms.Form):
    felt_safe = _scale("I felt safe to speak", "Choose how far you felt safe to speak")
    useful = _scale("The meeting was useful to me", "Choose how useful the meeting was to you")
    stretching = _scale(
        "The meeting stretched my thinking", "Choose how far the meeting stretched your thinking"
    )
    new_connections = forms.IntegerField(
        label="How many new connections did you make?",
        help_text="People you had not worked with before and expect to be in touch with again.",
        min_value=0,
        max_value=99,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter how many new connections you made, or 0",
            "invalid": "Enter a whole number, like 0 or 3",
            "min_value": "The number of new connections cannot be less than 0",
            "max_value": "Enter a number of new connections up to 99",
        },
    )
    comment = forms.CharField(
        label="Anything else you want to tell the facilitators? (optional)",
        help_text="Do not name anyone, yourself included. Facilitators see comments only once "
        "3 or more people have answered, and never with a date.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Comment must be 2,000 characters or fewer"},
    )


# Calendar -----------------------------------------------------------------------------------


class CalendarAddressForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("create", "Create"), ("renew", "Renew"), ("revoke", "Turn off")],
        error_messages={
            "required": "Choose to create, renew or turn off the address",
            "invalid_choice": "Choose to create, renew or turn off the address",
        },
    )
