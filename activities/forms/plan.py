"""Forms for the activity plan: adding and changing an activity, its status, linking actions
from meetings, and the plan's filters."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from convening.forms import NhsDateField
from convening.history import VersionedForm
from convening.models import Participant, Programme
from spaces.models import Action, AdaptiveSpace

from ..models import ActivityArea, PlannedActivity, Practice

MARKDOWN_HINT = "You can use Markdown: a blank line between paragraphs, - for a list."
STATUS_ERROR = "Choose idea, planned, in progress, done or dropped"


class PracticeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, practice: Practice) -> str:
        return f"{practice.code} {practice.text}"


class ActivityForm(VersionedForm):
    """One planned activity. Its owner and space must be of this programme, and its
    practices of its area; anything else is 'not found', never a server error."""

    area = forms.ModelChoiceField(
        queryset=ActivityArea.objects.all(),
        to_field_name="number",
        label="Activity area",
        empty_label="Choose an area",
        error_messages={
            "required": "Choose the activity area",
            "invalid_choice": "Choose one of the ten activity areas",
        },
    )
    practices = PracticeChoiceField(
        queryset=Practice.objects.select_related("area"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Practices",
        help_text="Choose the practices of the activity's area that this work puts into action.",
        error_messages={
            "invalid_choice": "Choose practices from the list",
            "invalid_pk_value": "Choose practices from the list",
            "invalid_list": "Choose practices from the list",
        },
    )
    due = NhsDateField(
        label="Due date", required=False, help_text="Optional. For example, 27 3 2026"
    )

    class Meta:
        model = PlannedActivity
        fields = ["area", "practices", "title", "description", "owner", "space", "due", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "title": "What will be done, in a few words.",
            "description": "Why, how and with whom. " + MARKDOWN_HINT,
        }
        error_messages = {
            "title": {
                "required": "Enter a title",
                "max_length": "Title must be 200 characters or fewer",
            },
            "description": {"max_length": "Description must be 10,000 characters or fewer"},
            "status": {"required": "Choose a status", "invalid_choice": STATUS_ERROR},
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["owner"] = forms.ModelChoiceField(
            queryset=Participant.objects.filter(programme=programme).order_by("name"),
            required=False,
            label="Owner",
            empty_label="No owner yet",
            help_text="The person in the programme who makes sure it happens.",
            error_messages={"invalid_choice": "That person was not found in this programme"},
        )
        self.fields["space"] = forms.ModelChoiceField(
            queryset=AdaptiveSpace.objects.for_programme(programme).order_by("name"),
            required=False,
            label="Adaptive space",
            empty_label="No space",
            help_text="Optional. The space where this work happens.",
            error_messages={"invalid_choice": "That space was not found in this programme"},
        )
        if self.instance.pk and not self.is_bound:
            self.initial["area"] = self.instance.area.number

    def clean(self):
        data = super().clean()
        area, practices = data.get("area"), data.get("practices")
        if area is not None and practices:
            elsewhere = [practice.code for practice in practices if practice.area_id != area.pk]
            if elsewhere:
                self.add_error(
                    "practices",
                    f"Choose practices of area {area.number} only: "
                    f"{', '.join(elsewhere)} {'is' if len(elsewhere) == 1 else 'are'} "
                    "in another area",
                )
        return data

    def save_new(self, *, by, from_domain: str = "") -> PlannedActivity:
        activity = self.save(commit=False)
        activity.programme = self.programme
        activity.created_by = by
        activity.from_domain = from_domain
        activity.save()
        self.save_m2m()
        return activity

    def prepare(self, activity: PlannedActivity) -> None:
        activity.updated_at = timezone.now()


def prefill(*, area_number: str | None, domain_prefill: dict | None) -> dict:
    """Initial values for "Add an activity": from a complex domain, or just an area."""
    if domain_prefill:
        area_number = str(domain_prefill["area_number"])
        codes = [code.split(".") for code in domain_prefill["practice_codes"]]
        practices = Practice.objects.filter(
            area__number=area_number, number__in=[int(number) for _, number in codes]
        ).values_list("pk", flat=True)
        return {
            "area": area_number,
            "practices": list(practices),
            "title": domain_prefill["title"],
            "description": domain_prefill["description"],
        }
    if area_number and area_number.isdigit() and 1 <= int(area_number) <= 10:
        return {"area": area_number}
    return {}


class ActivityStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=PlannedActivity.Status.choices,
        error_messages={"required": "Choose a status", "invalid_choice": STATUS_ERROR},
    )


class LinkActionForm(forms.Form):
    """An open action from one of the programme's meetings that serves no activity yet.

    The candidates are read once, for both the choices and the check of what was posted."""

    action = forms.TypedChoiceField(
        coerce=int,
        label="Open action",
        error_messages={
            "required": "Choose an action to link",
            "invalid_choice": "That action was not found among the programme's open actions "
            "that serve no activity yet",
        },
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {
            action.pk: action
            for action in Action.objects.filter(programme=programme, meeting__isnull=False)
            .open()
            .filter(planned_activity__isnull=True)
            .select_related("meeting")
            .order_by("due", "pk")
        }
        self.fields["action"].choices = [("", "Choose an action")] + [
            (action.pk, f"{action.title} (from {action.meeting.title})")
            for action in self.candidates.values()
        ]

    def clean_action(self) -> Action:
        return self.candidates[self.cleaned_data["action"]]


# Filters ----------------------------------------------------------------------------------------

OPEN = "open"
STATUS_FILTERS = [
    (OPEN, "Open: idea, planned or in progress"),
    *PlannedActivity.Status.choices,
]


class PlanFilterForm(forms.Form):
    """The plan's filters. A value that is not one of the choices is ignored, not an error:
    links are shared and bookmarked, and an old link should still open the plan."""

    area = forms.TypedChoiceField(coerce=int, required=False, label="Area")
    status = forms.ChoiceField(required=False, label="Status")
    owner = forms.TypedChoiceField(coerce=int, required=False, label="Owner")
    space = forms.TypedChoiceField(coerce=int, required=False, label="Space")

    def __init__(self, *args, areas, owners, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "All areas")] + [
            (area.number, f"{area.number}. {area.title}") for area in areas
        ]
        self.fields["status"].choices = [("", "Any status"), *STATUS_FILTERS]
        self.fields["owner"].choices = [("", "Anyone")] + [(p.pk, p.name) for p in owners]
        self.fields["space"].choices = [("", "Any space")] + [(s.pk, s.name) for s in spaces]

    @classmethod
    def from_query(cls, query, **choices) -> PlanFilterForm:
        """An unbound form showing the valid filters of the query string."""
        checker = cls({key: query.get(key, "") for key in cls.base_fields}, **choices)
        checker.is_valid()
        valid = {
            key: value
            for key, value in checker.cleaned_data.items()
            if value not in ("", None) and key not in checker.errors
        }
        return cls(initial=valid, **choices)

    @property
    def values(self) -> dict:
        return dict(self.initial)

    def apply(self, activities):
        values = self.values
        if "area" in values:
            activities = activities.filter(area__number=values["area"])
        status = values.get("status")
        if status == OPEN:
            activities = activities.open()
        elif status:
            activities = activities.filter(status=status)
        if "owner" in values:
            activities = activities.filter(owner_id=values["owner"])
        if "space" in values:
            activities = activities.filter(space_id=values["space"])
        return activities

    def describe(self) -> list[str]:
        """The filters in use, in words."""
        labels = []
        for key, value in self.values.items():
            choices = dict((str(k), v) for k, v in self.fields[key].choices)
            labels.append(f"{self.fields[key].label}: {choices.get(str(value), value)}")
        return labels
