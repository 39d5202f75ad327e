"""Forms of the system administrator's organisation pages. They check shapes only; the actions
(organisation/actions.py) check the rules and report them on the right field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vidare.assessments.forms import ActionValidatedModelForm
from vidare.codelists.models import Municipality

from .actions import target_group_use
from .models import Centre, Programme, TargetGroup

CODE_HELP = _("Letters a–z, digits, - and _; used by imports, exports and the API.")


class CentreChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name if obj.active else gettext("%(name)s (inactive)") % {"name": obj.name}


class TargetGroupChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.special_category:
            return gettext("%(name)s (special category)") % {"name": obj.name}
        return str(obj.name)


class OrganisationForm(ActionValidatedModelForm):
    """`active` is offered only when changing a row: a new one starts active."""

    def setup_fields(self) -> None:
        if "code" in self.fields:
            self.fields["code"].help_text = CODE_HELP
            self.fields["code"].widget.attrs["autocomplete"] = "off"
        if self.instance.pk is None:
            self.fields.pop("active", None)


class CentreForm(OrganisationForm):
    class Meta:
        model = Centre
        fields = ["name", "code", "municipality", "address", "active"]
        help_texts = {"active": _("An inactive centre takes no new referrals or enrolments. "
                                  "A centre with open enrolments cannot be deactivated.")}

    def setup_fields(self) -> None:
        super().setup_fields()
        self.fields["municipality"].queryset = Municipality.objects.order_by("name_sv")


class TargetGroupForm(OrganisationForm):
    class Meta:
        model = TargetGroup
        fields = ["name", "code", "description", "special_category"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"special_category": _(
            "Tick for a group whose membership reveals health, disability or origin "
            "(funktionsnedsättning, född utanför Europa). An enrolment's membership of it is "
            "then shown only to roles that may see special categories of personal data at "
            "the enrolment's centre (job coach, unit manager, study and careers counsellor), "
            "never to job brokers, employment officers, social-assistance officers or "
            "analysts.")}

    def setup_fields(self) -> None:
        super().setup_fields()
        if self.instance.pk is not None:
            enrolments, programmes = target_group_use(self.instance)
            if enrolments or programmes:
                self.fields["code"].help_text = gettext(
                    "In use by %(enrolments)d enrolments and %(programmes)d programmes: the "
                    "code cannot change.") % {"enrolments": enrolments,
                                              "programmes": programmes}


class ProgrammeForm(OrganisationForm):
    centres = CentreChoices(
        label=capfirst(_("offered at")), queryset=Centre.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least one centre. Enrolments are made at these centres."))
    target_groups = TargetGroupChoices(
        label=capfirst(_("target groups")), queryset=TargetGroup.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("An enrolment must belong to at least one of these; none ticked means "
                    "open to everyone."))

    fieldsets = [
        (None, ["name", "code", "description"]),
        (_("Who may enrol, and for how long"), ["min_age", "max_age", "max_length_months",
                                                 "target_groups"]),
        (_("Where"), ["centres", "active"]),
    ]

    class Meta:
        model = Programme
        fields = ["name", "code", "description", "min_age", "max_age", "max_length_months",
                  "target_groups", "centres", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "min_age": forms.NumberInput(attrs={"min": "15", "max": "100"}),
                   "max_age": forms.NumberInput(attrs={"min": "15", "max": "100"}),
                   "max_length_months": forms.NumberInput(attrs={"min": "1", "max": "120"})}
        help_texts = {
            "min_age": _("Age at enrolment, 15–100."),
            "max_age": _("Age at enrolment, 15–100; not below the minimum."),
            "max_length_months": _("1–120 months; the caseload warns before it is reached."),
            "active": _("An inactive programme takes no new enrolments. A programme with "
                        "open enrolments cannot be deactivated."),
        }

    def setup_fields(self) -> None:
        super().setup_fields()
        self.fields["centres"].queryset = Centre.objects.order_by("-active", "name")
        self.fields["target_groups"].queryset = TargetGroup.objects.order_by("name")
