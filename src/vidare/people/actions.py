"""Writes for participants, referrals and contacts. The only place these rows change."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vidare.access.roles import Capability
from vidare.core.actions import ensure_not_restricted, errors, require, save_validated, stamp
from vidare.core.identity import IdentityKind, InvalidIdentityNumber, parse_identity_number

from .models import (
    Participant,
    Referral,
    ReferralContact,
    ReferralSource,
    ReferralStatus,
)

if TYPE_CHECKING:
    from vidare.access.models import User

PARTICIPANT_FIELDS = {
    "first_name", "last_name", "gender", "protected_identity", "address", "postal_code",
    "city", "phone", "email", "adults_in_household", "children_in_household",
    "interpreter_needed", "birth_region", "birth_date",
}
REFERRAL_FIELDS = {
    "source", "centre", "programme", "referred_on", "referrer_name", "referrer_organisation",
    "referrer_contact", "referrer_user", "outreach_area", "reason",
}


class DuplicateParticipant(ValidationError):
    """The identity number is already registered; `existing` is that participant."""

    def __init__(self, existing: Participant) -> None:
        self.existing = existing
        super().__init__({"identity_number": ValidationError(
            _("A participant with this identity number is already registered."),
            code="duplicate")})


def _identity(text: str, kind: str | None, today: date) -> tuple[str, str, date | None,
                                                                   int | None]:
    try:
        number = parse_identity_number(text, today=today,
                                       kind=IdentityKind(kind) if kind else None)
    except InvalidIdentityNumber as exc:
        raise ValidationError({"identity_number": ValidationError(
            _(exc.template), code=exc.code, params=exc.params or None)}) from exc
    return number.kind.value, number.value, number.birth_date, number.birth_year


def _check_referral(referral: Referral, today: date) -> None:
    if referral.source == ReferralSource.OUTREACH and not referral.outreach_area.strip():
        raise errors(outreach_area=(_("Name the area for an outreach referral (e.g. Norrby)."),
                                    "required_for_outreach"))
    if referral.referred_on > today:
        raise errors(referred_on=(_("The referral date cannot be in the future."), "future"))
    if referral.programme_id and not referral.programme.centres.filter(
            pk=referral.centre_id).exists():
        raise errors(programme=(_("%(programme)s is not offered at %(centre)s.")
                                % {"programme": referral.programme,
                                   "centre": referral.centre}, "not_offered_at_centre"))


@transaction.atomic
def register_participant(*, actor: User, identity_number: str, identity_kind: str | None = None,
                         languages: list[Any] | None = None, referral: dict[str, Any],
                         today: date | None = None, **fields: Any) -> Participant:
    """Register a person together with the referral that brings them to a centre."""
    today = today or timezone.localdate()
    centre = referral.get("centre")
    if actor.can(Capability.REFER):
        require(actor, Capability.REFER)
    else:
        require(actor, Capability.REGISTER_PARTICIPANT, getattr(centre, "pk", None))
    kind, value, birth_date, birth_year = _identity(identity_number, identity_kind, today)
    existing = Participant.objects.filter(identity_number=value).first()
    if existing is not None:
        raise DuplicateParticipant(existing)
    participant = Participant(identity_kind=kind, identity_number=value, birth_year=birth_year,
                              birth_date=birth_date, created_by=actor)
    if kind == IdentityKind.RESERVNUMMER and not fields.get("birth_date"):
        raise errors(birth_date=(_("Give the date of birth for a person with a reserve "
                                   "number."), "required"))
    for name, val in fields.items():
        if name not in PARTICIPANT_FIELDS or (name == "birth_date" and birth_date):
            continue
        setattr(participant, name, val)
    if kind == IdentityKind.RESERVNUMMER:
        participant.birth_year = participant.birth_date.year
    save_validated(participant, actor)
    if languages is not None:
        participant.languages.set(languages)
    _name_actor_if_protected(actor, participant)
    create_referral(actor=actor, participant=participant, today=today, **referral)
    return participant


@transaction.atomic
def update_participant(*, actor: User, participant: Participant,
                       languages: list[Any] | None = None, **fields: Any) -> Participant:
    _require_on_participant(actor, Capability.EDIT_PARTICIPANT, participant)
    ensure_not_restricted(participant)
    unknown = set(fields) - PARTICIPANT_FIELDS
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    was_protected = participant.protected_identity
    for name, val in fields.items():
        if name == "birth_date" and participant.identity_kind != IdentityKind.RESERVNUMMER:
            continue  # derived from the identity number
        setattr(participant, name, val)
    save_validated(participant, actor)
    if languages is not None:
        participant.languages.set(languages)
    if not was_protected:
        _name_actor_if_protected(actor, participant)
    return participant


def _name_actor_if_protected(actor: User, participant: Participant) -> None:
    """Whoever registers a protected identity, or marks one, is named for it: otherwise the
    person would vanish from their lists at once. A unit manager names the others."""
    if participant.protected_identity:
        participant.protected_identity_staff.add(actor)


def protected_identity_candidates(participant: Participant) -> Any:
    """Staff who may be named for a protected identity: active users with a case role at
    one of the centres the person is enrolled at or referred to."""
    from vidare.access.models import User
    from vidare.access.roles import ROLE_CAPABILITIES, Role

    case_roles = [r for r in Role if Capability.VIEW_PARTICIPANTS in ROLE_CAPABILITIES[r]]
    return (User.objects.filter(is_active=True, memberships__role__in=case_roles,
                                memberships__centre_id__in=_centres_of(participant))
            .distinct().order_by("last_name", "first_name", "pk"))


def _centres_of(participant: Participant) -> set[int]:
    from vidare.enrolments.models import Enrolment

    centres = set(Enrolment.objects.filter(participant=participant)
                  .values_list("centre_id", flat=True))
    return centres | set(Referral.objects.filter(participant=participant)
                         .values_list("centre_id", flat=True))


@transaction.atomic
def set_protected_identity_staff(*, actor: User, participant: Participant,
                                 staff: list[User]) -> Participant:
    """Name the staff who see a protected identity's contact details and find the person in
    lists and searches. Only staff already named, or a unit manager at one of the person's
    centres, may change who is named."""
    from vidare.access.roles import Role

    centres = _centres_of(participant)
    is_named = participant.protected_identity_staff.filter(pk=actor.pk).exists()
    is_manager = actor.memberships.filter(role=Role.ENHETSCHEF, centre_id__in=centres).exists()
    if not (is_named or is_manager):
        raise PermissionDenied(f"{actor} may not name staff for participant {participant.pk}")
    if not participant.protected_identity:
        raise errors(protected_identity_staff=(
            _("Staff are named only for a person with protected identity."),
            "not_protected"))
    allowed = set(protected_identity_candidates(participant).values_list("pk", flat=True))
    outside = [u for u in staff if u.pk not in allowed]
    if outside:
        raise errors(protected_identity_staff=(
            _("%(user)s does not work with cases at the person's centres.")
            % {"user": outside[0]}, "not_at_centre"))
    participant.protected_identity_staff.set(staff)
    return participant


def _require_on_participant(actor: User, capability: Capability,
                            participant: Participant) -> None:
    """Capability at one of the centres the participant is enrolled at or referred to."""
    from vidare.enrolments.models import Enrolment

    scope = actor.centre_ids_with(capability)
    if scope is None:
        return
    centres = set(Enrolment.objects.filter(participant=participant)
                  .values_list("centre_id", flat=True))
    centres |= set(Referral.objects.filter(participant=participant)
                   .values_list("centre_id", flat=True))
    if not scope & centres:
        require(actor, capability, -1)


@transaction.atomic
def create_referral(*, actor: User, participant: Participant, today: date | None = None,
                    **data: Any) -> Referral:
    today = today or timezone.localdate()
    centre = data.get("centre")
    if not actor.can(Capability.REFER):
        require(actor, Capability.MANAGE_REFERRALS, getattr(centre, "pk", None))
    ensure_not_restricted(participant)
    unknown = set(data) - REFERRAL_FIELDS
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    referral = Referral(participant=participant, created_by=actor, **data)
    if actor.can(Capability.REFER) and referral.referrer_user_id is None:
        referral.referrer_user = actor
        referral.referrer_name = referral.referrer_name or str(actor)
    referral.full_clean()
    _check_referral(referral, today)
    stamp(referral, actor)
    referral.save()
    return referral


@transaction.atomic
def record_contact(*, actor: User, referral: Referral, today: date | None = None,
                   **data: Any) -> ReferralContact:
    today = today or timezone.localdate()
    require(actor, Capability.MANAGE_REFERRALS, referral.centre_id)
    ensure_not_restricted(referral.participant_id)
    if referral.status != ReferralStatus.OPEN:
        raise errors(referral=(_("Contacts are recorded only on open referrals."),
                               "referral_not_open"))
    contact = ReferralContact(referral=referral, staff=actor, created_by=actor, **data)
    if contact.occurred_on and contact.occurred_on > today:
        raise errors(occurred_on=(_("The contact date cannot be in the future."), "future"))
    if contact.occurred_on and contact.occurred_on < referral.referred_on:
        raise errors(occurred_on=(_("The contact cannot be before the referral date "
                                    "%(date)s.") % {"date": referral.referred_on},
                                  "before_referral"))
    save_validated(contact, actor)
    return contact


@transaction.atomic
def close_referral(*, actor: User, referral: Referral, closed_on: date, close_reason: str,
                   close_note: str = "", today: date | None = None) -> Referral:
    """Close a referral that will not lead to enrolment, so nobody is lost in between."""
    today = today or timezone.localdate()
    require(actor, Capability.MANAGE_REFERRALS, referral.centre_id)
    ensure_not_restricted(referral.participant_id)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.OPEN:
        raise errors(status=(_("Only an open referral can be closed."), "referral_not_open"))
    if not close_reason:
        raise errors(close_reason=(_("Give a reason for closing the referral."), "required"))
    if closed_on < referral.referred_on:
        raise errors(closed_on=(_("The closing date cannot be before the referral date "
                                  "%(date)s.") % {"date": referral.referred_on},
                                "before_referral"))
    if closed_on > today:
        raise errors(closed_on=(_("The closing date cannot be in the future."), "future"))
    referral.status = ReferralStatus.CLOSED
    referral.closed_on = closed_on
    referral.close_reason = close_reason
    referral.close_note = close_note
    save_validated(referral, actor)
    return referral
