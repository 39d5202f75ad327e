"""Proposals of participants to vacancies, their outcomes, and a record of every matching run.

A person decides: matching only ranks (vidare.engines.matching); a jobbmäklare proposes,
and each step of the outcome (presented to the employer, interview, hired, declined) is a
ProposalStep with its date and who recorded it. A MatchingRun keeps, for the fairness
audit, how many people were eligible and how the target groups were spread among them and
among the top of the list: counts only, never who.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vidare.core.models import TimeStampedModel


class ProposalStatus(models.TextChoices):
    PROPOSED = "foreslagen", _("Proposed")
    PRESENTED = "presenterad", _("Presented to the employer")
    INTERVIEW = "intervju", _("Interview")
    HIRED = "anstalld", _("Hired")
    DECLINED = "avbojd", _("Declined")


# The way forward; a proposal may skip steps but never go back. Declined ends it at any step.
PROGRESSION = (ProposalStatus.PROPOSED, ProposalStatus.PRESENTED, ProposalStatus.INTERVIEW,
               ProposalStatus.HIRED)
FINAL = (ProposalStatus.HIRED, ProposalStatus.DECLINED)
OPEN_STATUSES = (ProposalStatus.PROPOSED, ProposalStatus.PRESENTED, ProposalStatus.INTERVIEW)


class DeclinedBy(models.TextChoices):
    PARTICIPANT = "deltagare", _("The participant")
    EMPLOYER = "arbetsgivare", _("The employer")
    OTHER = "annat", _("Other")


class Proposal(TimeStampedModel):
    participant = models.ForeignKey("people.Participant", on_delete=models.CASCADE,
                                    related_name="proposals", verbose_name=_("participant"))
    vacancy = models.ForeignKey("vacancies.Vacancy", on_delete=models.CASCADE,
                                related_name="proposals", verbose_name=_("vacancy"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("proposed by"))
    proposed_on = models.DateField(_("proposed on"))
    status = models.CharField(_("status"), max_length=12, choices=ProposalStatus.choices,
                              default=ProposalStatus.PROPOSED)
    status_on = models.DateField(_("status since"))
    declined_by = models.CharField(_("declined by"), max_length=12, choices=DeclinedBy.choices,
                                   blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    score = models.IntegerField(_("score"))
    # Reason and exclusion codes with their parameters as the engine gave them at proposal
    # time (vidare.matching.explain renders them); no special-category detail is stored.
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "vacancy"],
                condition=models.Q(status__in=["foreslagen", "presenterad", "intervju"]),
                name="one_open_proposal_per_vacancy"),
        ]
        indexes = [models.Index(fields=["vacancy", "status"]),
                   models.Index(fields=["proposed_by", "status"])]

    def __str__(self) -> str:
        return f"{self.vacancy_id}: {self.participant_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ProposalStep(models.Model):
    """One change of status: what, on which day, recorded by whom and when."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(_("status"), max_length=12, choices=ProposalStatus.choices)
    on = models.DateField(_("date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name=_("recorded by"))
    declined_by = models.CharField(_("declined by"), max_length=12, choices=DeclinedBy.choices,
                                   blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["proposal", "on", "id"]
        verbose_name = _("proposal step")

    def __str__(self) -> str:
        return f"{self.status} {self.on:%Y-%m-%d}"


class MatchingRun(models.Model):
    """One ranking of the candidates for a vacancy, as shown to a user: aggregates only."""

    vacancy = models.ForeignKey("vacancies.Vacancy", on_delete=models.CASCADE,
                                related_name="matching_runs", verbose_name=_("vacancy"))
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("run by"))
    run_at = models.DateTimeField(_("run at"), auto_now_add=True)
    pool_count = models.PositiveIntegerField(_("people in the pool"), default=0)
    eligible_count = models.PositiveIntegerField(_("eligible"))
    proposed_count = models.PositiveIntegerField(_("on the top list"))
    # {"pool": {code: n}, "eligible": {code: n}, "top": {code: n}} by target-group code
    # (a person in several groups counts in each); "" counts people in none.
    group_counts = models.JSONField(_("target groups"), default=dict)

    class Meta:
        ordering = ["-run_at", "-id"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")

    def __str__(self) -> str:
        return f"{self.vacancy_id} {self.run_at:%Y-%m-%d %H:%M}"
