"""Forms of the plan pages: plan and goals, interventions, the attendance week grid and the
period of the attendance report. Model rules are checked by the actions (see
vidare.assessments.forms.ActionValidatedModelForm)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vidare.assessments.forms import ActionValidatedModelForm
from vidare.core.forms import DateInput, VidareForm

from .actions import INTERVENTION_FIELDS
from .models import Attendance, Intervention, Plan, PlanGoal


class PlanForm(ActionValidatedModelForm):
    class Meta:
        model = Plan
        fields = ["established_on", "next_review_on", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class GoalForm(ActionValidatedModelForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = PlanGoal
        fields = ["kind", "description", "target_date", "achieved_on"]


GoalFormSet = forms.formset_factory(GoalForm, extra=2)


class InterventionForm(ActionValidatedModelForm):
    class Meta:
        model = Intervention
        fields = [f.name for f in Intervention._meta.fields if f.name in INTERVENTION_FIELDS]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3}),
            "hours_per_week": forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": "60"}),
        }


class AttendanceWeekForm(ActionValidatedModelForm):
    """One row of the week grid. A row left blank is not recorded."""

    class Meta:
        model = Attendance
        fields = ["hours_attended", "hours_absent", "absence_reason", "note"]
        widgets = {
            "hours_attended": forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": "60"}),
            "hours_absent": forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": "60"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_permitted", True)
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        self.fields["hours_absent"].required = False

    def clean_hours_absent(self) -> Decimal:
        return self.cleaned_data.get("hours_absent") or Decimal(0)


class ReportPeriodForm(VidareForm):
    # Named like the query string the brief and links use: ?from=...&to=...
    period_from = forms.DateField(label=_("From"), widget=DateInput)
    period_to = forms.DateField(label=_("To"), widget=DateInput)

    def add_prefix(self, field_name: str) -> str:
        return {"period_from": "from", "period_to": "to"}.get(field_name, field_name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date | None = data.get("period_from")
        end: date | None = data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("The end of the period cannot be before its start."))
        return data
