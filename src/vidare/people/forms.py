"""Forms for registering participants, referrals and contacts. They validate input; the
actions in people/actions.py write it."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vidare.access.roles import Capability
from vidare.core.forms import VidareForm, VidareModelForm
from vidare.core.identity import InvalidIdentityNumber, parse_identity_number
from vidare.organisation.models import Centre, Programme

from .models import ContactKind, Participant, Referral, ReferralCloseReason, ReferralContact

PERSON_FIELDS = [
    "first_name", "last_name", "birth_date", "gender", "protected_identity", "address",
    "postal_code", "city", "phone", "email", "adults_in_household", "children_in_household",
    "languages", "interpreter_needed", "birth_region",
]
REFERRAL_FORM_FIELDS = [
    "source", "centre", "programme", "referred_on", "referrer_name", "referrer_organisation",
    "referrer_contact", "outreach_area", "reason",
]


def referral_centres(user: Any, capability: Capability) -> Any:
    """Centres `user` may refer to: any for a referring officer, else where they hold
    `capability`."""
    centres = Centre.objects.filter(active=True)
    if user.can(Capability.REFER):
        return centres
    scope = user.centre_ids_with(capability)
    return centres if scope is None else centres.filter(pk__in=scope)


def language_name(language: Any) -> str:
    return language.name_en if get_language() == "en" else language.name_sv


class ParticipantForm(VidareModelForm):
    """The person's own details. Region of birth only for roles that may see it."""

    fieldsets = [
        (_("Person"), ["identity_number", "first_name", "last_name", "birth_date", "gender",
                       "protected_identity"]),
        (_("Contact details"), ["address", "postal_code", "city", "phone", "email"]),
        (_("Household and language"), ["adults_in_household", "children_in_household",
                                       "languages", "interpreter_needed"]),
        (_("Special category of personal data"), ["birth_region"]),
    ]

    class Meta:
        model = Participant
        fields = PERSON_FIELDS
        widgets = {"languages": forms.SelectMultiple(attrs={"size": 8})}
        help_texts = {
            "languages": _("Hold Ctrl (Cmd on a Mac) to choose more than one."),
        }

    def __init__(self, *args: Any, show_special: bool = False, **kwargs: Any) -> None:
        self.show_special = show_special
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        if not self.show_special:
            del self.fields["birth_region"]
        if self.instance.pk and self.instance.identity_kind != "reservnummer":
            # Derived from the identity number; the action ignores it.
            del self.fields["birth_date"]
        else:
            self.fields["birth_date"].help_text = _(
                "Required only for a person with a reserve number.")
        self.fields["languages"].label_from_instance = language_name


class ReferralForm(VidareModelForm):
    """A referral (remiss): where the person is referred, by whom and why."""

    capability = Capability.MANAGE_REFERRALS

    class Meta:
        model = Referral
        fields = REFERRAL_FORM_FIELDS
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def setup_fields(self) -> None:
        setup_referral_fields(self, self.capability)


def setup_referral_fields(form: VidareModelForm | VidareForm, capability: Capability) -> None:
    fields = form.fields
    fields["centre"].queryset = centres = referral_centres(form.user, capability)
    if len(centres) == 1:
        fields["centre"].initial = centres[0].pk
    fields["programme"].queryset = Programme.objects.filter(active=True)
    fields["referred_on"].initial = timezone.localdate
    fields["programme"].help_text = _("Leave empty if the centre chooses the programme.")


class ParticipantAddForm(ParticipantForm):
    """Registration together with the first referral, so nobody exists without one."""

    identity_number = forms.CharField(
        label=_("Identity number"), max_length=20,
        help_text=_("Personnummer or samordningsnummer, 10 or 12 digits (e.g. 19121212-1212), "
                    "or a reserve number (e.g. R2026-000123)."),
    )

    fieldsets = [*ParticipantForm.fieldsets, (_("Referral"), REFERRAL_FORM_FIELDS)]

    def setup_fields(self) -> None:
        super().setup_fields()
        for name, field in ReferralForm.base_fields.items():
            self.fields[name] = copy.deepcopy(field)
        setup_referral_fields(self, Capability.REGISTER_PARTICIPANT)
        self.order_fields(["identity_number"])
        self.fields["identity_number"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false"})

    def clean_identity_number(self) -> str:
        # The action parses it again; checking here shows this error together with the rest.
        text = self.cleaned_data["identity_number"]
        try:
            parse_identity_number(text, today=timezone.localdate())
        except InvalidIdentityNumber as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        return text

    def split(self) -> tuple[str, list[Any], dict[str, Any], dict[str, Any]]:
        """(identity number, languages, person fields, referral fields) for the action."""
        data = dict(self.cleaned_data)
        identity = data.pop("identity_number")
        languages = list(data.pop("languages", []))
        referral = {n: data.pop(n) for n in REFERRAL_FORM_FIELDS}
        return identity, languages, data, referral


class ReferralContactForm(VidareModelForm):
    class Meta:
        model = ReferralContact
        fields = ["kind", "occurred_on", "channel", "outcome", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3}), "kind": forms.RadioSelect}

    def setup_fields(self) -> None:
        self.fields["occurred_on"].initial = timezone.localdate
        self.fields["kind"].choices = ContactKind.choices  # radio buttons: no empty choice


class ReferralCloseForm(VidareForm):
    closed_on = forms.DateField(label=_("Closed on"), initial=timezone.localdate)
    close_reason = forms.ChoiceField(label=_("Reason for closing"),
                                     choices=[("", "---------"), *ReferralCloseReason.choices])
    close_note = forms.CharField(label=_("Note"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name or identity number"), required=False, max_length=100)
