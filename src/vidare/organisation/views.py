"""The system administrator's pages for the organisation: centres, programmes and target
groups, each with a list, a form to add one and a form to change one.

MANAGE_USERS (the systemadministratör) opens them; every other role gets 403. The pages hold
no participant data: a centre's or programme's open enrolments are shown as a count only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.forms import BaseForm
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from vidare.access.roles import Capability
from vidare.core.dates import SAME_CHANGE
from vidare.core.views import AccessMixin, ActionFormView

from . import actions
from .forms import CentreForm, ProgrammeForm, TargetGroupForm
from .models import Centre, Programme, TargetGroup

OPEN = Q(enrolments__status__in=actions.OPEN_STATUSES)


class AdminMixin(AccessMixin):
    """MANAGE_USERS anywhere, else 403; then the row in the URL (if `model` is set), else
    404."""

    capability = Capability.MANAGE_USERS
    model: type[Any] | None = None
    object: Any = None
    list_url_name = ""

    def check_access(self) -> None:
        super().check_access()
        if self.model is not None:
            self.object = get_object_or_404(self.model._default_manager, pk=self.kwargs["pk"])
            self.object_name = self.object.name  # as saved, whatever the form changes

    def get_cancel_url(self) -> str | None:
        return reverse(self.list_url_name)

    def get_success_url(self) -> str:
        return reverse(self.list_url_name)


class FormMixin(AdminMixin):
    template_name = "organisation/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["list_url"] = reverse(self.list_url_name)
        return context


class EditMixin(FormMixin):
    edit_title: Any = ""

    def get_title(self) -> str:
        return str(self.edit_title) % {"name": self.object_name}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["history"] = history_entries(self.object)
        return context

    def get_success_message(self) -> str:
        return _("%(name)s is saved.") % {"name": self.result.name}


def history_entries(instance: Any, limit: int = 50) -> list[dict[str, Any]]:
    """The newest changes (at most `limit` history rows) of a centre, programme or target
    group, newest first: when, by whom and which fields, by their labels."""
    model = type(instance)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    m2m = [str(f.verbose_name) for f in model._meta.many_to_many]
    rows = list(instance.history.select_related("history_user")
                .order_by("-history_date", "-history_id")[:limit])[::-1]
    entries: list[dict[str, Any]] = []
    before = None
    for row in rows:
        if row.history_type == "+":
            changed: list[str] = []
        elif before is None:
            changed = ["…"]  # the row it changed is older than the ones shown
        else:
            changed = [str(f.verbose_name) for f in fields
                       if getattr(row, f.attname) != getattr(before, f.attname)]
        last = entries[-1] if entries else None
        if (not changed and row.history_type != "+" and last is not None
                and last["who"] == row.history_user
                and row.history_date - last["when"] <= SAME_CHANGE):
            last["fields"] += [name for name in m2m if name not in last["fields"]]
        else:
            entries.append({"when": row.history_date, "who": row.history_user,
                            "created": row.history_type == "+",
                            "fields": changed or m2m})
        before = row
    return entries[::-1]


class AddMixin(FormMixin):
    def get_success_message(self) -> str:
        return _("%(name)s is added.") % {"name": self.result.name}


# --- centres -----------------------------------------------------------------------------------


class CentreListView(AdminMixin, TemplateView):
    template_name = "organisation/centre_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        centres = (Centre.objects.select_related("municipality")
                   .annotate(open_enrolments=Count("enrolments", filter=OPEN))
                   .order_by("name"))
        return super().get_context_data(centres=centres, **kwargs)


class CentreAddView(AddMixin, ActionFormView):
    form_class = CentreForm
    list_url_name = "organisation:centre_list"
    title = gettext_lazy("New centre")

    def run_action(self, form: BaseForm) -> Centre:
        return actions.save_centre(actor=self.request.user, **form.cleaned_data)


class CentreEditView(EditMixin, ActionFormView):
    model = Centre
    form_class = CentreForm
    list_url_name = "organisation:centre_list"
    edit_title = gettext_lazy("Change centre %(name)s")

    def run_action(self, form: BaseForm) -> Centre:
        return actions.save_centre(actor=self.request.user, centre=self.object,
                                   **form.cleaned_data)


# --- programmes --------------------------------------------------------------------------------


class ProgrammeListView(AdminMixin, TemplateView):
    template_name = "organisation/programme_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        programmes = (Programme.objects.prefetch_related("centres", "target_groups")
                      .annotate(open_enrolments=Count("enrolments", filter=OPEN))
                      .order_by("name"))
        return super().get_context_data(programmes=programmes, **kwargs)


class ProgrammeAddView(AddMixin, ActionFormView):
    form_class = ProgrammeForm
    list_url_name = "organisation:programme_list"
    title = gettext_lazy("New programme")

    def get_initial(self) -> dict[str, Any]:
        return {"min_age": 16, "max_age": 65,
                "max_length_months": Programme._meta.get_field("max_length_months").default}

    def run_action(self, form: BaseForm) -> Programme:
        return actions.save_programme(actor=self.request.user, **form.cleaned_data)


class ProgrammeEditView(EditMixin, ActionFormView):
    model = Programme
    form_class = ProgrammeForm
    list_url_name = "organisation:programme_list"
    edit_title = gettext_lazy("Change programme %(name)s")

    def run_action(self, form: BaseForm) -> Programme:
        return actions.save_programme(actor=self.request.user, programme=self.object,
                                      **form.cleaned_data)


# --- target groups -----------------------------------------------------------------------------


class TargetGroupListView(AdminMixin, TemplateView):
    template_name = "organisation/target_group_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        groups = (TargetGroup.objects
                  .annotate(programme_count=Count("programmes", distinct=True),
                            enrolment_count=Count("enrolments", distinct=True))
                  .order_by("name"))
        return super().get_context_data(groups=groups, **kwargs)


class TargetGroupAddView(AddMixin, ActionFormView):
    form_class = TargetGroupForm
    list_url_name = "organisation:target_group_list"
    title = gettext_lazy("New target group")

    def run_action(self, form: BaseForm) -> TargetGroup:
        return actions.save_target_group(actor=self.request.user, **form.cleaned_data)


class TargetGroupEditView(EditMixin, ActionFormView):
    model = TargetGroup
    form_class = TargetGroupForm
    list_url_name = "organisation:target_group_list"
    edit_title = gettext_lazy("Change target group %(name)s")

    def run_action(self, form: BaseForm) -> TargetGroup:
        return actions.save_target_group(actor=self.request.user, group=self.object,
                                         **form.cleaned_data)
