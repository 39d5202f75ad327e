"""Forms for enrolment, exit and change of responsible coach. Actions write; forms validate."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vidare.access.models import User
from vidare.access.roles import ROLE_CAPABILITIES, Capability
from vidare.codelists.models import Occupation
from vidare.core.forms import VidareForm
from vidare.organisation.models import Centre, Programme, TargetGroup
from vidare.people.models import Participant, Referral, ReferralStatus

from .models import EnrolmentStatus, ExitReason

CASEWORK_ROLES = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.ENROL in caps]


def caseworkers(centre_ids: set[int] | None) -> QuerySet[User]:
    """Active staff who can hold a caseload at one of `centre_ids` (None: any centre)."""
    memberships = {"memberships__role__in": CASEWORK_ROLES}
    if centre_ids is not None:
        memberships["memberships__centre__in"] = centre_ids
    return (User.objects.filter(is_active=True, **memberships).distinct()
            .order_by("last_name", "first_name"))


class ResponsibleField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class EnrolmentForm(VidareForm):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=Centre.objects.none())
    start_date = forms.DateField(label=_("Start date"), initial=timezone.localdate)
    responsible = ResponsibleField(
        label=_("Responsible job coach"), queryset=User.objects.none(), required=False,
        help_text=_("Must work with cases at the chosen centre."))
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"), queryset=TargetGroup.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The programme may require at least one of its target groups."))
    referral = forms.ModelChoiceField(
        label=_("Referral"), queryset=Referral.objects.none(), required=False,
        help_text=_("The open referral this enrolment answers; it is marked as enrolled."))

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        self.participant = participant
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        scope = self.user.centre_ids_with(Capability.ENROL)
        centres = Centre.objects.filter(active=True)
        if scope is not None:
            centres = centres.filter(pk__in=scope)
        self.fields["centre"].queryset = centres
        if len(centres) == 1:
            self.fields["centre"].initial = centres[0].pk
        # Only programmes offered at a centre the user can enrol at; the action re-checks
        # the chosen pair.
        self.fields["programme"].queryset = Programme.objects.filter(
            active=True, centres__in=centres).distinct()
        self.fields["programme"].label_from_instance = lambda p: _(
            "%(name)s (ages %(band)s)") % {"name": p.name, "band": p.age_band}
        self.fields["responsible"].queryset = caseworkers(scope)
        self.fields["referral"].queryset = (Referral.objects.filter(
            participant=self.participant, status=ReferralStatus.OPEN)
            .select_related("centre").order_by("referred_on"))
        self.fields["referral"].label_from_instance = lambda r: _(
            "%(date)s to %(centre)s (%(source)s)") % {
                "date": r.referred_on.isoformat(), "centre": r.centre.name,
                "source": r.get_source_display()}


SSYK_CODE = re.compile(r"\s*(\d{1,4})\b")


class ExitForm(VidareForm):
    exit_date = forms.DateField(label=_("Exit date"), initial=timezone.localdate)
    reason = forms.ChoiceField(label=_("Reason"),
                               choices=[("", "---------"), *ExitReason.choices])
    employer_name = forms.CharField(label=_("Employer or school"), max_length=200,
                                    required=False)
    occupation_code = forms.CharField(
        label=_("Occupation (SSYK code)"), max_length=300, required=False,
        help_text=_("Four digits (SSYK 2012 unit group), e.g. 5321 for assistant nurses. "
                    "Start typing a code or an occupation to get suggestions."))
    extent_percent = forms.IntegerField(label=_("Extent (% of full time)"), min_value=1,
                                        max_value=100, required=False)
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    no_information_shared = forms.BooleanField(
        label=_("No information about the person is passed on to the other authority"),
        required=False,
        help_text=_("Only for an exit to Arbetsförmedlingen or Försäkringskassan. Without this, "
                    "the person's consent to the referral must be recorded and valid on the "
                    "exit date."))

    field_map = {"occupation": "occupation_code"}

    def setup_fields(self) -> None:
        self.fields["occupation_code"].widget.attrs.update(
            {"list": "ssyk-level4", "autocomplete": "off"})

    def clean_occupation_code(self) -> Occupation | None:
        text = self.cleaned_data["occupation_code"].strip()
        if not text:
            return None
        match = SSYK_CODE.match(text)
        occupation = (Occupation.objects.filter(code=match.group(1)).first()
                      if match else None)
        if occupation is None:
            raise forms.ValidationError(
                _("Unknown SSYK code: “%(text)s”. Give the four digits of an occupation "
                  "group, e.g. 5321."), code="unknown_code", params={"text": text})
        if occupation.level != 4:
            raise forms.ValidationError(
                _("%(code)s is an SSYK group at level %(level)s; choose one of its "
                  "four-digit occupation groups."), code="ssyk_level",
                params={"code": occupation.code, "level": occupation.level})
        return occupation

    def action_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["occupation"] = data.pop("occupation_code")
        return data


class ReassignForm(VidareForm):
    responsible = ResponsibleField(label=_("Responsible job coach"),
                                   queryset=User.objects.none(), required=False,
                                   help_text=_("Leave empty to put the enrolment on the "
                                               "list of unassigned cases."))

    def __init__(self, *args: Any, centre_id: int, **kwargs: Any) -> None:
        self.centre_id = centre_id
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        self.fields["responsible"].queryset = caseworkers({self.centre_id})


class PauseForm(VidareForm):
    status = forms.ChoiceField(
        label=_("Status"), widget=forms.RadioSelect,
        choices=[(EnrolmentStatus.ACTIVE.value, _("Active: the person takes part")),
                 (EnrolmentStatus.PAUSED.value,
                  _("Paused: for example sick leave or parental leave"))],
        help_text=_("A paused enrolment stays open and keeps its maximum end date; it is not "
                    "flagged for lack of activity."))


def ssyk_level4() -> QuerySet[Occupation]:
    return Occupation.objects.filter(level=4).only("code", "name_sv", "name_en")
