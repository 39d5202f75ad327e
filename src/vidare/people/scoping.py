"""Which participants a user may see: the one scoped queryset every view and endpoint uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from vidare.access.roles import Capability

if TYPE_CHECKING:
    from vidare.access.models import User
    from vidare.people.models import ParticipantQuerySet


def visible_participants(user: User, qs: ParticipantQuerySet) -> ParticipantQuerySet:
    """Participants enrolled at, or referred to, a centre where `user` works with cases;
    for a social-assistance officer, the people they referred themselves."""
    from vidare.enrolments.models import Enrolment
    from vidare.people.models import Referral

    if not user.is_authenticated or not user.is_active:
        return qs.none()
    condition = Q(pk__in=[])
    centres = user.centre_ids_with(Capability.VIEW_PARTICIPANTS)
    if centres is None:
        return qs
    if centres:
        condition |= Q(Exists(Enrolment.objects.filter(participant=OuterRef("pk"),
                                                       centre_id__in=centres)))
        condition |= Q(Exists(Referral.objects.filter(participant=OuterRef("pk"),
                                                      centre_id__in=centres)))
    if user.can(Capability.REFER):
        condition |= Q(Exists(Referral.objects.filter(participant=OuterRef("pk"),
                                                      referrer_user=user)))
    return qs.filter(condition)
