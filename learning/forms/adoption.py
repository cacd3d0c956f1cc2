"""Recording a stage change for a site and an innovation, and the tracker's filter."""

from __future__ import annotations

from django import forms
from django.db.models import Max
from django.http import QueryDict
from django.utils import timezone

from convening.forms import NhsDateField
from convening.jinja2 import local_date
from convening.models import Adoption, AdoptionEvent, Innovation, Organisation, Programme

NOTE_MAX = 2000


class NamedChoiceField(forms.ModelChoiceField):
    """One of the programme's own records; an id or slug from anywhere else is not a choice."""

    def label_from_instance(self, obj) -> str:
        return obj.name


class StageChangeForm(forms.Form):
    innovation = NamedChoiceField(
        queryset=Innovation.objects.none(),
        to_field_name="slug",
        label="Innovation",
        empty_label="Choose an innovation",
        error_messages={
            "required": "Choose the innovation",
            "invalid_choice": "Choose one of this programme's innovations",
        },
    )
    site = NamedChoiceField(
        queryset=Organisation.objects.none(),
        label="Site",
        help_text="The organisation taking the innovation on.",
        empty_label="Choose a site",
        error_messages={
            "required": "Choose the site",
            "invalid_choice": "Choose one of this programme's organisations",
        },
    )
    stage = forms.ChoiceField(
        label="Stage",
        choices=Adoption.Stage.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the stage the site has reached",
            "invalid_choice": "Choose one of the eight stages",
        },
    )
    date = NhsDateField(
        label="Date of the change", help_text="For example, 27 3 2026. It cannot be in the future."
    )
    note = forms.CharField(
        label="Note (optional)",
        help_text="What happened, or why the stage changed.",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"Note must be {NOTE_MAX:,} characters or fewer"},
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["date"].error_messages["required"] = "Enter the date of the change"
        self.fields["innovation"].queryset = Innovation.objects.filter(programme=programme)
        self.fields["site"].queryset = Organisation.objects.for_programme(programme).order_by(
            "name"
        )

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future")
        return date

    def clean(self):
        data = super().clean()
        innovation, site, date = data.get("innovation"), data.get("site"), data.get("date")
        if innovation and site and date:
            last = AdoptionEvent.objects.filter(
                adoption__innovation=innovation, adoption__organisation=site
            ).aggregate(last=Max("date"))["last"]
            if last and date < last:
                self.add_error(
                    "date",
                    f"The date must be on or after {local_date(last)}, the last recorded change",
                )
        return data

    def save(self, *, by) -> Adoption:
        """Record the change on the site's adoption of the innovation, starting one if needed."""
        data = self.cleaned_data
        adoption, _ = Adoption.objects.get_or_create(
            innovation=data["innovation"], organisation=data["site"]
        )
        adoption.move_to(data["stage"], by=by, on=data["date"], note=data["note"])
        return adoption


class TrackerFilterForm(forms.Form):
    """Show one innovation, or all. An unknown innovation is ignored, not an error."""

    innovation = forms.ChoiceField(label="Innovation", required=False)

    def __init__(self, data: QueryDict, *, innovations: list[Innovation]):
        super().__init__(data={}, auto_id="filter-%s")
        choices = [(innovation.slug, innovation.name) for innovation in innovations]
        self.fields["innovation"].choices = [("", "All innovations"), *choices]
        value = data.get("innovation", "")
        self.data = {"innovation": value} if value in dict(choices) else {}
        self.full_clean()

    @property
    def chosen(self) -> str:
        """The slug of the innovation shown, or "" for all."""
        return self.cleaned_data.get("innovation", "")
