"""Action plans (handlingsplaner), interventions (insatser) and weekly attendance."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vidare.core.models import TimeStampedModel


class Plan(TimeStampedModel):
    """The plan of one enrolment. Revised in place; history keeps earlier wordings."""

    enrolment = models.OneToOneField("enrolments.Enrolment", on_delete=models.CASCADE,
                                     related_name="plan", verbose_name=_("enrolment"))
    established_on = models.DateField(_("established on"))
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan")

    def __str__(self) -> str:
        return f"{_('Plan')} {self.established_on:%Y-%m-%d}"


class GoalKind(models.TextChoices):
    WORK = "arbete", _("Work")
    STUDIES = "studier", _("Studies")
    STEP = "delmal", _("Intermediate goal")


class PlanGoal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(_("kind"), max_length=10, choices=GoalKind.choices)
    description = models.CharField(_("goal"), max_length=300)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["target_date", "id"]
        verbose_name = _("goal")

    def __str__(self) -> str:
        return self.description


class InterventionKind(models.TextChoices):
    INTERNSHIP = "praktik", _("Internship (praktik)")
    EDUCATION = "utbildning", _("Education")
    SFI = "sfi", _("SFI")
    SUBSIDISED_JOB = "arbetsmarknadsanstallning", _("Subsidised municipal job (resursjobb)")
    ADAPTED_JOB = "anpassat_arbete", _("Adapted job")
    COACHING = "jobbcoachning", _("Job coaching")
    GUIDANCE = "vagledning", _("Study and career guidance")
    OTHER = "annan", _("Other")


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Intervention(TimeStampedModel):
    """An insats in the plan: praktik, utbildning, SFI, resursjobb ..."""

    enrolment = models.ForeignKey("enrolments.Enrolment", on_delete=models.CASCADE,
                                  related_name="interventions", verbose_name=_("enrolment"))
    kind = models.CharField(_("kind"), max_length=30, choices=InterventionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    provider = models.CharField(_("provider or employer"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, default=0,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    status = models.CharField(_("status"), max_length=10, choices=InterventionStatus.choices,
                              default=InterventionStatus.PLANNED)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="intervention_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AbsenceReason(models.TextChoices):
    NONE = "", _("—")
    SICK = "sjuk", _("Ill")
    CHILD = "vab", _("Caring for a sick child")
    VALID = "giltig", _("Other valid reason")
    INVALID = "ogiltig", _("Without valid reason")


class Attendance(TimeStampedModel):
    """Hours attended and absent in one ISO week of one intervention."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE,
                                     related_name="attendance", verbose_name=_("intervention"))
    week_start = models.DateField(_("week (Monday)"))
    hours_attended = models.DecimalField(_("hours attended"), max_digits=4, decimal_places=1,
                                         validators=[MinValueValidator(0),
                                                     MaxValueValidator(60)])
    hours_absent = models.DecimalField(_("hours absent"), max_digits=4, decimal_places=1,
                                       default=0, validators=[MinValueValidator(0),
                                                              MaxValueValidator(60)])
    absence_reason = models.CharField(_("reason for absence"), max_length=10, blank=True,
                                      choices=AbsenceReason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["week_start"]
        verbose_name = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["intervention", "week_start"],
                                    name="uniq_attendance_week"),
        ]

    def __str__(self) -> str:
        return f"{self.week_start:%Y-%m-%d}: {self.hours_attended} h"
