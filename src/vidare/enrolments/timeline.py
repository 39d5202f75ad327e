"""A participant's whole journey as one dated list, for the detail page.

A fixed number of queries whatever the length of the history (one per kind of record).
Text comes from codes, names and titles only: never from special-category fields
(Assessment.SPECIAL_CATEGORY_FIELDS, region of birth) nor from free-text notes, which
may hold such details.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vidare.core.views import optional_url

if TYPE_CHECKING:
    from vidare.people.models import Participant

# Same-day events read in journey order.
KIND_ORDER = {kind: i for i, kind in enumerate([
    "referral", "contact", "referral_closed", "enrolment", "assessment", "plan",
    "plan_revised", "goal", "intervention_started", "attendance", "intervention_ended",
    "proposal", "placement", "placement_ended", "exit",
])}


@dataclass(frozen=True)
class TimelineEvent:
    date: date
    kind: str
    title: str
    detail: str = ""
    url: str | None = None
    sort_key: tuple[date, int, int] = field(default=(date.min, 0, 0), compare=False)

    @classmethod
    def make(cls, day: date, kind: str, title: str, detail: str = "", url: str | None = None,
             ident: int = 0) -> TimelineEvent:
        return cls(day, kind, title, detail, url, (day, KIND_ORDER[kind], ident))


def _referral_events(participant: Participant) -> list[TimelineEvent]:
    from vidare.people.models import Referral, ReferralContact, ReferralStatus

    events = []
    for r in Referral.objects.filter(participant=participant).select_related("centre",
                                                                             "programme"):
        detail = ", ".join(filter(None, [
            str(r.get_source_display()), r.referrer_organisation,
            _("proposed: %(programme)s") % {"programme": r.programme.name}
            if r.programme else ""]))
        events.append(TimelineEvent.make(
            r.referred_on, "referral", _("Referral to %(centre)s") % {"centre": r.centre.name},
            detail, f"#referral-{r.pk}", r.pk))
        if r.status == ReferralStatus.CLOSED and r.closed_on:
            events.append(TimelineEvent.make(
                r.closed_on, "referral_closed", _("Referral closed without enrolment"),
                r.get_close_reason_display(), f"#referral-{r.pk}", r.pk))
    contacts = ReferralContact.objects.filter(referral__participant=participant)
    for c in contacts.select_related("staff"):
        events.append(TimelineEvent.make(
            c.occurred_on, "contact",
            _("%(kind)s by %(channel)s") % {"kind": c.get_kind_display(),
                                           "channel": c.get_channel_display().lower()},
            ", ".join(filter(None, [c.get_outcome_display(), str(c.staff or "")])),
            f"#referral-{c.referral_id}", c.pk))
    return events


def _enrolment_events(participant: Participant) -> list[TimelineEvent]:
    from vidare.enrolments.models import Enrolment

    events = []
    enrolments = (Enrolment.objects.filter(participant=participant)
                  .select_related("programme", "centre", "responsible", "exit",
                                  "exit__occupation", "plan"))
    for e in enrolments:
        title = (_("Re-enrolled in %(programme)s at %(centre)s") if e.is_re_enrolment
                 else _("Enrolled in %(programme)s at %(centre)s"))
        detail = (_("Responsible: %(name)s") % {"name": e.responsible}
                  if e.responsible else "")
        events.append(TimelineEvent.make(
            e.start_date, "enrolment",
            title % {"programme": e.programme.name, "centre": e.centre.name},
            detail, f"#enrolment-{e.pk}", e.pk))
        exit_ = getattr(e, "exit", None)
        if exit_ is not None:
            where = ", ".join(filter(None, [exit_.employer_name,
                                            exit_.occupation.name if exit_.occupation else "",
                                            f"{exit_.extent_percent} %"
                                            if exit_.extent_percent else ""]))
            events.append(TimelineEvent.make(
                exit_.exit_date, "exit",
                _("Exit from %(programme)s: %(reason)s") % {
                    "programme": e.programme.name, "reason": exit_.get_reason_display()},
                where, f"#enrolment-{e.pk}", e.pk))
        plan = getattr(e, "plan", None)
        if plan is not None:
            events.append(TimelineEvent.make(
                plan.established_on, "plan", _("Action plan established"),
                e.programme.name, optional_url("plans:plan_edit", pk=e.pk), plan.pk))
    return events


def _plan_revision_events(participant: Participant) -> list[TimelineEvent]:
    """One event per plan and day it was changed after the day it was created."""
    from vidare.plans.models import Plan

    rows = (Plan.history.filter(enrolment__participant=participant)
            .order_by("history_date").values_list("id", "enrolment_id", "history_type",
                                                  "history_date"))
    created: dict[int, date] = {}
    revised: dict[tuple[int, date], int] = {}
    for plan_id, enrolment_id, kind, when in rows:
        day = timezone.localdate(when)
        if kind == "+":
            created[plan_id] = day
        elif kind == "~" and day > created.get(plan_id, date.min):
            revised[(plan_id, day)] = enrolment_id
    return [TimelineEvent.make(day, "plan_revised", _("Action plan revised"), "",
                               optional_url("plans:plan_edit", pk=enrolment_id), plan_id)
            for (plan_id, day), enrolment_id in revised.items()]


def _goal_events(participant: Participant) -> list[TimelineEvent]:
    from vidare.plans.models import PlanGoal

    goals = PlanGoal.objects.filter(plan__enrolment__participant=participant,
                                    achieved_on__isnull=False)
    return [TimelineEvent.make(g.achieved_on, "goal", _("Goal achieved (%(kind)s)")
                               % {"kind": g.get_kind_display().lower()}, g.description,
                               None, g.pk)
            for g in goals]


def _assessment_events(participant: Participant) -> list[TimelineEvent]:
    from vidare.assessments.models import Assessment

    # Only the columns the text needs: special-category fields are never loaded.
    rows = (Assessment.objects.filter(participant=participant)
            .only("id", "version", "assessed_on"))
    return [TimelineEvent.make(
        a.assessed_on, "assessment",
        _("Competence mapping (kartläggning), version %(n)s") % {"n": a.version}
        if a.version > 1 else _("Competence mapping (kartläggning)"),
        "", optional_url("assessments:assessment_detail", pk=a.pk), a.pk) for a in rows]


def _intervention_events(participant: Participant) -> list[TimelineEvent]:
    from vidare.plans.models import Attendance, Intervention, InterventionStatus

    events = []
    for i in Intervention.objects.filter(enrolment__participant=participant):
        label = f"{i.get_kind_display()}: {i.title}"
        url = optional_url("plans:intervention_edit", pk=i.pk)
        if i.status in (InterventionStatus.ONGOING, InterventionStatus.COMPLETED):
            events.append(TimelineEvent.make(i.start_date, "intervention_started",
                                             _("Intervention started"), label, url, i.pk))
        if i.status == InterventionStatus.COMPLETED and i.end_date:
            events.append(TimelineEvent.make(i.end_date, "intervention_ended",
                                             _("Intervention ended"), label, url, i.pk))
        elif i.status == InterventionStatus.CANCELLED:
            events.append(TimelineEvent.make(i.end_date or i.start_date, "intervention_ended",
                                             _("Intervention cancelled"), label, url, i.pk))
    months = (Attendance.objects.filter(intervention__enrolment__participant=participant)
              .annotate(month=TruncMonth("week_start"))
              .values("intervention_id", "intervention__title", "month")
              .annotate(attended=Sum("hours_attended"), absent=Sum("hours_absent"),
                        weeks=Count("id"), last_week=Max("week_start"))
              .order_by())
    for m in months:
        attended, absent = m["attended"] or Decimal(0), m["absent"] or Decimal(0)
        total = attended + absent
        share = f" ({round(100 * attended / total)} %)" if total else ""
        month_start = m["month"] if isinstance(m["month"], date) else m["month"].date()
        events.append(TimelineEvent.make(
            min(m["last_week"] + timedelta(days=6), _month_end(month_start)), "attendance",
            _("Attendance %(month)s: %(title)s") % {
                "month": date_format(month_start, "F Y"), "title": m["intervention__title"]},
            ngettext("%(weeks)s week reported, %(attended)s h attended, %(absent)s h "
                     "absent%(share)s",
                     "%(weeks)s weeks reported, %(attended)s h attended, %(absent)s h "
                     "absent%(share)s", m["weeks"])
            % {"weeks": m["weeks"], "attended": _hours(attended), "absent": _hours(absent),
               "share": share},
            optional_url("plans:attendance_edit", pk=m["intervention_id"]),
            m["intervention_id"]))
    return events


def _proposal_events(participant: Participant) -> list[TimelineEvent]:
    """Each step of each proposal to a vacancy (proposed, presented, interview, hired,
    declined and by whom); the reason for declining is free text and stays out."""
    from vidare.matching.models import DeclinedBy, ProposalStatus, ProposalStep

    titles = {
        ProposalStatus.PROPOSED: _("Proposed for a vacancy"),
        ProposalStatus.PRESENTED: _("Presented to the employer"),
        ProposalStatus.INTERVIEW: _("Interview with the employer"),
        ProposalStatus.HIRED: _("Hired after a proposal"),
        ProposalStatus.DECLINED: _("Proposal declined"),
    }
    steps = (ProposalStep.objects.filter(proposal__participant=participant)
             .values_list("pk", "proposal_id", "status", "on", "declined_by",
                          "proposal__vacancy__title", "proposal__vacancy__employer__name"))
    events = []
    for pk, proposal_id, status, on, declined_by, title, employer in steps:
        heading = titles.get(status, status)
        if status == ProposalStatus.DECLINED and declined_by:
            heading = _("Proposal declined by %(who)s") % {
                "who": str(DeclinedBy(declined_by).label).lower()}
        events.append(TimelineEvent.make(
            on, "proposal", heading, ", ".join(filter(None, [title, employer])),
            optional_url("matching:proposal_detail", pk=proposal_id), pk))
    return events


def _placement_events(participant: Participant) -> list[TimelineEvent]:
    from vidare.employers.models import Placement

    events = []
    for p in Placement.objects.filter(participant=participant).select_related("employer"):
        label = f"{p.get_kind_display()}: {p.employer.name}"
        events.append(TimelineEvent.make(p.starts_on, "placement", _("Placement started"),
                                         label, None, p.pk))
        if p.ends_on:
            events.append(TimelineEvent.make(p.ends_on, "placement_ended",
                                             _("Placement ended"), label, None, p.pk))
    return events


def _month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


def build_timeline(participant: Participant) -> list[TimelineEvent]:
    """Every dated step of `participant`'s journey, oldest first (ten queries)."""
    events = [
        *_referral_events(participant),
        *_enrolment_events(participant),
        *_plan_revision_events(participant),
        *_goal_events(participant),
        *_assessment_events(participant),
        *_intervention_events(participant),
        *_proposal_events(participant),
        *_placement_events(participant),
    ]
    return sorted(events, key=lambda e: e.sort_key)
