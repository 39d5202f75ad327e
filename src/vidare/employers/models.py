"""The employer register of the jobbmäklare: employers, their contacts, the activity log,
recruitment needs, agreements, and placements of participants.

The register is municipality-wide (not centre-scoped): every role with VIEW_EMPLOYERS sees
all employers. A placement names a participant, so placements are read only through the
participants the user may see (vidare.people.scoping).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vidare.core.models import TimeStampedModel


class EmployerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class Employer(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    organisation_number = models.CharField(
        _("organisationsnummer"), max_length=11, unique=True,
        help_text=_("10 digits, NNNNNN-NNNN; the check digit is verified."))
    sni_code = models.CharField(_("industry (SNI 2007)"), max_length=2, blank=True,
                                help_text=_("A division (2 digits) or a section letter."))
    sni_name = models.CharField(_("industry name"), max_length=200, blank=True)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    municipality = models.ForeignKey("codelists.Municipality", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality"))
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="employers",
                                    verbose_name=_("responsible job broker"))
    status = models.CharField(_("status"), max_length=10, choices=EmployerStatus.choices,
                              default=EmployerStatus.ACTIVE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return self.name


class EmployerContact(TimeStampedModel):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts",
                                 verbose_name=_("employer"))
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role or title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


class ActivityKind(models.TextChoices):
    VISIT = "besok", _("Visit")
    CALL = "samtal", _("Call")
    BUSINESS_LUNCH = "foretagslunch", _("Business lunch")
    EVENT = "evenemang", _("Event")
    EMAIL = "epost", _("E-mail")


class Activity(TimeStampedModel):
    """One contact with the employer, and what to follow up, when."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="activities",
                                 verbose_name=_("employer"))
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    occurred_on = models.DateField(_("date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["follow_up_done", "follow_up_on"],
                                name="activity_follow_up_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%Y-%m-%d}"


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    CLOSED = "closed", _("Closed")


class RecruitmentNeed(TimeStampedModel):
    """An employer's need of people in one occupation (SSYK), as the broker learnt it."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="needs",
                                 verbose_name=_("employer"))
    occupation = models.ForeignKey("codelists.Occupation", on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("occupation (SSYK)"))
    number = models.PositiveSmallIntegerField(_("number of people"), default=1,
                                              validators=[MinValueValidator(1)])
    needed_from = models.DateField(_("needed from"))
    needed_until = models.DateField(_("needed until"), null=True, blank=True)
    terms = models.TextField(_("terms"), blank=True,
                             help_text=_("Extent, hours, pay, requirements."))
    can_adapt = models.BooleanField(_("the employer can adapt the job"), default=False)
    takes_interns = models.BooleanField(_("takes interns (praktik)"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=NeedStatus.choices,
                              default=NeedStatus.OPEN)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["needed_from", "id"]
        verbose_name = _("recruitment need")
        verbose_name_plural = _("recruitment needs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(needed_until__isnull=True)
                | models.Q(needed_until__gte=models.F("needed_from")),
                name="need_until_not_before_from"),
        ]

    def __str__(self) -> str:
        return f"{self.number} × {self.occupation.name}"


class AgreementKind(models.TextChoices):
    INTERNSHIP = "praktikavtal", _("Internship agreement (praktikavtal)")
    WAGE_SUBSIDY = "lonebidrag", _("Wage subsidy (lönebidrag)")
    NEW_START = "nystartsjobb", _("New-start job (nystartsjobb)")
    INTRODUCTION = "introduktionsjobb", _("Introduction job (introduktionsjobb)")
    MUNICIPAL_JOB = "arbetsmarknadsanstallning", _("Subsidised municipal job")
    OTHER = "annat", _("Other")


class Agreement(TimeStampedModel):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="agreements",
                                 verbose_name=_("employer"))
    kind = models.CharField(_("kind"), max_length=30, choices=AgreementKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_end_not_before_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on:%Y-%m-%d}"


class PlacementKind(models.TextChoices):
    INTERNSHIP = "praktik", _("Internship (praktik)")
    EMPLOYMENT = "anstallning", _("Employment")
    SUBSIDISED = "subventionerad", _("Subsidised employment")
    SUMMER_JOB = "sommarjobb", _("Summer job")


class Placement(TimeStampedModel):
    """A participant placed with the employer. Read only through the participants the user
    may see."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="placements",
                                 verbose_name=_("employer"))
    participant = models.ForeignKey("people.Participant", on_delete=models.CASCADE,
                                    related_name="placements", verbose_name=_("participant"))
    vacancy = models.ForeignKey("vacancies.Vacancy", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="placements",
                                verbose_name=_("vacancy"))
    kind = models.CharField(_("kind"), max_length=20, choices=PlacementKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="placement_end_not_before_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on:%Y-%m-%d}"
