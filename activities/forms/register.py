"""The local knowledge and disruption register (activity area 9): entries and the filters."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from convening.forms import AddressFilterForm
from convening.history import VersionedForm
from convening.models import Organisation, Participant, Programme

from ..models import LocalKnowledge

MARKDOWN_HINT = "You can use Markdown: a blank line between paragraphs, - for a list."
TEXT_MAX = 10_000
# The site filter's value for entries that affect the whole programme (no site).
WHOLE_PROGRAMME = "whole"


class ProgrammeChoiceField(forms.ModelChoiceField):
    """One of the programme's own records; an id from anywhere else is 'not found'."""

    def label_from_instance(self, obj) -> str:
        return obj.name


class KnowledgeForm(VersionedForm):
    """Add or edit a register entry. Leads only; the view checks that."""

    class Meta:
        model = LocalKnowledge
        # Status only when editing: a new entry is open. Closing is also a button on the list;
        # here it can be changed with everything else.
        fields = [
            "title",
            "site",
            "kind",
            "impact",
            "description",
            "mitigation",
            "owner",
            "status",
        ]
        field_classes = {"site": ProgrammeChoiceField, "owner": ProgrammeChoiceField}
        widgets = {
            "kind": forms.RadioSelect,
            "impact": forms.RadioSelect,
            "status": forms.RadioSelect,
            "site": forms.Select,
            "owner": forms.Select,
            "description": forms.Textarea(attrs={"rows": 5}),
            "mitigation": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            "title": "Title",
            "site": "Site",
            "kind": "Kind of local knowledge",
            "impact": "Likely impact on adoption",
            "description": "What we know",
            "mitigation": "What we are doing about it",
            "owner": "Owner",
            "status": "Status",
        }
        help_texts = {
            "title": "A few words that say what it is, for example "
            "“Night shift handover is by phone only”.",
            "site": "The organisation it affects. Choose “Whole programme” if it affects every "
            "site.",
            "description": "What happens locally and how it could get in the way. " + MARKDOWN_HINT,
            "mitigation": "How the programme will plan for it, prevent it or work with it. "
            + MARKDOWN_HINT,
            "owner": "The person who keeps an eye on it.",
        }
        error_messages = {
            "title": {
                "required": "Enter a title",
                "max_length": "Title must be 200 characters or fewer",
            },
            "kind": {
                "required": "Choose what kind of local knowledge this is",
                "invalid_choice": "Choose a kind from the list",
            },
            "impact": {
                "required": "Choose how much impact this is likely to have",
                "invalid_choice": "Choose low, medium or high",
            },
            "description": {"max_length": f"Keep this to {TEXT_MAX:,} characters or fewer"},
            "mitigation": {"max_length": f"Keep this to {TEXT_MAX:,} characters or fewer"},
            "site": {"invalid_choice": "That site was not found in this programme"},
            "owner": {"invalid_choice": "That person was not found in this programme"},
            "status": {
                "required": "Choose open or closed",
                "invalid_choice": "Choose open or closed",
            },
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        site = self.fields["site"]
        sites = Organisation.objects.for_programme(programme)
        if self.instance.site_id:
            # A site stays choosable on its entry even if nobody there takes part any more.
            sites = sites | Organisation.objects.filter(pk=self.instance.site_id)
        site.queryset = sites.order_by("name")
        site.empty_label = "Whole programme"
        owner = self.fields["owner"]
        owner.queryset = Participant.objects.for_programme(programme).order_by("name", "pk")
        owner.empty_label = "No owner yet"
        if self.instance.pk is None:
            del self.fields["status"]

    def save_new(self, by) -> LocalKnowledge:
        entry = super().save(commit=False)
        entry.programme = self.programme
        entry.created_by = by
        entry.save()
        return entry

    def prepare(self, entry: LocalKnowledge) -> None:
        entry.updated_at = timezone.now()
        if "status" in self.changed_data:
            closed = entry.status == LocalKnowledge.Status.CLOSED
            entry.closed_at = entry.updated_at if closed else None


class KnowledgeFilterForm(AddressFilterForm):
    """The register's filters. A value that is not one of the choices is ignored, not an error:
    an old bookmark or an edited address still shows the register."""

    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *LocalKnowledge.Kind.choices]
    )
    site = forms.ChoiceField(label="Site", required=False)
    impact = forms.ChoiceField(
        label="Likely impact",
        required=False,
        choices=[("", "Any impact"), *LocalKnowledge.Impact.choices],
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[*LocalKnowledge.Status.choices, ("all", "Open and closed")],
    )

    def __init__(self, data: QueryDict, *, sites: list[Organisation]):
        super().__init__(data={}, auto_id="filter-%s")
        self.fields["site"].choices = [
            ("", "Any site"),
            (WHOLE_PROGRAMME, "Whole programme"),
            *((str(site.pk), site.name) for site in sites),
        ]
        self.keep_known(data, defaults={"status": LocalKnowledge.Status.OPEN})

    def apply(self, entries: QuerySet[LocalKnowledge]) -> QuerySet[LocalKnowledge]:
        values = self.values
        if "kind" in values:
            entries = entries.filter(kind=values["kind"])
        if "impact" in values:
            entries = entries.filter(impact=values["impact"])
        site = values.get("site")
        if site == WHOLE_PROGRAMME:
            entries = entries.filter(site__isnull=True)
        elif site:
            entries = entries.filter(site_id=int(site))
        if values["status"] != "all":
            entries = entries.filter(status=values["status"])
        return entries
