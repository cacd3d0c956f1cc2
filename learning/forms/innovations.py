"""Forms for innovations and their narratives: leads describe an innovation; leads and
facilitators write what it means for each audience. People chosen on either must be
participants of this programme; anyone else's id is 'not found', never a server error."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.text import slugify

from convening.history import Conflict, VersionedForm
from convening.models import Innovation, Organisation, Participant, Programme

from ..models import Narrative

MARKDOWN_HINT = "You can use Markdown: a blank line between paragraphs, - for a list."
NOT_IN_PROGRAMME = "That person was not found in this programme"
# Innovation slugs that would collide with fixed paths: /innovations/new/ inside the
# programme, and /learn/<programme>/feed/ on the learning hub.
RESERVED_SLUGS = {"new", "feed"}


class ParticipantChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, participant: Participant) -> str:
        if participant.organisation_id:
            return f"{participant.name} ({participant.organisation.name})"
        return participant.name


def _participants(programme: Programme, *, label: str, help_text: str) -> ParticipantChoiceField:
    return ParticipantChoiceField(
        queryset=Participant.objects.filter(programme=programme)
        .select_related("organisation")
        .only("name", "organisation__name")
        .order_by("name", "pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=label,
        help_text=help_text,
        error_messages={
            "invalid_choice": NOT_IN_PROGRAMME,
            "invalid_pk_value": NOT_IN_PROGRAMME,
            "invalid_list": "Choose people from the list",
        },
    )


class InnovationForm(VersionedForm):
    class Meta:
        model = Innovation
        fields = [
            "name",
            "summary",
            "innovator_organisation",
            "evidence_summary",
            "core_components",
            "adaptable_elements",
            "innovator_contacts",
        ]
        labels = {
            "name": "Name",
            "summary": "Summary",
            "evidence_summary": "Evidence",
            "core_components": "Core components",
            "adaptable_elements": "Adaptable elements",
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "evidence_summary": forms.Textarea(attrs={"rows": 6}),
            "core_components": forms.Textarea(attrs={"rows": 6}),
            "adaptable_elements": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "name": "What people call the innovation.",
            "summary": "What it is, in a sentence or two.",
            "evidence_summary": "What is known about whether it works, and where. " + MARKDOWN_HINT,
            "core_components": "What must stay the same for it to work. " + MARKDOWN_HINT,
            "adaptable_elements": "What sites may change to fit local needs. " + MARKDOWN_HINT,
        }
        error_messages = {
            "name": {
                "required": "Enter the innovation's name",
                "max_length": "Name must be 200 characters or fewer",
            },
            "summary": {"max_length": "Summary must be 2,000 characters or fewer"},
            "evidence_summary": {"max_length": "Evidence must be 10,000 characters or fewer"},
            "core_components": {"max_length": "Core components must be 10,000 characters or fewer"},
            "adaptable_elements": {
                "max_length": "Adaptable elements must be 10,000 characters or fewer"
            },
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["innovator_organisation"] = forms.ModelChoiceField(
            queryset=Organisation.objects.only("name").order_by("name", "pk"),
            required=False,
            label="Innovator organisation",
            empty_label="None chosen",
            help_text="The organisation that developed the innovation.",
            error_messages={"invalid_choice": "Choose an organisation from the list"},
        )
        self.fields["innovator_contacts"] = _participants(
            programme,
            label="Innovator contacts",
            help_text="People in this programme to ask about the innovation itself.",
        )

    def prepare(self, innovation: Innovation) -> None:
        innovation.updated_at = timezone.now()

    def save_new(self) -> Innovation:
        innovation = self.save(commit=False)
        innovation.programme = self.programme
        innovation.slug = unique_innovation_slug(self.programme, innovation.name)
        innovation.save()
        self.save_m2m()
        return innovation


def unique_innovation_slug(programme: Programme, name: str) -> str:
    base = slugify(name)[:70].strip("-") or "innovation"
    if base in RESERVED_SLUGS:
        base = f"{base}-innovation"
    taken = set(
        Innovation.objects.filter(programme=programme, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


class NarrativeForm(VersionedForm):
    """The narrative for one audience. A new narrative's instance comes from the view with its
    innovation and audience set; it is made on its first save."""

    class Meta:
        model = Narrative
        fields = ["body", "contributors"]
        labels = {"body": "Narrative"}
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}
        error_messages = {
            "body": {"max_length": "Narrative must be 50,000 characters or fewer"},
        }

    def __init__(self, *args, programme: Programme, audience_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = (
            f"What the innovation means for {audience_label.lower()}, in words that fit "
            "their role: why it matters to them, what changes and what to ask. " + MARKDOWN_HINT
        )
        self.fields["contributors"] = _participants(
            programme,
            label="Contributors",
            help_text="Everyone who helped write it.",
        )

    def save_for(self, by) -> Conflict | None:
        """Save unless someone saved this narrative since the form was opened."""
        self.by = by
        return self.save_unless_changed()

    def prepare(self, narrative: Narrative) -> None:
        narrative.updated_by = self.by
        narrative.updated_at = timezone.now()
