"""Enrolment, exit, reassignment, the coach's caseload and the centre overview."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Min,
    OuterRef,
    Q,
)
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView

from vidare.access.roles import Capability
from vidare.core.dates import add_months
from vidare.core.views import AccessMixin, ActionFormView, ScopedObjectMixin, ScopedParticipantMixin
from vidare.organisation.models import Centre, Programme
from vidare.people.consent import refusal_reason
from vidare.people.models import ConsentParty, ConsentScope, Participant, Referral, ReferralStatus
from vidare.people.scoping import scoped
from vidare.people.views import OPEN_STATUSES, REFERRAL_WAIT_WARNING_DAYS, age_text

from . import actions
from .forms import EnrolmentForm, ExitForm, PauseForm, ReassignForm, caseworkers, ssyk_level4
from .models import Enrolment, EnrolmentStatus, ExitReason

NEAR_MAX_DAYS = 60

# ---- the caseload flags: one definition, used by the caseload and the centre overview ----


def latest_start_reaching(day: date, months: int) -> date:
    """The latest start date whose maximum end date (start + `months`) is on or before
    `day`. add_months clamps to month ends, so several starts can share one end date."""
    start = add_months(day, -months)
    month_end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    while start < month_end and add_months(start + timedelta(days=1), months) <= day:
        start += timedelta(days=1)
    return start


def flag_conditions(today: date) -> dict[str, Q | Exists]:
    """SQL conditions for the three flags on an enrolment (evaluated per row, in the DB)."""
    from vidare.assessments.models import Assessment

    inactive_on_or_before = today - timedelta(days=settings.VIDARE_INACTIVITY_DAYS)
    near_max = Q(pk__in=[])
    warn_day = today + timedelta(days=NEAR_MAX_DAYS)
    for pk, months in Programme.objects.values_list("pk", "max_length_months"):
        near_max |= Q(programme_id=pk, start_date__lte=latest_start_reaching(warn_day, months))
    assessed = Exists(Assessment.objects.filter(
        Q(enrolment=OuterRef("pk"))
        | Q(participant=OuterRef("participant_id"), assessed_on__gte=OuterRef("start_date"))))
    return {
        # A paused enrolment (sick leave, parental leave) is expected to be quiet.
        "inactive": Q(status=EnrolmentStatus.ACTIVE)
        & (Q(last_activity_on__isnull=True) | Q(last_activity_on__lte=inactive_on_or_before)),
        "max_length": near_max,
        "no_assessment": ~assessed,
    }


FLAG_LABELS = {
    "inactive": gettext_lazy("No activity for %(days)s days"),
    "max_length": gettext_lazy("Near maximum length"),
    "no_assessment": gettext_lazy("No assessment"),
}


@dataclass(frozen=True)
class Flag:
    key: str
    text: str
    danger: bool = False


@dataclass
class CaseloadRow:
    enrolment: Enrolment
    flags: list[Flag]

    @property
    def participant(self) -> Participant:
        return self.enrolment.participant


def row_flags(e: Any, today: date) -> list[Flag]:
    flags = []
    if e.flag_inactive:
        days = (today - e.last_activity_on).days if e.last_activity_on else None
        flags.append(Flag("inactive", _("No activity for %(days)s days") % {"days": days}
                          if days is not None else _("No activity recorded")))
    if e.flag_max_length:
        left = (e.max_end_date - today).days
        flags.append(Flag("max_length", ngettext(
            "Maximum length reached in %(days)s day", "Maximum length reached in %(days)s days",
            left) % {"days": left} if left >= 0 else
            _("Past maximum length (%(date)s)") % {"date": e.max_end_date.isoformat()},
            danger=left < 0))
    if e.flag_no_assessment:
        flags.append(Flag("no_assessment", _("No assessment")))
    return flags


class CaseloadView(AccessMixin, TemplateView):
    """The coach's active and paused enrolments with what needs attention. A unit manager
    may look at any coach's caseload at their centres (?coach=<id>)."""

    template_name = "enrolments/caseload.html"
    sorts = {"flags", "name", "start"}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if (user.is_authenticated and not user.can(Capability.VIEW_PARTICIPANTS)
                and user.can(Capability.REFER)):
            return redirect("people:referral_list")  # a referring officer has no caseload
        return super().dispatch(request, *args, **kwargs)

    def check_access(self) -> None:
        user = self.request.user
        if not user.can(Capability.VIEW_PARTICIPANTS):
            raise PermissionDenied
        self.coach = user
        self.coach_choices = None
        self.centre_scope = None  # a unit manager looks only at their own centres
        manager_scope = user.centre_ids_with(Capability.VIEW_CENTRE_OVERVIEW)
        if manager_scope is None or manager_scope:
            self.coach_choices = list(caseworkers(manager_scope))
            wanted = self.request.GET.get("coach")
            if wanted and wanted != str(user.pk):
                chosen = [c for c in self.coach_choices if str(c.pk) == wanted]
                if not chosen:
                    raise PermissionDenied
                self.coach, self.centre_scope = chosen[0], manager_scope
        elif self.request.GET.get("coach") not in (None, "", str(user.pk)):
            raise PermissionDenied

    def get_rows(self, today: date) -> list[CaseloadRow]:
        qs = scoped(Enrolment.objects.filter(responsible=self.coach,
                                             status__in=OPEN_STATUSES),
                    "participant", self.request.user)
        if self.centre_scope is not None:
            qs = qs.filter(centre_id__in=self.centre_scope)
        qs = qs.select_related("participant", "programme", "centre").annotate(**{
            f"flag_{key}": ExpressionWrapper(cond, output_field=BooleanField())
            for key, cond in flag_conditions(today).items()})
        return [CaseloadRow(e, row_flags(e, today)) for e in qs]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = self.get_rows(today)
        counts = {key: sum(1 for r in rows if any(f.key == key for f in r.flags))
                  for key in FLAG_LABELS}
        flag = self.request.GET.get("flag", "")
        if flag in FLAG_LABELS:
            rows = [r for r in rows if any(f.key == flag for f in r.flags)]
        sort = self.request.GET.get("sort", "flags")
        sort = sort if sort in self.sorts else "flags"
        rows.sort(key=lambda r: (r.participant.last_name.casefold(),
                                 r.participant.first_name.casefold(), r.enrolment.pk))
        if sort == "flags":
            rows.sort(key=lambda r: (-sum(2 if f.danger else 1 for f in r.flags)))
        elif sort == "start":
            rows.sort(key=lambda r: r.enrolment.start_date)
        context.update(
            rows=rows, today=today, coach=self.coach, own=self.coach == self.request.user,
            coach_choices=self.coach_choices, sort=sort, flag=flag,
            flag_filters=[(key, _("No activity for %(days)s days")
                           % {"days": settings.VIDARE_INACTIVITY_DAYS}
                           if key == "inactive" else label, counts[key])
                          for key, label in FLAG_LABELS.items()],
            inactivity_days=settings.VIDARE_INACTIVITY_DAYS, near_max_days=NEAR_MAX_DAYS,
        )
        return context


class EnrolmentAddView(ScopedParticipantMixin, ActionFormView):
    form_class = EnrolmentForm
    template_name = "enrolments/enrolment_form.html"
    submit_label = gettext_lazy("Enrol")
    success_message = gettext_lazy("The enrolment has been registered.")

    def check_access(self) -> None:
        super().check_access()
        if not self.request.user.can(Capability.ENROL):
            raise PermissionDenied

    def get_title(self) -> str:
        return _("Enrol %(name)s") % {"name": self.participant}

    def get_subtitle(self) -> str:
        return _("%(number)s, %(age)s years old today.") % {
            "number": self.participant.formatted_identity_number,
            "age": age_text(self.participant, timezone.localdate())}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["participant"] = self.participant
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        user = self.request.user
        referral = (Referral.objects.filter(participant=self.participant,
                                            status=ReferralStatus.OPEN)
                    .order_by("referred_on").first())
        if referral is not None:
            initial.update(referral=referral, programme=referral.programme_id)
            if user.can(Capability.ENROL, referral.centre_id):
                initial["centre"] = referral.centre_id
        initial["responsible"] = user.pk  # usually the coach enrols into their own caseload
        return initial

    def run_action(self, form: BaseForm) -> Enrolment:
        return actions.enrol(actor=self.request.user, participant=self.participant,
                             **form.cleaned_data)


class EnrolmentObjectMixin(ScopedObjectMixin):
    model = Enrolment
    select_related = ("participant", "programme", "centre", "responsible")

    def get_subtitle(self) -> str:
        e = self.object
        return _("%(programme)s at %(centre)s from %(start)s.") % {
            "programme": e.programme.name, "centre": e.centre.name,
            "start": e.start_date.isoformat()}


class ExitAddView(EnrolmentObjectMixin, ActionFormView):
    capability = Capability.EXIT
    form_class = ExitForm
    template_name = "enrolments/exit_form.html"
    submit_label = gettext_lazy("Register exit")
    success_message = gettext_lazy("The exit has been registered.")

    def get_title(self) -> str:
        return _("Exit for %(name)s") % {"name": self.participant}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["occupations"] = ssyk_level4()
        # What an exit to another authority may pass on today: (party, None or why not).
        context["referral_out"] = [
            (ConsentParty(party).label,
             refusal_reason(self.participant, party, ConsentScope.REFERRAL_OUT))
            for party in actions.REFERRAL_OUT_PARTIES.values()]
        return context

    def run_action(self, form: BaseForm) -> Any:
        return actions.record_exit(actor=self.request.user, enrolment=self.object,
                                   **form.action_data())  # type: ignore[attr-defined]


class EnrolmentReassignView(EnrolmentObjectMixin, ActionFormView):
    capability = Capability.ENROL
    form_class = ReassignForm
    template_name = "people/participant_form.html"
    submit_label = gettext_lazy("Save")
    success_message = gettext_lazy("The responsible job coach has been changed.")

    def get_title(self) -> str:
        return _("Responsible job coach for %(name)s") % {"name": self.participant}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["centre_id"] = self.object.centre_id
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"responsible": self.object.responsible_id}

    def run_action(self, form: BaseForm) -> Any:
        return actions.reassign(actor=self.request.user, enrolment=self.object,
                                responsible=form.cleaned_data["responsible"])


class EnrolmentPauseView(EnrolmentObjectMixin, ActionFormView):
    capability = Capability.ENROL
    form_class = PauseForm
    template_name = "people/participant_form.html"
    submit_label = gettext_lazy("Save")

    def get_title(self) -> str:
        return _("Pause or resume the enrolment of %(name)s") % {"name": self.participant}

    def get_initial(self) -> dict[str, Any]:
        # The form offers the two open states; an exited enrolment is refused on save.
        return {"status": self.object.status}

    def get_success_message(self) -> str:
        return str(_("The enrolment is paused.") if self.result.status == EnrolmentStatus.PAUSED
                   else _("The enrolment is active."))

    def run_action(self, form: BaseForm) -> Any:
        return actions.set_paused(actor=self.request.user, enrolment=self.object,
                                  paused=form.cleaned_data["status"] == EnrolmentStatus.PAUSED)


EXIT_GROUPS = {
    "work_studies": sorted(ExitReason.work_or_studies()),
    "other_intervention": [ExitReason.OTHER_INTERVENTION],
    "other_authority": [ExitReason.EMPLOYMENT_SERVICE, ExitReason.SOCIAL_INSURANCE],
    "other": [ExitReason.MOVED, ExitReason.DROPPED_OUT, ExitReason.OTHER],
}


class CentreOverviewView(AccessMixin, TemplateView):
    """For the unit manager: the state of each centre and programme, each coach's caseload
    and the referrals that wait too long. Every figure is one aggregate query."""

    template_name = "enrolments/centre_overview.html"
    capability = Capability.VIEW_CENTRE_OVERVIEW

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        scope = self.request.user.centre_ids_with(Capability.VIEW_CENTRE_OVERVIEW)
        centre_filter = {} if scope is None else {"centre_id__in": scope}
        month_start, year_start = today.replace(day=1), today.replace(month=1, day=1)
        exited_this_year = Q(exit__exit_date__gte=year_start, exit__exit_date__lte=today)
        programmes = list(
            Enrolment.objects.filter(**centre_filter)
            .values("centre__name", "programme__name")
            .annotate(
                active=Count("pk", filter=Q(status=EnrolmentStatus.ACTIVE)),
                paused=Count("pk", filter=Q(status=EnrolmentStatus.PAUSED)),
                new_this_month=Count("pk", filter=Q(start_date__gte=month_start,
                                                    start_date__lte=today)),
                exits=Count("pk", filter=exited_this_year),
                **{f"exits_{group}": Count("pk", filter=exited_this_year
                                           & Q(exit__reason__in=reasons))
                   for group, reasons in EXIT_GROUPS.items()})
            .order_by("centre__name", "programme__name"))
        flags = flag_conditions(today)
        coaches = list(
            Enrolment.objects.filter(status__in=OPEN_STATUSES, **centre_filter)
            .values("centre__name", "responsible_id", "responsible__first_name",
                    "responsible__last_name", "responsible__username")
            .annotate(caseload=Count("pk"),
                      **{key: Count("pk", filter=cond) for key, cond in flags.items()})
            .order_by("centre__name", "responsible__last_name", "responsible__first_name"))
        referrals = list(
            Referral.objects.filter(status=ReferralStatus.OPEN, **centre_filter)
            .values("centre__name")
            .annotate(open=Count("pk"),
                      waiting=Count("pk", filter=Q(referred_on__lt=today - timedelta(
                          days=REFERRAL_WAIT_WARNING_DAYS))),
                      oldest=Min("referred_on"))
            .order_by("centre__name"))
        centres = Centre.objects.filter(**({} if scope is None else {"pk__in": scope}))
        context.update(
            today=today, year=today.year, month_start=month_start, programmes=programmes,
            coaches=coaches, referrals=referrals, centres=list(centres),
            inactivity_days=settings.VIDARE_INACTIVITY_DAYS, near_max_days=NEAR_MAX_DAYS,
            warn_days=REFERRAL_WAIT_WARNING_DAYS,
        )
        return context
