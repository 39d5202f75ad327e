"""Forms for the consent register. They validate input; people/consent.py writes it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vidare.core.forms import VidareForm, VidareModelForm

from .consent import check_dates
from .models import Consent


class ConsentForm(VidareModelForm):
    class Meta:
        model = Consent
        fields = ["party", "scope", "given_on", "expires_on", "note"]
        help_texts = {
            "expires_on": _("Leave empty if the consent holds until it is withdrawn. The "
                            "consent is valid up to and including this day."),
            "note": _("For example where the signed consent is kept."),
        }

    def setup_fields(self) -> None:
        self.fields["given_on"].initial = timezone.localdate

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("given_on"):
            try:
                check_dates(data["given_on"], data.get("expires_on"), timezone.localdate())
            except ValidationError as exc:
                self.apply_action_error(exc)
        return data


class ConsentWithdrawForm(VidareForm):
    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"), initial=timezone.localdate,
        help_text=_("From this day nothing more may be shared on the strength of the consent."))
