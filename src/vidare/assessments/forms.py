"""Forms of the competence mapping, and the row-error helpers the plan pages share.

Rows (work experiences here, goals and attendance weeks in plans) are formsets next to a
main form. An action reports a row's error as "<rows>[<i>].<field>"; `apply_row_errors`
puts it on the field of row i and `error_summary` lists every error of the page, each
linked to its field and prefixed with the row's caption ("Work experience 2", "Week
2026-v45").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from vidare.codelists.choices import Adaptation, Commute
from vidare.codelists.models import DrivingLicence, EducationLevel, Municipality, Occupation
from vidare.core.forms import VidareModelForm

from .actions import occupation_fields
from .models import Assessment, Barrier, WorkExperience

ROW_KEY = re.compile(r"^(?P<rows>\w+)\[(?P<index>\d+)\]\.(?P<field>\w+)$")


class ActionValidatedModelForm(VidareModelForm):
    """Model fields and labels, but the model rules are checked once, by the action, so its
    error (with its rule code) is the one the user sees, on the right field."""

    def _post_clean(self) -> None:
        pass


def apply_row_errors(exc: ValidationError, rows: str, row_forms: Sequence[forms.BaseForm],
                     ) -> ValidationError | None:
    """Put the errors keyed "<rows>[i].field" on row_forms[i]; return what is left."""
    if not hasattr(exc, "error_dict"):
        return exc
    rest: dict[str, Any] = {}
    for key, errors in exc.error_dict.items():
        match = ROW_KEY.match(key)
        if match is None or match["rows"] != rows or int(match["index"]) >= len(row_forms):
            rest[key] = errors
            continue
        form = row_forms[int(match["index"])]
        form.add_error(match["field"] if match["field"] in form.fields else None, errors)
    return ValidationError(rest) if rest else None


def error_summary(groups: Iterable[tuple[str, forms.BaseForm]]) -> list[tuple[str, str]]:
    """(link target, text) for every error of the forms, in page order. `groups` pairs each
    form with the caption of its row ("" for the main form)."""
    entries = []
    for caption, form in groups:
        if not form.is_bound or not form.errors:
            continue
        first_field = next((f for f in form.visible_fields()), None)
        for name, messages in form.errors.items():
            if name == NON_FIELD_ERRORS:
                field = first_field
                label = ""
            else:
                field = form[name]
                label = str(field.label) if not field.is_hidden else ""
            prefix = " – ".join(part for part in (caption, label) if part)
            anchor = f"#{field.id_for_label}" if field is not None else ""
            entries.extend((anchor, f"{prefix}: {m}" if prefix else m) for m in messages)
    return entries


class SkillsField(forms.CharField):
    """A list of skills, typed one per line or separated by commas."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list | tuple):
            return [str(v).strip() for v in value if str(v).strip()]
        text = super().to_python(value)
        return [part.strip() for part in re.split(r"[\n,;]", text) if part.strip()]


class AssessmentForm(ActionValidatedModelForm):
    skills = SkillsField(label=_("Skills"), required=False,
                         help_text=_("One per line, or separated by commas."))
    barriers = forms.MultipleChoiceField(
        label=_("Barriers"), choices=Barrier.choices, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}))
    interest_fields = forms.MultipleChoiceField(
        label=_("Occupation fields of interest"), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}))
    adaptation_needs = forms.MultipleChoiceField(
        label=_("Workplace adaptations needed"), choices=Adaptation.choices, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
        help_text=_("What the workplace would need to offer; used in matching, shown to "
                    "employers' contacts only as \"adaptation possible\"."))

    # The matching profile, shown in its own fieldset.
    PROFILE_FIELDS = ("desired_occupations", "interest_fields", "available_from", "commute",
                      "home_municipality")

    class Meta:
        model = Assessment
        fields = ["assessed_on", "education_level", "education_abroad", "swedish_level",
                  "other_languages", "skills", "driving_licences", "work_capacity_percent",
                  "interests", "goals", "desired_occupations", "interest_fields",
                  "available_from", "commute", "home_municipality",
                  *Assessment.SPECIAL_CATEGORY_FIELDS]
        widgets = {
            "driving_licences": forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
            "other_languages": forms.SelectMultiple(attrs={"size": 8}),
            "desired_occupations": forms.SelectMultiple(attrs={"size": 8}),
            "interests": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "adaptations_needed": forms.Textarea(attrs={"rows": 3}),
            "barriers_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, show_special: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.show_special = show_special
        if not show_special:
            for name in Assessment.SPECIAL_CATEGORY_FIELDS:
                del self.fields[name]
        self.fields["education_level"].queryset = EducationLevel.objects.filter(
            level_digits=2)
        self.fields["education_level"].help_text = _("Highest completed level, SUN 2020.")
        self.fields["driving_licences"].queryset = DrivingLicence.objects.all()
        self.fields["other_languages"].help_text = _(
            "Hold Ctrl (Cmd on Mac) to choose more than one.")
        self.fields["desired_occupations"].queryset = Occupation.objects.filter(
            level=4).order_by("name_sv")
        self.fields["desired_occupations"].label_from_instance = (
            lambda o: f"{o.name} ({o.code})")
        self.fields["desired_occupations"].help_text = _(
            "The occupations the person wants to work in. Hold Ctrl (Cmd on Mac) to choose "
            "more than one.")
        self.fields["interest_fields"].choices = [(f, f) for f in occupation_fields()]
        self.fields["available_from"].help_text = _("Leave empty if available now.")
        self.fields["commute"].required = False  # empty: within the home municipality
        self.fields["home_municipality"].queryset = Municipality.objects.order_by("name_sv")

    def action_fields(self) -> dict[str, Any]:
        """cleaned_data as record_assessment takes it."""
        data = dict(self.cleaned_data)
        data["other_languages"] = list(data.get("other_languages") or [])
        data["driving_licences"] = list(data.get("driving_licences") or [])
        data["desired_occupations"] = list(data.get("desired_occupations") or [])
        data["commute"] = data.get("commute") or Commute.MUNICIPALITY
        return data


class OccupationCodeField(forms.CharField):
    """An SSYK level-4 group, typed or picked from the datalist ("5321 Undersköterskor ...").

    Cleans to the code; a name typed without code is looked up. Whether the code exists is
    the action's rule, so an unknown one is reported by it (naming the code)."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value).strip()
        match = re.match(r"^(\d{1,4})(?!\d)", text)
        if match:
            return match.group(1)
        found = (Occupation.objects.filter(level=4, name_sv__iexact=text)
                 .values_list("code", flat=True).first())
        return found or text

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Occupation):
            return str(value)
        return value


class WorkExperienceForm(ActionValidatedModelForm):
    occupation = OccupationCodeField(
        label=_("occupation (SSYK)"), max_length=300,
        widget=forms.TextInput(attrs={"list": "ssyk-level4", "autocomplete": "off"}),
        help_text=_("Type a code or part of the name and pick from the list."))

    class Meta:
        model = WorkExperience
        fields = ["occupation", "years", "in_sweden", "description"]
        widgets = {"years": forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": "60"})}


WorkExperienceFormSet = forms.formset_factory(WorkExperienceForm, extra=4, can_delete=True)
MORE_ROWS = 3  # empty rows the "more rows" button adds


def experience_initial(assessment: Assessment | None) -> list[dict[str, Any]]:
    if assessment is None:
        return []
    return [{"occupation": exp.occupation, "years": exp.years, "in_sweden": exp.in_sweden,
             "description": exp.description}
            for exp in assessment.work_experiences.select_related("occupation")]
