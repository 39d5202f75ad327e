"""Small fixed vocabularies shared by several apps (vacancies, assessments, matching)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Adaptation(models.TextChoices):
    """Workplace adaptations: what an employer can offer and what a person needs.

    Phrased as what the workplace does, never as a diagnosis. A person's needs are still
    special-category data (they hint at health), so they are shown only with
    VIEW_SPECIAL_CATEGORY; matching may score them (the issue asks for it), explanations
    shown to other roles leave them out.
    """

    REDUCED_HOURS = "deltid", _("Reduced or flexible hours")
    GRADUAL_START = "upptrappning", _("Gradual start (step-by-step increase of hours)")
    SUPERVISOR = "handledare", _("Supervisor or mentor at the workplace")
    QUIET_ENVIRONMENT = "lugn_miljo", _("Quiet work environment")
    LIGHT_PHYSICAL = "latt_fysiskt", _("Physically light tasks")
    LANGUAGE_SUPPORT = "sprakstod", _("Language support at work")
    ASSISTIVE_DEVICES = "hjalpmedel", _("Assistive devices or adapted workstation")
    CLEAR_STRUCTURE = "struktur", _("Clear structure and written instructions")


class Commute(models.TextChoices):
    """How far a person can travel to work."""

    MUNICIPALITY = "kommun", _("Within the home municipality")
    COUNTY = "lan", _("Within the county")
    ANYWHERE = "obegransat", _("No limit")
