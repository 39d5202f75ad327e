"""Plans, goals, interventions and attendance. The only place these rows change."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vidare.access.roles import Capability
from vidare.core.actions import assign, ensure_not_restricted, errors, require, save_validated
from vidare.core.dates import week_start
from vidare.enrolments.actions import touch
from vidare.enrolments.models import Enrolment, EnrolmentStatus

from .models import (
    AbsenceReason,
    Attendance,
    Intervention,
    InterventionStatus,
    Plan,
    PlanGoal,
)

if TYPE_CHECKING:
    from vidare.access.models import User

PLAN_FIELDS = {"established_on", "next_review_on", "summary"}
GOAL_FIELDS = {"kind", "description", "target_date", "achieved_on"}
INTERVENTION_FIELDS = {"kind", "title", "provider", "start_date", "end_date", "hours_per_week",
                       "status", "note"}


def _open_enrolment(enrolment: Enrolment) -> None:
    ensure_not_restricted(enrolment.participant_id)
    if enrolment.status == EnrolmentStatus.EXITED:
        raise errors(enrolment=(_("The enrolment has ended; nothing more can be planned in it."),
                                "enrolment_exited"))


@transaction.atomic
def save_plan(*, actor: User, enrolment: Enrolment, today: date | None = None,
              **data: Any) -> Plan:
    """Establish the plan of an enrolment, or revise it (history keeps the earlier text)."""
    today = today or timezone.localdate()
    require(actor, Capability.PLAN, enrolment.centre_id)
    _open_enrolment(enrolment)
    plan = Plan.objects.filter(enrolment=enrolment).first() or Plan(enrolment=enrolment,
                                                                     created_by=actor)
    assign(plan, data, PLAN_FIELDS)
    if plan.established_on and plan.established_on < enrolment.start_date:
        raise errors(established_on=(_("The plan cannot be established before the enrolment "
                                       "started (%(date)s).") % {"date": enrolment.start_date},
                                     "before_start"))
    if plan.established_on and plan.established_on > today:
        raise errors(established_on=(_("The date cannot be in the future."), "future"))
    if plan.next_review_on and plan.established_on and plan.next_review_on < plan.established_on:
        raise errors(next_review_on=(_("The review cannot be before the plan was established."),
                                     "before_established"))
    save_validated(plan, actor)
    touch(enrolment, plan.established_on)
    return plan


@transaction.atomic
def save_goal(*, actor: User, plan: Plan, goal: PlanGoal | None = None, **data: Any) -> PlanGoal:
    require(actor, Capability.PLAN, plan.enrolment.centre_id)
    _open_enrolment(plan.enrolment)
    goal = goal or PlanGoal(plan=plan)
    assign(goal, data, GOAL_FIELDS)
    if goal.achieved_on and goal.achieved_on < plan.established_on:
        raise errors(achieved_on=(_("A goal cannot be achieved before the plan was "
                                    "established."), "before_established"))
    return save_validated(goal, actor)  # type: ignore[return-value]


def _check_intervention_dates(intervention: Intervention, enrolment: Enrolment) -> None:
    if intervention.start_date < enrolment.start_date:
        raise errors(start_date=(_("The intervention cannot start before the enrolment "
                                   "(%(date)s).") % {"date": enrolment.start_date},
                                 "before_enrolment"))
    if intervention.end_date and intervention.end_date < intervention.start_date:
        raise errors(end_date=(_("The end date cannot be before the start date."),
                               "end_before_start"))


@transaction.atomic
def save_intervention(*, actor: User, enrolment: Enrolment,
                      intervention: Intervention | None = None, **data: Any) -> Intervention:
    require(actor, Capability.PLAN, enrolment.centre_id)
    _open_enrolment(enrolment)
    if intervention is not None and intervention.enrolment_id != enrolment.pk:
        raise errors(enrolment=(_("The intervention belongs to another enrolment."),
                                "wrong_enrolment"))
    intervention = intervention or Intervention(enrolment=enrolment, created_by=actor)
    assign(intervention, data, INTERVENTION_FIELDS)
    intervention.clean_fields()
    _check_intervention_dates(intervention, enrolment)
    if intervention.pk:
        outside = intervention.attendance.exclude(week_start__gte=week_start(
            intervention.start_date))
        if intervention.end_date:
            outside = outside | intervention.attendance.filter(
                week_start__gt=intervention.end_date)
        if outside.exists():
            raise errors(start_date=(_("Attendance is recorded outside the new dates; "
                                       "change or remove it first."), "attendance_outside"))
    save_validated(intervention, actor)
    touch(enrolment, min(intervention.start_date, timezone.localdate()))
    return intervention


@transaction.atomic
def record_attendance(*, actor: User, intervention: Intervention, week: date,
                      hours_attended: Decimal, hours_absent: Decimal = Decimal(0),
                      absence_reason: str = "", note: str = "",
                      today: date | None = None) -> Attendance:
    """Record (or correct) one ISO week of attendance. `week` may be any day in the week."""
    today = today or timezone.localdate()
    enrolment = intervention.enrolment
    require(actor, Capability.RECORD_ATTENDANCE, enrolment.centre_id)
    ensure_not_restricted(enrolment.participant_id)
    monday = week_start(week)
    sunday = monday + timedelta(days=6)
    last_day = intervention.end_date or enrolment.end_date
    if sunday < intervention.start_date or (last_day and monday > last_day):
        period = f"{intervention.start_date} – {last_day or _('ongoing')}"
        raise errors(week=(_("Week %(week)s lies outside the intervention's dates "
                             "(%(period)s).") % {"week": monday, "period": period},
                           "outside_intervention"))
    if monday > today:
        raise errors(week=(_("Attendance cannot be recorded for a future week."), "future"))
    if intervention.status == InterventionStatus.CANCELLED:
        raise errors(intervention=(_("The intervention was cancelled."), "cancelled"))
    hours_attended, hours_absent = Decimal(hours_attended), Decimal(hours_absent)
    if hours_attended + hours_absent > Decimal(60):
        raise errors(hours_attended=(_("Attended and absent hours together cannot exceed 60 "
                                       "a week."), "too_many_hours"))
    if hours_absent > 0 and not absence_reason:
        raise errors(absence_reason=(_("Give the reason for the absence."), "required"))
    if hours_absent == 0:
        absence_reason = AbsenceReason.NONE
    row = (Attendance.objects.select_for_update()
           .filter(intervention=intervention, week_start=monday).first()
           or Attendance(intervention=intervention, week_start=monday, created_by=actor))
    row.hours_attended = hours_attended
    row.hours_absent = hours_absent
    row.absence_reason = absence_reason
    row.note = note
    row.recorded_by = actor
    save_validated(row, actor)
    if intervention.status == InterventionStatus.PLANNED and hours_attended > 0:
        intervention.status = InterventionStatus.ONGOING
        save_validated(intervention, actor)
    touch(enrolment, min(sunday, today))
    return row
