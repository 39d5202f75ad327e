"""Enrol, reassign, pause and exit. The only place enrolments and exits change."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vidare.access.roles import Capability
from vidare.core.actions import ensure_not_restricted, errors, require, save_validated, stamp
from vidare.organisation.models import age_on
from vidare.people.consent import require_consent
from vidare.people.models import ConsentParty, ConsentScope, Participant, Referral, ReferralStatus

from .models import Enrolment, EnrolmentStatus, Exit, ExitReason

if TYPE_CHECKING:
    from vidare.access.models import User
    from vidare.organisation.models import Centre, Programme, TargetGroup


def check_age_band(participant: Participant, programme: Programme, on: date) -> None:
    """The participant's age at `on` must lie in the programme's band. With only a birth year
    (Skatteverket's partial dates) the age is one of two values; reject only if both fail."""
    if participant.birth_date is not None:
        ages = {age_on(participant.birth_date, on)}
    elif participant.birth_year is not None:
        ages = {on.year - participant.birth_year - 1, on.year - participant.birth_year}
    else:
        raise errors(participant=(_("The date of birth is unknown, so the age rule of the "
                                    "programme cannot be checked."), "age_unknown"))
    if not any(programme.min_age <= a <= programme.max_age for a in ages):
        raise errors(start_date=(
            _("%(programme)s is for ages %(band)s at enrolment; the participant is %(age)s on "
              "%(date)s.") % {"programme": programme.name, "band": programme.age_band,
                              "age": max(ages), "date": on},
            "age_outside_band"))


def check_target_groups(programme: Programme, groups: list[TargetGroup]) -> None:
    required = set(programme.target_groups.values_list("pk", flat=True))
    if required and not required & {g.pk for g in groups}:
        names = ", ".join(sorted(t.name for t in programme.target_groups.all()))
        raise errors(target_groups=(
            _("%(programme)s requires at least one of these target groups: %(names)s.")
            % {"programme": programme.name, "names": names}, "target_group_required"))


def check_no_overlap(participant: Participant, programme: Programme, start: date,
                     exclude_pk: int | None = None) -> None:
    # An episode that ended on `start` does not clash: moving straight from one episode to
    # the next (a transfer, a re-enrolment) happens on the exit day.
    clash = (Enrolment.objects.filter(participant=participant, programme=programme)
             .filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
             .exclude(pk=exclude_pk).order_by("start_date").first())
    if clash is not None:
        raise errors(start_date=(
            _("The participant already has an enrolment in %(programme)s from %(start)s that "
              "overlaps this one. Exit it first or choose a later start date.")
            % {"programme": programme.name, "start": clash.start_date},
            "overlapping_enrolment"))


def check_responsible(responsible: User | None, centre: Centre) -> None:
    if responsible is not None and not responsible.can(Capability.ENROL, centre.pk):
        raise errors(responsible=(_("%(user)s does not work with cases at %(centre)s.")
                                  % {"user": responsible, "centre": centre},
                                  "responsible_not_at_centre"))


@transaction.atomic
def enrol(*, actor: User, participant: Participant, programme: Programme, centre: Centre,
          start_date: date, responsible: User | None = None, referral: Referral | None = None,
          target_groups: list[TargetGroup] | None = None,
          today: date | None = None) -> Enrolment:
    today = today or timezone.localdate()
    require(actor, Capability.ENROL, centre.pk)
    ensure_not_restricted(participant)
    # Serialise enrolments of one person so two clerks cannot create overlapping episodes.
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    groups = list(target_groups or [])
    if not programme.active:
        raise errors(programme=(_("%(programme)s is no longer active.")
                                % {"programme": programme.name}, "programme_inactive"))
    if not centre.active:
        raise errors(centre=(_("%(centre)s is no longer active.") % {"centre": centre},
                             "centre_inactive"))
    if not programme.centres.filter(pk=centre.pk).exists():
        raise errors(programme=(_("%(programme)s is not offered at %(centre)s.")
                                % {"programme": programme.name, "centre": centre},
                                "not_offered_at_centre"))
    if start_date > today:
        raise errors(start_date=(_("The start date cannot be in the future."), "future"))
    if referral is not None:
        if referral.participant_id != participant.pk:
            raise errors(referral=(_("The referral belongs to another person."),
                                   "wrong_participant"))
        if referral.status == ReferralStatus.CLOSED:
            raise errors(referral=(_("The referral is closed."), "referral_closed"))
        if start_date < referral.referred_on:
            raise errors(start_date=(_("The start date cannot be before the referral date "
                                       "%(date)s.") % {"date": referral.referred_on},
                                     "before_referral"))
    check_age_band(participant, programme, start_date)
    check_target_groups(programme, groups)
    check_no_overlap(participant, programme, start_date)
    check_responsible(responsible, centre)
    enrolment = Enrolment(
        participant=participant, programme=programme, centre=centre, start_date=start_date,
        responsible=responsible, referral=referral, created_by=actor,
        is_re_enrolment=Enrolment.objects.filter(participant=participant).exists(),
        last_activity_on=start_date,
    )
    save_validated(enrolment, actor)
    enrolment.target_groups.set(groups)
    if referral is not None and referral.status == ReferralStatus.OPEN:
        referral.status = ReferralStatus.ENROLLED
        stamp(referral, actor)
        referral.save(update_fields=["status", "updated_at"])
    return enrolment


@transaction.atomic
def reassign(*, actor: User, enrolment: Enrolment, responsible: User | None) -> Enrolment:
    require(actor, Capability.ENROL, enrolment.centre_id)
    ensure_not_restricted(enrolment.participant_id)
    check_responsible(responsible, enrolment.centre)
    enrolment.responsible = responsible
    return save_validated(enrolment, actor)  # type: ignore[return-value]


@transaction.atomic
def set_paused(*, actor: User, enrolment: Enrolment, paused: bool) -> Enrolment:
    require(actor, Capability.ENROL, enrolment.centre_id)
    ensure_not_restricted(enrolment.participant_id)
    if enrolment.status == EnrolmentStatus.EXITED:
        raise errors(status=(_("The enrolment has ended."), "enrolment_exited"))
    enrolment.status = EnrolmentStatus.PAUSED if paused else EnrolmentStatus.ACTIVE
    return save_validated(enrolment, actor)  # type: ignore[return-value]


def touch(enrolment: Enrolment, day: date) -> None:
    """Note activity on `day` for the inactivity flag of the caseload."""
    if enrolment.last_activity_on is None or day > enrolment.last_activity_on:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_on=day)
        enrolment.last_activity_on = day


# An exit to another authority is a referral out: it passes the person's information on,
# which needs their consent unless the caseworker declares that nothing is shared.
REFERRAL_OUT_PARTIES = {ExitReason.EMPLOYMENT_SERVICE: ConsentParty.EMPLOYMENT_SERVICE,
                        ExitReason.SOCIAL_INSURANCE: ConsentParty.SOCIAL_INSURANCE}


@transaction.atomic
def record_exit(*, actor: User, enrolment: Enrolment, exit_date: date, reason: str,
                no_information_shared: bool = False, today: date | None = None,
                **data: Any) -> Exit:
    """End the enrolment with a coded reason. Ongoing interventions end the same day.
    An exit to Arbetsförmedlingen or Försäkringskassan needs the person's consent to the
    referral, valid on the exit date, unless `no_information_shared`."""
    from vidare.plans.models import Intervention, InterventionStatus

    today = today or timezone.localdate()
    require(actor, Capability.EXIT, enrolment.centre_id)
    ensure_not_restricted(enrolment.participant_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.EXITED or hasattr(enrolment, "exit"):
        raise errors(enrolment=(_("The enrolment has already ended."), "already_exited"))
    if exit_date < enrolment.start_date:
        raise errors(exit_date=(_("The exit date cannot be before the start date %(date)s.")
                                % {"date": enrolment.start_date}, "before_start"))
    if exit_date > today:
        raise errors(exit_date=(_("The exit date cannot be in the future."), "future"))
    party = REFERRAL_OUT_PARTIES.get(reason)
    if party is not None and not no_information_shared:
        require_consent(enrolment.participant, party, ConsentScope.REFERRAL_OUT, exit_date,
                        field="reason", hint=_("Record the consent on the participant's page, "
                                               "or state that no information is shared."))
    exit_ = Exit(enrolment=enrolment, exit_date=exit_date, reason=reason, created_by=actor,
                 no_information_shared=no_information_shared and party is not None, **data)
    if exit_.occupation_id is not None and exit_.occupation.level != 4:
        raise errors(occupation=(_("Choose an occupation at SSYK level 4."), "ssyk_level"))
    save_validated(exit_, actor)
    enrolment.status = EnrolmentStatus.EXITED
    enrolment.end_date = exit_date
    enrolment.last_activity_on = max(enrolment.last_activity_on or exit_date, exit_date)
    save_validated(enrolment, actor)
    for intervention in Intervention.objects.filter(
            enrolment=enrolment,
            status__in=[InterventionStatus.PLANNED, InterventionStatus.ONGOING]):
        if intervention.start_date > exit_date or intervention.status == "planned":
            intervention.status = InterventionStatus.CANCELLED
        else:
            intervention.status = InterventionStatus.COMPLETED
        if intervention.end_date is None or intervention.end_date > exit_date:
            intervention.end_date = max(exit_date, intervention.start_date)
        stamp(intervention, actor)
        intervention.save()
    return exit_
