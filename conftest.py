"""Fixtures shared by every test: a small organisation with staff in every role."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from vidare.core.identity import test_personnummer_list


class World(SimpleNamespace):
    """Two centres, three programmes, target groups and one user per role.

    `register()` and `enrol()` go through the real actions, so fixtures obey every rule.
    """

    # Per world, not per class: a test gets the same numbers whichever tests ran before it.
    _pnr_index = 0

    def next_personnummer(self, born_before: int = 2000, born_after: int = 1960) -> str:
        numbers = [n for n in test_personnummer_list()
                   if born_after <= int(n[:4]) < born_before]
        self._pnr_index += 1
        return numbers[(self._pnr_index * 37) % len(numbers)]

    def register(self, actor: Any = None, centre: Any = None, **fields: Any) -> Any:
        from vidare.people.actions import register_participant

        actor = actor or self.users["coach_h"]
        fields.setdefault("identity_number", self.next_personnummer())
        fields.setdefault("first_name", "Testa")
        fields.setdefault("last_name", "Testsson")
        referral = fields.pop("referral", {})
        referral.setdefault("source", "socialtjanst")
        referral.setdefault("centre", centre or self.hisingen)
        referral.setdefault("referred_on", date(2026, 1, 5))
        return register_participant(actor=actor, referral=referral, **fields)

    def enrol(self, participant: Any, actor: Any = None, **fields: Any) -> Any:
        from vidare.enrolments.actions import enrol

        actor = actor or self.users["coach_h"]
        fields.setdefault("programme", self.jobbtorg)
        fields.setdefault("centre", self.hisingen)
        fields.setdefault("start_date", date(2026, 1, 12))
        fields.setdefault("responsible", self.users["coach_h"])
        fields.setdefault("target_groups", [self.tg["forsorjningsstod"]])
        if "referral" not in fields:
            fields["referral"] = participant.referrals.filter(status="open").first()
        return enrol(actor=actor, participant=participant, **fields)


def build_world() -> World:
    from vidare.access.models import Membership, User
    from vidare.organisation.models import Centre, Programme, TargetGroup

    w = World()
    w.hisingen = Centre.objects.create(code="hisingen", name="Hisingen")
    w.angered = Centre.objects.create(code="angered", name="Angered")
    w.tg = {code: TargetGroup.objects.create(code=code, name=name) for code, name in [
        ("forsorjningsstod", "Försörjningsstöd"),
        ("funktionsnedsattning", "Funktionsnedsättning"),
        ("utrikesfodd", "Född utanför Europa"),
        ("kort_utbildning", "Kort utbildning"),
    ]}
    w.jobbtorg = Programme.objects.create(code="jobbtorg", name="Jobbtorg", min_age=16,
                                          max_age=65)
    w.jobbtorg.centres.set([w.hisingen, w.angered])
    w.jobbtorg.target_groups.set([w.tg["forsorjningsstod"], w.tg["utrikesfodd"],
                                  w.tg["kort_utbildning"]])
    w.unga = Programme.objects.create(code="jobbtorg-unga", name="Jobbtorg Unga", min_age=16,
                                      max_age=24)
    w.unga.centres.set([w.hisingen])
    w.resurs = Programme.objects.create(code="resursjobb", name="Resursjobb", min_age=18,
                                        max_age=65, max_length_months=12)
    w.resurs.centres.set([w.angered])
    w.resurs.target_groups.set([w.tg["funktionsnedsattning"]])
    spec = {
        "coach_h": ("jobbcoach", w.hisingen), "coach_a": ("jobbcoach", w.angered),
        "chief_h": ("enhetschef", w.hisingen), "syv_h": ("syv", w.hisingen),
        "broker_h": ("jobbmaklare", w.hisingen), "af_h": ("arbetsformedlare", w.hisingen),
        "analyst": ("analytiker", None), "social": ("socialsekreterare", None),
        "admin": ("systemadministrator", None),
    }
    w.users = {}
    for key, (role, centre) in spec.items():
        user = User.objects.create_user(username=key, password="test-password-123",
                                        first_name=key.split("_")[0].title(),
                                        last_name=(centre.name if centre else "Kommunen"))
        Membership.objects.create(user=user, role=role, centre=centre)
        w.users[key] = user
    return w


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


KNOWN_DAY = date(2026, 6, 15)  # a Monday


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    """Freeze timezone.localdate() (used by actions and views alike) at KNOWN_DAY."""
    from django.utils import timezone

    real = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> date:
        return KNOWN_DAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return KNOWN_DAY


@pytest.fixture
def as_user(world: World) -> Any:
    """as_user("coach_h") -> a test client logged in as that world user."""
    from django.test import Client

    def login(key: str) -> Client:
        client = Client()
        client.force_login(world.users[key])
        return client

    return login


def give_consent(participant: Any, *, actor: Any = None, party: str = "socialtjanst",
                 scope: str = "narvaro_status", given_on: date = date(2026, 1, 5),
                 expires_on: date | None = None) -> Any:
    """Record a consent row directly (fixtures only; the application uses the actions)."""
    from vidare.people.models import Consent

    return Consent.objects.create(participant=participant, party=party, scope=scope,
                                  given_on=given_on, expires_on=expires_on,
                                  recorded_by=actor)
