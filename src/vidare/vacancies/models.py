"""Vacancies: jobs, summer substitutes, internships and subsidised jobs the unit can fill,
entered by a jobbmäklare or imported from Arbetsförmedlingen's JobSearch ads.

A vacancy without an occupation (SSYK) cannot be matched: `can_be_matched` says so, and the
pages and the API show it as "not enough information to match" rather than an empty list.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vidare.assessments.models import SwedishLevel
from vidare.core.models import TimeStampedModel


class VacancyKind(models.TextChoices):
    JOB = "jobb", _("Job")
    SUMMER_SUBSTITUTE = "sommarvikariat", _("Summer or holiday substitute")
    INTERNSHIP = "praktik", _("Internship (praktik)")
    RESOURCE_JOB = "resursjobb", _("Resource job (resursjobb)")
    MUNICIPAL_JOB = "arbetsmarknadsanstallning", _("Subsidised municipal job")
    ADAPTED = "breddad_rekrytering", _("Adapted job (Breddad rekrytering)")


class VacancyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")


class VacancySource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    JOBSEARCH = "jobsearch", _("Imported from JobSearch (Arbetsförmedlingen)")


class Vacancy(TimeStampedModel):
    employer = models.ForeignKey("employers.Employer", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="vacancies",
                                 verbose_name=_("employer"))
    need = models.ForeignKey("employers.RecruitmentNeed", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="vacancies",
                             verbose_name=_("recruitment need"))
    kind = models.CharField(_("kind"), max_length=30, choices=VacancyKind.choices,
                            default=VacancyKind.JOB)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    occupation = models.ForeignKey("codelists.Occupation", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("occupation (SSYK)"))
    occupation_name = models.ForeignKey("codelists.OccupationName", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("occupation name"))
    required_skills = models.JSONField(_("required skills"), default=list, blank=True)
    merit_skills = models.JSONField(_("meritorious skills"), default=list, blank=True)
    driving_licences = models.ManyToManyField("codelists.DrivingLicence", blank=True,
                                              related_name="+",
                                              verbose_name=_("driving licences required"))
    own_car_required = models.BooleanField(_("own car required"), default=False)
    min_swedish_level = models.CharField(_("minimum Swedish level"), max_length=20, blank=True,
                                         choices=SwedishLevel.choices)
    extent_percent = models.PositiveSmallIntegerField(
        _("extent (% of full time)"), default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)])
    extent_adaptable = models.BooleanField(_("the employer can lower the extent"),
                                           default=False)
    schedule = models.CharField(_("schedule"), max_length=255, blank=True)
    municipality = models.ForeignKey("codelists.Municipality", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    place = models.CharField(_("place of work"), max_length=255, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True,
                                  help_text=_("Blank: as soon as possible."))
    deadline = models.DateField(_("application deadline"), null=True, blank=True)
    positions = models.PositiveSmallIntegerField(_("number of positions"), default=1,
                                                 validators=[MinValueValidator(1)])
    adaptations_offered = models.JSONField(_("adaptations the employer offers"), default=list,
                                           blank=True)
    open_to_all = models.BooleanField(
        _("open to all"), default=False,
        help_text=_("No experience of or interest in the occupation is needed."))
    status = models.CharField(_("status"), max_length=10, choices=VacancyStatus.choices,
                              default=VacancyStatus.OPEN)
    source = models.CharField(_("source"), max_length=10, choices=VacancySource.choices,
                              default=VacancySource.MANUAL)
    external_id = models.CharField(_("JobSearch ad id"), max_length=40, blank=True)
    source_url = models.URLField(_("ad on Platsbanken"), max_length=500, blank=True)
    imported_on = models.DateField(_("imported on"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[driving_licences])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        constraints = [
            models.UniqueConstraint(fields=["external_id"],
                                    condition=models.Q(source="jobsearch"),
                                    name="uniq_vacancy_jobsearch_id",
                                    violation_error_message=_(
                                        "A vacancy imported from this JobSearch ad exists.")),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="vacancy_status_kind_idx")]

    def __str__(self) -> str:
        return self.title

    def occupation_field(self) -> str | None:
        """The occupation field (yrkesområde) of the vacancy's occupation, None without."""
        if self.occupation is None:
            return None
        return self.occupation.occupation_field_sv or None

    @property
    def can_be_matched(self) -> bool:
        """Matching needs the occupation; without it: not enough information to match."""
        return self.occupation_id is not None
