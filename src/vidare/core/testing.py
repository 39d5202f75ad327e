"""Test machinery that walks the authorisation matrix (vidare.access.matrix).

`build_matrix_world()` makes two centres, one user per role and three people with a full
journey each (referrals, an exited and two open enrolments, an assessment holding
special-category markers, a plan with a goal, an intervention with attendance):

    own         at the users' centre, referred by the social-assistance officer, consent valid
    no_consent  at the users' centre, referred by the officer, no consent
    other       at another centre only, not the officer's client

`MatrixWalker(world).walk(role)` logs in as that role and calls every page and API operation
of the matrix for every relation, each call inside a transaction that is rolled back, so the
world stays the same for the next call. For each call it checks

* the status: allow (2xx, a redirect for a page; for a list: the record is listed),
  deny (403), hidden (404; not listed; for a reference in an API body: 400 does_not_exist);
* the access log: an allowed read of participant data wrote a row for that person; a refused
  attempt on an existing person wrote a row with allowed=False, and no allowed row;
* special-category data: for a user without VIEW_SPECIAL_CATEGORY at the centre, none of the
  markers (adaptations, barrier note, region of birth) is in the HTML or JSON, and no
  special-category key is in the JSON.

It returns a list of problems (empty when everything matched), so one run reports them all.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from vidare.access.matrix import RULES, Outcome, Relation, Rule
from vidare.access.roles import Capability, Role

# Markers put in special-category fields; none may reach a user without the capability.
ADAPTATION_MARKER = "ADAPTATION-MARKER-SC7"
BARRIER_MARKER = "BARRIER-MARKER-SC7"
BIRTH_REGION = "oceanien"
BIRTH_REGION_WORDS = ("oceanien", "Oceanien", "Oceania")
# A target group whose membership is a special category (organisation.TargetGroup).
TARGET_GROUP_MARKER = "tg-marker-sc7"
SPECIAL_TEXTS = (ADAPTATION_MARKER, BARRIER_MARKER, TARGET_GROUP_MARKER, *BIRTH_REGION_WORDS)
SPECIAL_KEYS = frozenset({"adaptations_needed", "adaptation_needs", "barriers", "barriers_note",
                          "birth_region"})

LAST_NAMES = {Relation.OWN: "Egensson", Relation.NO_CONSENT: "Utansamtycke",
              Relation.OTHER: "Andrasson"}
COMBINED = "systemadministrator+jobbcoach"
# Pages that describe codes rather than people.
CODE_LISTS = frozenset({"api-schema",
                        # The organisation pages name target groups, never their members.
                        "organisation:programme_list", "organisation:programme_add",
                        "organisation:programme_edit", "organisation:target_group_list",
                        "organisation:target_group_add", "organisation:target_group_edit",
                        *(f"{method} /api/v1/{path}" for method in ("GET", "POST", "PATCH")
                          for path in ("programmes/", "programmes/{id}/", "target-groups/",
                                       "target-groups/{id}/"))})
# Query strings for pages with several formats: the quicker one; access is decided the same.
QUERY = {"api-schema": {"format": "json"}, "access:extract": {"format": "json"}}
# Look-ups that need their query parameter (missing: 400).
QUERY |= {"codelists:occupation_suggest": {"q": "städare"},
          "GET /api/v1/occupations/suggest/": {"text": "städare"}}


# --- the world ---------------------------------------------------------------------------------


@dataclass
class Case:
    """One person and their records, looked up by the names the matrix uses."""

    participant: Any
    centre: Any
    referral: Any                 # open, made by the officer for the officer's clients
    enrolment: Any                # open, with plan, intervention and attendance
    enrolment_without_plan: Any   # open
    exit: Any                     # of an earlier enrolment
    assessment: Any
    plan: Any
    goal: Any
    intervention: Any
    attendance: Any
    consent: Any
    placement: Any = None         # with the world's employer (records["employer"])
    proposal: Any = None          # for records["open_vacancy"] (vidare.matching.testing)

    def subject(self, name: str) -> Any:
        return getattr(self, name)


@dataclass
class MatrixWorld:
    today: date
    own_centre: Any
    other_centre: Any
    programmes: list[Any]
    users: dict[str, Any]   # role value (or COMBINED) -> user
    cases: dict[Relation, Case]
    other_coach: Any
    personnummer: Iterator[str]
    # Records not about one person, by the names rules give in `record` (employer, ...).
    records: dict[str, Any] = dataclass_field(default_factory=dict)

    def user(self, role: Role | str) -> Any:
        return self.users[str(role)]


def _personnummer() -> Iterator[str]:
    from vidare.core.identity import test_personnummer_list
    from vidare.people.models import Participant

    taken = set(Participant.objects.values_list("identity_number", flat=True))
    for number in test_personnummer_list():
        if 1960 <= int(number[:4]) < 2000 and number not in taken:
            yield number


def make_user(username: str, *memberships: tuple[Role, Any]) -> Any:
    from vidare.access.models import Membership, User

    user = User.objects.create_user(username=username, password=None,
                                    first_name=username.title(), last_name="Matrixsson")
    for role, centre in memberships:
        Membership.objects.create(user=user, role=role, centre=centre)
    return user


def build_matrix_world() -> MatrixWorld:
    from vidare.access.roles import MUNICIPALITY_WIDE_ROLES
    from vidare.organisation.models import Centre, Programme, TargetGroup
    from vidare.people.models import Consent, ConsentParty, ConsentScope

    today = timezone.localdate()
    own = Centre.objects.create(code="m-egen", name="Egna centret")
    other = Centre.objects.create(code="m-annan", name="Andra centret")
    programmes = []
    for n in (1, 2, 3):
        programme = Programme.objects.create(code=f"m-prog{n}", name=f"Matrisprogram {n}",
                                             min_age=16, max_age=67)
        programme.centres.set([own, other])
        programmes.append(programme)
    special_group = TargetGroup.objects.create(code=TARGET_GROUP_MARKER,
                                               name=TARGET_GROUP_MARKER.upper(),
                                               special_category=True)
    programmes[0].target_groups.set([special_group])
    users = {role.value: make_user(f"m-{role.value}",
                                   (role, None if role in MUNICIPALITY_WIDE_ROLES else own))
             for role in Role}
    users[COMBINED] = make_user("m-admin-coach", (Role.SYSTEMADMINISTRATOR, None),
                                (Role.JOBBCOACH, own))
    other_coach = make_user("m-coach-other", (Role.JOBBCOACH, other))
    world = MatrixWorld(today, own, other, programmes, users, {}, other_coach,
                        _personnummer())
    officer, coach = users[Role.SOCIALSEKRETERARE], users[Role.JOBBCOACH]
    world.cases[Relation.OWN] = _case(world, Relation.OWN, own, officer, coach)
    world.cases[Relation.NO_CONSENT] = _case(world, Relation.NO_CONSENT, own, officer, coach)
    world.cases[Relation.OTHER] = _case(world, Relation.OTHER, other, other_coach, other_coach)
    # Only the own client's consent lets the officer see them; the others consent to
    # sharing with health care, which gives the officer nothing.
    for relation, party, scope in [
            (Relation.OWN, ConsentParty.SOCIAL_SERVICES, ConsentScope.ATTENDANCE_AND_STATUS),
            (Relation.NO_CONSENT, ConsentParty.HEALTH_CARE, ConsentScope.INFORMATION_EXCHANGE),
            (Relation.OTHER, ConsentParty.HEALTH_CARE, ConsentScope.INFORMATION_EXCHANGE)]:
        case = world.cases[relation]
        case.consent = Consent.objects.create(
            participant=case.participant, party=party, scope=scope,
            given_on=today - timedelta(days=400), recorded_by=coach, note="Consent note")
    _employer_records(world)
    from vidare.matching.testing import matching_records

    matching_records(world)
    world.records.update(centre=own, programme=programmes[0], target_group=special_group)
    # Staff pages (access/staff_views.py): another centre's coach and their role.
    world.records.update(staff=other_coach, membership=other_coach.memberships.get())
    return world


def _employer_records(world: MatrixWorld) -> None:
    """The employer register's records (municipality-wide, no participant) and a placement
    with that employer for each case."""
    from vidare.employers.actions import (
        add_agreement,
        add_contact,
        add_need,
        create_employer,
        log_activity,
        record_placement,
    )
    from vidare.vacancies.actions import create_vacancy

    day = world.today
    broker = world.user(Role.JOBBMAKLARE)
    employer = create_employer(actor=broker, name="Matrisverkstaden AB",
                               organisation_number="969799-0019", sni_code="45",
                               responsible=broker)
    need = add_need(actor=broker, employer=employer, occupation="7231", number=2,
                    needed_from=day)
    world.records.update(
        employer=employer,
        contact=add_contact(actor=broker, employer=employer, name="Kontakt Matrisdotter"),
        activity=log_activity(actor=broker, employer=employer, kind="besok",
                              occurred_on=day - timedelta(days=7), follow_up_on=day),
        need=need,
        agreement=add_agreement(actor=broker, employer=employer, kind="praktikavtal",
                                starts_on=day - timedelta(days=30)),
        vacancy=create_vacancy(actor=broker, employer=employer, need=need,
                               title="Fordonsmekaniker", occupation="7231"))
    for case in world.cases.values():
        case.placement = record_placement(None, employer, case.participant, "praktik",
                                          day - timedelta(days=20))


def register_payloads(world: MatrixWorld, case: Case) -> dict[str, dict[str, Any]]:
    """Valid bodies for the employer register's writes (see MatrixWalker.payload)."""
    day = world.today.isoformat()
    employer = world.records["employer"].pk
    return {
        "POST /api/v1/employers/": {"name": "Nya Matrisbolaget AB",
                                    "organisation_number": "9697990027"},
        "PATCH /api/v1/employers/{id}/": {"notes": "Ändrad"},
        "POST /api/v1/employers/{id}/contacts/": {"name": "Kim Kontakt", "role": "HR"},
        "POST /api/v1/employers/{id}/agreements/": {"kind": "lonebidrag", "starts_on": day},
        "POST /api/v1/activities/": {"employer": employer, "kind": "samtal",
                                     "occurred_on": day},
        "PATCH /api/v1/activities/{id}/": {"follow_up_done": True},
        "POST /api/v1/recruitment-needs/": {"employer": employer, "occupation": "9111",
                                            "number": 3, "needed_from": day},
        "PATCH /api/v1/recruitment-needs/{id}/": {"number": 4},
        "POST /api/v1/placements/": {"employer": employer, "participant": case.participant.pk,
                                     "kind": "anstallning", "starts_on": day},
        "POST /api/v1/vacancies/": {"title": "Lokalvårdare", "occupation": "9111",
                                    "employer": employer},
        "PATCH /api/v1/vacancies/{id}/": {"status": "filled"},
        "employers:activity_done": {},
    }


def _case(world: MatrixWorld, relation: Relation, centre: Any, referrer: Any,
          coach: Any) -> Case:
    from vidare.assessments.actions import record_assessment
    from vidare.enrolments.actions import enrol, record_exit
    from vidare.people.actions import create_referral, register_participant
    from vidare.plans.actions import record_attendance, save_goal, save_intervention, save_plan

    day = world.today
    p1, p2, p3 = world.programmes
    participant = register_participant(
        actor=referrer, identity_number=next(world.personnummer), first_name="Matris",
        last_name=LAST_NAMES[relation], birth_region=BIRTH_REGION,
        address="Matrisgatan 1", phone="0701234567",
        referral={"source": "socialtjanst", "centre": centre,
                  "referred_on": day - timedelta(days=400)})
    first_referral = participant.referrals.get()
    earlier = enrol(actor=coach, participant=participant, programme=p3, centre=centre,
                    start_date=day - timedelta(days=390), responsible=coach,
                    referral=first_referral)
    exit_ = record_exit(actor=coach, enrolment=earlier, exit_date=day - timedelta(days=300),
                        reason="flyttat", note="Exit note")
    enrolment = enrol(actor=coach, participant=participant, programme=p1, centre=centre,
                      start_date=day - timedelta(days=200), responsible=coach,
                      target_groups=list(p1.target_groups.all()))
    without_plan = enrol(actor=coach, participant=participant, programme=p2, centre=centre,
                         start_date=day - timedelta(days=150), responsible=coach)
    plan = save_plan(actor=coach, enrolment=enrolment,
                     established_on=day - timedelta(days=190), summary="Planens text")
    goal = save_goal(actor=coach, plan=plan, kind="arbete", description="Ett mål")
    intervention = save_intervention(actor=coach, enrolment=enrolment, kind="praktik",
                                     title="Praktik i lager",
                                     start_date=day - timedelta(days=180), hours_per_week=20)
    attendance = record_attendance(actor=coach, intervention=intervention,
                                   week=day - timedelta(days=100), hours_attended=10,
                                   hours_absent=2, absence_reason="giltig")
    assessment = record_assessment(actor=coach, participant=participant, enrolment=enrolment,
                                   assessed_on=day - timedelta(days=170),
                                   adaptations_needed=ADAPTATION_MARKER,
                                   barriers=["halsa"], barriers_note=BARRIER_MARKER)
    referral = create_referral(actor=referrer, participant=participant, source="socialtjanst",
                               centre=centre, referred_on=day - timedelta(days=30))
    return Case(participant, centre, referral, enrolment, without_plan, exit_, assessment,
                plan, goal, intervention, attendance, consent=None)


# --- what the resolver and the OpenAPI document offer ------------------------------------------


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[
        tuple[str, str]]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), prefix + str(p.pattern)


def url_names() -> set[str]:
    """Every named URL pattern outside the REST API (the API is listed by operation)."""
    return {name for name, route in _walk(get_resolver())
            if not route.startswith("api/v1/")}


def api_operations() -> set[str]:
    """Every operation of the OpenAPI document, as "METHOD /path/{param}/"."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items()
            for method in ops if method in {"get", "post", "put", "patch", "delete"}}


# --- walking the matrix ------------------------------------------------------------------------

# A list rule's record: which of the case's objects should (not) be in it.
LISTED = {
    "people:participant_list": "participant", "people:referral_list": "participant",
    "participants": "participant", "referrals": "referral", "enrolments": "enrolment",
    "exits": "exit", "assessments": "assessment", "plans": "plan",
    "interventions": "intervention", "attendance": "attendance", "consents": "consent",
    "placements": "placement", "proposals": "proposal",
}


def combined_outcome(rule: Rule, roles: Iterable[Role], relation: Relation | None) -> Outcome:
    """What a user holding several roles gets: allow if any role allows; otherwise what the
    first role (the one that makes the person visible) gets."""
    roles = list(roles)
    outcomes = [rule.expected(r, relation if relation in rule.relations(r) else
                              rule.relations(r)[0]) for r in roles]
    return Outcome.ALLOW if Outcome.ALLOW in outcomes else outcomes[0]


class MatrixWalker:
    def __init__(self, world: MatrixWorld) -> None:
        self.world = world
        self._clients: dict[int, Any] = {}
        self.serials = itertools.count(1)

    # --- clients and requests ---

    def client(self, user: Any, fresh: bool = False) -> Any:
        from rest_framework.test import APIClient

        if fresh or user.pk not in self._clients:
            client = APIClient()
            client.force_login(user)
            if fresh:
                return client
            self._clients[user.pk] = client
        return self._clients[user.pk]

    def path(self, rule: Rule, case: Case) -> str:
        target = rule.target.split(" ", 1)[-1]
        if rule.is_api:
            obj = case.subject(rule.subject) if rule.subject else None
            if obj is None and rule.record:
                obj = self.world.records[rule.record]
            path = target.replace("{id}", str(obj.pk) if obj is not None else "0")
            return path.replace("{goal_id}", str(case.goal.pk))
        if rule.subject:
            return reverse(rule.target, kwargs={"pk": case.subject(rule.subject).pk})
        if rule.record:
            return reverse(rule.target, kwargs={"pk": self.world.records[rule.record].pk})
        return reverse(rule.target)

    def payload(self, rule: Rule, case: Case) -> dict[str, Any]:
        """A valid body for each write: an allowed user succeeds (2xx)."""
        day = self.world.today.isoformat()
        p3 = self.world.programmes[2]
        serial = next(self.serials)
        bodies: dict[str, dict[str, Any]] = {
            "POST /api/v1/participants/": {
                "identity_number": next(self.world.personnummer), "first_name": "Ny",
                "last_name": "Registrerad",
                "referral": {"source": "egen", "centre": case.centre.code,
                             "referred_on": day}},
            "PATCH /api/v1/participants/{id}/": {"first_name": "Ändrad"},
            "POST /api/v1/referrals/": {"participant": case.participant.pk, "source": "egen",
                                        "centre": case.centre.code, "referred_on": day},
            "POST /api/v1/referrals/{id}/close/": {"closed_on": day,
                                                   "close_reason": "tackat_nej"},
            "POST /api/v1/referrals/{id}/contacts/": {"kind": "attempt", "occurred_on": day,
                                                      "channel": "telefon",
                                                      "outcome": "ej_nadd"},
            "POST /api/v1/enrolments/": {"participant": case.participant.pk,
                                         "programme": p3.code, "centre": case.centre.code,
                                         "start_date": day},
            "POST /api/v1/enrolments/{id}/exit/": {"exit_date": day, "reason": "flyttat"},
            "POST /api/v1/enrolments/{id}/reassign/": {"responsible": None},
            "POST /api/v1/enrolments/{id}/pause/": {"status": "paused"},
            "POST /api/v1/assessments/": {"participant": case.participant.pk,
                                          "assessed_on": day},
            "POST /api/v1/plans/": {"enrolment": case.enrolment_without_plan.pk,
                                    "established_on": day},
            "PATCH /api/v1/plans/{id}/": {"summary": "Reviderad"},
            "POST /api/v1/plans/{id}/goals/": {"kind": "studier", "description": "Nytt mål"},
            "PATCH /api/v1/plans/{id}/goals/{goal_id}/": {"description": "Ändrat mål"},
            "POST /api/v1/interventions/": {"enrolment": case.enrolment.pk, "kind": "sfi",
                                            "title": "SFI B", "start_date": day},
            "PATCH /api/v1/interventions/{id}/": {"title": "Ny titel"},
            "POST /api/v1/attendance/": {"intervention": case.intervention.pk, "week": day,
                                         "hours_attended": 4},
            "POST /api/v1/consents/": {"participant": case.participant.pk, "party": "vard",
                                       "scope": "remiss_ut", "given_on": day},
            "POST /api/v1/consents/{id}/withdraw/": {"withdrawn_on": day},
            # Pages that take a POST only.
            "set_language": {"language": "en", "next": "/"},
            "access:logout": {},
            # Staff accounts and roles (records["staff"] is another centre's coach).
            "access:staff_set_active": {"active": "0"},
            "access:staff_password": {"password": "Matris-temp-2026!x",
                                      "password2": "Matris-temp-2026!x"},
            "access:staff_reset_second_factor": {},
            "access:staff_role_grant": {"role": "analytiker"},
            "access:staff_role_revoke": {},
            "POST /api/v1/staff/": {"username": f"m-ny-{serial}", "first_name": "Ny",
                                    "last_name": "Anställd"},
            "PATCH /api/v1/staff/{id}/": {"title": "Jobbcoach"},
            "POST /api/v1/staff/{id}/password/": {"password": "Matris-temp-2026!x"},
            "POST /api/v1/staff/{id}/reset-second-factor/": {},
            "POST /api/v1/staff/{id}/roles/": {"role": "analytiker"},
            "POST /api/v1/staff/{id}/revoke-role/": {"role": "jobbcoach", "centre": "m-annan"},
            # The organisation's code lists (a fresh code per call: codes are unique).
            "POST /api/v1/centres/": {"code": f"m-ny-{serial}", "name": f"Nytt centrum {serial}",
                                      "municipality": "1480"},
            "PATCH /api/v1/centres/{id}/": {"address": "Matrisgatan 1"},
            "POST /api/v1/programmes/": {"code": f"m-nytt-{serial}",
                                         "name": f"Nytt program {serial}",
                                         "centres": [case.centre.code]},
            "PATCH /api/v1/programmes/{id}/": {"description": "Ändrad beskrivning"},
            "POST /api/v1/target-groups/": {"code": f"m-grupp-{serial}",
                                            "name": f"Ny målgrupp {serial}"},
            "PATCH /api/v1/target-groups/{id}/": {"description": "Ändrad beskrivning"},
        }
        bodies.update(register_payloads(self.world, case))
        from vidare.matching.testing import matching_payloads

        bodies.update(matching_payloads(self.world, case))
        if rule.target not in bodies:
            raise KeyError(f"core.testing.MatrixWalker.payload: give a valid body for "
                           f"{rule.target}")
        return bodies[rule.target]

    def request(self, rule: Rule, user: Any, case: Case) -> Any:
        path = self.path(rule, case)
        client = self.client(user, fresh=rule.target == "access:logout")
        if rule.method == "GET":
            return client.get(path, QUERY.get(rule.target, {}))
        data = self.payload(rule, case)
        if rule.is_api:
            return client.generic(rule.method, path, json.dumps(data),
                                  content_type="application/json")
        return client.post(path, data)

    # --- checks ---

    def listed(self, rule: Rule, response: Any, case: Case) -> bool:
        if rule.is_api:
            from vidare.matching.testing import LISTED_KEYS

            resource = rule.target.split("/")[3]
            name, key = LISTED_KEYS.get(rule.target, (LISTED.get(resource, ""), "id"))
            obj = case.subject(name)
            body = response.json()
            rows = body["results"] if isinstance(body, dict) else body
            return obj.pk in {row.get(key) for row in rows}
        return case.participant.last_name in response.content.decode()

    def outcome_problem(self, rule: Rule, expected: Outcome, response: Any,
                        case: Case) -> str | None:
        status = response.status_code
        if expected == Outcome.DENY:
            return None if status == 403 else f"expected 403, got {status}"
        if rule.listing:
            if status != 200:
                return f"expected a list (200), got {status}"
            listed = self.listed(rule, response, case)
            if listed != (expected == Outcome.ALLOW):
                return "listed" if listed else "not listed"
            return None
        if expected == Outcome.ALLOW:
            ok = 200 <= status < 300 or (not rule.is_api and 300 <= status < 400)
            return None if ok else f"expected success, got {status}: {_excerpt(response)}"
        if rule.body and not rule.subject:
            if status == 400 and any(e.get("code") == "does_not_exist"
                                     for e in response.json().get("errors", [])):
                return None
            return f"expected 400 does_not_exist, got {status}: {_excerpt(response)}"
        return None if status == 404 else f"expected 404, got {status}"

    def log_problems(self, rule: Rule, expected: Outcome, user: Any, case: Case,
                     since: int) -> list[str]:
        from vidare.access.models import AccessLogEntry

        rows = AccessLogEntry.objects.filter(pk__gt=since, participant=case.participant,
                                             user=user)
        problems = []
        if expected == Outcome.ALLOW and rule.logged and not rows.filter(allowed=True).exists():
            problems.append("allowed read not access-logged")
        refused = expected != Outcome.ALLOW and not rule.listing
        if refused and rows.filter(allowed=True).exists():
            problems.append("refused call logged as an allowed read")
        if refused and (rule.subject or expected == Outcome.HIDDEN) and not rows.filter(
                allowed=False).exists():
            problems.append("refused attempt not access-logged")
        return problems

    def special_problems(self, rule: Rule, response: Any) -> list[str]:
        content = response.content.decode(errors="replace")
        # The OpenAPI document lists every code a field takes, regions of birth included.
        texts = (ADAPTATION_MARKER, BARRIER_MARKER) if rule.target in CODE_LISTS else SPECIAL_TEXTS
        problems = [f"special-category value {t!r} shown" for t in texts if t in content]
        if response.get("Content-Type", "").startswith("application/json") and content:
            keys = set(json_keys(json.loads(content)))
            problems += [f"special-category key {k!r} in JSON" for k in keys & SPECIAL_KEYS]
        return problems

    def check(self, rule: Rule, user: Any,
              expected: dict[Relation | None, Outcome]) -> list[str]:
        """Call `rule` as `user` for each relation in `expected` (a list once for all of
        them) and compare; everything the calls wrote is rolled back."""
        from vidare.access.models import AccessLogEntry

        self.client(user)  # its session must outlive the rollbacks below
        problems = []
        response = None
        for relation, outcome in expected.items():
            case = self.world.cases[relation or Relation.OWN]
            with transaction.atomic():
                since = AccessLogEntry.objects.order_by("-pk").values_list(
                    "pk", flat=True).first() or 0
                if response is None or not rule.listing:
                    response = self.request(rule, user, case)
                found = self.problems(rule, user, outcome, response, case, since)
                transaction.set_rollback(True)
            where = f" ({relation})" if relation else ""
            problems += [f"{user.username} {rule.target}{where}: {p}" for p in found]
        return problems

    def problems(self, rule: Rule, user: Any, outcome: Outcome, response: Any, case: Case,
                 since: int) -> list[str]:
        from vidare.access.models import AccessLogEntry

        found = []
        problem = self.outcome_problem(rule, outcome, response, case)
        if problem:
            found.append(problem)
        if rule.listing and rule.logged and outcome == Outcome.ALLOW:
            # The list was fetched once; its rows carry the request id in the response.
            if not AccessLogEntry.objects.filter(
                    request_id=response.get("X-Request-ID", "-"), participant=case.participant,
                    user=user, allowed=True).exists():
                found.append("listed person not access-logged")
        elif rule.about_participant and not rule.listing:
            found += self.log_problems(rule, outcome, user, case, since)
        if not user.can(Capability.VIEW_SPECIAL_CATEGORY, self.world.own_centre.pk):
            found += self.special_problems(rule, response)
        return found

    def walk(self, roles: Role | Iterable[Role], user: Any = None,
             rules: Iterable[Rule] = RULES) -> list[str]:
        """Every rule for a user holding `roles` (the world's user for a single role);
        returns the problems found."""
        roles = [roles] if isinstance(roles, Role) else list(roles)
        user = user or self.world.user(roles[0])
        problems = []
        for rule in rules:
            expected = {relation: combined_outcome(rule, roles, relation)
                        for relation in rule.relations(roles[0])}
            problems += self.check(rule, user, expected)
        return problems


def json_keys(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from json_keys(value)
    elif isinstance(data, list):
        for item in data:
            yield from json_keys(item)


def _excerpt(response: Any) -> str:
    text = response.content.decode(errors="replace")
    if response.get("Content-Type", "").startswith("text/html"):
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))
    return text[:300]
