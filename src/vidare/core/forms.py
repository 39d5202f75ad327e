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
    """Points aria-describedby at the ids that vidare/field.html gives help and error text,
    and lets the error summary link to the first box of a checkbox or radio group."""

    @property
    def id_for_label(self) -> str:
        own = super().id_for_label
        if not own and self.use_fieldset and self.auto_id:
            return f"{self.auto_id}_0"
        return own

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
    * `setup_fields()` is the hook to add, drop or narrow fields for `self.user`;
    * renders date fields as `<input type="date">`;
    * `apply_action_error(exc)` puts an action's ValidationError on the matching fields;
      `field_map` maps an action's field name to a form field name where they differ;
    * `fieldsets` [(legend, [field names])] groups fields for `{% render_fields form %}`
      (core/templatetags/vidare.py); fields not named there follow in a last group.
    """

    bound_field_class = VidareBoundField
    field_map: Mapping[str, str] = {}
    fieldsets: list[tuple[Any, list[str]]] = []

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.setup_fields()
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.DateField) and type(field.widget) is forms.DateInput:
                field.widget = DateInput(attrs=field.widget.attrs)

    def setup_fields(self) -> None:
        """Adjust `self.fields` for `self.user` (querysets, fields a role may not see)."""

    def apply_action_error(self, exc: ValidationError) -> None:
        apply_validation_error(self, exc, self.field_map)  # type: ignore[arg-type]

    def grouped_fields(self) -> list[tuple[Any, list[BoundField]]]:
        """[(legend or None, [bound fields])] following `fieldsets`, skipping absent fields."""
        fields = self.fields  # type: ignore[attr-defined]
        groups: list[tuple[Any, list[BoundField]]] = []
        named: set[str] = set()
        for legend, names in self.fieldsets:
            present = [n for n in names if n in fields]
            named.update(present)
            if present:
                groups.append((legend, [self[n] for n in present]))  # type: ignore[index]
        rest = [self[n] for n in fields if n not in named]  # type: ignore[index]
        if rest:
            groups.append((None, rest))
        return groups


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
