"""Following up the access log: which entries a reviewer may see, the filters of the review
page and the export, and the signs of unusual access.

A unit manager reviews the entries about participants of their centres (enrolled or
referred there) and the entries written by staff of their centres, wherever those staff
looked. Three signs are flagged, per staff member and day (local time):

* `many_outside_caseload`: reads of at least `unusual_reads_per_day()` distinct participants
  who are not in the reader's caseload (no enrolment with the reader as responsible job
  coach), which includes everyone outside the reader's centres;
* `off_hours`: reads before or after office hours (`office_hours()`) or on a weekend;
* `refused`: attempts the application refused (out of scope or without the capability).

The thresholds come from the settings VIDARE_ACCESS_LOG_UNUSUAL_READS_PER_DAY and
VIDARE_OFFICE_HOURS, set from the environment variables of the same names (settings/security.py;
docs/operations.md); the module constants below are the fallbacks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AccessLogEntry, Membership, User
from .roles import Capability

if TYPE_CHECKING:
    from django.utils.functional import Promise

UNUSUAL_READS_PER_DAY = 20
OFFICE_HOURS = (7, 19)  # from 07:00 up to 19:00, Monday to Friday

FLAG_LABELS: dict[str, Promise] = {
    "many_outside_caseload": _("Many records outside the caseload"),
    "off_hours": _("Outside office hours"),
    "refused": _("Refused attempt"),
}


def unusual_reads_per_day() -> int:
    return int(getattr(settings, "VIDARE_ACCESS_LOG_UNUSUAL_READS_PER_DAY",
                       UNUSUAL_READS_PER_DAY))


def office_hours() -> tuple[int, int]:
    start, end = getattr(settings, "VIDARE_OFFICE_HOURS", OFFICE_HOURS)
    return int(start), int(end)


def reviewable_entries(user: User) -> QuerySet[AccessLogEntry]:
    """The entries `user` may review: about participants of their centres, or by their
    centres' staff. Nothing for a user without Capability.REVIEW_ACCESS_LOG."""
    from vidare.enrolments.models import Enrolment
    from vidare.people.models import Referral

    qs = AccessLogEntry.objects.all()
    if not user.is_active:
        return qs.none()
    scope = user.centre_ids_with(Capability.REVIEW_ACCESS_LOG)
    if scope is None:
        return qs
    if not scope:
        return qs.none()
    person = OuterRef("participant_id")
    return qs.filter(
        Q(Exists(Enrolment.objects.filter(participant_id=person, centre_id__in=scope)))
        | Q(Exists(Referral.objects.filter(participant_id=person, centre_id__in=scope)))
        | Q(Exists(Membership.objects.filter(user_id=OuterRef("user_id"),
                                             centre_id__in=scope))))


def reviewable_staff(user: User) -> QuerySet[User]:
    """Staff a reviewer may filter by: those of their centres, and anyone who appears in
    the entries they review (staff elsewhere who read their centres' participants)."""
    scope = user.centre_ids_with(Capability.REVIEW_ACCESS_LOG)
    qs = User.objects.all()
    if scope is not None:
        in_entries = reviewable_entries(user).order_by().values("user_id")
        qs = qs.filter(Q(pk__in=Membership.objects.filter(centre_id__in=scope)
                         .values("user_id")) | Q(pk__in=in_entries))
    return qs.order_by("last_name", "first_name", "username")


def local_day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class LogFilter:
    """What the reviewer asked for; None or empty means any."""

    staff_id: int | None = None
    participant_ids: Any = None  # ids or a values() queryset
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    channel: str = ""
    allowed: bool | None = None

    def apply(self, qs: QuerySet[AccessLogEntry]) -> QuerySet[AccessLogEntry]:
        if self.staff_id is not None:
            qs = qs.filter(user_id=self.staff_id)
        if self.participant_ids is not None:
            qs = qs.filter(participant_id__in=self.participant_ids)
        if self.date_from is not None:
            qs = qs.filter(at__gte=local_day_start(self.date_from))
        if self.date_to is not None:
            qs = qs.filter(at__lt=local_day_start(self.date_to + dt.timedelta(days=1)))
        if self.channel:
            qs = qs.filter(channel=self.channel)
        if self.allowed is not None:
            qs = qs.filter(allowed=self.allowed)
        return qs


def matching_participants(user: User, text: str) -> QuerySet[Any]:
    """Ids of the participants `user` may find by name or identity number (lists and
    searches leave protected identities out, unless the user is one of their staff)."""
    from vidare.people.models import Participant
    from vidare.people.views import search_participants

    found = search_participants(Participant.objects.visible_to(user, listing=True), text)
    return found.order_by().values("pk")


@dataclass(frozen=True)
class UnusualAccess:
    """One sign of unusual access: `count` entries (or distinct participants) of one staff
    member on one day."""

    kind: str
    user_id: int | None
    username: str
    day: dt.date
    count: int

    @property
    def label(self) -> str:
        return str(FLAG_LABELS[self.kind])


def _per_user_day(qs: QuerySet[AccessLogEntry], kind: str, count: Count,
                  minimum: int = 1) -> list[UnusualAccess]:
    rows = (qs.order_by().annotate(day=TruncDate("at"))
            .values("user_id", "username", "day").annotate(n=count).filter(n__gte=minimum))
    return [UnusualAccess(kind, r["user_id"], r["username"], r["day"], r["n"]) for r in rows]


def off_hours_condition() -> Q:
    start, end = office_hours()
    return Q(hour__lt=start) | Q(hour__gte=end) | Q(weekday__gte=6)


def unusual_access(qs: QuerySet[AccessLogEntry]) -> list[UnusualAccess]:
    """The signs of unusual access among `qs`, newest day first (three queries)."""
    from vidare.enrolments.models import Enrolment

    in_caseload = Exists(Enrolment.objects.filter(participant_id=OuterRef("participant_id"),
                                                  responsible_id=OuterRef("user_id")))
    found = _per_user_day(qs.filter(allowed=True, participant_id__isnull=False)
                          .filter(~in_caseload),
                          "many_outside_caseload", Count("participant_id", distinct=True),
                          minimum=unusual_reads_per_day())
    found += _per_user_day(qs.annotate(hour=ExtractHour("at"), weekday=ExtractIsoWeekDay("at"))
                           .filter(off_hours_condition()), "off_hours", Count("pk"))
    found += _per_user_day(qs.filter(allowed=False), "refused", Count("pk"))
    kinds = list(FLAG_LABELS)
    return sorted(found, key=lambda f: (-f.day.toordinal(), f.username, kinds.index(f.kind)))


def is_off_hours(at: dt.datetime) -> bool:
    start, end = office_hours()
    local = timezone.localtime(at)
    return local.isoweekday() >= 6 or not start <= local.hour < end


def entry_flags(entry: AccessLogEntry, crowded_days: set[tuple[int | None, dt.date]]
                ) -> list[str]:
    """The flags of one entry; `crowded_days` are the (user id, day) pairs flagged
    `many_outside_caseload`."""
    flags = []
    if (entry.user_id, timezone.localdate(entry.at)) in crowded_days:
        flags.append("many_outside_caseload")
    if is_off_hours(entry.at):
        flags.append("off_hours")
    if not entry.allowed:
        flags.append("refused")
    return flags


def crowded_days(signs: Iterable[UnusualAccess]) -> set[tuple[int | None, dt.date]]:
    return {(s.user_id, s.day) for s in signs if s.kind == "many_outside_caseload"}


def participant_names(user: User, ids: Iterable[int | None]) -> dict[int, str]:
    """Names of those participants in `ids` that `user` may find in a list; the others are
    shown by reference only, so the log names nobody the reviewer could not find anyway."""
    from vidare.people.models import Participant

    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {pk: f"{last}, {first}" for pk, first, last in
            Participant.objects.visible_to(user, listing=True).filter(pk__in=wanted)
            .values_list("pk", "first_name", "last_name")}


def openable_participants(user: User, ids: Iterable[int | None]) -> set[int]:
    """Those participants in `ids` whose page `user` may open."""
    from vidare.people.models import Participant

    wanted = {i for i in ids if i is not None}
    if not wanted:
        return set()
    return set(Participant.objects.visible_to(user).filter(pk__in=wanted)
               .values_list("pk", flat=True))


EXPORT_FIELDS = ("time", "username", "staff_name", "participant_ref", "participant_name",
                 "what", "channel", "special_category_shown", "allowed", "ip_address",
                 "request_id", "flags")


def export_rows(qs: QuerySet[AccessLogEntry], *, reviewer: User | None = None,
                signs: Iterable[UnusualAccess] = (), chunk: int = 2000
                ) -> Iterator[dict[str, Any]]:
    """Entries as flat rows (EXPORT_FIELDS), oldest first, read in chunks. With `reviewer`,
    names of the participants the reviewer may list; without (the operator's command),
    the log as it is: participant references only."""
    crowded = crowded_days(signs)

    def rows(batch: list[AccessLogEntry]) -> Iterator[dict[str, Any]]:
        names = (participant_names(reviewer, (e.participant_id for e in batch))
                 if reviewer is not None else {})
        for e in batch:
            yield {
                "time": timezone.localtime(e.at).isoformat(timespec="seconds"),
                "username": e.username,
                "staff_name": e.user.get_full_name() if e.user else "",
                "participant_ref": e.participant_ref,
                "participant_name": names.get(e.participant_id, ""),
                "what": e.what,
                "channel": e.channel,
                "special_category_shown": e.special_category_shown,
                "allowed": e.allowed,
                "ip_address": e.ip_address or "",
                "request_id": e.request_id,
                "flags": entry_flags(e, crowded),
            }

    batch: list[AccessLogEntry] = []
    for entry in qs.select_related("user").order_by("at", "pk").iterator(chunk_size=chunk):
        batch.append(entry)
        if len(batch) >= chunk:
            yield from rows(batch)
            batch = []
    yield from rows(batch)
