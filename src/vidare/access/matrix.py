"""The authorisation matrix: who may do what, to whose data, through which door.

One declarative table, read by people and by tests:

* a data-protection officer reads it (``render_markdown()`` turns it into the tables of
  docs/security.md);
* ``vidare.core.testing`` walks it: for every rule, every role and every relation to the
  participant it logs in, calls the page or API operation and checks the answer, the access
  log and that no special-category value leaks;
* ``tests/access/test_matrix.py`` fails when a URL pattern or an OpenAPI operation has no
  rule here, or a rule names one that no longer exists.

Outcomes
    allow   the page or operation answers (2xx, or a redirect); for a list: the record is in it
    deny    403: the user may see the person but their role may not take this step
    hidden  404, or for a list: the record is not in it; the answer is the same as for a
            record that does not exist, so nobody learns that it does

Relations (the participant the page or operation is about, seen from the user)
    own         enrolled at or referred to a centre where the user works;
                for the social-assistance officer: a client they referred, consent valid
    no_consent  (social-assistance officer only) a client they referred, without valid consent
    other       enrolled and referred only at another centre; for the officer: not their client

A role's cell is written "allow/hidden" (own/other) or, for the social-assistance officer,
"allow/hidden/hidden" (own with consent / own without consent / not theirs); one word means
the same for every relation. A rule with no participant has one word per role.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from .roles import Role


class Outcome(StrEnum):
    ALLOW = "allow"
    DENY = "deny"
    HIDDEN = "hidden"


class Relation(StrEnum):
    OWN = "own"
    NO_CONSENT = "no_consent"
    OTHER = "other"


ROLES: tuple[Role, ...] = (
    Role.JOBBCOACH, Role.ENHETSCHEF, Role.SYV, Role.ARBETSFORMEDLARE, Role.JOBBMAKLARE,
    Role.SOCIALSEKRETERARE, Role.ANALYTIKER, Role.SYSTEMADMINISTRATOR,
)
# The five roles of the team at a centre; `case=` in a rule sets them all.
CASE_ROLES: tuple[Role, ...] = (Role.JOBBCOACH, Role.ENHETSCHEF, Role.SYV,
                                Role.ARBETSFORMEDLARE, Role.JOBBMAKLARE)
OFFICER = Role.SOCIALSEKRETERARE
RELATIONS_OF_CENTRE_ROLES = (Relation.OWN, Relation.OTHER)
RELATIONS_OF_OFFICER = (Relation.OWN, Relation.NO_CONSENT, Relation.OTHER)

# What the social-assistance officer sees of a client they referred, while consent to share
# attendance and status with the social services is valid. Enforced by the participant page
# (status view), the attendance report and the API (core.api_base.STATUS_FIELDS).
STATUS_VIEW = (
    "Name and identity number; each enrolment's programme, centre, responsible job coach, "
    "start date, maximum or actual end date and status (active, paused, exited), with the "
    "exit date and the coded exit reason (never the exit note, employer or occupation); "
    "the referrals the officer made and their status; interventions (kind, title, dates, "
    "hours per week, status) and weekly attendance (hours attended and absent, reason for "
    "absence) — the attendance report. Never contact details, household, languages, "
    "assessment (kartläggning), plan, goals, notes, the timeline or any special-category "
    "data."
)

# Shorthands used below.
OWN = "allow/hidden"               # own centre yes, another centre's participants hidden
REFUSE = "deny/hidden"             # sees the person, but the role may not do this
CLIENT = "allow/hidden/hidden"     # officer: own client with consent only
REFUSE_CLIENT = "deny/hidden/hidden"


@dataclass(frozen=True)
class Rule:
    """One page (a URL name) or one API operation ("METHOD /api/v1/path/{id}/")."""

    target: str
    summary: str
    outcomes: Mapping[Role, Mapping[Relation | None, Outcome]]
    method: str = "GET"
    # The participant-related object in the URL ("participant", "enrolment", ...), or in the
    # request body (API create: `body`), or None for pages not about one person.
    subject: str | None = None
    body: str | None = None
    # A list: allow = the record is listed, hidden = it is not.
    listing: bool = False
    # An allowed call writes one access-log row for the participant.
    logged: bool = False
    reason: str = ""
    # The record in the URL when it is not about one person (an employer, a vacancy ...):
    # its name in the walker's world (vidare.core.testing.MatrixWorld.records).
    record: str | None = None

    @property
    def is_api(self) -> bool:
        return self.target.split(" ", 1)[-1].startswith("/api/v1/")

    @property
    def about_participant(self) -> bool:
        return bool(self.subject or self.body or self.listing)

    def relations(self, role: Role) -> tuple[Relation | None, ...]:
        if not self.about_participant:
            return (None,)
        return RELATIONS_OF_OFFICER if role == OFFICER else RELATIONS_OF_CENTRE_ROLES

    def expected(self, role: Role, relation: Relation | None) -> Outcome:
        return self.outcomes[role][relation]


def _parse(rule_target: str, role: Role, spec: str,
           relations: tuple[Relation | None, ...]) -> dict[Relation | None, Outcome]:
    words = spec.split("/")
    if len(words) == 1:
        words = words * len(relations)
    if len(words) != len(relations):
        raise ValueError(f"{rule_target}: {role} needs {len(relations)} outcomes, got {spec!r}")
    return {rel: Outcome(w) for rel, w in zip(relations, words, strict=True)}


def _rule(target: str, summary: str, *, method: str = "GET", subject: str | None = None,
          body: str | None = None, listing: bool = False, logged: bool | None = None,
          reason: str = "", case: str | None = None, record: str | None = None,
          **by_role: str) -> Rule:
    about = bool(subject or body or listing)
    unknown = set(by_role) - {r.value for r in ROLES}
    if unknown:
        raise ValueError(f"{target}: unknown roles {sorted(unknown)}")
    default = "hidden" if about else "deny"
    outcomes: dict[Role, Mapping[Relation | None, Outcome]] = {}
    for role in ROLES:
        spec = by_role.get(role.value)
        if spec is None and case is not None and role in CASE_ROLES:
            spec = case
        relations: tuple[Relation | None, ...] = (
            (RELATIONS_OF_OFFICER if role == OFFICER else RELATIONS_OF_CENTRE_ROLES)
            if about else (None,))
        outcomes[role] = _parse(target, role, spec or default, relations)
    if logged is None:
        logged = method == "GET" and subject is not None
    return Rule(target, summary, outcomes, method=method, subject=subject, body=body,
                listing=listing, logged=logged, reason=reason, record=record)


def page(name: str, summary: str, **kwargs: object) -> Rule:
    return _rule(name, summary, **kwargs)  # type: ignore[arg-type]


def api(operation: str, summary: str, **kwargs: object) -> Rule:
    method, _path = operation.split(" ", 1)
    return _rule(operation, summary, method=method, **kwargs)  # type: ignore[arg-type]


EVERYONE = {r.value: "allow" for r in ROLES}
SPECIAL_GROUPS = ("Target groups that reveal health, disability or origin only with "
                  "VIEW_SPECIAL_CATEGORY at the enrolment's centre.")

WEB: tuple[Rule, ...] = (
    # --- not about one person -------------------------------------------------------------
    page("home", "Start page: sends each role to its work", **EVERYONE,
         reason="Case roles go to their caseload, the officer to their referrals."),
    page("access:login", "Login page", **EVERYONE,
         reason="Public; a logged-in user is sent on."),
    page("access:logout", "Log out", method="POST", **EVERYONE),
    page("set_language", "Choose the interface language", method="POST", **EVERYONE,
         reason="Sets a cookie; no data."),
    page("api-schema", "The OpenAPI document", **EVERYONE,
         reason="Describes the API; holds no personal data."),
    # --- the user's own account -----------------------------------------------------------
    page("access:otp_verify", "Second factor: enter a code", **EVERYONE,
         reason="A session that has passed it is sent on."),
    page("access:otp_enrol", "Second factor: set up an authenticator app", **EVERYONE),
    page("access:account", "My account", **EVERYONE),
    page("access:backup_codes", "My backup codes", **EVERYONE),
    page("access:password_change", "Change my password", **EVERYONE),
    page("access:oidc_start", "Log in with the municipality's identity provider",
         **{r.value: "hidden" for r in ROLES},
         reason="Exists only when OpenID Connect is configured (tests/auth covers it)."),
    page("access:oidc_callback", "Return from the identity provider",
         **{r.value: "hidden" for r in ROLES},
         reason="Exists only when OpenID Connect is configured (tests/auth covers it)."),
    # --- follow-up ------------------------------------------------------------------------
    page("access:log_review", "Access-log review: filter, flag unusual access",
         enhetschef="allow", reason="The unit manager follows up who read whose record."),
    page("access:log_export", "Access-log export for follow-up", enhetschef="allow",
         reason="The unit manager follows up who read whose record."),
    page("enrolments:caseload", "My caseload (a unit manager may choose a coach)",
         case="allow", socialsekreterare="allow",
         reason="The officer has no caseload and is redirected to their referrals."),
    page("enrolments:centre_overview", "Centre overview: aggregate figures per centre, "
         "programme and coach", enhetschef="allow",
         reason="Only the unit manager follows the centre as a whole."),
    page("people:participant_add", "Register a participant with the first referral",
         jobbcoach="allow", enhetschef="allow", socialsekreterare="allow",
         reason="Registration belongs to case owners; the officer registers the clients "
                "they refer."),
    # --- lists and search -----------------------------------------------------------------
    page("people:participant_list", "Participant search and list", listing=True,
         case=OWN, socialsekreterare=CLIENT, analytiker="deny", systemadministrator="deny",
         reason="Lists only people the user may see; people with protected identity only "
                "for their named staff."),
    page("people:referral_list", "Open referrals", listing=True,
         case=OWN, socialsekreterare=CLIENT, analytiker="deny", systemadministrator="deny",
         reason="Team: open referrals at their centres. Officer: the referrals they made "
                "(while consent is valid)."),
    # --- one person -----------------------------------------------------------------------
    page("people:participant_detail", "Participant page", subject="participant",
         case=OWN, socialsekreterare=CLIENT,
         reason="The officer gets the status view only. Special-category data only with "
                "VIEW_SPECIAL_CATEGORY; contact details of a protected identity only for "
                "named staff."),
    page("people:participant_edit", "Edit personal details", subject="participant",
         case=REFUSE, jobbcoach=OWN, enhetschef=OWN, socialsekreterare=REFUSE_CLIENT,
         reason="Case owners only. Contact details of a protected identity only for named "
                "staff; named staff and the unit manager name others."),
    page("people:participant_history", "History of changes: who changed what, when",
         subject="participant", case=OWN, socialsekreterare=REFUSE_CLIENT,
         reason="Special-category values masked without VIEW_SPECIAL_CATEGORY."),
    page("people:participant_restriction", "Restrict processing (GDPR art. 18) or lift it",
         subject="participant", case=REFUSE, enhetschef=OWN, socialsekreterare=REFUSE_CLIENT,
         reason="The unit manager handles data-subject rights."),
    page("access:extract", "Register extract (GDPR art. 15), PDF or JSON",
         subject="participant", case=REFUSE, enhetschef=OWN, socialsekreterare=REFUSE_CLIENT,
         reason="The unit manager handles data-subject rights; the extract holds "
                "special-category data (and, for a protected identity, is made only by "
                "named staff)."),
    page("people:consent_add", "Record a consent (samtycke)", subject="participant",
         case=REFUSE, jobbcoach=OWN, enhetschef=OWN, socialsekreterare=REFUSE_CLIENT,
         reason="Case owners record what the person agreed to."),
    page("people:consent_withdraw", "Record that a consent was withdrawn", subject="consent",
         case=REFUSE, jobbcoach=OWN, enhetschef=OWN, socialsekreterare=REFUSE_CLIENT),
    page("people:referral_add", "New referral for a registered person",
         subject="participant", case=REFUSE, jobbcoach=OWN, enhetschef=OWN,
         socialsekreterare=CLIENT,
         reason="Referral work at the centre, or the officer referring their own client."),
    page("people:referral_contact_add", "Record a contact on a referral", subject="referral",
         case=REFUSE, jobbcoach=OWN, enhetschef=OWN, socialsekreterare=REFUSE_CLIENT,
         reason="Referral work belongs to the centre."),
    page("people:referral_close", "Close a referral", subject="referral",
         case=REFUSE, jobbcoach=OWN, enhetschef=OWN, socialsekreterare=REFUSE_CLIENT),
    page("enrolments:enrolment_add", "Enrol", subject="participant",
         case=REFUSE, jobbcoach=OWN, enhetschef=OWN, socialsekreterare=REFUSE_CLIENT),
    page("enrolments:exit_add", "Register an exit", subject="enrolment",
         case=REFUSE, jobbcoach=OWN, enhetschef=OWN, socialsekreterare=REFUSE_CLIENT),
    page("enrolments:enrolment_reassign", "Change the responsible job coach",
         subject="enrolment", case=REFUSE, jobbcoach=OWN, enhetschef=OWN,
         socialsekreterare=REFUSE_CLIENT),
    page("enrolments:enrolment_pause", "Pause or resume an enrolment",
         subject="enrolment", case=REFUSE, jobbcoach=OWN, enhetschef=OWN,
         socialsekreterare=REFUSE_CLIENT),
    page("assessments:assessment_add", "New version of the competence mapping",
         subject="participant", case=OWN, jobbmaklare=REFUSE,
         socialsekreterare=REFUSE_CLIENT,
         reason="Coach, unit manager, study counsellor and employment officer assess."),
    page("assessments:assessment_list", "All versions of the competence mapping",
         subject="participant", case=OWN, socialsekreterare=REFUSE_CLIENT,
         reason="Not part of the officer's status view."),
    page("assessments:assessment_detail", "One version of the competence mapping",
         subject="assessment", case=OWN, socialsekreterare=REFUSE_CLIENT,
         reason="Adaptations and barriers only with VIEW_SPECIAL_CATEGORY."),
    page("plans:plan_edit", "The plan and its goals", subject="enrolment",
         case=OWN, jobbmaklare=REFUSE, socialsekreterare=REFUSE_CLIENT),
    page("plans:intervention_add", "New intervention", subject="enrolment",
         case=OWN, jobbmaklare=REFUSE, socialsekreterare=REFUSE_CLIENT),
    page("plans:intervention_edit", "Change an intervention", subject="intervention",
         case=OWN, jobbmaklare=REFUSE, socialsekreterare=REFUSE_CLIENT),
    page("plans:attendance_edit", "Record weekly attendance", subject="intervention",
         case=REFUSE, jobbcoach=OWN, enhetschef=OWN, socialsekreterare=REFUSE_CLIENT),
    page("plans:attendance_report", "Attendance report (page and CSV)",
         subject="participant", case=REFUSE, jobbcoach=OWN, enhetschef=OWN,
         socialsekreterare=CLIENT,
         reason="The report the officer receives; no special-category data in it."),
    # --- occupations (code lists) ---------------------------------------------------------
    page("codelists:occupation_suggest", "Suggest SSYK occupations for a job title (JSON, "
         "for forms)", **EVERYONE,
         reason="A code-list look-up; holds no personal data."),
    # --- employers --------------------------------------------------------------------------
    page("employers:employer_list", "Employers: my employers, or all", case="allow",
         reason="The employer register is municipality-wide; every team role reads it."),
    page("employers:follow_ups", "Follow-ups due with employers (mine first)", case="allow"),
    page("employers:employer_detail", "Employer page: contacts, activities, needs, "
         "agreements, vacancies, placements", record="employer", case="allow",
         reason="Placements list only participants the user may see (protected identities "
                "only for their named staff)."),
    page("employers:employer_add", "Register an employer", jobbmaklare="allow",
         enhetschef="allow", reason="The job broker keeps the register (MANAGE_EMPLOYERS)."),
    page("employers:employer_edit", "Change an employer", record="employer",
         jobbmaklare="allow", enhetschef="allow"),
    page("employers:contact_add", "Add a contact person", record="employer",
         jobbmaklare="allow", enhetschef="allow"),
    page("employers:contact_edit", "Change a contact person", record="contact",
         jobbmaklare="allow", enhetschef="allow"),
    page("employers:activity_add", "Log an activity (visit, call, lunch, event, e-mail)",
         record="employer", jobbmaklare="allow", enhetschef="allow"),
    page("employers:activity_edit", "Change an activity", record="activity",
         jobbmaklare="allow", enhetschef="allow"),
    page("employers:activity_done", "Mark a follow-up as done", method="POST",
         record="activity", jobbmaklare="allow", enhetschef="allow"),
    page("employers:need_add", "Register a recruitment need", record="employer",
         jobbmaklare="allow", enhetschef="allow"),
    page("employers:need_edit", "Change a recruitment need", record="need",
         jobbmaklare="allow", enhetschef="allow"),
    page("employers:agreement_add", "Register an agreement", record="employer",
         jobbmaklare="allow", enhetschef="allow"),
    page("employers:agreement_edit", "Change an agreement", record="agreement",
         jobbmaklare="allow", enhetschef="allow"),
    page("employers:placement_add", "Record a placement with the employer",
         record="employer", jobbcoach="allow", jobbmaklare="allow", enhetschef="allow",
         reason="MATCH or MANAGE_EMPLOYERS. The participant is named by identity number and "
                "must be one the user may see; anyone else reads as unknown."),
    page("employers:placement_edit", "Change a placement (e.g. its end)",
         subject="placement", case=REFUSE, jobbcoach=OWN, jobbmaklare=OWN, enhetschef=OWN,
         socialsekreterare=REFUSE_CLIENT,
         reason="MATCH or MANAGE_EMPLOYERS, for participants the user may see."),
    # --- vacancies --------------------------------------------------------------------------
    page("vacancies:vacancy_list", "Vacancies, filtered by kind, occupation, status, "
         "municipality", case="allow"),
    page("vacancies:vacancy_detail", "A vacancy", record="vacancy", case="allow",
         reason="Placements list only participants the user may see."),
    page("vacancies:vacancy_add", "New vacancy (occupation suggestions from the title)",
         jobbmaklare="allow", enhetschef="allow"),
    page("vacancies:vacancy_edit", "Change a vacancy", record="vacancy",
         jobbmaklare="allow", enhetschef="allow"),
    page("vacancies:vacancy_close", "Close a vacancy as filled or closed", record="vacancy",
         jobbmaklare="allow", enhetschef="allow"),
    # --- matching, proposals, placements ----------------------------------------------------
    page("matching:vacancy_candidates", "Ranked candidates for a vacancy with the reasons; "
         "who is excluded and why; propose (POST)", record="open_vacancy", listing=True,
         logged=True, case=OWN, syv="deny", arbetsformedlare="deny",
         socialsekreterare="deny", analytiker="deny", systemadministrator="deny",
         reason="Lists only participants of the user's centres (protected identities only "
                "for their named staff); each listed person is access-logged. Adaptations "
                "only with VIEW_SPECIAL_CATEGORY."),
    page("matching:participant_vacancies", "Vacancies and internships ranked for a "
         "participant", subject="participant", case=OWN, syv=REFUSE,
         arbetsformedlare=REFUSE, socialsekreterare=REFUSE_CLIENT,
         reason="Roles that match: job coach, job broker, unit manager."),
    page("matching:proposal_list", "Proposals and their outcomes: all, mine, per vacancy",
         listing=True, logged=True, case=OWN, syv="deny", arbetsformedlare="deny",
         socialsekreterare="deny", analytiker="deny", systemadministrator="deny"),
    page("matching:proposal_detail", "A proposal: its explanation, steps, and the next "
         "outcome (POST)", subject="proposal", case=OWN, syv=REFUSE,
         arbetsformedlare=REFUSE, socialsekreterare=REFUSE_CLIENT),
    page("matching:unmet_needs", "Unmet needs: vacancies and recruitment needs nobody is "
         "eligible for, by occupation; outcomes of proposals", jobbmaklare="allow",
         enhetschef="allow", analytiker="allow",
         reason="Counts only; cells under five people suppressed."),
    page("matching:fairness_audit", "Fairness audit: target groups among those listed or "
         "proposed versus the eligible pool", enhetschef="allow",
         reason="Counts only; cells under five people suppressed."),
    # --- staff accounts and roles (system administrator) -----------------------------------
    page("access:staff_list", "Staff: search, filter by centre, role and active; roles per "
         "centre", systemadministrator="allow",
         reason="The system administrator keeps accounts and roles (MANAGE_USERS); no "
                "participant data."),
    page("access:staff_add", "Add a member of staff", systemadministrator="allow"),
    page("access:staff_detail", "A member of staff: roles, second factor, history of who "
         "gave which role", record="staff", systemadministrator="allow"),
    page("access:staff_edit", "Change a member's name, username, e-mail, title, phone",
         record="staff", systemadministrator="allow"),
    page("access:staff_set_active", "Activate or deactivate an account (never one's own)",
         method="POST", record="staff", systemadministrator="allow"),
    page("access:staff_password", "Set a temporary password", method="POST", record="staff",
         systemadministrator="allow"),
    page("access:staff_reset_second_factor", "Reset the second factor (lost phone)",
         method="POST", record="staff", systemadministrator="allow"),
    page("access:staff_role_grant", "Give a role at a centre or municipality-wide",
         method="POST", record="staff", systemadministrator="allow"),
    page("access:staff_role_revoke", "Revoke a role (never one's own last administrator "
         "role)", method="POST", record="membership", systemadministrator="allow"),
    # --- organisation: centres, programmes, target groups (system administrator) ----------
    page("organisation:centre_list", "Centres: municipality, address, open enrolments "
         "(a count), active", systemadministrator="allow",
         reason="The system administrator keeps the organisation (MANAGE_USERS); counts "
                "only, no participant data."),
    page("organisation:centre_add", "New centre", systemadministrator="allow"),
    page("organisation:centre_edit", "Change a centre, or deactivate it (not while "
         "enrolments are open)", record="centre", systemadministrator="allow"),
    page("organisation:programme_list", "Programmes: age band, maximum length, centres, "
         "target groups, active", systemadministrator="allow"),
    page("organisation:programme_add", "New programme", systemadministrator="allow"),
    page("organisation:programme_edit", "Change a programme, or deactivate it (not while "
         "enrolments are open)", record="programme", systemadministrator="allow"),
    page("organisation:target_group_list", "Target groups, which are special-category, "
         "how much they are used", systemadministrator="allow",
         reason="Describes the groups, never who belongs to them."),
    page("organisation:target_group_add", "New target group", systemadministrator="allow"),
    page("organisation:target_group_edit", "Change a target group (its code only while "
         "unused)", record="target_group", systemadministrator="allow"),
)

API: tuple[Rule, ...] = (
    # --- participants ---------------------------------------------------------------------
    api("GET /api/v1/participants/", "List and search participants", listing=True,
        logged=True, case=OWN, socialsekreterare=CLIENT,
        reason="Every participant returned is access-logged. Protected identities are "
               "listed only for their named staff."),
    api("POST /api/v1/participants/", "Register a participant with the first referral",
        case="deny", jobbcoach="allow", enhetschef="allow", socialsekreterare="allow",
        reason="Registration belongs to case owners and the referring officer."),
    api("GET /api/v1/participants/{id}/", "A participant", subject="participant",
        case=OWN, socialsekreterare=CLIENT,
        reason="The officer gets the status fields only."),
    api("PATCH /api/v1/participants/{id}/", "Change personal details",
        subject="participant", case="deny", jobbcoach=OWN, enhetschef=OWN,
        socialsekreterare=REFUSE_CLIENT, analytiker="deny", systemadministrator="deny",
        reason="A role that may never change personal details is refused before the "
               "record is looked up (403 whatever the id)."),
    # --- referrals ------------------------------------------------------------------------
    api("GET /api/v1/referrals/", "List referrals", listing=True,
        case=OWN, socialsekreterare=CLIENT,
        reason="The officer sees the referrals they made."),
    api("POST /api/v1/referrals/", "New referral for a registered person",
        body="participant", case="deny", jobbcoach=OWN, enhetschef=OWN,
        socialsekreterare=CLIENT, analytiker="deny", systemadministrator="deny",
        reason="A participant out of scope reads as unknown (400 does_not_exist)."),
    api("GET /api/v1/referrals/{id}/", "A referral", subject="referral",
        case=OWN, socialsekreterare=CLIENT),
    api("POST /api/v1/referrals/{id}/close/", "Close a referral", subject="referral",
        case="deny", jobbcoach=OWN, enhetschef=OWN, socialsekreterare=REFUSE_CLIENT,
        analytiker="deny", systemadministrator="deny"),
    api("POST /api/v1/referrals/{id}/contacts/", "Record a contact on a referral",
        subject="referral", case="deny", jobbcoach=OWN, enhetschef=OWN,
        socialsekreterare=REFUSE_CLIENT, analytiker="deny", systemadministrator="deny"),
    # --- consents -------------------------------------------------------------------------
    api("GET /api/v1/consents/", "List consents", listing=True, case=OWN,
        socialsekreterare=CLIENT,
        reason="The officer sees the consents of their clients (not the notes)."),
    api("POST /api/v1/consents/", "Record a consent", body="participant", case="deny",
        jobbcoach=OWN, enhetschef=OWN, socialsekreterare="deny", analytiker="deny",
        systemadministrator="deny"),
    api("GET /api/v1/consents/{id}/", "A consent", subject="consent", case=OWN,
        socialsekreterare=CLIENT),
    api("POST /api/v1/consents/{id}/withdraw/", "Record that a consent was withdrawn",
        subject="consent", case="deny", jobbcoach=OWN, enhetschef=OWN,
        socialsekreterare="deny", analytiker="deny", systemadministrator="deny"),
    # --- enrolments and exits -------------------------------------------------------------
    api("GET /api/v1/enrolments/", "List enrolments", listing=True,
        case=OWN, socialsekreterare=CLIENT, reason=SPECIAL_GROUPS),
    api("POST /api/v1/enrolments/", "Enrol", body="participant", case="deny",
        jobbcoach=OWN, enhetschef=OWN, socialsekreterare="deny", analytiker="deny",
        systemadministrator="deny"),
    api("GET /api/v1/enrolments/{id}/", "An enrolment", subject="enrolment",
        case=OWN, socialsekreterare=CLIENT, reason=SPECIAL_GROUPS),
    api("POST /api/v1/enrolments/{id}/exit/", "Register an exit", subject="enrolment",
        case="deny", jobbcoach=OWN, enhetschef=OWN, socialsekreterare="deny",
        analytiker="deny", systemadministrator="deny"),
    api("POST /api/v1/enrolments/{id}/reassign/", "Change the responsible job coach",
        subject="enrolment", case="deny", jobbcoach=OWN, enhetschef=OWN,
        socialsekreterare="deny", analytiker="deny", systemadministrator="deny"),
    api("POST /api/v1/enrolments/{id}/pause/", "Pause or resume an enrolment",
        subject="enrolment", case="deny", jobbcoach=OWN, enhetschef=OWN,
        socialsekreterare="deny", analytiker="deny", systemadministrator="deny"),
    api("GET /api/v1/exits/", "List exits", listing=True, case=OWN,
        socialsekreterare=CLIENT),
    api("GET /api/v1/exits/{id}/", "An exit", subject="exit", case=OWN,
        socialsekreterare=CLIENT, reason="The officer gets date and coded reason only."),
    # --- assessments ----------------------------------------------------------------------
    api("GET /api/v1/assessments/", "List assessments", listing=True, case=OWN,
        reason="Not part of the officer's status view."),
    api("POST /api/v1/assessments/", "New version of the competence mapping",
        body="participant", case=OWN, jobbmaklare="deny", socialsekreterare="deny",
        analytiker="deny", systemadministrator="deny"),
    api("GET /api/v1/assessments/{id}/", "One version of the competence mapping",
        subject="assessment", case=OWN,
        reason="Adaptations and barriers only with VIEW_SPECIAL_CATEGORY."),
    # --- plans ----------------------------------------------------------------------------
    api("GET /api/v1/plans/", "List plans", listing=True, case=OWN),
    api("POST /api/v1/plans/", "Establish a plan", body="enrolment_without_plan",
        case=OWN, jobbmaklare="deny", socialsekreterare="deny", analytiker="deny",
        systemadministrator="deny"),
    api("GET /api/v1/plans/{id}/", "A plan with its goals", subject="plan", case=OWN),
    api("PATCH /api/v1/plans/{id}/", "Revise a plan", subject="plan", case=OWN,
        jobbmaklare="deny", socialsekreterare="deny", analytiker="deny",
        systemadministrator="deny"),
    api("POST /api/v1/plans/{id}/goals/", "Add a goal", subject="plan", case=OWN,
        jobbmaklare="deny", socialsekreterare="deny", analytiker="deny",
        systemadministrator="deny"),
    api("PATCH /api/v1/plans/{id}/goals/{goal_id}/", "Change a goal", subject="plan",
        case=OWN, jobbmaklare="deny", socialsekreterare="deny", analytiker="deny",
        systemadministrator="deny"),
    # --- interventions and attendance -----------------------------------------------------
    api("GET /api/v1/interventions/", "List interventions", listing=True, case=OWN,
        socialsekreterare=CLIENT),
    api("POST /api/v1/interventions/", "New intervention", body="enrolment", case=OWN,
        jobbmaklare="deny", socialsekreterare="deny", analytiker="deny",
        systemadministrator="deny"),
    api("GET /api/v1/interventions/{id}/", "An intervention", subject="intervention",
        case=OWN, socialsekreterare=CLIENT),
    api("PATCH /api/v1/interventions/{id}/", "Change an intervention",
        subject="intervention", case=OWN, jobbmaklare="deny", socialsekreterare="deny",
        analytiker="deny", systemadministrator="deny"),
    api("GET /api/v1/attendance/", "List weekly attendance", listing=True, case=OWN,
        socialsekreterare=CLIENT),
    api("POST /api/v1/attendance/", "Record a week of attendance", body="intervention",
        case="deny", jobbcoach=OWN, enhetschef=OWN, socialsekreterare="deny",
        analytiker="deny", systemadministrator="deny"),
    api("GET /api/v1/attendance/{id}/", "A week of attendance", subject="attendance",
        case=OWN, socialsekreterare=CLIENT),
    # --- staff accounts and roles (system administrator) ------------------------------------
    api("GET /api/v1/staff/", "List staff with roles and second factor (search, filter)",
        systemadministrator="allow",
        reason="Employees' names and contacts: only for the one who keeps the accounts."),
    api("POST /api/v1/staff/", "Add a member of staff", systemadministrator="allow"),
    api("GET /api/v1/staff/{id}/", "A member of staff", record="staff",
        systemadministrator="allow"),
    api("PATCH /api/v1/staff/{id}/", "Change a member, or (de)activate the account (never "
        "one's own)", record="staff", systemadministrator="allow"),
    api("POST /api/v1/staff/{id}/password/", "Set a temporary password", record="staff",
        systemadministrator="allow"),
    api("POST /api/v1/staff/{id}/reset-second-factor/", "Reset the second factor",
        record="staff", systemadministrator="allow"),
    api("POST /api/v1/staff/{id}/roles/", "Give a role (never oneself)", record="staff",
        systemadministrator="allow"),
    api("POST /api/v1/staff/{id}/revoke-role/", "Revoke a role (never one's own last "
        "administrator role)", record="staff", systemadministrator="allow"),
    # --- organisation (code lists; the system administrator keeps them) -------------------
    api("GET /api/v1/centres/", "List centres (codes for referrals and enrolments)",
        **EVERYONE, reason="Code lists; no personal data."),
    api("POST /api/v1/centres/", "New centre", systemadministrator="allow"),
    api("GET /api/v1/centres/{id}/", "A centre", record="centre", **EVERYONE),
    api("PATCH /api/v1/centres/{id}/", "Change a centre, or deactivate it (not while "
        "enrolments are open)", record="centre", systemadministrator="allow"),
    api("GET /api/v1/programmes/", "List programmes with age band, length, centres and "
        "target groups", **EVERYONE),
    api("POST /api/v1/programmes/", "New programme", systemadministrator="allow"),
    api("GET /api/v1/programmes/{id}/", "A programme", record="programme", **EVERYONE),
    api("PATCH /api/v1/programmes/{id}/", "Change a programme, its centres or target groups",
        record="programme", systemadministrator="allow"),
    api("GET /api/v1/target-groups/", "List target groups, which are special-category",
        **EVERYONE, reason="Which groups exist is no personal data; who belongs to one is "
                           "shown by the enrolment rules."),
    api("POST /api/v1/target-groups/", "New target group", systemadministrator="allow"),
    api("GET /api/v1/target-groups/{id}/", "A target group", record="target_group",
        **EVERYONE),
    api("PATCH /api/v1/target-groups/{id}/", "Change a target group (its code only while "
        "unused)", record="target_group", systemadministrator="allow"),
    # --- occupations (code lists) ---------------------------------------------------------
    api("GET /api/v1/occupations/suggest/", "Suggest SSYK occupations for a free-text job "
        "title", **EVERYONE,
        reason="A code-list look-up; holds no personal data."),
    # --- employers --------------------------------------------------------------------------
    api("GET /api/v1/employers/", "List employers", case="allow",
        reason="The register is municipality-wide; no participant in it."),
    api("POST /api/v1/employers/", "Register an employer", jobbmaklare="allow",
        enhetschef="allow"),
    api("GET /api/v1/employers/{id}/", "An employer with contacts and agreements",
        record="employer", case="allow"),
    api("PATCH /api/v1/employers/{id}/", "Change an employer", record="employer",
        jobbmaklare="allow", enhetschef="allow"),
    api("POST /api/v1/employers/{id}/contacts/", "Add a contact person", record="employer",
        jobbmaklare="allow", enhetschef="allow"),
    api("POST /api/v1/employers/{id}/agreements/", "Register an agreement",
        record="employer", jobbmaklare="allow", enhetschef="allow"),
    api("GET /api/v1/activities/", "List activities with employers (follow-ups due)",
        case="allow"),
    api("POST /api/v1/activities/", "Log an activity", jobbmaklare="allow",
        enhetschef="allow"),
    api("GET /api/v1/activities/{id}/", "An activity", record="activity", case="allow"),
    api("PATCH /api/v1/activities/{id}/", "Change an activity, mark its follow-up done",
        record="activity", jobbmaklare="allow", enhetschef="allow"),
    api("GET /api/v1/recruitment-needs/", "List recruitment needs", case="allow"),
    api("POST /api/v1/recruitment-needs/", "Register a recruitment need",
        jobbmaklare="allow", enhetschef="allow"),
    api("GET /api/v1/recruitment-needs/{id}/", "A recruitment need", record="need",
        case="allow"),
    api("PATCH /api/v1/recruitment-needs/{id}/", "Change a recruitment need", record="need",
        jobbmaklare="allow", enhetschef="allow"),
    api("GET /api/v1/placements/", "List placements", listing=True, case=OWN,
        reason="Only participants the user may see; protected identities only for their "
               "named staff."),
    api("POST /api/v1/placements/", "Record a placement", body="participant", case="deny",
        jobbcoach=OWN, jobbmaklare=OWN, enhetschef=OWN, socialsekreterare="deny",
        analytiker="deny", systemadministrator="deny",
        reason="MATCH or MANAGE_EMPLOYERS; a participant out of scope reads as unknown "
               "(400 does_not_exist)."),
    api("GET /api/v1/placements/{id}/", "A placement", subject="placement", case=OWN),
    # --- vacancies --------------------------------------------------------------------------
    api("GET /api/v1/vacancies/", "List vacancies", case="allow"),
    api("POST /api/v1/vacancies/", "New vacancy", jobbmaklare="allow", enhetschef="allow"),
    api("GET /api/v1/vacancies/{id}/", "A vacancy", record="vacancy", case="allow",
        reason="can_be_matched is false without occupation: not enough information to "
               "match."),
    api("PATCH /api/v1/vacancies/{id}/", "Change or close a vacancy", record="vacancy",
        jobbmaklare="allow", enhetschef="allow"),
    # --- matching, proposals, placements ----------------------------------------------------
    api("GET /api/v1/vacancies/{id}/candidates/", "Ranked candidates for a vacancy with the "
        "reasons", record="open_vacancy", listing=True, logged=True, case=OWN, syv="deny",
        arbetsformedlare="deny", socialsekreterare="deny", analytiker="deny",
        systemadministrator="deny",
        reason="Every participant returned is access-logged. Adaptations only with "
               "VIEW_SPECIAL_CATEGORY."),
    api("GET /api/v1/participants/{id}/vacancies/", "Vacancies ranked for a participant",
        subject="participant", case=OWN, syv=REFUSE, arbetsformedlare=REFUSE,
        socialsekreterare=REFUSE_CLIENT),
    api("GET /api/v1/proposals/", "List proposals", listing=True, case=OWN, syv="hidden",
        arbetsformedlare="hidden", reason="Roles that do not match see an empty list."),
    api("POST /api/v1/proposals/", "Propose a participant for a vacancy", body="participant",
        case="deny", jobbcoach=OWN, jobbmaklare=OWN, enhetschef=OWN,
        socialsekreterare="deny", analytiker="deny", systemadministrator="deny",
        reason="A participant the user may not match reads as unknown (400 does_not_exist)."),
    api("GET /api/v1/proposals/{id}/", "A proposal", subject="proposal", case=OWN,
        syv="hidden", arbetsformedlare="hidden",
        reason="Only roles that match; for others a proposal reads as unknown."),
    api("POST /api/v1/proposals/{id}/outcome/", "Record the outcome of a proposal",
        subject="proposal", case="deny", jobbcoach=OWN, jobbmaklare=OWN, enhetschef=OWN,
        socialsekreterare="deny", analytiker="deny", systemadministrator="deny",
        reason="Presented, interview, hired (records the placement) or declined."),
)

RULES: tuple[Rule, ...] = WEB + API


def rules_by_target() -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    for rule in RULES:
        if rule.target in out:
            raise ValueError(f"two rules for {rule.target}")
        out[rule.target] = rule
    return out


# --- for people -------------------------------------------------------------------------------

_WORDS = {Outcome.ALLOW: "allow", Outcome.DENY: "deny (403)", Outcome.HIDDEN: "hidden"}


def cell(rule: Rule, role: Role) -> str:
    """One role's outcomes, e.g. "allow / hidden"."""
    words = [_WORDS[rule.expected(role, rel)] for rel in rule.relations(role)]
    return words[0] if len(set(words)) == 1 else " / ".join(words)


def _table(rules: Iterable[Rule]) -> list[str]:
    head = ["Page or operation", "What", *[r.value for r in ROLES], "Why"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for rule in rules:
        target = f"`{rule.target}`" + (f" ({rule.method})" if rule.method != "GET"
                                       and not rule.is_api else "")
        if rule.logged:
            target += " ✎"
        row = [target, rule.summary, *[cell(rule, role) for role in ROLES],
               rule.reason]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
    return lines


def render_markdown() -> str:
    """The matrix as Markdown tables with their legend, for docs/security.md."""
    lines = [
        "Each cell is the outcome for that role. For a page or operation about one person, "
        "the outcomes are given for **own / other**: a participant enrolled at or referred "
        "to a centre where the user works, and one of another centre. For the "
        "socialsekreterare they are **own client with valid consent / own client without "
        "valid consent / not their client**.",
        "",
        "- **allow**: the page or operation answers; in a list the person is listed.",
        "- **deny (403)**: the user may see the person, but the role may not take this step.",
        "- **hidden**: answered as if the person did not exist (404; not in the list).",
        "- ✎: every allowed call writes a row in the access log. Every refused attempt on an "
        "existing person (403 or 404) writes a row marked *refused*.",
        "",
        f"**Status view of the socialsekreterare.** {STATUS_VIEW}",
        "",
        "A user with several roles gets what any of them allows: a systemadministratör who "
        "is also a jobbcoach sees what the jobbcoach sees.",
        "",
        "### Web pages",
        "",
        *_table(WEB),
        "",
        "### API (v1)",
        "",
        *_table(API),
        "",
    ]
    return "\n".join(lines)

