"""Forms of the employer pages. They check shapes only; the actions check the rules (and
report them on the right field)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from vidare.access.models import User
from vidare.access.roles import ROLE_CAPABILITIES, Capability
from vidare.assessments.forms import ActionValidatedModelForm, OccupationCodeField
from vidare.codelists.models import Municipality

from .models import (
    Activity,
    ActivityKind,
    Agreement,
    Employer,
    EmployerContact,
    Placement,
    RecruitmentNeed,
)
from .validation import sni_choices


def brokers() -> Any:
    """Active users who keep the employer register (MANAGE_EMPLOYERS)."""
    roles = [role for role, caps in ROLE_CAPABILITIES.items()
             if Capability.MANAGE_EMPLOYERS in caps]
    return (User.objects.filter(is_active=True, memberships__role__in=roles).distinct()
            .order_by("first_name", "last_name", "username"))


class EmployerForm(ActionValidatedModelForm):
    sni_code = forms.ChoiceField(label=capfirst(_("industry (SNI 2007)")), required=False,
                                 help_text=_("Division (2 digits) or section."))
    website = forms.URLField(label=capfirst(_("website")), required=False, assume_scheme="https")

    class Meta:
        model = Employer
        fields = ["name", "organisation_number", "sni_code", "address", "postal_code", "city",
                  "municipality", "website", "responsible", "status", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4}),
                   "organisation_number": forms.TextInput(attrs={"inputmode": "numeric",
                                                                 "autocomplete": "off"})}

    def setup_fields(self) -> None:
        self.fields["sni_code"].choices = [("", "—"), *sni_choices()]
        self.fields["municipality"].queryset = Municipality.objects.order_by("name_sv")
        self.fields["responsible"].queryset = brokers()


class ContactForm(ActionValidatedModelForm):
    class Meta:
        model = EmployerContact
        fields = ["name", "role", "phone", "email"]


class ActivityForm(ActionValidatedModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "occurred_on", "follow_up_on", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"follow_up_on": _("It appears in the follow-up list from this day.")}

    def setup_fields(self) -> None:
        self.fields["kind"].choices = ActivityKind.choices


class ActivityEditForm(ActivityForm):
    class Meta(ActivityForm.Meta):
        fields = ["kind", "occurred_on", "follow_up_on", "follow_up_done", "notes"]


class NeedForm(ActionValidatedModelForm):
    occupation = OccupationCodeField(
        label=capfirst(_("occupation (SSYK)")), max_length=300,
        widget=forms.TextInput(attrs={"list": "ssyk-level4", "autocomplete": "off"}),
        help_text=_("Type a code or part of the name and pick from the list."))

    class Meta:
        model = RecruitmentNeed
        fields = ["occupation", "number", "needed_from", "needed_until", "terms", "can_adapt",
                  "takes_interns", "status", "note"]
        widgets = {"terms": forms.Textarea(attrs={"rows": 3}),
                   "note": forms.Textarea(attrs={"rows": 3}),
                   "number": forms.NumberInput(attrs={"min": "1"})}


class AgreementForm(ActionValidatedModelForm):
    class Meta:
        model = Agreement
        fields = ["kind", "starts_on", "ends_on", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


_IDENTITY = re.compile(r"^\s*(\d{6}|\d{8})[-+ ]?\d{4}\s*$|^\s*[Rr][0-9-]+\s*$")


class PlacementForm(ActionValidatedModelForm):
    participant = forms.CharField(
        label=capfirst(_("participant's identity number")), max_length=20,
        help_text=_("Personnummer, samordningsnummer or reserve number. Only participants "
                    "you may see can be placed."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}))

    class Meta:
        model = Placement
        fields = ["participant", "kind", "starts_on", "ends_on", "vacancy", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, employer: Employer, **kwargs: Any) -> None:
        self.employer = employer
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].queryset = employer.vacancies.order_by("-created_at")

    def clean_participant(self) -> Any:
        from vidare.people.models import Participant
        from vidare.people.views import search_participants

        text = self.cleaned_data["participant"]
        if not _IDENTITY.match(text):
            raise forms.ValidationError(_("Give the identity number (YYYYMMDD-NNNN)."),
                                        code="invalid")
        found = list(search_participants(
            Participant.objects.visible_to(self.user, listing=True), text)[:2])
        if not found:
            raise forms.ValidationError(_("No participant you may see has this identity "
                                          "number."), code="does_not_exist")
        if len(found) > 1:
            raise forms.ValidationError(_("Several participants match; give all 12 digits."),
                                        code="ambiguous")
        return found[0]


class PlacementEditForm(ActionValidatedModelForm):
    class Meta:
        model = Placement
        fields = ["kind", "starts_on", "ends_on", "vacancy", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def setup_fields(self) -> None:
        employer = self.instance.employer
        self.fields["vacancy"].queryset = employer.vacancies.order_by("-created_at")


def search_employers(qs: Any, text: str) -> Any:
    text = text.strip()
    if not text:
        return qs
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 4 and re.fullmatch(r"[\d\- ]+", text):
        if len(digits) > 6:
            digits = f"{digits[:6]}-{digits[6:]}"
        return qs.filter(organisation_number__contains=digits)
    for word in text.split():
        qs = qs.filter(Q(name__icontains=word) | Q(city__icontains=word))
    return qs
