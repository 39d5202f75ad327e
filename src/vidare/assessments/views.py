"""Competence mapping (kartläggning) pages: a new version, one version, all versions.

Special-category fields (Assessment.SPECIAL_CATEGORY_FIELDS) appear only for users with
VIEW_SPECIAL_CATEGORY at the centre of the enrolment the assessment belongs to. When a
user without it saves a new version, record_assessment carries the previous version's
special values over unchanged, so a version saved by, say, an employment officer wipes
nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm, BaseFormSet, model_to_dict
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from vidare.access.log import log_access
from vidare.access.roles import Capability
from vidare.codelists.choices import Adaptation
from vidare.codelists.models import Occupation
from vidare.core.views import (
    ActionFormView,
    ScopedObjectMixin,
    ScopedParticipantMixin,
    can_on_participant,
)
from vidare.enrolments.models import Enrolment, EnrolmentStatus
from vidare.people.models import Participant

from .actions import current_assessment, record_assessment
from .forms import (
    MORE_ROWS,
    AssessmentForm,
    WorkExperienceFormSet,
    apply_row_errors,
    error_summary,
    experience_initial,
)
from .models import Assessment, Barrier

M2M_FIELDS = ("other_languages", "driving_licences", "desired_occupations")
COMPARED_FIELDS = ("education_level", "education_abroad", "swedish_level", "other_languages",
                   "skills", "driving_licences", "work_capacity_percent", "interests", "goals",
                   "desired_occupations", "interest_fields", "available_from", "commute",
                   "home_municipality", *Assessment.SPECIAL_CATEGORY_FIELDS)


class RowsFormMixin:
    """An ActionFormView whose form comes with a formset of rows (work experiences, goals).

    Both must be valid before the action runs. Rows the action gets are `filled_rows()` (not
    blank, not marked for deletion); its errors "<rows_key>[i].field" land on those rows.
    """

    formset_class: type[BaseFormSet]
    rows_key = ""
    row_caption = gettext_lazy("Row %(number)s")
    request: HttpRequest
    formset: BaseFormSet

    def get_formset_initial(self) -> list[dict[str, Any]]:
        return []

    def get_formset(self) -> BaseFormSet:
        kwargs: dict[str, Any] = {"prefix": self.rows_key, "initial": self.get_formset_initial(),
                                  "form_kwargs": {"user": self.request.user}}
        if self.request.method == "POST":
            kwargs["data"] = self.request.POST
        return self.formset_class(**kwargs)

    more_rows_button = ""  # a submit button of this name adds empty rows instead of saving

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.more_rows_button and self.more_rows_button in request.POST:
            return self.with_more_rows()
        form = self.get_form()  # type: ignore[attr-defined]
        self.formset = self.get_formset()
        # Validate both so every error shows at once.
        if all([form.is_valid(), self.formset.is_valid()]):
            return self.form_valid(form)  # type: ignore[attr-defined]
        return self.form_invalid(form)  # type: ignore[attr-defined]

    def with_more_rows(self) -> HttpResponse:
        """Show the page again as the user filled it in, with MORE_ROWS empty rows more;
        nothing is checked or saved (no JavaScript needed)."""
        data = self.request.POST.copy()
        key = f"{self.rows_key}-TOTAL_FORMS"
        try:
            total = int(data.get(key, "0"))
        except ValueError:
            total = 0
        data[key] = str(min(max(total, 0) + MORE_ROWS, self.formset_class.max_num))
        form = self.get_form_class()(data=data, **{  # type: ignore[attr-defined]
            k: v for k, v in self.get_form_kwargs().items()  # type: ignore[attr-defined]
            if k not in ("data", "files")})
        self.formset = self.formset_class(data=data, prefix=self.rows_key,
                                          form_kwargs={"user": self.request.user})
        for shown in (form, *self.formset.forms):
            shown._errors = ErrorDict()  # displayed as typed, not validated
        self.formset._errors = []
        self.formset._non_form_errors = self.formset.error_class()
        return self.render_to_response(  # type: ignore[attr-defined]
            self.get_context_data(form=form))  # type: ignore[attr-defined]

    def filled_rows(self) -> list[BaseForm]:
        return [f for f in self.formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")]

    def row_data(self, row: BaseForm) -> dict[str, Any]:
        return {k: v for k, v in row.cleaned_data.items() if k != "DELETE"}

    def handle_action_error(self, form: BaseForm, exc: ValidationError) -> None:
        rest = apply_row_errors(exc, self.rows_key, self.filled_rows())
        if rest is not None:
            super().handle_action_error(form, rest)  # type: ignore[misc]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        formset = getattr(self, "formset", None)
        if formset is None:
            formset = self.get_formset()
        rows = [(str(self.row_caption % {"number": i}), f)
                for i, f in enumerate(formset.forms, start=1)]
        context.update(formset=formset, rows=rows,
                       errors=error_summary([("", context["form"]), *rows]))
        if formset.is_bound:
            for e in formset.non_form_errors():
                context["errors"].append(("", str(e)))
        return context


def open_enrolment(participant: Participant) -> Enrolment | None:
    """The enrolment a new assessment belongs to: the same rule record_assessment uses."""
    return (participant.enrolments.exclude(status=EnrolmentStatus.EXITED)
            .select_related("centre", "programme").order_by("-start_date").first())


def may_see_special(user: Any, assessment: Assessment) -> bool:
    if assessment.enrolment_id is not None:
        return bool(user.can(Capability.VIEW_SPECIAL_CATEGORY, assessment.enrolment.centre_id))
    return can_on_participant(user, Capability.VIEW_SPECIAL_CATEGORY, assessment.participant)


def _display(assessment: Assessment, name: str) -> str:
    if name in M2M_FIELDS:
        return ", ".join(sorted(str(x) for x in getattr(assessment, name).all()))
    if name == "skills":
        return ", ".join(assessment.skills)
    if name == "barriers":
        return ", ".join(str(Barrier(b).label) for b in assessment.barriers)
    if name == "adaptation_needs":
        return ", ".join(str(Adaptation(a).label) if a in Adaptation.values else a
                         for a in assessment.adaptation_needs)
    if name == "interest_fields":
        return ", ".join(assessment.interest_fields)
    if name == "work_experiences":
        return "\n".join(_("%(occupation)s, %(years)s years%(where)s") % {
            "occupation": exp.occupation, "years": formats.localize(exp.years),
            "where": _(", in Sweden") if exp.in_sweden else ""}
            for exp in assessment.work_experiences.select_related("occupation"))
    field = Assessment._meta.get_field(name)
    value = getattr(assessment, name)
    if field.choices:
        return str(getattr(assessment, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return "" if value is None else str(value)


def facts(assessment: Assessment, show_special: bool) -> list[tuple[str, str, bool]]:
    """(label, value, is special category) of every field the viewer may see, in form
    order."""
    special = Assessment.SPECIAL_CATEGORY_FIELDS
    names = [n for n in (*COMPARED_FIELDS, "work_experiences")
             if show_special or n not in special]
    return [(_label(n), _display(assessment, n), n in special) for n in names]


def _label(name: str) -> str:
    if name == "work_experiences":
        return _("Work experience")
    label = str(Assessment._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def changes(before: Assessment, after: Assessment, show_special: bool,
            ) -> list[tuple[str, str, str, bool]]:
    """(label, before, after, is special category) for each field that differs between two
    versions."""
    old = {label: value for label, value, _special in facts(before, show_special)}
    return [(label, old[label], value, special)
            for label, value, special in facts(after, show_special) if old[label] != value]


class AssessmentAddView(ScopedParticipantMixin, RowsFormMixin, ActionFormView):
    """A new version, prefilled from the current one."""

    capability = Capability.ASSESS
    form_class = AssessmentForm
    formset_class = WorkExperienceFormSet
    rows_key = "work_experiences"
    row_caption = gettext_lazy("Work experience %(number)s")
    more_rows_button = "more_rows"
    template_name = "assessments/assessment_form.html"

    def check_access(self) -> None:
        super().check_access()
        self.enrolment = open_enrolment(self.participant)
        if self.enrolment is not None and not self.can(Capability.ASSESS,
                                                       self.enrolment.centre_id):
            raise PermissionDenied
        self.previous = current_assessment(self.participant)
        self.show_special = self.enrolment is not None and self.can(
            Capability.VIEW_SPECIAL_CATEGORY, self.enrolment.centre_id)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.previous is not None:
            log_access(request, self.participant, "assessment: new version form",
                       special_shown=self.show_special)
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.enrolment is None:
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def get_title(self) -> str:
        number = (self.previous.version + 1) if self.previous else 1
        return _("Assessment, version %(number)s") % {"number": number}

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"assessed_on": timezone.localdate()}
        if self.previous is not None:
            initial.update(model_to_dict(self.previous, fields=COMPARED_FIELDS))
        return initial

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "show_special": self.show_special}

    def get_formset_initial(self) -> list[dict[str, Any]]:
        return experience_initial(self.previous)

    def run_action(self, form: AssessmentForm) -> Assessment:  # type: ignore[override]
        # Without VIEW_SPECIAL_CATEGORY the form has no special fields, and the action
        # carries the previous version's values over unchanged.
        return record_assessment(
            actor=self.request.user, participant=self.participant, enrolment=self.enrolment,
            work_experiences=[self.row_data(r) for r in self.filled_rows()],
            **form.action_fields())

    def get_success_message(self) -> str:
        return _("Version %(number)s of the assessment is saved.") % {
            "number": self.result.version}

    def get_success_url(self) -> str:
        return reverse("assessments:assessment_detail", args=[self.result.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            enrolment=self.enrolment, previous=self.previous,
            occupations=Occupation.objects.filter(level=4).only("code", "name_sv", "name_en"),
            special_fields=Assessment.SPECIAL_CATEGORY_FIELDS,
            profile_fields=AssessmentForm.PROFILE_FIELDS,
        )
        return context


class AssessmentDetailView(ScopedObjectMixin, TemplateView):
    """One version, what changed since the version before, links to the others."""

    model = Assessment
    capability = Capability.VIEW_PARTICIPANTS
    select_related = ("participant", "enrolment", "enrolment__centre", "assessed_by",
                      "education_level")
    template_name = "assessments/assessment_detail.html"

    def has_capability(self, capability: Capability) -> bool:
        return can_on_participant(self.request.user, capability, self.participant)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        assessment: Assessment = self.object
        show_special = may_see_special(self.request.user, assessment)
        log_access(self.request, self.participant, f"assessment v{assessment.version}",
                   special_shown=show_special)
        versions = list(self.participant.assessments.order_by("-version")
                        .only("pk", "version", "assessed_on"))
        previous = next((v for v in versions if v.version < assessment.version), None)
        enrolment = open_enrolment(self.participant)
        return super().get_context_data(
            assessment=assessment, participant=self.participant, versions=versions,
            previous=previous, facts=facts(assessment, show_special), show_special=show_special,
            changes=None if previous is None else changes(previous, assessment, show_special),
            can_assess=enrolment is not None and self.can(Capability.ASSESS,
                                                          enrolment.centre_id),
            **kwargs)


class AssessmentListView(ScopedParticipantMixin, TemplateView):
    capability = Capability.VIEW_PARTICIPANTS
    template_name = "assessments/assessment_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        log_access(self.request, self.participant, "assessment versions")
        enrolment = open_enrolment(self.participant)
        return super().get_context_data(
            participant=self.participant,
            assessments=self.participant.assessments.select_related(
                "assessed_by", "enrolment__programme", "enrolment__centre"
            ).prefetch_related("work_experiences").order_by("-version"),
            can_assess=enrolment is not None and self.can(Capability.ASSESS,
                                                          enrolment.centre_id),
            **kwargs)
