"""Employers, contacts, activities, recruitment needs, agreements and placements. The only
code that writes these rows: views, the API, the JobSearch import and the demo call it.

Reading the register needs VIEW_EMPLOYERS, changing it MANAGE_EMPLOYERS (the register is
municipality-wide, so no centre is checked). A placement names a participant: it needs MATCH
or MANAGE_EMPLOYERS and a participant the actor may see; anyone else reads as unknown.

`actor=None` is the command line or the demo generator (run by the operator, attributed to
nobody in the history); views and the API always pass the logged-in user.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vidare.access.roles import Capability
from vidare.core.actions import assign, ensure_not_restricted, errors, save_validated

from .models import (
    Activity,
    Agreement,
    Employer,
    EmployerContact,
    Placement,
    RecruitmentNeed,
)
from .validation import normalise_orgnr, normalise_sni

if TYPE_CHECKING:
    from vidare.access.models import User
    from vidare.codelists.models import Occupation
    from vidare.people.models import Participant
    from vidare.vacancies.models import Vacancy

EMPLOYER_FIELDS = {"name", "organisation_number", "sni_code", "address", "postal_code",
                   "city", "municipality", "website", "notes", "responsible", "status"}
CONTACT_FIELDS = {"name", "role", "phone", "email"}
ACTIVITY_FIELDS = {"kind", "occurred_on", "follow_up_on", "follow_up_done", "notes"}
NEED_FIELDS = {"occupation", "number", "needed_from", "needed_until", "terms", "can_adapt",
               "takes_interns", "status", "note"}
AGREEMENT_FIELDS = {"kind", "starts_on", "ends_on", "note"}
PLACEMENT_FIELDS = {"kind", "starts_on", "ends_on", "vacancy", "note"}
PLACEMENT_CAPABILITIES = (Capability.MATCH, Capability.MANAGE_EMPLOYERS)


def require_any(actor: User | None, *capabilities: Capability) -> None:
    """PermissionDenied unless `actor` holds one of `capabilities` (None: command line)."""
    if actor is None:
        return
    if not any(actor.can(c) for c in capabilities):
        raise PermissionDenied(f"{actor} lacks {', '.join(capabilities)}")


def may_read(actor: User) -> bool:
    return actor.can(Capability.VIEW_EMPLOYERS)


def may_manage(actor: User) -> bool:
    return actor.can(Capability.MANAGE_EMPLOYERS)


def may_place(actor: User) -> bool:
    return any(actor.can(c) for c in PLACEMENT_CAPABILITIES)


def _end_not_before_start(start: date | None, end: date | None, end_field: str) -> None:
    if start and end and end < start:
        raise errors(**{end_field: (_("The end date cannot be before the start date."),
                                    "end_before_start")})


# --- employers ---------------------------------------------------------------------------------


@transaction.atomic
def save_employer(*, actor: User | None, employer: Employer | None = None,
                  **data: Any) -> Employer:
    """Register an employer, or change one. The organisationsnummer is checked (length,
    check digit) and stored as NNNNNN-NNNN; it is unique in the register."""
    require_any(actor, Capability.MANAGE_EMPLOYERS)
    employer = employer or Employer(created_by=actor)
    assign(employer, data, EMPLOYER_FIELDS)
    employer.organisation_number = normalise_orgnr(employer.organisation_number)
    if "sni_code" in data:
        employer.sni_code, employer.sni_name = normalise_sni(employer.sni_code)
    employer.name = (employer.name or "").strip()
    taken = (Employer.objects.filter(organisation_number=employer.organisation_number)
             .exclude(pk=employer.pk).first())
    if taken is not None:
        raise errors(organisation_number=(
            _("Organisationsnummer %(number)s is already registered, for %(name)s.")
            % {"number": employer.organisation_number, "name": taken.name}, "duplicate"))
    responsible = employer.responsible
    if responsible is not None and not (responsible.is_active
                                        and responsible.can(Capability.MANAGE_EMPLOYERS)):
        raise errors(responsible=(_("%(user)s does not work with employers (no job broker "
                                    "role).") % {"user": responsible}, "not_broker"))
    return save_validated(employer, actor)  # type: ignore[return-value]


def create_employer(*, actor: User | None, **data: Any) -> Employer:
    return save_employer(actor=actor, **data)


def update_employer(*, actor: User | None, employer: Employer, **data: Any) -> Employer:
    return save_employer(actor=actor, employer=employer, **data)


# --- contacts ----------------------------------------------------------------------------------


@transaction.atomic
def save_contact(*, actor: User | None, employer: Employer,
                 contact: EmployerContact | None = None, **data: Any) -> EmployerContact:
    require_any(actor, Capability.MANAGE_EMPLOYERS)
    if contact is not None and contact.employer_id != employer.pk:
        raise errors(employer=(_("The contact belongs to another employer."),
                               "wrong_employer"))
    contact = contact or EmployerContact(employer=employer, created_by=actor)
    assign(contact, data, CONTACT_FIELDS)
    contact.name = (contact.name or "").strip()
    return save_validated(contact, actor)  # type: ignore[return-value]


def add_contact(*, actor: User | None, employer: Employer, **data: Any) -> EmployerContact:
    return save_contact(actor=actor, employer=employer, **data)


# --- activities --------------------------------------------------------------------------------


def _check_activity(activity: Activity, today: date) -> None:
    if activity.occurred_on and activity.occurred_on > today:
        raise errors(occurred_on=(_("An activity is logged when it has happened; the date "
                                    "cannot be in the future. Plan it as a follow-up "
                                    "instead."), "future"))
    if activity.follow_up_on and activity.occurred_on and (
            activity.follow_up_on < activity.occurred_on):
        raise errors(follow_up_on=(_("The follow-up cannot be before the activity."),
                                   "before_activity"))
    if activity.follow_up_done and not activity.follow_up_on:
        raise errors(follow_up_done=(_("There is no follow-up date to mark as done."),
                                     "no_follow_up"))


@transaction.atomic
def log_activity(*, actor: User | None, employer: Employer, kind: str, occurred_on: date,
                 follow_up_on: date | None = None, notes: str = "", by: User | None = None,
                 today: date | None = None) -> Activity:
    """Log a visit, call, business lunch, event or e-mail; `by` is the actor unless given
    (the demo and imports name the broker)."""
    require_any(actor, Capability.MANAGE_EMPLOYERS)
    activity = Activity(employer=employer, kind=kind, occurred_on=occurred_on,
                        follow_up_on=follow_up_on, notes=notes, by=by or actor,
                        created_by=actor)
    _check_activity(activity, today or timezone.localdate())
    return save_validated(activity, actor)  # type: ignore[return-value]


@transaction.atomic
def update_activity(*, actor: User | None, activity: Activity, today: date | None = None,
                    **data: Any) -> Activity:
    require_any(actor, Capability.MANAGE_EMPLOYERS)
    assign(activity, data, ACTIVITY_FIELDS)
    _check_activity(activity, today or timezone.localdate())
    return save_validated(activity, actor)  # type: ignore[return-value]


def mark_follow_up_done(*, actor: User | None, activity: Activity) -> Activity:
    """Mark the follow-up of `activity` as done (again: no change)."""
    return update_activity(actor=actor, activity=activity, follow_up_done=True)


# --- recruitment needs -------------------------------------------------------------------------


def resolve_level4(value: Occupation | str | None, field: str = "occupation",
                   required: bool = True) -> Occupation | None:
    """An SSYK level-4 group from an Occupation or its code; ValidationError naming `field`
    (unknown_code, wrong_level, required)."""
    from django.core.exceptions import ValidationError

    from vidare.codelists.models import Occupation
    from vidare.codelists.services import resolve_occupation

    if value is None or value == "":
        if required:
            raise errors(**{field: (_("Choose the occupation (SSYK)."), "required")})
        return None
    code = value.code if isinstance(value, Occupation) else value
    try:
        return resolve_occupation(code)
    except ValidationError as exc:
        if field != "occupation" and hasattr(exc, "error_dict"):
            raise ValidationError({field: exc.error_dict["occupation"]}) from None
        raise


@transaction.atomic
def save_need(*, actor: User | None, employer: Employer, need: RecruitmentNeed | None = None,
              **data: Any) -> RecruitmentNeed:
    """Register or change a recruitment need (occupation at SSYK level 4)."""
    require_any(actor, Capability.MANAGE_EMPLOYERS)
    if need is not None and need.employer_id != employer.pk:
        raise errors(employer=(_("The need belongs to another employer."), "wrong_employer"))
    need = need or RecruitmentNeed(employer=employer, created_by=actor)
    if "occupation" in data:
        data["occupation"] = resolve_level4(data["occupation"])
    assign(need, data, NEED_FIELDS)
    if need.occupation_id is None:
        raise errors(occupation=(_("Choose the occupation (SSYK)."), "required"))
    _end_not_before_start(need.needed_from, need.needed_until, "needed_until")
    return save_validated(need, actor)  # type: ignore[return-value]


def add_need(*, actor: User | None, employer: Employer, **data: Any) -> RecruitmentNeed:
    return save_need(actor=actor, employer=employer, **data)


def update_need(*, actor: User | None, need: RecruitmentNeed, **data: Any) -> RecruitmentNeed:
    return save_need(actor=actor, employer=need.employer, need=need, **data)


# --- agreements --------------------------------------------------------------------------------


@transaction.atomic
def save_agreement(*, actor: User | None, employer: Employer,
                   agreement: Agreement | None = None, **data: Any) -> Agreement:
    require_any(actor, Capability.MANAGE_EMPLOYERS)
    if agreement is not None and agreement.employer_id != employer.pk:
        raise errors(employer=(_("The agreement belongs to another employer."),
                               "wrong_employer"))
    agreement = agreement or Agreement(employer=employer, created_by=actor)
    assign(agreement, data, AGREEMENT_FIELDS)
    _end_not_before_start(agreement.starts_on, agreement.ends_on, "ends_on")
    return save_validated(agreement, actor)  # type: ignore[return-value]


def add_agreement(*, actor: User | None, employer: Employer, **data: Any) -> Agreement:
    return save_agreement(actor=actor, employer=employer, **data)


# --- placements --------------------------------------------------------------------------------


def visible_participant(actor: User | None, participant: Participant | int | None,
                        ) -> Participant:
    """The participant if `actor` may see them (vidare.people.scoping); otherwise the same
    error as for a participant that does not exist."""
    from vidare.people.models import Participant

    pk = participant.pk if isinstance(participant, Participant) else participant
    qs = Participant.objects.all() if actor is None else Participant.objects.visible_to(actor)
    found = qs.filter(pk=pk).first() if pk else None
    if found is None:
        raise errors(participant=(_("Unknown participant."), "does_not_exist"))
    return found


def _check_placement(placement: Placement) -> None:
    vacancy = placement.vacancy
    if vacancy is not None and vacancy.employer_id not in (None, placement.employer_id):
        raise errors(vacancy=(_("The vacancy belongs to another employer."),
                              "wrong_employer"))
    _end_not_before_start(placement.starts_on, placement.ends_on, "ends_on")


@transaction.atomic
def record_placement(actor: User | None, employer: Employer, participant: Participant,
                     kind: str, starts_on: date, ends_on: date | None = None,
                     vacancy: Vacancy | None = None, note: str = "") -> Placement:
    """Record that `participant` is placed with `employer` (internship, employment,
    subsidised employment or summer job). Needs MATCH or MANAGE_EMPLOYERS and a participant
    the actor may see; an invisible one reads as unknown (code does_not_exist)."""
    require_any(actor, *PLACEMENT_CAPABILITIES)
    person = visible_participant(actor, participant)
    ensure_not_restricted(person)
    placement = Placement(employer=employer, participant=person, kind=kind,
                          starts_on=starts_on, ends_on=ends_on, vacancy=vacancy, note=note,
                          created_by=actor)
    _check_placement(placement)
    return save_validated(placement, actor)  # type: ignore[return-value]


@transaction.atomic
def update_placement(*, actor: User | None, placement: Placement, **data: Any) -> Placement:
    """Change a placement (e.g. record the day it ended)."""
    require_any(actor, *PLACEMENT_CAPABILITIES)
    visible_participant(actor, placement.participant_id)
    ensure_not_restricted(placement.participant_id)
    assign(placement, data, PLACEMENT_FIELDS)
    _check_placement(placement)
    return save_validated(placement, actor)  # type: ignore[return-value]
