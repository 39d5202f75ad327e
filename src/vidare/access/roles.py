"""Roles and what each may do. The single table every permission check reads."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    JOBBCOACH = "jobbcoach", _("Job coach")
    JOBBMAKLARE = "jobbmaklare", _("Job broker")
    ARBETSFORMEDLARE = "arbetsformedlare", _("Employment officer")
    SYV = "syv", _("Study and careers counsellor")
    ENHETSCHEF = "enhetschef", _("Unit manager")
    ANALYTIKER = "analytiker", _("Analyst")
    SOCIALSEKRETERARE = "socialsekreterare", _("Social assistance officer")
    SYSTEMADMINISTRATOR = "systemadministrator", _("System administrator")


class Capability(StrEnum):
    VIEW_PARTICIPANTS = "view_participants"
    REGISTER_PARTICIPANT = "register_participant"
    EDIT_PARTICIPANT = "edit_participant"
    MANAGE_REFERRALS = "manage_referrals"
    REFER = "refer"
    ENROL = "enrol"
    ASSESS = "assess"
    PLAN = "plan"
    RECORD_ATTENDANCE = "record_attendance"
    EXIT = "exit"
    VIEW_SPECIAL_CATEGORY = "view_special_category"
    VIEW_CENTRE_OVERVIEW = "view_centre_overview"
    VIEW_ATTENDANCE_REPORT = "view_attendance_report"
    VIEW_STATISTICS = "view_statistics"
    MANAGE_USERS = "manage_users"
    # Data-subject rights (GDPR art. 15 and 18), handled by the unit manager.
    MAKE_EXTRACT = "make_extract"
    RESTRICT_PROCESSING = "restrict_processing"
    # Follow-up of the access log (who read whose record), for the unit manager.
    REVIEW_ACCESS_LOG = "review_access_log"
    # Employers, vacancies and matching (issue 5).
    VIEW_EMPLOYERS = "view_employers"
    MANAGE_EMPLOYERS = "manage_employers"
    MATCH = "match"
    VIEW_FAIRNESS_AUDIT = "view_fairness_audit"


C = Capability
_CASEWORK = {
    C.VIEW_PARTICIPANTS, C.REGISTER_PARTICIPANT, C.EDIT_PARTICIPANT, C.MANAGE_REFERRALS,
    C.ENROL, C.ASSESS, C.PLAN, C.RECORD_ATTENDANCE, C.EXIT, C.VIEW_SPECIAL_CATEGORY,
    C.VIEW_ATTENDANCE_REPORT,
}
# Everyone in the team sees the employer register; the broker (and the manager) keeps it.
_EMPLOYER_READ = {C.VIEW_EMPLOYERS}
_BROKER = {C.VIEW_EMPLOYERS, C.MANAGE_EMPLOYERS, C.MATCH}

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.JOBBCOACH: frozenset(_CASEWORK | _EMPLOYER_READ | {C.MATCH}),
    Role.ENHETSCHEF: frozenset(_CASEWORK | _BROKER | {
        C.VIEW_CENTRE_OVERVIEW, C.VIEW_STATISTICS, C.MAKE_EXTRACT, C.RESTRICT_PROCESSING,
        C.REVIEW_ACCESS_LOG, C.VIEW_FAIRNESS_AUDIT}),
    # Team members who work with the participant but do not own the case.
    Role.SYV: frozenset({C.VIEW_PARTICIPANTS, C.ASSESS, C.PLAN, C.VIEW_SPECIAL_CATEGORY}
                        | _EMPLOYER_READ),
    Role.ARBETSFORMEDLARE: frozenset({C.VIEW_PARTICIPANTS, C.ASSESS, C.PLAN}
                                     | _EMPLOYER_READ),
    Role.JOBBMAKLARE: frozenset({C.VIEW_PARTICIPANTS} | _BROKER),
    Role.ANALYTIKER: frozenset({C.VIEW_STATISTICS}),
    Role.SOCIALSEKRETERARE: frozenset({C.REFER, C.VIEW_ATTENDANCE_REPORT}),
    Role.SYSTEMADMINISTRATOR: frozenset({C.MANAGE_USERS}),
}

# Roles whose scope is the whole municipality rather than named centres.
MUNICIPALITY_WIDE_ROLES = frozenset({Role.ANALYTIKER, Role.SYSTEMADMINISTRATOR,
                                     Role.SOCIALSEKRETERARE})
