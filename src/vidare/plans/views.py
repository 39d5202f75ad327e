"""Plan pages: the plan with its goals, interventions, the weekly attendance grid, and the
attendance report for the coach and for the social-assistance officer who referred the
person (as a page and as a CSV download for Excel)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import BaseForm, model_to_dict
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from vidare.access.log import log_access
from vidare.access.roles import Capability
from vidare.assessments.forms import apply_row_errors, error_summary
from vidare.assessments.views import RowsFormMixin
from vidare.core.dates import add_months, iso_week_label, week_start
from vidare.core.views import ActionFormView, ScopedObjectMixin, ScopedParticipantMixin
from vidare.enrolments.models import Enrolment, EnrolmentStatus
from vidare.people.consent import refusal_reason, valid_consent
from vidare.people.models import ConsentParty, ConsentScope

from . import reports
from .actions import record_attendance, save_goal, save_intervention, save_plan
from .forms import (
    AttendanceWeekForm,
    GoalFormSet,
    InterventionForm,
    PlanForm,
    ReportPeriodForm,
)
from .models import AbsenceReason, Attendance, Intervention, InterventionStatus, Plan


class EnrolmentMixin(ScopedObjectMixin):
    """The enrolment in the URL, through the participants the user may see."""

    model = Enrolment
    select_related = ("participant", "programme", "centre")


class InterventionMixin(ScopedObjectMixin):
    model = Intervention
    participant_path = "enrolment__participant"
    centre_path = "enrolment.centre_id"
    select_related = ("enrolment", "enrolment__participant", "enrolment__programme",
                      "enrolment__centre")


class PlanEditView(EnrolmentMixin, RowsFormMixin, ActionFormView):
    """Establish or revise the plan and its goals, all or nothing."""

    capability = Capability.PLAN
    form_class = PlanForm
    formset_class = GoalFormSet
    rows_key = "goals"
    row_caption = gettext_lazy("Goal %(number)s")
    template_name = "plans/plan_form.html"

    def check_access(self) -> None:
        super().check_access()
        self.plan = Plan.objects.filter(enrolment=self.object).first()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        log_access(request, self.participant, "plan")
        return super().get(request, *args, **kwargs)

    def get_title(self) -> str:
        return _("Revise the plan") if self.plan else _("Establish the plan")

    def get_initial(self) -> dict[str, Any]:
        if self.plan is None:
            return {"established_on": timezone.localdate()}
        return model_to_dict(self.plan, fields=["established_on", "next_review_on", "summary"])

    def get_formset_initial(self) -> list[dict[str, Any]]:
        if self.plan is None:
            return []
        return [model_to_dict(g, fields=["id", "kind", "description", "target_date",
                                         "achieved_on"]) for g in self.plan.goals.all()]

    @transaction.atomic
    def run_action(self, form: BaseForm) -> Plan:
        actor = self.request.user
        plan = self.plan
        if plan is None or form.has_changed():
            plan = save_plan(actor=actor, enrolment=self.object, **form.cleaned_data)
        goals = {g.pk: g for g in plan.goals.all()}
        problems: dict[str, Any] = {}
        for i, row in enumerate(self.filled_rows()):
            if not row.has_changed():
                continue
            data = self.row_data(row)
            goal = goals.get(data.pop("id"))
            try:
                save_goal(actor=actor, plan=plan, goal=goal, **data)
            except ValidationError as exc:
                problems.update({f"goals[{i}].{key}": errs
                                 for key, errs in exc.error_dict.items()})
        if problems:
            raise ValidationError(problems)  # leaves the atomic block: nothing is kept
        return plan

    def get_success_message(self) -> str:
        return _("The plan is saved.")

    def get_success_url(self) -> str:
        return reverse("plans:plan_edit", args=[self.object.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            enrolment=self.object, plan=self.plan,
            exited=self.object.status == EnrolmentStatus.EXITED,
            interventions=self.object.interventions.all(),
            can_record=self.can(Capability.RECORD_ATTENDANCE, self.object.centre_id),
            **kwargs)


class InterventionFormMixin:
    capability = Capability.PLAN
    form_class = InterventionForm
    template_name = "plans/intervention_form.html"
    request: HttpRequest
    object: Any

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["errors"] = error_summary([("", context["form"])])
        context["enrolment"] = self.enrolment
        context["plan_url"] = reverse("plans:plan_edit", args=[self.enrolment.pk])
        return context

    @property
    def enrolment(self) -> Enrolment:
        return self.object if isinstance(self.object, Enrolment) else self.object.enrolment

    def get_success_url(self) -> str:
        return reverse("plans:plan_edit", args=[self.enrolment.pk])


class InterventionAddView(EnrolmentMixin, InterventionFormMixin, ActionFormView):
    title = gettext_lazy("New intervention")

    def get_initial(self) -> dict[str, Any]:
        return {"start_date": max(timezone.localdate(), self.object.start_date)}

    def run_action(self, form: BaseForm) -> Intervention:
        return save_intervention(actor=self.request.user, enrolment=self.object,
                                 **form.cleaned_data)

    def get_success_message(self) -> str:
        return _("The intervention “%(title)s” is added.") % {"title": self.result.title}


class InterventionEditView(InterventionMixin, InterventionFormMixin, ActionFormView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        log_access(request, self.participant, "intervention")
        return super().get(request, *args, **kwargs)

    def get_title(self) -> str:
        return _("Change intervention: %(title)s") % {"title": self.object.title}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def run_action(self, form: BaseForm) -> Intervention:
        return save_intervention(actor=self.request.user, enrolment=self.object.enrolment,
                                 intervention=self.object, **form.cleaned_data)

    def get_success_message(self) -> str:
        return _("The intervention “%(title)s” is saved.") % {"title": self.result.title}


class AttendanceEditView(InterventionMixin, TemplateView):
    """One row per ISO week of the intervention up to today, newest first. Saving records
    every changed row in one transaction: one bad row and nothing of the batch is kept."""

    capability = Capability.RECORD_ATTENDANCE
    template_name = "plans/attendance_form.html"
    recent_weeks = 12

    def offered_weeks(self) -> list[date]:
        """Mondays of the weeks attendance can be recorded for (the action's rule)."""
        intervention, today = self.object, timezone.localdate()
        last_day = intervention.end_date or intervention.enrolment.end_date
        last = min(today, last_day) if last_day else today
        return list(reversed(reports.weeks_between(intervention.start_date, last)))

    def row_forms(self, data: Any = None) -> list[tuple[date, AttendanceWeekForm]]:
        weeks = self.offered_weeks()
        self.total_weeks = len(weeks)
        if not self.show_all:
            weeks = weeks[:self.recent_weeks]
        recorded = {a.week_start: a for a in self.object.attendance.all()}
        editable = self.object.status != InterventionStatus.CANCELLED
        rows = []
        for monday in weeks:
            prefix = f"w{monday:%Y%m%d}"
            # Only weeks that were on the submitted page count; others stay as they are.
            bound = data if data is not None and f"{prefix}-hours_attended" in data else None
            existing = recorded.get(monday)
            # A week not yet recorded starts blank, not with the model's default 0 absent.
            initial = (model_to_dict(existing, fields=AttendanceWeekForm._meta.fields)
                       if existing else {"hours_absent": None})
            form = AttendanceWeekForm(bound, prefix=prefix, user=self.request.user,
                                      initial=initial)
            if not editable:
                for field in form.fields.values():
                    field.disabled = True
            rows.append((monday, form))
        return rows

    @property
    def show_all(self) -> bool:
        return self.request.GET.get("all") == "1"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        log_access(request, self.participant, "attendance")
        return self.render_to_response(self.get_context_data(rows=self.row_forms()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rows = self.row_forms(request.POST)
        bound = [(monday, f) for monday, f in rows if f.is_bound]
        if all([f.is_valid() for _monday, f in bound]):
            changed = [(monday, f) for monday, f in bound if f.has_changed()]
            problems = self.record(changed)
            if problems is None:
                if changed:
                    messages.success(request, _("Attendance saved for %(count)s week(s).")
                                     % {"count": len(changed)})
                return HttpResponseRedirect(request.get_full_path())
            apply_row_errors(problems, "weeks", [f for _monday, f in changed])
            self.object.refresh_from_db()
        return self.render_to_response(self.get_context_data(rows=rows))

    def record(self, changed: list[tuple[date, AttendanceWeekForm]]) -> ValidationError | None:
        """Record every changed week, or none: errors are collected for all rows and the
        transaction is rolled back if there is any."""
        problems: dict[str, Any] = {}
        with transaction.atomic():
            for i, (monday, form) in enumerate(changed):
                try:
                    record_attendance(actor=self.request.user, intervention=self.object,
                                      week=monday, **form.cleaned_data)
                except ValidationError as exc:
                    problems.update({f"weeks[{i}].{key}": errs
                                     for key, errs in exc.error_dict.items()})
            if problems:
                transaction.set_rollback(True)
        return ValidationError(problems) if problems else None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rows = [(monday, iso_week_label(monday), monday + timedelta(days=6), form)
                for monday, form in kwargs.pop("rows")]
        errors = error_summary((_("Week %(week)s") % {"week": label}, form)
                               for _monday, label, _sunday, form in rows)
        return super().get_context_data(
            intervention=self.object, enrolment=self.object.enrolment,
            participant=self.participant, rows=rows, errors=errors,
            total_weeks=self.total_weeks, show_all=self.show_all,
            hidden_weeks=self.total_weeks - len(rows),
            cancelled=self.object.status == InterventionStatus.CANCELLED, **kwargs)


@dataclass(frozen=True)
class Section:
    """One intervention of the report as the page and the CSV show it."""

    item: reports.InterventionReport
    model: Intervention
    lines: list[tuple[reports.WeekLine, str, str]]  # (line, week label, absence reason)


def _number(value: Decimal | None) -> str:
    """A number for Excel in Swedish: decimal comma, no thousands separator."""
    return "" if value is None else f"{value:.1f}".replace(".", ",")


class AttendanceReportView(ScopedParticipantMixin, TemplateView):
    """Planned, attended and absent hours per intervention and week for a period.

    For the coach (at the enrolment's centre) and the social-assistance officer who referred
    the person (municipality-wide role, limited to own referrals by the scoped queryset).

    Giving the report to the social services is sharing: it needs the person's consent
    (social services, attendance and status) valid today. The officer reads it only as the
    social services; a coach may read it for their own work, and gets the version labelled
    for the social services (?for=socialtjanst, page or CSV) only while the consent holds,
    otherwise a 403 that says why.
    """

    SHARE_PARAM = ConsentParty.SOCIAL_SERVICES.value

    capability = Capability.VIEW_ATTENDANCE_REPORT
    template_name = "plans/attendance_report.html"

    def period(self) -> tuple[ReportPeriodForm, date, date]:
        today = timezone.localdate()
        default_from = add_months(today.replace(day=1), -1)
        form = ReportPeriodForm({"from": self.request.GET.get("from") or default_from,
                                 "to": self.request.GET.get("to") or today})
        if form.is_valid():
            start, end = form.cleaned_data["period_from"], form.cleaned_data["period_to"]
        else:
            start, end = default_from, today
        # Weeks after today have nothing recorded; planning them would read as absence.
        return form, start, min(end, today)

    def build(self, start: date, end: date) -> tuple[reports.AttendanceReport, list[Section]]:
        scope = self.request.user.centre_ids_with(self.capability)
        interventions = Intervention.objects.filter(enrolment__participant=self.participant)
        if scope is not None:
            interventions = interventions.filter(enrolment__centre_id__in=scope)
        rows = list(Attendance.objects.filter(
            intervention__in=interventions, week_start__gte=week_start(start),
            week_start__lte=end))
        with_rows = {r.intervention_id for r in rows}
        shown = {i.pk: i for i in interventions.exclude(start_date__gt=end)
                 if i.status != InterventionStatus.CANCELLED or i.pk in with_rows}
        report = reports.attendance_report(
            [reports.InterventionRow(i.pk, i.title, i.kind, i.start_date, i.end_date,
                                     i.hours_per_week) for i in shown.values()],
            [reports.AttendanceRow(r.intervention_id, r.week_start, r.hours_attended,
                                   r.hours_absent, r.absence_reason) for r in rows],
            start, end)
        reasons = dict(AbsenceReason.choices)
        sections = [Section(
            item=item, model=shown[item.intervention.id],
            lines=[(line, iso_week_label(line.week_start),
                    str(reasons.get(line.absence_reason, "")) if line.absent else "")
                   for line in item.weeks],
        ) for item in report.interventions]
        return report, sections

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form, start, end = self.period()
        sharing = (self.participant, ConsentParty.SOCIAL_SERVICES,
                   ConsentScope.ATTENDANCE_AND_STATUS)
        consent = valid_consent(*sharing)
        refusal = None if consent else refusal_reason(*sharing)
        as_officer = not self.has_capability(Capability.VIEW_PARTICIPANTS)
        if as_officer and refusal:
            # Scoping already hides the person without consent; checked again on purpose, and
            # answered the same way, so the rule holds even if the scope is ever widened.
            raise Http404
        for_social = as_officer or request.GET.get("for") == self.SHARE_PARAM
        refused = refusal if for_social else None
        shared = for_social and not refused
        report, sections = self.build(start, end)
        suffix = " for the social services" if shared else ""  # the log's words, untranslated
        if request.GET.get("format") == "csv" and not refused:
            log_access(request, self.participant, f"attendance report{suffix} (CSV)",
                       channel="export")
            return self.csv_response(report, sections, shared=shared)
        log_access(request, self.participant, f"attendance report{suffix}")
        reasons = dict(AbsenceReason.choices)
        period = f"from={start:%Y-%m-%d}&to={end:%Y-%m-%d}"
        keep = f"&for={self.SHARE_PARAM}" if shared and not as_officer else ""
        response = self.render_to_response(self.get_context_data(
            participant=self.participant, form=form, report=report, sections=sections,
            errors=error_summary([("", form)]),
            absent_by_reason=[(reasons.get(k, k), v)
                              for k, v in sorted(report.totals.absent_by_reason.items())],
            csv_query=f"{period}{keep}&format=csv",
            share_query=f"{period}&for={self.SHARE_PARAM}", share_param=self.SHARE_PARAM,
            consent=consent, refusal=refusal, refused=refused, shared=shared,
            as_officer=as_officer))
        if refused:
            response.status_code = 403
        return response

    def csv_response(self, report: reports.AttendanceReport, sections: list[Section], *,
                     shared: bool = False) -> HttpResponse:
        out = io.StringIO()
        # BOM and semicolons: Excel in a Swedish locale opens it straight away.
        out.write("\ufeff")
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        p = self.participant
        title = _("Attendance report for the social services") if shared else _(
            "Attendance report")
        writer.writerow([title, p.full_name, p.formatted_identity_number])
        writer.writerow([_("Period"), f"{report.period_from:%Y-%m-%d}",
                         f"{report.period_to:%Y-%m-%d}"])
        writer.writerow([])
        writer.writerow([_("Intervention"), _("Week"), _("Monday"), _("Planned hours"),
                         _("Hours attended"), _("Hours absent"), _("Reason for absence"),
                         _("Attendance rate (%)")])

        def total_row(title: str, totals: reports.Totals) -> list[str]:
            return [title, _("Total"), "", _number(totals.planned), _number(totals.attended),
                    _number(totals.absent), "", _number(totals.rate_percent)]

        for section in sections:
            title = section.item.intervention.title
            for line, week, reason in section.lines:
                writer.writerow([title, week, f"{line.week_start:%Y-%m-%d}",
                                 _number(line.planned), _number(line.attended),
                                 _number(line.absent),
                                 reason if line.recorded else _("not recorded"), ""])
            writer.writerow(total_row(title, section.item.totals))
        writer.writerow(total_row(_("All interventions"), report.totals))
        response = HttpResponse(out.getvalue().encode("utf-8"),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="narvaro-{p.pk}-{report.period_from:%Y%m%d}-'
            f'{report.period_to:%Y%m%d}.csv"')
        return response
