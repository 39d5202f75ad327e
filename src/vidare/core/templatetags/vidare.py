"""Template helpers shared by every app: `{% load vidare %}`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.forms import BaseForm
from django.forms.boundfield import BoundField
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _choice_group(field: BoundField) -> SafeString:
    """A checkbox or radio group: a fieldset whose legend names it, not a dangling label."""
    classes = ["field", "group"]
    if field.errors:
        classes.append("has-error")
    if field.field.required:
        classes.append("required")
    help_html = (format_html('<p class="help" id="{}_help">{}</p>', field.auto_id,
                             field.help_text) if field.help_text else "")
    errors_html = format_html_join("", '<p class="error" id="{}_error">{}</p>',
                                   ((field.auto_id, e) for e in field.errors))
    return format_html('<fieldset class="{}"><legend>{}</legend>{}{}{}</fieldset>',
                       " ".join(classes), field.label, help_html, errors_html, field)


def _field(field: BoundField) -> SafeString:
    if field.use_fieldset and not field.is_hidden:
        return _choice_group(field)
    return mark_safe(render_to_string("vidare/field.html", {"field": field}))  # noqa: S308


@register.simple_tag
def render_fields(form: BaseForm) -> SafeString:
    """Every field of `form` through vidare/field.html, grouped in fieldsets with legends
    when the form defines `fieldsets` (VidareFormMixin.grouped_fields)."""
    groups = (form.grouped_fields() if hasattr(form, "grouped_fields")
              else [(None, list(form))])
    parts = []
    for legend, fields in groups:
        inner = mark_safe("".join(_field(f) for f in fields))  # noqa: S308
        if legend:
            parts.append(format_html('<fieldset class="section"><legend>{}</legend>{}'
                                     "</fieldset>", legend, inner))
        else:
            parts.append(inner)
    return mark_safe("".join(parts))  # noqa: S308


@register.filter
def iso(day: date | None) -> str:
    """A date as YYYY-MM-DD (the Swedish standard form), or an en dash when missing."""
    return day.isoformat() if day else "–"


@register.simple_tag(takes_context=True)
def sort_link(context: dict[str, Any], key: str) -> str:
    """The current URL's query string with `sort` set to `key` (other parameters kept)."""
    params = context["request"].GET.copy()
    params["sort"] = key
    params.pop("page", None)
    return "?" + params.urlencode()
