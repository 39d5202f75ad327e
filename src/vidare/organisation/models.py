"""Centres, programmes and the target groups that programmes serve."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Centre(models.Model):
    """A local office (kompetenscenter, jobbtorg) where participants are enrolled."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    municipality = models.ForeignKey(
        "codelists.Municipality", null=True, blank=True, on_delete=models.PROTECT,
        verbose_name=_("municipality"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("centre")
        verbose_name_plural = _("centres")

    def __str__(self) -> str:
        return self.name


class TargetGroup(models.Model):
    """A group a programme is meant for (försörjningsstöd, funktionsnedsättning, ...).

    A group whose membership reveals health, disability or origin (funktionsnedsättning,
    född utanför Europa) is `special_category`: an enrolment's membership of it is shown only
    to viewers with VIEW_SPECIAL_CATEGORY at the enrolment's centre (enrolments/api.py,
    people/history.py).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    special_category = models.BooleanField(
        _("special category of personal data"), default=False,
        help_text=_("Membership reveals health, disability or origin: it is shown only to "
                    "roles that may see special categories of personal data."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """A programme (Jobbtorg, Jobbtorg Unga, Resursjobb ...) with the rules for entering it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    min_age = models.PositiveSmallIntegerField(
        _("minimum age at enrolment"), default=16,
        validators=[MinValueValidator(15), MaxValueValidator(100)],
    )
    max_age = models.PositiveSmallIntegerField(
        _("maximum age at enrolment"), default=65,
        validators=[MinValueValidator(15), MaxValueValidator(100)],
    )
    max_length_months = models.PositiveSmallIntegerField(
        _("maximum length (months)"), default=settings.VIDARE_DEFAULT_MAX_ENROLMENT_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="programmes", verbose_name=_("target groups"),
        help_text=_("An enrolment must belong to at least one of these; empty means open to "
                    "everyone."),
    )
    centres = models.ManyToManyField(
        Centre, related_name="programmes", verbose_name=_("offered at")
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[target_groups, centres])

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_age__lte=models.F("max_age")), name="programme_age_band"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError({"max_age": _("The maximum age must not be below the minimum "
                                                "age.")})

    @property
    def age_band(self) -> str:
        return f"{self.min_age}–{self.max_age}"


def age_on(birth_date: date, day: date) -> int:
    """Completed years at `day`; a person born on 29 February turns a year older on 1 March."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
