"""Which participants a user may see: the one rule every view, endpoint and export uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from vidare.access.roles import Capability

if TYPE_CHECKING:
    from vidare.access.models import User
    from vidare.people.models import ParticipantQuerySet

NOTHING = Q(pk__in=[])


def visible_condition(user: User, participant_path: str = "", *,
                      listing: bool = False) -> Q:
    """A filter for rows whose participant `user` may see: participants enrolled at, or
    referred to, a centre where the user works with cases; for a social-assistance officer,
    the people they referred. `participant_path` leads from the filtered model to the
    participant ("" for Participant itself, "participant", "enrolment__participant").

    A social-assistance officer sees only while the person's consent to share attendance and
    status with the social services is valid today. With `listing`, people with protected
    identity are left out unless the user is one of their named staff: they are never found
    by lists or searches of others.

    The test is correlated (EXISTS per row) rather than a list of visible ids, so narrowing a
    query first (one coach's caseload) keeps it cheap however large the register is."""
    from vidare.enrolments.models import Enrolment
    from vidare.people.consent import valid_on
    from vidare.people.models import (
        Consent,
        ConsentParty,
        ConsentScope,
        Participant,
        Referral,
    )

    if not user.is_authenticated or not user.is_active:
        return NOTHING
    ref = OuterRef(participant_path or "pk")
    prefix = f"{participant_path}__" if participant_path else ""
    centres = user.centre_ids_with(Capability.VIEW_PARTICIPANTS)
    condition = Q() if centres is None else NOTHING
    if centres:
        condition |= Q(Exists(Enrolment.objects.filter(participant=ref,
                                                       centre_id__in=centres)))
        condition |= Q(Exists(Referral.objects.filter(participant=ref, centre_id__in=centres)))
    if centres is not None and user.can(Capability.REFER):
        today = timezone.localdate()
        valid_consent = Consent.objects.filter(
            valid_on(today), participant=ref, party=ConsentParty.SOCIAL_SERVICES,
            scope=ConsentScope.ATTENDANCE_AND_STATUS)
        condition |= (Q(Exists(Referral.objects.filter(participant=ref, referrer_user=user)))
                      & Q(Exists(valid_consent)))
    # After gallring the row holds no person, only statistics.
    condition &= Q(**{f"{prefix}deidentified_on__isnull": True})
    if listing:
        condition &= (Q(**{f"{prefix}protected_identity": False})
                      | Q(Exists(Participant.protected_identity_staff.through.objects.filter(
                          participant_id=ref, user_id=user.pk))))
    return condition


def visible_participants(user: User, qs: ParticipantQuerySet, *,
                         listing: bool = False) -> ParticipantQuerySet:
    return qs.filter(visible_condition(user, listing=listing))


def scoped(queryset: QuerySet[Any], participant_path: str, user: User, *,
           listing: bool = False) -> QuerySet[Any]:
    """`queryset` narrowed to rows whose participant the user may see (and, with `listing`,
    may find in a list)."""
    return queryset.filter(visible_condition(user, participant_path, listing=listing))
