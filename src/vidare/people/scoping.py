"""Which participants a user may see: the one rule every view, endpoint and export uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from vidare.access.roles import Capability

if TYPE_CHECKING:
    from vidare.access.models import User
    from vidare.people.models import ParticipantQuerySet

NOTHING = Q(pk__in=[])


def visible_condition(user: User, participant_path: str = "") -> Q:
    """A filter for rows whose participant `user` may see: participants enrolled at, or
    referred to, a centre where the user works with cases; for a social-assistance officer,
    the people they referred. `participant_path` leads from the filtered model to the
    participant ("" for Participant itself, "participant", "enrolment__participant").

    The test is correlated (EXISTS per row) rather than a list of visible ids, so narrowing a
    query first (one coach's caseload) keeps it cheap however large the register is."""
    from vidare.enrolments.models import Enrolment
    from vidare.people.models import Referral

    if not user.is_authenticated or not user.is_active:
        return NOTHING
    ref = OuterRef(participant_path or "pk")
    centres = user.centre_ids_with(Capability.VIEW_PARTICIPANTS)
    if centres is None:
        return Q()
    condition = NOTHING
    if centres:
        condition |= Q(Exists(Enrolment.objects.filter(participant=ref,
                                                       centre_id__in=centres)))
        condition |= Q(Exists(Referral.objects.filter(participant=ref, centre_id__in=centres)))
    if user.can(Capability.REFER):
        condition |= Q(Exists(Referral.objects.filter(participant=ref, referrer_user=user)))
    return condition


def visible_participants(user: User, qs: ParticipantQuerySet) -> ParticipantQuerySet:
    return qs.filter(visible_condition(user))


def scoped(queryset: QuerySet[Any], participant_path: str, user: User) -> QuerySet[Any]:
    """`queryset` narrowed to rows whose participant the user may see."""
    return queryset.filter(visible_condition(user, participant_path))
