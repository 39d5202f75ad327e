"""Competence mapping (kartläggning), versioned: each revision is a new row."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vidare.codelists.choices import Commute
from vidare.core.models import TimeStampedModel


class SwedishLevel(models.TextChoices):
    NONE = "ingen", _("No Swedish yet")
    SFI_A = "sfi_a", _("SFI course A")
    SFI_B = "sfi_b", _("SFI course B")
    SFI_C = "sfi_c", _("SFI course C")
    SFI_D = "sfi_d", _("SFI course D")
    SVA_GRUND = "sva_grund", _("Swedish as a second language, basic level")
    SVA_GY = "sva_gymnasie", _("Swedish as a second language, upper secondary")
    NATIVE = "modersmal", _("Swedish as first language")

    @classmethod
    def rank(cls, value: str) -> int:
        """Order for minimum-level requirements: a higher rank meets every lower one."""
        return list(cls.values).index(value)


class Barrier(models.TextChoices):
    LANGUAGE = "sprak", _("Language")
    EDUCATION = "utbildning", _("Short or missing education")
    EXPERIENCE = "erfarenhet", _("Little work experience")
    HEALTH = "halsa", _("Health")
    DISABILITY = "funktionsnedsattning", _("Disability")
    CHILDCARE = "barnomsorg", _("Childcare")
    HOUSING = "boende", _("Housing situation")
    SUBSTANCE = "missbruk", _("Substance use")
    TRANSPORT = "transport", _("Transport")
    DIGITAL = "digital", _("Digital skills")
    OTHER = "ovrigt", _("Other")


class Assessment(TimeStampedModel):
    participant = models.ForeignKey("people.Participant", on_delete=models.CASCADE,
                                    related_name="assessments", verbose_name=_("participant"))
    enrolment = models.ForeignKey("enrolments.Enrolment", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="assessments",
                                  verbose_name=_("enrolment"))
    version = models.PositiveIntegerField(_("version"))
    assessed_on = models.DateField(_("date of assessment"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("assessed by"))
    education_level = models.ForeignKey(
        "codelists.EducationLevel", null=True, blank=True, on_delete=models.PROTECT,
        verbose_name=_("highest education (SUN 2020)"),
    )
    education_abroad = models.BooleanField(_("education completed abroad"), default=False)
    swedish_level = models.CharField(_("Swedish level"), max_length=20,
                                     choices=SwedishLevel.choices, default=SwedishLevel.NONE)
    other_languages = models.ManyToManyField("codelists.Language", blank=True,
                                             verbose_name=_("other languages"))
    skills = models.JSONField(_("skills"), default=list, blank=True)
    driving_licences = models.ManyToManyField("codelists.DrivingLicence", blank=True,
                                              verbose_name=_("driving licences"))
    work_capacity_percent = models.PositiveSmallIntegerField(
        _("work capacity (% of full time)"), default=100,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    interests = models.TextField(_("interests"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    # The matching profile (vidare.matching.profiles reads these, never anything else).
    desired_occupations = models.ManyToManyField(
        "codelists.Occupation", blank=True, related_name="+",
        verbose_name=_("desired occupations"))
    interest_fields = models.JSONField(_("occupation fields of interest"), default=list,
                                       blank=True)
    available_from = models.DateField(_("available for work from"), null=True, blank=True)
    commute = models.CharField(_("can travel to work"), max_length=12,
                               choices=Commute.choices, default=Commute.MUNICIPALITY)
    home_municipality = models.ForeignKey(
        "codelists.Municipality", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("home municipality"))
    # Special-category fields: shown only to roles with VIEW_SPECIAL_CATEGORY.
    adaptations_needed = models.TextField(_("adaptations needed"), blank=True)
    adaptation_needs = models.JSONField(_("workplace adaptations needed"), default=list,
                                        blank=True)
    barriers = models.JSONField(_("barriers"), default=list, blank=True)
    barriers_note = models.TextField(_("barriers, note"), blank=True)
    history = HistoricalRecords(m2m_fields=[other_languages, driving_licences,
                                            desired_occupations])

    SPECIAL_CATEGORY_FIELDS = ("adaptations_needed", "adaptation_needs", "barriers",
                               "barriers_note")

    class Meta:
        ordering = ["participant", "-version"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["participant", "version"],
                                    name="uniq_assessment_version"),
        ]

    def __str__(self) -> str:
        return f"{_('Assessment')} v{self.version} {self.assessed_on:%Y-%m-%d}"


class WorkExperience(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="work_experiences")
    occupation = models.ForeignKey("codelists.Occupation", on_delete=models.PROTECT,
                                   verbose_name=_("occupation (SSYK)"))
    years = models.DecimalField(_("years"), max_digits=4, decimal_places=1,
                                validators=[MinValueValidator(0), MaxValueValidator(60)])
    in_sweden = models.BooleanField(_("in Sweden"), default=False)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["-years"]
        verbose_name = _("work experience")

    def __str__(self) -> str:
        return f"{self.occupation} ({self.years} år)"
