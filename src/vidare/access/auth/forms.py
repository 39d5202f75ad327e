from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from vidare.core.forms import VidareBoundField


class CodeForm(forms.Form):
    bound_field_class = VidareBoundField

    code = forms.CharField(
        label=_("Code"), max_length=20, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "spellcheck": "false", "autocapitalize": "off"}))

    def __init__(self, *args: Any, help_text: Any = "", numeric: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = help_text
        if numeric:
            self.fields["code"].widget.attrs["inputmode"] = "numeric"


class PasswordChangeForm(DjangoPasswordChangeForm):
    bound_field_class = VidareBoundField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Plain text: the help sits in a <p>, where Django's <ul> does not belong.
        self.fields["new_password1"].help_text = " ".join(
            password_validation.password_validators_help_texts())
