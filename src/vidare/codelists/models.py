"""Official classifications used across Vidare, loaded from shipped files (see data/SOURCES.md).

Storage scheme for occupations: SSYK 2012 as JobTech publishes it (400 unit groups at level 4,
the codes carried by job ads and occupation names). SCB's 429 level-4 codes are mapped onto
it explicitly in ScbOccupationMapping; levels 1-3 use SCB's codes.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Occupation(models.Model):
    """An SSYK 2012 group at level 1-4."""

    code = models.CharField(_("SSYK code"), max_length=4, unique=True)
    level = models.PositiveSmallIntegerField(_("level"))
    name_sv = models.CharField(_("Swedish name"), max_length=255, blank=True)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    jobtech_concept_id = models.CharField(max_length=20, blank=True)
    occupation_field_sv = models.CharField(max_length=255, blank=True)
    description_sv = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation (SSYK 2012)")
        verbose_name_plural = _("occupations (SSYK 2012)")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        # Levels 2-3 have no Swedish name with a citable source; fall back to SCB's English.
        return self.name_sv or self.name_en


class ScbOccupationMapping(models.Model):
    """SCB's level-4 code to the stored (JobTech) level-4 group."""

    scb_code = models.CharField(max_length=4, unique=True)
    scb_name_en = models.CharField(max_length=255)
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["scb_code"]

    def __str__(self) -> str:
        return f"{self.scb_code} → {self.occupation.code}"


class OccupationName(models.Model):
    """A JobTech occupation name (yrkesbenämning) under one SSYK level-4 group."""

    concept_id = models.CharField(max_length=20, unique=True)
    name_sv = models.CharField(max_length=255)
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="occupation_names"
    )
    job_titles_sv = models.TextField(blank=True, help_text="Synonyms separated by ' | '.")

    class Meta:
        ordering = ["name_sv"]

    def __str__(self) -> str:
        return self.name_sv


class EducationLevel(models.Model):
    """An SUN 2020 education level (1, 2 or 3 digits)."""

    code = models.CharField(max_length=3, unique=True)
    level_digits = models.PositiveSmallIntegerField()
    name_sv = models.CharField(max_length=255)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("education level (SUN 2020)")

    def __str__(self) -> str:
        return f"{self.code} {self.name_sv}"


class Municipality(models.Model):
    code = models.CharField(max_length=4, unique=True)
    name_sv = models.CharField(max_length=100)
    county_code = models.CharField(max_length=2)
    county_name_sv = models.CharField(max_length=100)

    class Meta:
        ordering = ["name_sv"]

    def __str__(self) -> str:
        return self.name_sv


class Language(models.Model):
    """A language by ISO 639 code (alpha-2 where one exists, else alpha-3), names from pycountry."""

    code = models.CharField(max_length=3, unique=True)
    name_sv = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)

    class Meta:
        ordering = ["name_sv"]

    def __str__(self) -> str:
        return self.name_sv


class DrivingLicence(models.Model):
    """A driving-licence class as JobTech lists it (B, BE, C, ...)."""

    code = models.CharField(max_length=10, unique=True)
    concept_id = models.CharField(max_length=20, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.code


class JobTitle(models.Model):
    """A JobTech job title (synonym, e.g. "Lokalvårdare") linked to one occupation name.

    One title can be linked to several occupation names, even in different SSYK groups ("Säljare"
    in ten), so ``concept_id`` repeats; the pair (concept_id, occupation_name_concept_id) is
    unique. 13 links point at occupation names that JobTech has retired (only in its 2019 list);
    they keep their SSYK group and the concept id, with ``occupation_name`` empty.
    """

    concept_id = models.CharField(max_length=20)
    title_sv = models.CharField(max_length=255)
    occupation_name_concept_id = models.CharField(max_length=20)
    occupation_name = models.ForeignKey(
        OccupationName, on_delete=models.PROTECT, null=True, blank=True, related_name="job_titles"
    )
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="job_titles")

    class Meta:
        ordering = ["title_sv", "concept_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["concept_id", "occupation_name_concept_id"],
                name="codelists_jobtitle_link_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title_sv


class RelatedOccupation(models.Model):
    """Two SSYK unit groups that are related, with how strongly (used by matching).

    Computed from the shipped taxonomy by ``vidare.engines.occupations.related``: strength 2 for
    the same minor group or shared titles, 1 for the same occupation field. Stored in both
    directions; never a group with itself.
    """

    class Kind(models.TextChoices):
        SAME_MINOR_GROUP = "same_minor_group", _("same minor group (3-digit SSYK)")
        SHARED_TITLES = "shared_titles", _("job titles shared between the groups")
        SAME_FIELD = "same_field", _("same occupation field")

    occupation = models.ForeignKey(
        Occupation, on_delete=models.CASCADE, related_name="related_links"
    )
    related = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    strength = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["occupation__code", "-strength", "related__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "related"], name="codelists_related_pair_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(occupation=models.F("related")),
                name="codelists_related_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id} ~ {self.related_id} ({self.strength})"
