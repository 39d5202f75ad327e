"""Form pieces every app shares: native date inputs, accessible error wiring, and the mapping
of an action's ValidationError onto the form that fed it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.boundfield import BoundField


class DateInput(forms.DateInput):
    """`<input type="date">`: the browser's own accessible date picker, ISO value."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class VidareBoundField(BoundField):
    """Points aria-describedby at the ids that vidare/field.html gives help and error text."""

    @property
    def aria_describedby(self) -> str | None:
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        ids = []
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                ids.append(f"{self.auto_id}_help")
            if self.errors:
                ids.append(f"{self.auto_id}_error")
        return " ".join(ids)


class VidareFormMixin:
    """Base behaviour for every Vidare form.

    * takes the acting user as `user=` (ActionFormView passes it), kept as `self.user`;
    * renders date fields as `<input type="date">`;
    * `apply_action_error(exc)` puts an action's ValidationError on the matching fields.
    `field_map` maps an action's field name to a form field name where they differ.
    """

    bound_field_class = VidareBoundField
    field_map: Mapping[str, str] = {}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.DateField) and type(field.widget) is forms.DateInput:
                field.widget = DateInput(attrs=field.widget.attrs)

    def apply_action_error(self, exc: ValidationError) -> None:
        apply_validation_error(self, exc, self.field_map)  # type: ignore[arg-type]


class VidareForm(VidareFormMixin, forms.Form):
    pass


class VidareModelForm(VidareFormMixin, forms.ModelForm):
    """A ModelForm used only for its fields and validation: views pass `cleaned_data` to an
    action and never call `save()`."""

    def save(self, commit: bool = True) -> Any:
        raise NotImplementedError("Participant data is written by actions, not by forms.")


def apply_validation_error(form: forms.BaseForm, exc: ValidationError,
                           field_map: Mapping[str, str] | None = None) -> None:
    """Attach `exc` to `form`: {field: [...]} entries go to that field when the form has it
    (after `field_map` renaming), everything else to the non-field errors."""
    field_map = field_map or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        target = field_map.get(name, name)
        if target in form.fields and target != NON_FIELD_ERRORS:
            form.add_error(target, errors)
        else:
            form.add_error(None, errors)
