"""Enrolment episodes (inskrivningar) and exits (utskrivningar)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vidare.core.dates import add_months
from vidare.core.models import TimeStampedModel


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    EXITED = "exited", _("Exited")


class Enrolment(TimeStampedModel):
    """One episode of a participant in one programme at one centre."""

    participant = models.ForeignKey("people.Participant", on_delete=models.CASCADE,
                                    related_name="enrolments", verbose_name=_("participant"))
    programme = models.ForeignKey("organisation.Programme", on_delete=models.PROTECT,
                                  related_name="enrolments", verbose_name=_("programme"))
    centre = models.ForeignKey("organisation.Centre", on_delete=models.PROTECT,
                               related_name="enrolments", verbose_name=_("centre"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="caseload", verbose_name=_("responsible job coach"),
    )
    referral = models.ForeignKey("people.Referral", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="enrolments",
                                 verbose_name=_("referral"))
    target_groups = models.ManyToManyField("organisation.TargetGroup", blank=True,
                                           related_name="enrolments",
                                           verbose_name=_("target groups"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.ACTIVE)
    is_re_enrolment = models.BooleanField(_("re-enrolment"), default=False)
    # Denormalised at write time so the caseload can flag inactivity without a subquery
    # per row; every action that records something about the enrolment updates it.
    last_activity_on = models.DateField(_("last activity"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[target_groups])

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        indexes = [
            models.Index(fields=["centre", "status"]),
            models.Index(fields=["responsible", "status"]),
            models.Index(fields=["participant", "programme"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="enrolment_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.start_date:%Y-%m-%d}"

    @property
    def max_end_date(self) -> date:
        return add_months(self.start_date, self.programme.max_length_months)

    def is_near_max_length(self, today: date, warn_days: int = 60) -> bool:
        return self.status != EnrolmentStatus.EXITED and (
            (self.max_end_date - today).days <= warn_days
        )


class ExitReason(models.TextChoices):
    WORK_UNSUBSIDISED = "arbete_osubventionerat", _("Work, unsubsidised")
    WORK_SUBSIDISED = "arbete_subventionerat", _("Work, subsidised")
    STUDIES = "studier", _("Studies")
    OTHER_INTERVENTION = "annan_insats", _("Another intervention within the unit")
    EMPLOYMENT_SERVICE = "arbetsformedlingen", _("Other authority: Arbetsförmedlingen")
    SOCIAL_INSURANCE = "forsakringskassan", _("Other authority: Försäkringskassan")
    MOVED = "flyttat", _("Moved")
    DROPPED_OUT = "avbrott", _("Dropped out")
    OTHER = "ovrigt", _("Other")

    @classmethod
    def work_or_studies(cls) -> frozenset[str]:
        return frozenset({cls.WORK_UNSUBSIDISED, cls.WORK_SUBSIDISED, cls.STUDIES})


class Exit(TimeStampedModel):
    """The end of an enrolment, with a coded reason (the basis of outcome statistics)."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="exit",
                                     verbose_name=_("enrolment"))
    exit_date = models.DateField(_("exit date"))
    reason = models.CharField(_("reason"), max_length=30, choices=ExitReason.choices)
    employer_name = models.CharField(_("employer or school"), max_length=200, blank=True)
    occupation = models.ForeignKey("codelists.Occupation", null=True, blank=True,
                                   on_delete=models.PROTECT, verbose_name=_("occupation"))
    extent_percent = models.PositiveSmallIntegerField(_("extent (% of full time)"), null=True,
                                                      blank=True)
    note = models.TextField(_("note"), blank=True)
    # The caseworker's declaration, kept so that an exit to another authority without a
    # consent can be explained afterwards.
    no_information_shared = models.BooleanField(
        _("no information passed on to the other authority"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-exit_date"]
        verbose_name = _("exit")
        verbose_name_plural = _("exits")
        indexes = [models.Index(fields=["reason", "exit_date"])]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.exit_date:%Y-%m-%d}"

    @property
    def is_work_or_studies(self) -> bool:
        return self.reason in ExitReason.work_or_studies()
