"""The complexity assessment form: a rating and a note per domain, and interdependence."""

from __future__ import annotations

from django import forms
from django.db import transaction

from convening.models import Programme

from ..complexity import NOT_RATED
from ..models import ComplexityAssessment, Domain, DomainRating, Rating

NOTE_MAX = 2000
SUMMARY_MAX = 5000
RATE_ONE = "Rate at least one domain"
CHOOSE_RATING = "Choose simple, complicated, complex or don't know"

# What to think about for each domain, in our words (after NASSS).
DOMAIN_HINTS = {
    Domain.CONDITION: "Is the need well understood and stable, or does it vary from person to "
    "person and change over time?",
    Domain.INNOVATION: "Is it ready to use as it is, or does it need work, training or other "
    "systems to run?",
    Domain.VALUE: "Is it clear who gains, who pays and how the value will be shown?",
    Domain.ADOPTERS: "How much does it ask staff, patients and carers to change what they do?",
    Domain.ORGANISATIONS: "How ready are the organisations, and how much must they change "
    "together?",
    Domain.WIDER_SYSTEM: "Do rules, contracts, professional bodies or funding help or stand in "
    "the way?",
    Domain.EMBEDDING: "Will it keep working as people, services and money change?",
}


def rating_field(domain: str) -> str:
    return f"rating_{domain}"


def note_field(domain: str) -> str:
    return f"note_{domain}"


class AssessmentForm(forms.Form):
    """One field pair per domain (rating, note), then interdependence and a summary."""

    interdependence = forms.ChoiceField(
        label="Does adopting the change depend on organisations working together?",
        choices=ComplexityAssessment.Interdependence.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether organisations can adopt the change on their own or "
            "depend on each other",
            "invalid_choice": "Choose independent or interdependent",
        },
    )
    summary = forms.CharField(
        label="Notes on the discussion (optional)",
        help_text="Who took part and what you agreed. Markdown: **bold**, lists with - or 1.",
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": f"Notes must be {SUMMARY_MAX:,} characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for domain in Domain:
            fields[rating_field(domain.value)] = forms.ChoiceField(
                label=domain.label,
                help_text=DOMAIN_HINTS[domain],
                # "Not rated" lets a lead take back a rating, or undo one started from the last
                # assessment; a domain left with no radio chosen is not rated either.
                choices=[*Rating.choices, ("", NOT_RATED)],
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": CHOOSE_RATING},
            )
            fields[note_field(domain.value)] = forms.CharField(
                label=f"Note on {domain.label[0].lower()}{domain.label[1:]} (optional)",
                required=False,
                max_length=NOTE_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": f"Note must be {NOTE_MAX:,} characters or fewer"},
            )
        # Domains first, in order, then the questions about the whole change.
        fields.update(self.fields)
        self.fields = fields

    @classmethod
    def initial_from(cls, assessment: ComplexityAssessment | None) -> dict[str, str]:
        """Start a new assessment from the current one (ratings prefetched)."""
        if assessment is None:
            return {}
        initial = {"interdependence": assessment.interdependence, "summary": assessment.summary}
        initial |= {rating_field(domain.value): "" for domain in Domain}  # "Not rated"
        for rating in assessment.ratings.all():
            initial[rating_field(rating.domain)] = rating.rating
            initial[note_field(rating.domain)] = rating.note
        return initial

    def domain_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """(rating, note) bound fields for each domain, in order."""
        return [(self[rating_field(d.value)], self[note_field(d.value)]) for d in Domain]

    def clean(self):
        data = super().clean()
        rated = False
        for domain in Domain:
            rating = data.get(rating_field(domain.value))
            if rating:
                rated = True
            elif (data.get(note_field(domain.value)) or "").strip() and not self.has_error(
                rating_field(domain.value)
            ):
                # A note without a rating would not be saved, so it would be lost.
                self.add_error(
                    rating_field(domain.value), "Choose a rating to go with the note you wrote"
                )
        if not rated and not any(self.has_error(rating_field(d.value)) for d in Domain):
            self.add_error(rating_field(Domain.CONDITION.value), RATE_ONE)
        return data

    def save(self, programme: Programme, by) -> ComplexityAssessment:
        """A new assessment with one rating per domain rated; earlier ones are kept."""
        data = self.cleaned_data
        with transaction.atomic():
            assessment = ComplexityAssessment.objects.create(
                programme=programme,
                interdependence=data["interdependence"],
                summary=data["summary"],
                assessed_by=by,
            )
            DomainRating.objects.bulk_create(
                DomainRating(
                    assessment=assessment,
                    domain=domain.value,
                    rating=data[rating_field(domain.value)],
                    note=data[note_field(domain.value)],
                )
                for domain in Domain
                if data.get(rating_field(domain.value))
            )
        return assessment
