"""The vacancy form and the vacancy list filters.

The occupation decides matching, so a vacancy saved without one is a conscious choice: when
the occupation is left blank and a title is given, the form offers the top occupation
suggestions for the title (vidare.codelists.services.suggest_occupations) and asks the user
to pick one, or to say that the vacancy is saved without occupation (then it cannot be
matched: "not enough information to match")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from vidare.assessments.forms import ActionValidatedModelForm, OccupationCodeField, SkillsField
from vidare.assessments.models import SwedishLevel
from vidare.codelists.choices import Adaptation
from vidare.codelists.models import DrivingLicence, Municipality
from vidare.core.forms import VidareForm
from vidare.employers.models import Employer, EmployerStatus, NeedStatus, RecruitmentNeed

from .models import Vacancy, VacancyKind, VacancyStatus

NO_OCCUPATION = "none"


def occupation_suggestions(text: str, top: int = 5) -> list[Any]:
    """Suggested SSYK groups for a job title (interface I1 of vidare.codelists.services)."""
    if not text or not text.strip():
        return []
    from vidare.codelists.services import suggest_occupations

    return list(suggest_occupations(text, top=top))


class VacancyForm(ActionValidatedModelForm):
    occupation = OccupationCodeField(
        label=capfirst(_("occupation (SSYK)")), max_length=300, required=False,
        widget=forms.TextInput(attrs={"list": "ssyk-level4", "autocomplete": "off"}),
        help_text=_("Type a code or part of the name and pick from the list. Left blank, "
                    "occupations are suggested from the title."))
    suggested_occupation = forms.ChoiceField(
        label=_("Suggested occupations for the title"), required=False,
        widget=forms.RadioSelect,
        help_text=_("Matching needs the occupation. Pick the one that fits, or save without "
                    "it."))
    required_skills = SkillsField(label=capfirst(_("required skills")), required=False,
                                  help_text=_("One per line, or separated by commas."))
    merit_skills = SkillsField(label=capfirst(_("meritorious skills")), required=False,
                               help_text=_("One per line, or separated by commas."))
    adaptations_offered = forms.MultipleChoiceField(
        label=capfirst(_("adaptations the employer offers")), choices=Adaptation.choices,
        required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}))

    class Meta:
        model = Vacancy
        fields = ["kind", "title", "employer", "need", "occupation", "suggested_occupation",
                  "description", "required_skills", "merit_skills", "driving_licences",
                  "own_car_required", "min_swedish_level", "extent_percent",
                  "extent_adaptable", "schedule", "start_date", "deadline", "positions",
                  "municipality", "place", "adaptations_offered", "open_to_all", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "driving_licences": forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
            "extent_percent": forms.NumberInput(attrs={"min": "1", "max": "100"}),
            "positions": forms.NumberInput(attrs={"min": "1"}),
        }

    fieldsets = [
        (_("The job"), ["kind", "title", "employer", "need", "description", "status"]),
        (_("Occupation"), ["occupation", "suggested_occupation"]),
        (_("Requirements"), ["required_skills", "merit_skills", "driving_licences",
                             "own_car_required", "min_swedish_level", "open_to_all"]),
        (_("Extent and dates"), ["extent_percent", "extent_adaptable", "schedule",
                                 "start_date", "deadline", "positions"]),
        (_("Place"), ["municipality", "place"]),
        (_("Adaptations"), ["adaptations_offered"]),
    ]

    def __init__(self, *args: Any, suggestions: Sequence[Any] = (), employer: Any = None,
                 **kwargs: Any) -> None:
        self.suggestions = list(suggestions)
        self.employer = employer
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        fields = self.fields
        fields["kind"].choices = VacancyKind.choices
        fields["employer"].queryset = Employer.objects.filter(status=EmployerStatus.ACTIVE)
        fields["driving_licences"].queryset = DrivingLicence.objects.all()
        fields["municipality"].queryset = Municipality.objects.order_by("name_sv")
        fields["min_swedish_level"].choices = [("", _("No requirement")),
                                               *SwedishLevel.choices]
        employer = self.employer or (self.instance.employer if self.instance.pk else None)
        if employer is not None:
            fields["need"].queryset = RecruitmentNeed.objects.filter(
                employer=employer, status=NeedStatus.OPEN).select_related("occupation")
        else:
            del fields["need"]
        if not self.instance.pk:
            del fields["status"]
        else:
            fields["status"].choices = VacancyStatus.choices
        if self.suggestions:
            fields["suggested_occupation"].choices = [
                *[(s.ssyk, f"{s.ssyk} {s.name}") for s in self.suggestions],
                (NO_OCCUPATION, _("None of these: save without occupation (the vacancy "
                                  "cannot be matched until one is chosen)"))]
        else:
            del fields["suggested_occupation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("occupation") and "suggested_occupation" in self.fields:
            choice = data.get("suggested_occupation")
            if choice and choice != NO_OCCUPATION:
                data["occupation"] = choice
            elif not choice and "suggested_occupation" not in self.errors:
                self.add_error("suggested_occupation", forms.ValidationError(
                    _("Choose one of the suggested occupations, or say that the vacancy is "
                      "saved without occupation."), code="choose_occupation"))
        return data

    def action_fields(self) -> dict[str, Any]:
        """cleaned_data as save_vacancy takes it."""
        data = dict(self.cleaned_data)
        data.pop("suggested_occupation", None)
        data["occupation"] = data.get("occupation") or None
        data["driving_licences"] = list(data.get("driving_licences") or [])
        data["adaptations_offered"] = list(data.get("adaptations_offered") or [])
        return data


class VacancyCloseForm(VidareForm):
    status = forms.ChoiceField(
        label=_("Outcome"), widget=forms.RadioSelect,
        choices=[(VacancyStatus.FILLED, _("Filled")),
                 (VacancyStatus.CLOSED, _("Closed without being filled"))])


class VacancyFilterForm(VidareForm):
    """The list's filters; every one optional, a bad value is shown as an error."""

    q = forms.CharField(label=_("Title or employer"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    occupation = OccupationCodeField(
        label=_("Occupation (SSYK)"), required=False, max_length=300,
        widget=forms.TextInput(attrs={"list": "ssyk-level4", "autocomplete": "off"}))
    status = forms.ChoiceField(label=_("Status"), required=False)
    municipality = forms.ModelChoiceField(label=_("Municipality"), required=False,
                                          queryset=Municipality.objects.order_by("name_sv"),
                                          to_field_name="code")

    def setup_fields(self) -> None:
        self.fields["kind"].choices = [("", _("All kinds")), *VacancyKind.choices]
        self.fields["status"].choices = [("", _("All")), *VacancyStatus.choices]

    def clean_occupation(self) -> str:
        from vidare.codelists.models import Occupation

        code = self.cleaned_data.get("occupation") or ""
        if code and not Occupation.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Unknown SSYK code: %(code)s.") % {"code": code},
                                        code="unknown_code")
        return code
