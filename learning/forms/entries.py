"""Learning entries inside a programme: the entry form and the learning log's filters."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from activities.models import ActivityArea
from convening.forms import AddressFilterForm, NhsDateField
from convening.history import VersionedForm
from convening.models import Innovation, Organisation, Programme

from ..models import BODY_MAX, SEARCH_MAX, LearningEntry

MARKDOWN_HINT = "You can use Markdown: a blank line between paragraphs, - for a list."


class ProgrammeChoiceField(forms.ModelChoiceField):
    """One of the programme's own records; an id from anywhere else is 'not found'."""

    def label_from_instance(self, obj) -> str:
        return obj.name


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.number}. {obj.title}"


class LearningEntryForm(VersionedForm):
    """Write or edit a learning entry. Who may do so is decided in the view."""

    review_by = NhsDateField(
        label="Check it is still true by (optional)",
        required=False,
        help_text="The date someone should check this is still true, for example 27 3 2027",
    )

    class Meta:
        model = LearningEntry
        fields = ["title", "body", "kind", "innovation", "site", "areas", "visibility", "review_by"]
        field_classes = {
            "innovation": ProgrammeChoiceField,
            "site": ProgrammeChoiceField,
            "areas": AreaChoiceField,
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "kind": forms.RadioSelect,
            "innovation": forms.Select,
            "site": forms.Select,
            "areas": forms.CheckboxSelectMultiple,
            "visibility": forms.RadioSelect,
        }
        labels = {
            "title": "Title",
            "body": "What we learned",
            "kind": "Kind of learning",
            "innovation": "Innovation",
            "site": "Site",
            "areas": "Activity areas",
            "visibility": "Who can read it once published",
        }
        help_texts = {
            "title": "A few words that say what was learned, for example "
            "“Pharmacists joining the ward round cut discharge delays”.",
            "body": "What happened, what it means and for whom. " + MARKDOWN_HINT,
            "innovation": "The innovation it is about, if any.",
            "site": "The organisation where it was learned, if it was one site.",
            "areas": "The systems convening activity areas it tells us something about.",
            "visibility": "“Space members” is only for learning from a space's meeting.",
        }
        error_messages = {
            "title": {
                "required": "Enter a title",
                "max_length": "Title must be 200 characters or fewer",
            },
            "body": {"max_length": f"Keep this to {BODY_MAX:,} characters or fewer"},
            "kind": {
                "required": "Choose what kind of learning this is",
                "invalid_choice": "Choose a kind from the list",
            },
            "visibility": {
                "required": "Choose who can read it",
                "invalid_choice": "Choose who can read it from the list",
            },
            "innovation": {"invalid_choice": "That innovation was not found in this programme"},
            "site": {"invalid_choice": "That site was not found in this programme"},
            "areas": {
                "invalid_choice": "Choose activity areas from the list",
                "invalid_pk_value": "Choose activity areas from the list",
            },
        }

    field_order = ["title", "body", "kind", "innovation", "site", "areas", "review_by"]

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        innovation = self.fields["innovation"]
        innovation.queryset = Innovation.objects.filter(programme=programme).order_by("name")
        innovation.empty_label = "Not about one innovation"
        site = self.fields["site"]
        sites = Organisation.objects.for_programme(programme)
        if self.instance.site_id:
            # A site stays choosable on its entry even if nobody there takes part any more.
            sites = sites | Organisation.objects.filter(pk=self.instance.site_id)
        site.queryset = sites.order_by("name")
        site.empty_label = "Not one site"
        self.fields["areas"].queryset = ActivityArea.objects.all()
        self.fields["areas"].required = False

    def clean_visibility(self) -> str:
        visibility = self.cleaned_data["visibility"]
        if visibility == LearningEntry.Visibility.SPACE and self.instance.source_meeting_id is None:
            raise forms.ValidationError(
                "Only learning from a space's meeting can be for space members; "
                "choose the public hub or programme members"
            )
        return visibility

    def clean_review_by(self):
        review_by = self.cleaned_data["review_by"]
        unchanged = self.instance.pk and review_by == self.instance.review_by
        if review_by and not unchanged and review_by < timezone.localdate():
            raise forms.ValidationError("The date to check it by must be today or later")
        return review_by

    def save_new(self, by) -> LearningEntry:
        entry = super().save(commit=False)
        entry.programme = self.programme
        entry.author = by
        entry.save()
        self.save_m2m()
        return entry


STATUS_CHOICES = [("", "Drafts and published"), *LearningEntry.Status.choices]


class LearningFilterForm(AddressFilterForm):
    """The learning log's filters and search. A value that is not one of the choices is
    ignored, not an error: an old bookmark or an edited address still shows the log."""

    q = forms.CharField(label="Search", required=False, max_length=SEARCH_MAX)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *LearningEntry.Kind.choices]
    )
    area = forms.ChoiceField(label="Activity area", required=False)
    innovation = forms.ChoiceField(label="Innovation", required=False)
    site = forms.ChoiceField(label="Site", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_CHOICES)

    def __init__(
        self,
        data: QueryDict,
        *,
        areas: list[ActivityArea],
        innovations: list[Innovation],
        sites: list[Organisation],
    ):
        super().__init__(data={}, auto_id="filter-%s")
        self.fields["area"].choices = [
            ("", "Any area"),
            *((str(area.number), f"{area.number}. {area.title}") for area in areas),
        ]
        self.fields["innovation"].choices = [
            ("", "Any innovation"),
            *((innovation.slug, innovation.name) for innovation in innovations),
        ]
        self.fields["site"].choices = [
            ("", "Any site"),
            *((str(site.pk), site.name) for site in sites),
        ]
        self.keep_known(data, given={"q": " ".join(data.get("q", "").split())[:SEARCH_MAX]})

    def apply(self, entries: QuerySet[LearningEntry]) -> QuerySet[LearningEntry]:
        values = self.values
        if "kind" in values:
            entries = entries.filter(kind=values["kind"])
        if "area" in values:
            entries = entries.filter(areas__number=int(values["area"]))
        if "innovation" in values:
            entries = entries.filter(innovation__slug=values["innovation"])
        if "site" in values:
            entries = entries.filter(site_id=int(values["site"]))
        if "status" in values:
            entries = entries.filter(status=values["status"])
        if "q" in values:
            return entries.search(values["q"])
        return entries.order_by("-created_at", "-pk")
